"""Training use cases: the training need (derived from the offers), training totals by mission
and year, and the effective capability funnel. The figures come from the domain
(`domain/training_need.py`, `domain/training.py`, `domain/capability.py`); this module only
reads the ledger through the repository and decides what the reader may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from coalition.domain.access import may_see_aggregate
from coalition.domain.capability import (
    AreaFunnel,
    FamilyNeed,
    TypeUnits,
    funnel_by_area,
    funnel_total,
)
from coalition.domain.errors import DomainError
from coalition.domain.lifecycle import offer_meaning
from coalition.domain.places import country_of
from coalition.domain.readiness import operational_by_type
from coalition.domain.training import (
    Course,
    Intake,
    Mission,
    TrainingRecord,
    TrainingTotals,
    graduates_by_course,
    in_training_by_course,
    totals,
)
from coalition.domain.training_need import (
    CourseNeed,
    Delivery,
    NeedLine,
    NeedParameters,
    course_needs,
    equipment_date,
    need_lines,
)
from coalition.planning import allocation as planner
from coalition.registries.kinds import (
    COURSES,
    FAMILIES,
    FLEET_STATUS,
    INTAKES,
    ITEM_TYPES,
    OFFERS,
    TRAINING_RECORDS,
    Kind,
)
from coalition.services.allocation import transit_table
from coalition.services.coverage import family_of_items, required_by_family, unit_value
from coalition.services.errors import ServiceError
from coalition.storage.unit_of_work import UnitOfWork


def records_of(uow: UnitOfWork, kind: Kind) -> list[Any]:
    """Every record of a registry the reader may see, as domain records."""
    return [kind.from_row(row) for row in uow.records(kind).find()]


def visible_courses(uow: UnitOfWork) -> list[Course]:
    """The courses the reader sees; a prerequisite whose course is not released to the reader
    is left out of the chain (its need cannot be shown to them), never an error."""
    courses: list[Course] = records_of(uow, COURSES)
    seen = {c.code for c in courses}
    return [
        c if c.prerequisites <= seen else replace(c, prerequisites=c.prerequisites & seen)
        for c in courses
    ]


def intakes_by_code(uow: UnitOfWork) -> dict[str, Intake]:
    return {i.code: i for i in records_of(uow, INTAKES)}


def _training_records(uow: UnitOfWork) -> list[TrainingRecord]:
    return records_of(uow, TRAINING_RECORDS)


def platform_families(uow: UnitOfWork) -> dict[str, str]:
    """Platform item types and their families."""
    return {
        row["code"]: row["family_code"]
        for row in uow.records(ITEM_TYPES).find()
        if row["platform_code"] == row["code"]
    }


# --------------------------------------------------------------------------- need


@dataclass(frozen=True)
class TrainingNeed:
    parameters: NeedParameters
    lines: list[NeedLine]
    courses: list[CourseNeed]
    withheld: list[str]  # courses whose need draws on too few donors for this reader

    def by_shortfall(self) -> list[CourseNeed]:
        """The courses as people read them: largest shortfall first."""
        return sorted(self.courses, key=lambda c: (-c.shortfall, c.course_code))

    def as_dict(self) -> dict[str, object]:
        return {
            "reserve_factor": str(self.parameters.reserve_factor),
            "margin_days": self.parameters.margin_days,
            "courses": [c.as_dict() for c in self.courses],
            "lines": [
                {
                    "course": n.course_code,
                    "needed_by": n.needed_by,
                    "start_by": n.start_by,
                    "trainees": n.trainees,
                    "platforms": n.platforms,
                    "via": n.via,
                }
                for n in self.lines
            ],
            "withheld": self.withheld,
        }


def parameters(reserve: str | None = None, margin_days: int | None = None) -> NeedParameters:
    """Need parameters from an interface's text, with one clear error for a bad value."""
    default = NeedParameters()
    try:
        factor = default.reserve_factor if reserve is None else Decimal(reserve.strip())
    except ArithmeticError:
        raise ServiceError(f"--reserve {reserve!r}: expected a number such as 1.2") from None
    try:
        return NeedParameters(factor, default.margin_days if margin_days is None else margin_days)
    except DomainError as error:
        raise ServiceError(f"training need parameters: {error}") from None


def deliveries(uow: UnitOfWork) -> tuple[list[Delivery], dict[str, frozenset[str]]]:
    """Platforms accepted or further along, per equipment date, summed over every donor's
    offers (an aggregate); and the donors behind each platform type."""
    platforms = platform_families(uow)
    transit = transit_table()
    out: list[Delivery] = []
    donors: dict[str, set[str]] = defaultdict(set)
    grouped = uow.records(OFFERS).totals_across_owners(
        ("item_type_code", "status", "available_from", "origin", "delivered_on"), "quantity"
    )
    for item, status, available, origin, delivered, units, _, owners in grouped:
        if item not in platforms:
            continue
        days = fixed_transit_days(origin, transit)
        when = equipment_date(status, _day(available), days, _day(delivered) if delivered else None)
        if when is None:
            continue
        out.append(Delivery(item, platforms[item], int(units), when))
        donors[item] |= owners
    return sorted(out, key=lambda d: (d.equipment_date, d.item_type_code)), {
        k: frozenset(v) for k, v in donors.items()
    }


