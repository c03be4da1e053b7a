"""The training scheduler's input: frozen dataclasses a service fills from its registries.

Weeks are integers counted from the start of the planning horizon (week 0). An intake that
starts in week s of a course lasting d weeks ends at week s + d, the first week its trainees
are free: a course B may start in week t only if every prerequisite A ended at a week <= t.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_PRIORITY_WEIGHTS: Mapping[int, float] = {1: 16.0, 2: 8.0, 3: 4.0, 4: 2.0, 5: 1.0}


@dataclass(frozen=True)
class Course:
    """A course: `prerequisites` must be finished before an intake of this course starts."""

    id: str
    duration_weeks: int
    prerequisites: tuple[str, ...] = ()
    skill: str = ""  # crew, maintainer, pilot, medic, sapper, language, ...
    provider: str = ""  # provider nation
    mission: str = ""  # EUMAM, NSATU, bilateral


@dataclass(frozen=True)
class Intake:
    """One running of a course at a site. `languages`: the language groups it can teach (with
    its interpreters); empty means every group."""

    id: str
    course: str
    site: str
    start_week: int
    seats: int
    languages: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Line:
    """A platform line: equipment arrives in `eta_week`; `priority` 1 (highest) .. 5;
    `crew_size` trainees per platform; `courses` what each of its cohorts must finish (their
    prerequisites are added); `platforms` how many platforms the line expects (reports only)."""

    id: str
    eta_week: int
    priority: int = 3
    crew_size: int = 1
    courses: tuple[str, ...] = ()
    platforms: int = 0


@dataclass(frozen=True)
class Cohort:
    """Trainees who train together. `chain`: the courses they must take (None: the line's
    courses plus all their prerequisites); `completed`: courses already done (they satisfy
    prerequisites and are not taken again); `available_week`: earliest intake start."""

    id: str
    line: str
    size: int
    language_group: str = ""
    chain: tuple[str, ...] | None = None
    completed: frozenset[str] = frozenset()
    available_week: int = 0


@dataclass(frozen=True)
class Parameters:
    """`priority_weights`: weight per line priority. A cohort left unscheduled counts as ready
    `unscheduled_extra_weeks` after the later of the horizon end and the last intake's end."""

    horizon_weeks: int = 104
    priority_weights: Mapping[int, float] = field(
        default_factory=lambda: dict(DEFAULT_PRIORITY_WEIGHTS)
    )
    unscheduled_extra_weeks: int = 26
    mip_gap: float = 0.001


@dataclass(frozen=True)
class Problem:
    courses: tuple[Course, ...]
    intakes: tuple[Intake, ...]
    lines: tuple[Line, ...]
    cohorts: tuple[Cohort, ...]
    parameters: Parameters = field(default_factory=Parameters)

    def course(self, course_id: str) -> Course:
        return _index(self.courses)[course_id]


def _index(courses: tuple[Course, ...]) -> dict[str, Course]:
    return {c.id: c for c in courses}


def prerequisite_closure(courses: Mapping[str, Course], targets: tuple[str, ...]) -> list[str]:
    """`targets` and every prerequisite of them, transitively, in a topological order
    (prerequisites first; ties in the order first met). Raises ValueError on a cycle or an
    unknown course."""
    order: list[str] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(course_id: str, path: tuple[str, ...]) -> None:
        if state.get(course_id) == 2:
            return
        if state.get(course_id) == 1:
            raise ValueError(f"prerequisite cycle: {' -> '.join((*path, course_id))}")
        if course_id not in courses:
            raise ValueError(f"unknown course {course_id!r}")
        state[course_id] = 1
        for prerequisite in courses[course_id].prerequisites:
            visit(prerequisite, (*path, course_id))
        state[course_id] = 2
        order.append(course_id)

    for target in targets:
        visit(target, ())
    return order


def cohort_chain(problem: Problem, cohort: Cohort) -> list[str]:
    """The courses the cohort still has to take, prerequisites first."""
    courses = _index(problem.courses)
    lines = {line.id: line for line in problem.lines}
    targets = cohort.chain if cohort.chain is not None else lines[cohort.line].courses
    closure = prerequisite_closure(courses, tuple(targets))
    return [c for c in closure if c not in cohort.completed]


def unscheduled_ready_week(problem: Problem) -> int:
    """The week an unscheduled cohort counts as ready: later than any intake can finish."""
    durations = {c.id: c.duration_weeks for c in problem.courses}
    last_end = max((i.start_week + durations.get(i.course, 0) for i in problem.intakes), default=0)
    return (
        max(problem.parameters.horizon_weeks, last_end) + problem.parameters.unscheduled_extra_weeks
    )


def validation_problems(problem: Problem) -> list[str]:
    """Every input error as a sentence (empty when the problem is well formed)."""
    out: list[str] = []
    p = problem.parameters
    for kind, ids in (
        ("course", [c.id for c in problem.courses]),
        ("intake", [i.id for i in problem.intakes]),
        ("line", [line.id for line in problem.lines]),
        ("cohort", [k.id for k in problem.cohorts]),
    ):
        if len(set(ids)) != len(ids):
            out.append(f"duplicate {kind} ids")
    courses = _index(problem.courses)
    for c in problem.courses:
        if c.duration_weeks < 1:
            out.append(f"course {c.id}: duration must be at least 1 week")
        for a in c.prerequisites:
            if a not in courses:
                out.append(f"course {c.id}: unknown prerequisite {a!r}")
    for i in problem.intakes:
        if i.course not in courses:
            out.append(f"intake {i.id}: unknown course {i.course!r}")
        if i.seats < 0:
            out.append(f"intake {i.id}: negative seats")
        if not 0 <= i.start_week < p.horizon_weeks:
            out.append(f"intake {i.id}: start week {i.start_week} outside the horizon")
    lines = {line.id: line for line in problem.lines}
    for line in problem.lines:
        if line.priority not in p.priority_weights:
            out.append(f"line {line.id}: priority {line.priority} has no weight")
        if line.crew_size < 1:
            out.append(f"line {line.id}: crew size must be at least 1")
    for k in problem.cohorts:
        if k.line not in lines:
            out.append(f"cohort {k.id}: unknown line {k.line!r}")
            continue
        if k.size < 1:
            out.append(f"cohort {k.id}: size must be at least 1")
        try:
            cohort_chain(problem, k)
        except ValueError as error:
            out.append(f"cohort {k.id}: {error}")
    return out[:50]
