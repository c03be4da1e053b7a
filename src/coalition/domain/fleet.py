"""Equipment Ukraine already operates: the fleet in service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coalition.domain import checks
from coalition.domain.markings import DEFAULT_MARKING, check_marking


@dataclass(frozen=True, slots=True)
class FleetEntry:
    item_type_code: str
    recipient_code: str
    quantity: int
    as_of: date
    marking: str = DEFAULT_MARKING  # releasability (domain/markings.py)

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("item_type_code", self.item_type_code)
        checks.code("recipient_code", self.recipient_code)
        checks.COUNT("quantity", self.quantity)
        checks.EVENT_DATES("as_of", self.as_of)
