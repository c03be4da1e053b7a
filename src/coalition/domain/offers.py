"""In-kind offers: a donor's items, from offer to equipment working at the front."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from coalition.domain import checks
from coalition.domain.catalogue import CapabilityArea
from coalition.domain.errors import InvalidValue
from coalition.domain.lifecycle import OfferStatus, offer_meaning
from coalition.domain.markings import DEFAULT_MARKING, check_marking


class Condition(StrEnum):
    NEW = "new"
    USED = "used"


@dataclass(frozen=True, slots=True)
class Offer:
    donor_code: str
    external_id: str  # the donor's own reference; unique per donor
    item_type_code: str
    quantity: int
    available_from: date
    origin: str  # the donor's depot or hub the items leave from
    condition: Condition = Condition.NEW
    declared_value: Decimal | None = None  # total for the line, in `currency`
    currency: str = "EUR"
    only_for_areas: frozenset[CapabilityArea] = frozenset()  # empty: no donor condition
    status: OfferStatus = OfferStatus.OFFERED
    delivered_on: date | None = None
    marking: str = DEFAULT_MARKING  # releasability (domain/markings.py)

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("donor_code", self.donor_code)
        checks.code("external_id", self.external_id)
        checks.code("item_type_code", self.item_type_code)
        checks.QUANTITY("quantity", self.quantity)
        checks.is_date("available_from", self.available_from)
        checks.code("origin", self.origin)
        checks.one_of("condition", self.condition, tuple(Condition))
        checks.VALUE.optional("declared_value", self.declared_value)
        checks.currency("currency", self.currency)
        for area in self.only_for_areas:
            checks.one_of("only_for_areas", area, tuple(CapabilityArea))
        checks.one_of("status", self.status, tuple(OfferStatus))
        checks.EVENT_DATES.optional("delivered_on", self.delivered_on)
        if self.delivered_on is not None and not offer_meaning(self.status).arrived:
            raise InvalidValue("delivered_on", self.delivered_on, "set only once delivered")
        if self.delivered_on is None and offer_meaning(self.status).arrived:
            raise InvalidValue(
                "delivered_on", "", f"required once the offer is {self.status}: give the date"
            )
        if self.delivered_on is not None and self.delivered_on < self.available_from:
            raise InvalidValue("delivered_on", self.delivered_on, "before the offer was available")

    def allows(self, area: CapabilityArea) -> bool:
        """The donor's condition lets this offer serve a need in `area`."""
        return not self.only_for_areas or area in self.only_for_areas
