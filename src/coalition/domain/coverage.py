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


@dataclass(frozen=True, slots=True)
class AreaCoverage:
    capability_area: str
    requirement_lines: int
    required_eur: Decimal
    offered_eur: Decimal
    accepted_eur: Decimal
    delivered_eur: Decimal
    covered_eur: Decimal

    @property
    def coverage(self) -> float:
        return float(self.covered_eur / self.required_eur) if self.required_eur else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "capability_area": self.capability_area,
            "requirement_lines": self.requirement_lines,
            "required_eur": str(self.required_eur),
            "offered_eur": str(self.offered_eur),
            "accepted_eur": str(self.accepted_eur),
            "delivered_eur": str(self.delivered_eur),
            "coverage_pct": round(100 * self.coverage, 1),
        }


def coverage_by_area(families: Iterable[FamilyTotals]) -> list[AreaCoverage]:
    sums: dict[str, list[Decimal]] = {}
    lines: dict[str, int] = {}
    for f in families:
        v = f.unit_value_eur
        supplied = f.accepted_units + f.delivered_units
        row = sums.setdefault(f.capability_area, [ZERO] * 5)
        row[0] += f.required_units * v
        row[1] += f.offered_units * v
        row[2] += f.accepted_units * v
        row[3] += f.delivered_units * v
        row[4] += min(f.required_units, supplied) * v
        lines[f.capability_area] = lines.get(f.capability_area, 0) + f.requirement_lines
    return [AreaCoverage(area, lines[area], *values) for area, values in sorted(sums.items())]


def total(areas: Iterable[AreaCoverage]) -> AreaCoverage:
    rows = list(areas)
    return AreaCoverage(
        "all areas",
        sum(a.requirement_lines for a in rows),
        sum((a.required_eur for a in rows), ZERO),
        sum((a.offered_eur for a in rows), ZERO),
        sum((a.accepted_eur for a in rows), ZERO),
        sum((a.delivered_eur for a in rows), ZERO),
        sum((a.covered_eur for a in rows), ZERO),
    )
