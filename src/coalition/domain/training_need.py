"""Training need: derived from the platforms coming to Ukraine, never typed in.

For every platform type t with accepted-or-later offers (OFFER_MEANING.accepted: accepted,
committed, shipped, delivered, operational), each offer line brings `q` platforms on its
*equipment date*: the day it was delivered, or, until then, `available_from + transit days`
(`domain/matching.arrival`, the arrival the allocation planner uses). For every course c that
trains for t (its platform, or its family):

    trainees(c, needed_by) = ceil( Σ q · per_platform(c) · reserve )
    needed_by              = equipment date − margin days

summed over the lines with the same needed-by date. A course's prerequisites are needed by the
same people earlier: prerequisite p of c needs the trainees of c (reserve already counted) by
`needed_by(c) − duration(c)` (`training.latest_start`), and so on down the chain. A cycle of
prerequisites cannot be satisfied and raises InvalidValue naming it.

Against the need stand the course's graduates and trainees still in training (training
records); the shortfall is `max(0, needed − graduated − in training)`.
Fleet already in service before these offers is not counted: its crews exist.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from coalition.domain import checks
from coalition.domain.errors import InvalidValue
from coalition.domain.lifecycle import offer_meaning
from coalition.domain.matching import arrival
from coalition.domain.training import Course, latest_start

DEFAULT_RESERVE = Decimal("1.2")  # 20 % more trainees than seats in the platforms
DEFAULT_MARGIN_DAYS = 30  # crews graduate a month before their equipment arrives


@dataclass(frozen=True, slots=True)
class NeedParameters:
    reserve_factor: Decimal = DEFAULT_RESERVE
    margin_days: int = DEFAULT_MARGIN_DAYS

    def __post_init__(self) -> None:
        checks.RESERVE_FACTOR("reserve_factor", self.reserve_factor)
        checks.MARGIN_DAYS("margin_days", self.margin_days)


@dataclass(frozen=True, slots=True)
class Delivery:
    """Platforms of one type arriving (or arrived) on one equipment date."""

    item_type_code: str
    family_code: str
    quantity: int
    equipment_date: date


def equipment_date(
    status: str,
    available_from: date,
    transit_days: int,
    delivered_on: date | None,
    routed: date | None = None,
) -> date | None:
    """When an offer's equipment is (or will be) in Ukraine: the day it was delivered; until
    then the accepted logistics plan's arrival (`routed`) when that plan routed it; otherwise
    its availability plus the transit days. None for an offer that does not count towards the
    need (only offered, declined or withdrawn)."""
    meaning = offer_meaning(status)
    if not meaning.accepted:
        return None
    if meaning.arrived and delivered_on is not None:
        return delivered_on
    if routed is not None:
        return routed
    return arrival(available_from, transit_days)


@dataclass(frozen=True, slots=True)
class NeedLine:
    course_code: str
    needed_by: date  # trainees graduated by this day
    start_by: date  # an intake must start by this day to graduate in time
    trainees: int
    platforms: int  # platforms behind the line (0 for a prerequisite line)
    via: str  # the platform type, or the course that requires this one


@dataclass(frozen=True, slots=True)
class CourseNeed:
    course_code: str
    needed: int
    graduated: int
    in_training: int
    earliest_needed_by: date | None
    start_by: date | None

    @property
    def shortfall(self) -> int:
        return max(0, self.needed - self.graduated - self.in_training)

    def as_dict(self) -> dict[str, object]:
        return {
            "course": self.course_code,
            "needed": self.needed,
            "graduated": self.graduated,
            "in_training": self.in_training,
            "shortfall": self.shortfall,
            "earliest_needed_by": self.earliest_needed_by,
            "start_by": self.start_by,
        }


def trainees(platforms: int, per_platform: int, reserve: Decimal) -> int:
    """People to train for `platforms` platforms: ceil(platforms × per platform × reserve)."""
    return math.ceil(Decimal(platforms * per_platform) * reserve)


def need_lines(
    courses: Iterable[Course], deliveries: Iterable[Delivery], parameters: NeedParameters
) -> list[NeedLine]:
    """Every (course, needed-by) line of the need, prerequisites included, in date order."""
    by_code = {c.code: c for c in courses}
    platforms: dict[tuple[str, date, str], int] = {}
    for d in deliveries:
        needed_by = d.equipment_date - timedelta(days=parameters.margin_days)
        for course in by_code.values():
            if course.targeted and course.trains_for(d.item_type_code, d.family_code):
                key = (course.code, needed_by, d.item_type_code)
                platforms[key] = platforms.get(key, 0) + d.quantity
    lines: list[NeedLine] = []
    for (code, needed_by, item), count in sorted(platforms.items()):
        course = by_code[code]
        people = trainees(count, course.per_platform, parameters.reserve_factor)
        line = NeedLine(
            code, needed_by, latest_start(needed_by, course.duration_weeks), people, count, item
        )
        lines.append(line)
        lines.extend(_prerequisite_lines(by_code, line, (code,)))
    return sorted(lines, key=lambda n: (n.needed_by, n.course_code, n.via))


def _prerequisite_lines(
    by_code: Mapping[str, Course], line: NeedLine, chain: tuple[str, ...]
) -> list[NeedLine]:
    out = []
    for code in sorted(by_code[line.course_code].prerequisites):
        if code in chain:
            raise InvalidValue(
                "prerequisites", code, "prerequisites form a cycle: " + " → ".join((*chain, code))
            )
        prerequisite = by_code.get(code)
        if prerequisite is None:
            raise InvalidValue(
                "prerequisites", code, f"course {line.course_code} requires an unknown course"
            )
        needed_by = line.start_by
        before = NeedLine(
            code,
            needed_by,
            latest_start(needed_by, prerequisite.duration_weeks),
            line.trainees,
            0,
            line.course_code,
        )
        out.append(before)
        out.extend(_prerequisite_lines(by_code, before, (*chain, code)))
    return out


def course_needs(
    lines: Iterable[NeedLine],
    graduated: Mapping[str, int],
    in_training: Mapping[str, int],
) -> list[CourseNeed]:
    """Per course: trainees needed in all, graduates and trainees still training, and the
    earliest date (and intake start) the first of them is needed by."""
    needed: dict[str, int] = {}
    earliest: dict[str, NeedLine] = {}
    for line in lines:
        needed[line.course_code] = needed.get(line.course_code, 0) + line.trainees
        first = earliest.get(line.course_code)
        if first is None or line.needed_by < first.needed_by:
            earliest[line.course_code] = line
    return [
        CourseNeed(
            code,
            needed[code],
            graduated.get(code, 0),
            in_training.get(code, 0),
            earliest[code].needed_by,
            earliest[code].start_by,
        )
        for code in sorted(needed)
    ]
