"""Recipients: the units, depots and delivery points that receive aid."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from coalition.domain import checks
from coalition.domain.errors import InvalidValue
from coalition.domain.markings import DEFAULT_MARKING, check_marking


class RecipientKind(StrEnum):
    UNIT = "unit"
    DEPOT = "depot"
    DELIVERY_POINT = "delivery_point"


@dataclass(frozen=True, slots=True)
class Recipient:
    code: str
    name: str
    kind: RecipientKind
    location: str
    latitude: float | None = None
    longitude: float | None = None
    marking: str = DEFAULT_MARKING  # releasability (domain/markings.py)

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("code", self.code)
        checks.text("name", self.name)
        checks.one_of("kind", self.kind, tuple(RecipientKind))
        checks.text("location", self.location)
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            raise InvalidValue("latitude", self.latitude, "must be between -90 and 90")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            raise InvalidValue("longitude", self.longitude, "must be between -180 and 180")
