from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition.planning.burden import split_by_largest_remainder


def test_three_equal_weights_give_the_spare_cent_to_the_first_code():
    shares = split_by_largest_remainder(Decimal("1000.00"), {"C": 1, "A": 1, "B": 1})
    assert shares == {"A": Decimal("333.34"), "B": Decimal("333.33"), "C": Decimal("333.33")}


def test_cents_left_over_go_to_the_largest_remainders():
    # exact: 0.6666.., 0.2222.., 0.1111.. of 1.00 → floors 66, 22, 11 cents; 1 cent left for A
    shares = split_by_largest_remainder(
        Decimal("1.00"), {"A": Decimal(6), "B": Decimal(2), "C": Decimal(1)}
    )
    assert shares == {"A": Decimal("0.67"), "B": Decimal("0.22"), "C": Decimal("0.11")}


def test_shares_follow_gdp_exactly_when_they_divide_evenly():
    shares = split_by_largest_remainder(
        Decimal("40000000000.00"), {"USA": Decimal(50), "DEU": Decimal(30), "POL": Decimal(20)}
    )
    assert shares == {
        "DEU": Decimal("12000000000.00"),
        "POL": Decimal("8000000000.00"),
        "USA": Decimal("20000000000.00"),
    }


def test_a_total_with_fractions_of_a_cent_is_refused():
    with pytest.raises(ValueError, match="cents"):
        split_by_largest_remainder(Decimal("1.001"), {"A": Decimal(1)})


def test_zero_weights_are_refused():
    with pytest.raises(ValueError, match="zero"):
        split_by_largest_remainder(Decimal("1.00"), {"A": Decimal(0)})


weights = st.dictionaries(
    keys=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3),
    values=st.decimals(min_value=Decimal("0.001"), max_value=Decimal("30000"), places=3),
    min_size=1,
    max_size=40,
)
totals = st.integers(min_value=0, max_value=10**14).map(lambda cents: Decimal(cents) / 100)


@given(total=totals, gdp=weights, data=st.data())
def test_shares_sum_exactly_to_the_baseline_whatever_the_donor_order(total, gdp, data):
    shares = split_by_largest_remainder(total, gdp)
    assert sum(shares.values(), Decimal(0)) == total

    shuffled = dict(data.draw(st.permutations(list(gdp.items()))))
    assert split_by_largest_remainder(total, shuffled) == shares

    weight_sum = sum((Fraction(w) for w in gdp.values()), Fraction(0))
    for code, share in shares.items():
        exact = Fraction(total) * Fraction(gdp[code]) / weight_sum
        assert abs(Fraction(share) - exact) < Fraction(1, 100)  # never off by a whole cent
