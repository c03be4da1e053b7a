"""Ukraine's prioritised requirements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coalition.domain import checks
from coalition.domain.catalogue import CapabilityArea
from coalition.domain.lifecycle import RequirementStatus
from coalition.domain.markings import DEFAULT_MARKING, check_marking

PRIORITIES = tuple(range(checks.PRIORITY.low, checks.PRIORITY.high + 1))  # 1: most urgent
# Needs still to be served: approved and not yet fully met.
OPEN_REQUIREMENT_STATES = (RequirementStatus.APPROVED, RequirementStatus.PARTLY_MET)
# Needs that count in coverage figures (met ones included, so coverage does not fall as they close).
COUNTED_REQUIREMENT_STATES = (*OPEN_REQUIREMENT_STATES, RequirementStatus.MET)


@dataclass(frozen=True, slots=True)
class Requirement:
    ref: str
    capability_area: CapabilityArea
    family_code: str
    quantity: int
    priority: int
    needed_by: date
    destination_code: str
    status: RequirementStatus = RequirementStatus.DRAFT
    unit: str = "EA"
    platform_code: str | None = None  # set when only items for one platform will do
    description: str = ""
    marking: str = DEFAULT_MARKING  # releasability (domain/markings.py)

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("ref", self.ref)
        checks.one_of("capability_area", self.capability_area, tuple(CapabilityArea))
        checks.code("family_code", self.family_code)
        checks.QUANTITY("quantity", self.quantity)
        checks.PRIORITY("priority", self.priority)
        checks.is_date("needed_by", self.needed_by)
        checks.code("destination_code", self.destination_code)
        checks.one_of("status", self.status, tuple(RequirementStatus))
        checks.code("unit", self.unit)
        if self.platform_code is not None:
            checks.code("platform_code", self.platform_code)
        checks.optional_text("description", self.description)

    @property
    def is_open(self) -> bool:
        """Counted as a need: approved and not yet fully met."""
        return self.status in OPEN_REQUIREMENT_STATES