def fixed_transit_days(origin: str, table: Mapping[str, int]) -> int:
    """Days from an offer's origin to Ukraine in the fixed transit table; the allocation
    planner's default for a country the table does not list."""
    return table.get(country_of(origin) or "", planner.Parameters().default_transit_days)


def _day(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def need(uow: UnitOfWork, params: NeedParameters | None = None) -> TrainingNeed:
    """Trainees needed per course and date, against graduates and trainees in training."""
    params = params or NeedParameters()
    courses = visible_courses(uow)
    found, donors = deliveries(uow)
    try:
        lines = need_lines(courses, found, params)
    except DomainError as error:
        raise ServiceError(f"training need: {error}") from None
    # Who stands behind each course's need: the donors of the platforms it trains for, and of
    # the courses that require it.
    behind: dict[str, frozenset[str]] = defaultdict(frozenset)
    # Direct lines first, then prerequisites, each after the course requiring it (its date is
    # earlier by at least a week).
    for line in sorted(lines, key=lambda n: (n.platforms == 0, -n.needed_by.toordinal())):
        behind[line.course_code] |= donors.get(line.via, frozenset()) | behind.get(
            line.via, frozenset()
        )
    hidden = sorted(c for c, d in behind.items() if not may_see_aggregate(uow.principal, d))
    shown = [line for line in lines if line.course_code not in hidden]
    intakes = intakes_by_code(uow)
    records = _training_records(uow)
    per_course = course_needs(
        shown, graduates_by_course(records, intakes), in_training_by_course(records, intakes)
    )
    return TrainingNeed(params, shown, per_course, hidden)


# --------------------------------------------------------------------------- totals


def training_totals(
    uow: UnitOfWork, mission: str | None = None, year: int | None = None
) -> list[TrainingTotals]:
    """Enrolled, graduated and failed per mission and year of graduation."""
    if mission is not None and mission not in tuple(Mission):
        raise ServiceError(f"--mission {mission!r}: one of {', '.join(Mission)}")
    courses = {c.code: c for c in visible_courses(uow)}
    intakes = intakes_by_code(uow)
    # Records of an intake or course not released to this reader cannot be placed: left out.
    placed = [
        r
        for r in _training_records(uow)
        if r.intake_code in intakes and intakes[r.intake_code].course_code in courses
    ]
    try:
        return totals(placed, intakes, courses, mission=mission, year=year)
    except DomainError as error:
        raise ServiceError(f"training totals: {error}") from None


# --------------------------------------------------------------------------- funnel


def funnel(uow: UnitOfWork) -> list[AreaFunnel]:
    """The effective capability funnel per capability area, and in all. An area drawn on too
    few donors for this reader is withheld (shown as such, never as zero)."""
    item_families, values = family_of_items(uow)
    platforms = platform_families(uow)
    areas = {row["code"]: row["capability_area"] for row in uow.records(FAMILIES).find()}
    needs = [
        FamilyNeed(family, areas[family], unit_value(values, family), units)
        for family, (units, _) in sorted(required_by_family(uow).items())
        if family in areas
    ]
    stages: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    donors: dict[str, set[str]] = defaultdict(set)
    for item, status, units, _, owners in uow.records(OFFERS).totals_across_owners(
        ("item_type_code", "status"), "quantity"
    ):
        meaning = offer_meaning(status)
        if not meaning.alive or item not in item_families:
            continue
        row = stages[item]
        row[0] += int(units)
        row[1] += int(units) if meaning.accepted else 0
        row[2] += int(units) if meaning.arrived else 0
        donors[item_families[item]] |= owners
    type_units = [
        TypeUnits(item, item_families[item], item in platforms, *row)
        for item, row in sorted(stages.items())
    ]
    intakes = intakes_by_code(uow)
    graduates = graduates_by_course(_training_records(uow), intakes)
    operational = operational_by_type(records_of(uow, FLEET_STATUS))
    rows = funnel_by_area(
        needs,
        type_units,
        visible_courses(uow),
        graduates,
        operational,
        {f: frozenset(d) for f, d in donors.items()},
    )
    shown = [a if may_see_aggregate(uow.principal, a.donors) else a.withholding() for a in rows]
    return [*shown, funnel_total(shown)] if shown else []
