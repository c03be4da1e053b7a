"""The effective capability funnel: from pledge to working capability, per capability area.

Stages, each a subset of the one before, in units per item type:
1. **offered**   — alive offers (any status but declined and withdrawn; OFFER_MEANING.alive);
2. **accepted**  — accepted or any later step (OFFER_MEANING.accepted);
3. **delivered** — arrived in Ukraine (OFFER_MEANING.arrived);
4. **crewed**    — delivered platforms that have crews: for a platform type t with crew
   courses, `min(delivered_t, min over its crew courses c of ⌊graduates_c / per_platform_c⌋)`;
   a type with no crew course, and every item that is not a platform (shells, spares), is
   crewed once delivered;
5. **operational** (effective) — crewed platforms that work: `min(crewed_t, operational_t)`,
   operational_t being the operational units of t in the latest fleet-status reports (none
   reported: none counted). Items that are not platforms are operational once delivered.

A stage's value for a family f with required units R_f and unit value v_f (as in coverage) is
`min(R_f, units at that stage) · v_f`: the value of requirements the stage would meet. The
funnel of an area sums its families; its last stage is the headline of `coalition status`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from coalition.domain.training import Course, Skill

STAGES = ("offered", "accepted", "delivered", "crewed", "operational")
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class TypeUnits:
    """Units of one item type at the first three stages (from offers)."""

    item_type_code: str
    family_code: str
    is_platform: bool
    offered: int  # alive (offered or later)
    accepted: int  # accepted or later
    delivered: int  # arrived


def crew_capacity(
    item_type_code: str, courses: Iterable[Course], graduates: Mapping[str, int]
) -> int | None:
    """Platforms of this type the graduates can crew; None when no crew course is declared."""
    capacities = [
        graduates.get(c.code, 0) // c.per_platform
        for c in courses
        if c.skill is Skill.CREW and c.platform_code == item_type_code and c.per_platform
    ]
    return min(capacities) if capacities else None


def stage_units(
    units: TypeUnits,
    courses: Iterable[Course],
    graduates: Mapping[str, int],
    operational: Mapping[str, int],
) -> dict[str, int]:
    """Units of one item type at every stage of the funnel."""
    delivered = min(units.delivered, units.accepted, units.offered)
    if not units.is_platform:
        crewed = effective = delivered
    else:
        capacity = crew_capacity(units.item_type_code, courses, graduates)
        crewed = delivered if capacity is None else min(delivered, capacity)
        effective = min(crewed, operational.get(units.item_type_code, 0))
    return {
        "offered": units.offered,
        "accepted": units.accepted,
        "delivered": delivered,
        "crewed": crewed,
        "operational": effective,
    }


@dataclass(frozen=True, slots=True)
class FamilyNeed:
    family_code: str
    capability_area: str
    unit_value_eur: Decimal
    required_units: int


@dataclass(frozen=True, slots=True)
class AreaFunnel:
    capability_area: str
    required_eur: Decimal
    stages_eur: tuple[Decimal, ...] | None  # in STAGES order; None: withheld for this reader
    donors: frozenset[str] = frozenset()

    @property
    def withheld(self) -> bool:
        return self.stages_eur is None

    def stage(self, name: str) -> Decimal | None:
        return None if self.stages_eur is None else self.stages_eur[STAGES.index(name)]

    def withholding(self) -> AreaFunnel:
        return AreaFunnel(self.capability_area, self.required_eur, None, self.donors)

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "capability_area": self.capability_area,
            "required_eur": str(self.required_eur),
            "withheld": self.withheld,
        }
        for name in STAGES:
            value = self.stage(name)
            out[f"{name}_eur"] = None if value is None else str(value)
        effective = self.stage("operational")
        out["effective_pct"] = (
            None
            if effective is None
            else round(float(100 * effective / self.required_eur), 1)
            if self.required_eur
            else 0.0
        )
        return out


def funnel_by_area(
    needs: Iterable[FamilyNeed],
    type_units: Iterable[TypeUnits],
    courses: Iterable[Course],
    graduates: Mapping[str, int],
    operational: Mapping[str, int],
    donors: Mapping[str, frozenset[str]] | None = None,
) -> list[AreaFunnel]:
    """The funnel per capability area; `donors` (per family) travels with each area so the
    service can withhold an area drawn on too few donors for its reader."""
    course_list = list(courses)
    by_family: dict[str, dict[str, int]] = {}
    for units in type_units:
        stages = stage_units(units, course_list, graduates, operational)
        row = by_family.setdefault(units.family_code, dict.fromkeys(STAGES, 0))
        for name in STAGES:
            row[name] += stages[name]
    required: dict[str, Decimal] = {}
    values: dict[str, list[Decimal]] = {}
    area_donors: dict[str, frozenset[str]] = {}
    for need in needs:
        area = need.capability_area
        v = need.unit_value_eur
        required[area] = required.get(area, ZERO) + need.required_units * v
        supplied = by_family.get(need.family_code, dict.fromkeys(STAGES, 0))
        met = [min(need.required_units, supplied[name]) * v for name in STAGES]
        values[area] = [a + b for a, b in zip(values.get(area, [ZERO] * 5), met, strict=True)]
        area_donors[area] = area_donors.get(area, frozenset()) | (donors or {}).get(
            need.family_code, frozenset()
        )
    return [
        AreaFunnel(area, required[area], tuple(values[area]), area_donors[area])
        for area in sorted(required)
    ]


def funnel_total(areas: Iterable[AreaFunnel]) -> AreaFunnel:
    """All areas together; withheld when any area is (else subtraction would reveal it)."""
    rows = list(areas)
    required = sum((a.required_eur for a in rows), ZERO)
    donors = frozenset().union(*(a.donors for a in rows))
    if any(a.stages_eur is None for a in rows):
        return AreaFunnel("all areas", required, None, donors)
    stages = tuple(sum((a.stages_eur[i] for a in rows if a.stages_eur), ZERO) for i in range(5))
    return AreaFunnel("all areas", required, stages, donors)
