"""Every field has a domain, enforced by the record itself (not only by the importer)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from coalition.domain import checks
from coalition.domain.baselines import PledgeBaseline
from coalition.domain.donors import Organisation
from coalition.domain.errors import InvalidValue
from coalition.domain.lifecycle import OfferStatus, PledgeStatus
from coalition.domain.offers import Offer
from coalition.domain.pledges import Pledge, Purpose
from coalition.domain.requirements import Requirement


def offer(**changes: object) -> Offer:
    values: dict[str, object] = {
        "donor_code": "DEU",
        "external_id": "OF-1",
        "item_type_code": "PZH2000",
        "quantity": 4,
        "available_from": date(2025, 1, 1),
        "origin": "DEU",
    }
    values.update(changes)
    return Offer(**values)  # type: ignore[arg-type]


def pledge(**changes: object) -> Pledge:
    values: dict[str, object] = {
        "donor_code": "NLD",
        "external_id": "P-1",
        "amount": Decimal("1000000"),
        "currency": "EUR",
        "year": 2025,
        "pledged_on": date(2025, 2, 1),
        "purpose": Purpose.PROCUREMENT,
    }
    values.update(changes)
    return Pledge(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("quantity", [5_000_000_000_000_000_000, 2**63, checks.MAX_UNITS + 1, 0])
def test_a_quantity_outside_its_domain_is_refused_by_the_offer(quantity):
    with pytest.raises(InvalidValue) as refused:
        offer(quantity=quantity)
    assert refused.value.field == "quantity"
    assert "10,000,000" in refused.value.reason


def test_the_largest_quantity_in_the_domain_is_accepted():
    assert offer(quantity=checks.MAX_UNITS).quantity == checks.MAX_UNITS


@pytest.mark.parametrize("amount", ["1e30", "1E+400000000", "10000000000000.01", "12.345", "0"])
def test_a_pledge_amount_outside_its_domain_is_refused(amount):
    with pytest.raises(InvalidValue) as refused:
        pledge(amount=Decimal(amount))
    assert refused.value.field == "amount"


def test_a_pledge_amount_at_the_bound_with_cents_is_accepted():
    assert pledge(amount=Decimal("10000000000000.00")).amount == Decimal(10) ** 13


def test_a_declared_value_with_fractions_of_a_cent_is_refused():
    with pytest.raises(InvalidValue, match="2 decimal places"):
        offer(declared_value=Decimal("581000.001"))


def test_a_delivered_offer_needs_its_delivery_date():
    with pytest.raises(InvalidValue) as refused:
        offer(status=OfferStatus.DELIVERED)
    assert refused.value.field == "delivered_on"


def test_a_delivery_cannot_be_in_the_future():
    with checks.today_is(date(2026, 3, 1)), pytest.raises(InvalidValue, match="future"):
        offer(status=OfferStatus.DELIVERED, delivered_on=date(2026, 3, 2))
    with checks.today_is(date(2026, 3, 2)):
        assert offer(status=OfferStatus.DELIVERED, delivered_on=date(2026, 3, 2)).delivered_on


def test_a_delivery_in_2099_is_refused_today():
    with pytest.raises(InvalidValue, match="future"):
        offer(status=OfferStatus.DELIVERED, delivered_on=date(2099, 1, 1))


def test_a_disbursed_pledge_needs_its_date_which_is_not_in_the_future():
    with pytest.raises(InvalidValue) as refused:
        pledge(status=PledgeStatus.DISBURSED)
    assert refused.value.field == "disbursed_on"
    with checks.today_is(date(2025, 6, 1)), pytest.raises(InvalidValue, match="future"):
        pledge(status=PledgeStatus.DISBURSED, disbursed_on=date(2025, 6, 2))


@pytest.mark.parametrize("priority", [0, 6, 100])
def test_a_priority_outside_one_to_five_is_refused(priority):
    with pytest.raises(InvalidValue, match="1 to 5"):
        Requirement("R-1", "artillery", "SPH-155", 1, priority, date(2026, 1, 1), "UA-1")  # type: ignore[arg-type]


def test_a_requirement_description_is_bounded():
    with pytest.raises(InvalidValue) as refused:
        Requirement(
            "R-1", "artillery", "SPH-155", 1, 1, date(2026, 1, 1), "UA-1", description="x" * 5000
        )  # type: ignore[arg-type]
    assert refused.value.field == "description"


def test_a_baseline_is_set_in_euros():
    with pytest.raises(InvalidValue) as refused:
        PledgeBaseline(
            2025,
            Decimal("1000"),
            "USD",
            Organisation.NATO,
            "GDP",
            2024,
            frozenset({"procurement"}),
            date(2025, 12, 31),
            "source",
        )
    assert refused.value.field == "currency"


def test_dates_outside_1900_to_2100_are_refused():
    with pytest.raises(InvalidValue):
        offer(available_from=date(9999, 12, 31))


def test_a_name_with_control_characters_is_refused_as_no_spreadsheet_can_hold_it():
    from coalition.domain.donors import Donor, DonorKind

    with pytest.raises(InvalidValue, match="control characters"):
        Donor("FRA", "Fran\x1bce", DonorKind.NATION)
    assert Donor("FRA", "France\n(metropolitan)", DonorKind.NATION).name
