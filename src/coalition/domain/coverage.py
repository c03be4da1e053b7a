"""Coverage of requirements by capability area, in EUR so that shells and tanks add up.

Per family f with required units R_f, units accepted-or-further A_f, and a unit value v_f (the
median reference value of its item types), coverage of an area is
    Σ_f min(R_f, A_f) · v_f  /  Σ_f R_f · v_f .
Supplies count for the family of their own item type; cross-family use is the planner's job.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from coalition.domain.lifecycle import offer_meaning

ZERO = Decimal(0)


def coverage_stage(offer_status: str) -> str | None:
    """The coverage column an offer falls in; declined and withdrawn offers count nowhere."""
    meaning = offer_meaning(offer_status)
    if meaning.arrived:
        return "delivered"
    if meaning.accepted:
        return "accepted"
    return "offered" if meaning.alive else None


def supply_stages(
    offer_status: str, quantity: int, received: int = 0, lost: int = 0
) -> dict[str, int]:
    """One offer's units per coverage column.

    An offer with no received shipment counts its whole quantity in its status's column
    (`coverage_stage`). Once shipments of it are received (`domain.tracking`), the units
    received count as delivered whatever the status; units lost in transit (a short receipt:
    shipped, not received) count nowhere; the rest count in the status's column, or as
    accepted when the status already says arrived (they were never shipped, so they have not
    arrived).
    """
    stage = coverage_stage(offer_status)
    if stage is None:
        return {}
    if not received and not lost:
        return {stage: quantity}
    rest = max(quantity - received - lost, 0)
    stages = {"delivered": received}
    if rest:
        column = "accepted" if stage == "delivered" else stage
        stages[column] = stages.get(column, 0) + rest
    return stages


@dataclass(frozen=True, slots=True)
class FamilyTotals:
    family_code: str
    capability_area: str
    unit_value_eur: Decimal
    required_units: int
    requirement_lines: int
    offered_units: int  # still only offered
    accepted_units: int  # accepted, committed or shipped
    delivered_units: int  # delivered or operational
    donors: frozenset[str] = frozenset()  # donors whose offers the supply figures draw on


@dataclass(frozen=True, slots=True)
class AreaCoverage:
    capability_area: str
    requirement_lines: int
    required_eur: Decimal
    offered_eur: Decimal | None  # None: withheld (drawn on too few donors for this reader)
    accepted_eur: Decimal | None
    delivered_eur: Decimal | None
    covered_eur: Decimal | None
    donors: frozenset[str] = frozenset()

    @property
    def withheld(self) -> bool:
        return self.covered_eur is None

    @property
    def coverage(self) -> float | None:
        if self.covered_eur is None:
            return None
        return float(self.covered_eur / self.required_eur) if self.required_eur else 0.0

    def withholding_supply(self) -> AreaCoverage:
        return AreaCoverage(self.capability_area, self.requirement_lines, self.required_eur,
                            None, None, None, None, self.donors)  # fmt: skip

    def as_dict(self) -> dict[str, object]:
        def money(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        coverage = self.coverage
        return {
            "capability_area": self.capability_area,
            "requirement_lines": self.requirement_lines,
            "required_eur": str(self.required_eur),
            "offered_eur": money(self.offered_eur),
            "accepted_eur": money(self.accepted_eur),
            "delivered_eur": money(self.delivered_eur),
            "coverage_pct": None if coverage is None else round(100 * coverage, 1),
            "withheld": self.withheld,
        }


def coverage_by_area(families: Iterable[FamilyTotals]) -> list[AreaCoverage]:
    sums: dict[str, list[Decimal]] = {}
    lines: dict[str, int] = {}
    donors: dict[str, frozenset[str]] = {}
    for f in families:
        donors[f.capability_area] = donors.get(f.capability_area, frozenset()) | f.donors
        v = f.unit_value_eur
        supplied = f.accepted_units + f.delivered_units
        row = sums.setdefault(f.capability_area, [ZERO] * 5)
        row[0] += f.required_units * v
        row[1] += f.offered_units * v
        row[2] += f.accepted_units * v
        row[3] += f.delivered_units * v
        row[4] += min(f.required_units, supplied) * v
        lines[f.capability_area] = lines.get(f.capability_area, 0) + f.requirement_lines
    return [
        AreaCoverage(area, lines[area], v[0], v[1], v[2], v[3], v[4], donors[area])
        for area, v in sorted(sums.items())
    ]


def total(areas: Iterable[AreaCoverage]) -> AreaCoverage:
    """All areas together; its supply is withheld when any area's is (else the withheld area
    could be recovered by subtracting the others from the total)."""
    rows = list(areas)
    required = sum((a.required_eur for a in rows), ZERO)
    lines = sum(a.requirement_lines for a in rows)
    donors = frozenset().union(*(a.donors for a in rows))
    if any(a.withheld for a in rows):
        return AreaCoverage("all areas", lines, required, None, None, None, None, donors)

    def added(values: Iterable[Decimal | None]) -> Decimal:
        return sum((v for v in values if v is not None), ZERO)

    return AreaCoverage(
        "all areas",
        lines,
        required,
        added(a.offered_eur for a in rows),
        added(a.accepted_eur for a in rows),
        added(a.delivered_eur for a in rows),
        added(a.covered_eur for a in rows),
        donors,
    )
