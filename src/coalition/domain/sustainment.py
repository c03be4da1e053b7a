"""Sustainment demand: what the fleet in service consumes, as draft requirements.

A usage rate says how many units of a supply item (rounds, a spare-part kit) one platform of a
type consumes per month in an operating band (low, medium, high tempo). For every fleet entry
(platform type t, recipient r, units in service n) and every rate of t in the chosen band:

    quantity = ceil(n × rate × months)

one draft requirement line for that recipient, needed by the start of the horizon. Drafts are
never written by themselves: a coordinator approves them into the requirements registry
(`services/sustainment.approve`), where they are logged like any other requirement.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from coalition.domain import checks
from coalition.domain.catalogue import CapabilityArea
from coalition.domain.errors import InvalidValue


class Band(StrEnum):
    """Operating tempo: how hard the platforms are used."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True, slots=True)
class UsageRate:
    platform_code: str
    item_type_code: str  # the supply item consumed
    band: Band
    per_platform_per_month: Decimal
    basis: str  # a citation, or "demo assumption: ..."

    def __post_init__(self) -> None:
        checks.code("platform_code", self.platform_code)
        checks.code("item_type_code", self.item_type_code)
        checks.one_of("band", self.band, tuple(Band))
        checks.USAGE_RATE("per_platform_per_month", self.per_platform_per_month)
        checks.text("basis", self.basis, max_length=500)


@dataclass(frozen=True, slots=True)
class SustainmentParameters:
    band: Band = Band.MEDIUM
    months: int = 3
    start: date = date(2026, 12, 1)  # the first day of the horizon: drafts are needed by then
    priority: int = 2

    def __post_init__(self) -> None:
        checks.one_of("band", self.band, tuple(Band))
        checks.MONTHS("months", self.months)
        checks.DATES("start", self.start)
        checks.PRIORITY("priority", self.priority)


@dataclass(frozen=True, slots=True)
class SupplyItem:
    """What a draft needs to know of the supply item: its family, area and platform, if any."""

    code: str
    family_code: str
    capability_area: CapabilityArea
    platform_code: str | None


@dataclass(frozen=True, slots=True)
class DraftRequirement:
    ref: str
    capability_area: CapabilityArea
    family_code: str
    quantity: int
    priority: int
    needed_by: date
    destination_code: str
    platform_code: str | None  # the platform the item must serve (spares), if the item names one
    description: str

    def cells(self, status: str) -> dict[str, str]:
        """As the requirements registry's spreadsheet cells."""
        return {
            "ref": self.ref,
            "capability_area": self.capability_area.value,
            "family_code": self.family_code,
            "quantity": str(self.quantity),
            "priority": str(self.priority),
            "needed_by": self.needed_by.isoformat(),
            "destination_code": self.destination_code,
            "status": status,
            "platform_code": self.platform_code or "",
            "description": self.description,
        }

    def as_dict(self) -> dict[str, object]:
        return {**self.cells("draft"), "quantity": self.quantity}


def quantity(units: int, rate: Decimal, months: int) -> int:
    """ceil(units × rate × months), exact."""
    return math.ceil(units * rate * months)


def draft_ref(platform: str, item: str, recipient: str, start: date) -> str:
    """A stable reference: approving the same horizon twice finds the same records."""
    ref = f"SUS-{start:%Y%m}-{platform}-{item}-{recipient}"
    if len(ref) <= 64:
        return ref
    digest = hashlib.sha256(ref.encode()).hexdigest()[:10]
    return f"SUS-{start:%Y%m}-{digest}"


def drafts(
    fleet: Iterable[tuple[str, str, int]],
    rates: Iterable[UsageRate],
    supplies: Mapping[str, SupplyItem],
    parameters: SustainmentParameters,
) -> list[DraftRequirement]:
    """Draft requirements for `fleet` ((platform, recipient, units in service) triples).

    A rate for a supply item the catalogue does not hold raises InvalidValue naming it."""
    by_platform: dict[str, list[UsageRate]] = {}
    for rate in rates:
        if rate.band == parameters.band:
            by_platform.setdefault(rate.platform_code, []).append(rate)
    out = []
    for platform, recipient, units in sorted(fleet):
        if units <= 0:
            continue
        for rate in sorted(by_platform.get(platform, ()), key=lambda r: r.item_type_code):
            item = supplies.get(rate.item_type_code)
            if item is None:
                raise InvalidValue(
                    "item_type_code",
                    rate.item_type_code,
                    "a usage rate names an item type the catalogue lacks",
                )
            amount = quantity(units, rate.per_platform_per_month, parameters.months)
            if amount <= 0:
                continue
            if amount > checks.MAX_UNITS:
                raise InvalidValue(
                    "per_platform_per_month",
                    rate.per_platform_per_month,
                    f"{units} {platform} at this rate need {amount:,} "
                    f"{rate.item_type_code}: more than one requirement holds "
                    f"({checks.MAX_UNITS:,})",
                )
            out.append(
                DraftRequirement(
                    draft_ref(platform, rate.item_type_code, recipient, parameters.start),
                    item.capability_area,
                    item.family_code,
                    amount,
                    parameters.priority,
                    parameters.start,
                    recipient,
                    platform if item.platform_code == platform else None,
                    f"sustainment: {units} {platform} x {rate.per_platform_per_month}/month x "
                    f"{parameters.months} months ({parameters.band.value} band)",
                )
            )
    return out
