"""Training: courses, the sites and intakes that run them, the cohorts Ukraine sends, and what
each intake graduated; plus the reported condition of the fleet (`FleetStatus`).

The rules here are the one home of
- a course's target (a platform, or a family of platforms, or none: medics, sappers, language);
- an intake's graduation date (`graduation_date`: its start plus the course's weeks);
- training totals by mission and year (`totals`), and graduates per course (`graduates_by_course`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from coalition.domain import checks
from coalition.domain.errors import InvalidValue
from coalition.domain.markings import DEFAULT_MARKING, check_marking
from coalition.domain.network import country


class Skill(StrEnum):
    CREW = "crew"  # operates a platform (gunner, driver, commander...)
    MAINTAINER = "maintainer"
    PILOT = "pilot"
    OPERATOR = "operator"  # air-defence, drone and radar operators
    MEDIC = "medic"
    SAPPER = "sapper"
    LANGUAGE = "language"
    LEADERSHIP = "leadership"
    OTHER = "other"


class Mission(StrEnum):
    """Who runs the training: the EU's military assistance mission, NATO's NSATU, or a nation."""

    EUMAM = "EUMAM"
    NSATU = "NSATU"
    BILATERAL = "bilateral"


@dataclass(frozen=True, slots=True)
class Course:
    """A course. A course for a platform (or a family of platforms) must graduate `per_platform`
    trainees for each platform delivered: a crew course's crew size, a maintainer course's
    maintainers per platform. `prerequisites` are courses a trainee must have passed first."""

    code: str
    name: str
    skill: Skill
    duration_weeks: int
    provider_code: str  # the donor (nation or organisation) giving the course
    mission: Mission
    platform_code: str | None = None
    family_code: str | None = None
    per_platform: int = 0
    prerequisites: frozenset[str] = frozenset()
    marking: str = DEFAULT_MARKING  # releasability (domain/markings.py)

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("code", self.code)
        checks.text("name", self.name)
        checks.one_of("skill", self.skill, tuple(Skill))
        checks.DURATION_WEEKS("duration_weeks", self.duration_weeks)
        checks.code("provider_code", self.provider_code)
        checks.one_of("mission", self.mission, tuple(Mission))
        if self.platform_code is not None:
            checks.code("platform_code", self.platform_code)
        if self.family_code is not None:
            checks.code("family_code", self.family_code)
        if self.platform_code is not None and self.family_code is not None:
            raise InvalidValue(
                "family_code",
                self.family_code,
                "give a platform or a family the course trains for, not both",
            )
        if self.skill is Skill.CREW and self.platform_code is None:
            raise InvalidValue("platform_code", "", "a crew course names the platform it crews")
        checks.PER_PLATFORM("per_platform", self.per_platform)
        if self.targeted and self.per_platform == 0:
            raise InvalidValue(
                "per_platform",
                0,
                "a course for a platform or family trains at "
                "least 1 person per platform (its crew size)",
            )
        if not self.targeted and self.per_platform:
            raise InvalidValue(
                "per_platform",
                self.per_platform,
                "only a course for a platform or family trains per platform",
            )
        for code in self.prerequisites:
            checks.code("prerequisites", code)
        if self.code in self.prerequisites:
            raise InvalidValue("prerequisites", self.code, "a course cannot require itself")

    @property
    def targeted(self) -> bool:
        return self.platform_code is not None or self.family_code is not None

    def trains_for(self, platform_code: str, family_code: str) -> bool:
        """Does this course train people for a platform of this type (in this family)?"""
        return self.platform_code == platform_code or self.family_code == family_code


@dataclass(frozen=True, slots=True)
class Site:
    code: str
    name: str
    country: str  # ISO 3166 alpha-3
    provider_code: str  # the donor running the site
    marking: str = DEFAULT_MARKING

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("code", self.code)
        checks.text("name", self.name)
        country("country", self.country)
        checks.code("provider_code", self.provider_code)


@dataclass(frozen=True, slots=True)
class Intake:
    """One run of a course at a site, starting on a date with a number of seats."""

    code: str
    course_code: str
    site_code: str
    start_date: date
    seats: int
    marking: str = DEFAULT_MARKING

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("code", self.code)
        checks.code("course_code", self.course_code)
        checks.code("site_code", self.site_code)
        checks.DATES("start_date", self.start_date)
        checks.SEATS("seats", self.seats)


@dataclass(frozen=True, slots=True)
class Cohort:
    """A group of Ukrainian service members sent to train together."""

    code: str
    unit_code: str  # the recipient (unit) they come from and return to
    language_group: str  # the language they train in, e.g. uk (interpreted), en, de
    size: int
    platform_code: str | None = None  # the platform (course line) they train for, if any
    marking: str = DEFAULT_MARKING

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("code", self.code)
        checks.code("unit_code", self.unit_code)
        checks.code("language_group", self.language_group)
        checks.SEATS("size", self.size)
        if self.platform_code is not None:
            checks.code("platform_code", self.platform_code)


@dataclass(frozen=True, slots=True)
class TrainingRecord:
    """What one cohort did on one intake: enrolled, graduated, failed (the rest still train)."""

    intake_code: str
    cohort_code: str
    enrolled: int
    graduated: int = 0
    failed: int = 0
    marking: str = DEFAULT_MARKING

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("intake_code", self.intake_code)
        checks.code("cohort_code", self.cohort_code)
        checks.SEATS("enrolled", self.enrolled)
        checks.COUNT("graduated", self.graduated)
        checks.COUNT("failed", self.failed)
        if self.graduated + self.failed > self.enrolled:
            raise InvalidValue(
                "graduated",
                self.graduated,
                f"graduated + failed ({self.graduated + self.failed}) exceeds "
                f"enrolled ({self.enrolled})",
            )

    @property
    def in_training(self) -> int:
        return self.enrolled - self.graduated - self.failed


@dataclass(frozen=True, slots=True)
class FleetStatus:
    """A dated count of one item type at one recipient by condition (history: one per date)."""

    item_type_code: str
    recipient_code: str
    as_of: date
    operational: int
    in_maintenance: int = 0
    awaiting_parts: int = 0
    lost: int = 0
    marking: str = DEFAULT_MARKING

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("item_type_code", self.item_type_code)
        checks.code("recipient_code", self.recipient_code)
        checks.EVENT_DATES("as_of", self.as_of)
        for name in ("operational", "in_maintenance", "awaiting_parts", "lost"):
            checks.COUNT(name, getattr(self, name))
        if self.total > checks.MAX_UNITS:
            raise InvalidValue(
                "lost", self.lost, f"the counts add up to more than {checks.MAX_UNITS:,} units"
            )

    @property
    def total(self) -> int:
        return self.operational + self.in_maintenance + self.awaiting_parts + self.lost


def record_faults(
    record: TrainingRecord, cohort_size: int | None, intake_start: date | None, today: date
) -> list[tuple[str, str]]:
    """(column, reason) for each way a training record contradicts its cohort or intake: more
    enrolled than the cohort holds; graduates or failures of an intake that has not started."""
    faults = []
    if cohort_size is not None and record.enrolled > cohort_size:
        faults.append(("enrolled", f"the cohort {record.cohort_code} holds {cohort_size}"))
    started = intake_start is None or intake_start <= today
    if not started and (record.graduated or record.failed):
        column = "graduated" if record.graduated else "failed"
        faults.append(
            (
                column,
                f"the intake {record.intake_code} starts on {intake_start}: "
                "nobody has passed or failed it yet",
            )
        )
    return faults


# --------------------------------------------------------------------------- dates and totals


def graduation_date(start: date, duration_weeks: int) -> date:
    """The day an intake's trainees graduate: its start plus the course's weeks."""
    return start + timedelta(weeks=duration_weeks)


def latest_start(needed_by: date, duration_weeks: int) -> date:
    """The last day an intake can start and still graduate by `needed_by`."""
    return needed_by - timedelta(weeks=duration_weeks)


@dataclass(frozen=True, slots=True)
class TrainingTotals:
    mission: str
    year: int  # of graduation
    intakes: int
    enrolled: int
    graduated: int
    failed: int

    @property
    def in_training(self) -> int:
        return self.enrolled - self.graduated - self.failed

    def as_dict(self) -> dict[str, object]:
        return {
            "mission": self.mission,
            "year": self.year,
            "intakes": self.intakes,
            "enrolled": self.enrolled,
            "graduated": self.graduated,
            "failed": self.failed,
            "in_training": self.in_training,
        }


def totals(
    records: Iterable[TrainingRecord],
    intakes: Mapping[str, Intake],
    courses: Mapping[str, Course],
    *,
    mission: str | None = None,
    year: int | None = None,
) -> list[TrainingTotals]:
    """Enrolled, graduated and failed per mission and year of graduation ("EUMAM trained N in
    2025"), optionally for one mission and/or one year. A record whose intake or course is
    unknown cannot be placed in a year or mission and raises InvalidValue naming it."""
    sums: dict[tuple[str, int], list[int]] = {}
    seen: dict[tuple[str, int], set[str]] = {}
    for record in records:
        intake = intakes.get(record.intake_code)
        if intake is None:
            raise InvalidValue("intake_code", record.intake_code, "unknown intake")
        course = courses.get(intake.course_code)
        if course is None:
            raise InvalidValue("course_code", intake.course_code, "unknown course")
        group = (
            course.mission.value,
            graduation_date(intake.start_date, course.duration_weeks).year,
        )
        if (mission is not None and group[0] != mission) or (year is not None and group[1] != year):
            continue
        row = sums.setdefault(group, [0, 0, 0])
        row[0] += record.enrolled
        row[1] += record.graduated
        row[2] += record.failed
        seen.setdefault(group, set()).add(record.intake_code)
    return [
        TrainingTotals(m, y, len(seen[(m, y)]), *sums[(m, y)])
        for m, y in sorted(sums, key=lambda g: (g[1], g[0]))
    ]


def graduates_by_course(
    records: Iterable[TrainingRecord], intakes: Mapping[str, Intake]
) -> dict[str, int]:
    """Graduates per course code, over every intake."""
    out: dict[str, int] = {}
    for record in records:
        intake = intakes.get(record.intake_code)
        if intake is not None:
            out[intake.course_code] = out.get(intake.course_code, 0) + record.graduated
    return out


def in_training_by_course(
    records: Iterable[TrainingRecord], intakes: Mapping[str, Intake]
) -> dict[str, int]:
    """Trainees enrolled and neither graduated nor failed yet, per course code."""
    out: dict[str, int] = {}
    for record in records:
        intake = intakes.get(record.intake_code)
        if intake is not None:
            out[intake.course_code] = out.get(intake.course_code, 0) + record.in_training
    return out
