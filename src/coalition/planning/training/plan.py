"""The training plan: pure data, what the scheduler decided and how sure it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class PlanStatus(StrEnum):
    OPTIMAL = "optimal"  # objective within `mip_gap` of the proven bound
    FEASIBLE = "feasible"  # a checked plan, gap not proven below `mip_gap` in the time limit
    GREEDY = "greedy"  # the earliest-intake baseline: no bound
    INVALID_INPUT = "invalid_input"  # see TrainingPlan.messages
    ERROR = "error"  # the checker refused the solver's answer; see messages


class UnmetReason(StrEnum):
    NO_INTAKE_IN_HORIZON = "no_intake_in_horizon"  # a chain course has no intake it can use
    PREREQUISITE_UNMET = "prerequisite_unmet"  # intakes exist, never after the prerequisite
    SEATS_EXHAUSTED = "seats_exhausted"  # a schedule exists, its seats went to others


@dataclass(frozen=True)
class CohortSchedule:
    """`intakes`: one intake id per chain course, in chain order; empty when unscheduled."""

    cohort: str
    line: str
    intakes: tuple[str, ...]
    ready_week: int | None  # None: unscheduled
    weeks_late: int
    cost: float


@dataclass(frozen=True)
class Unmet:
    cohort: str
    line: str
    reason: UnmetReason
    text: str


@dataclass(frozen=True)
class LineReport:
    """Per platform line. Platform counts are trainees / crew size of the line's cohorts.

    `crew_ready_week`: when the last of its cohorts finishes (None if any is unscheduled or
    the line has no cohort). `equipment_idle_platform_weeks`: Σ platforms × weeks a cohort
    finished after the ETA; `crews_idle_platform_weeks`: Σ platforms × weeks before it."""

    line: str
    eta_week: int
    priority: int
    crew_ready_week: int | None
    weeks_late: int | None
    platforms_trained: float
    platforms_unmet: float
    equipment_idle_platform_weeks: float
    crews_idle_platform_weeks: float
    unmet: dict[str, int] = field(default_factory=dict)  # reason -> cohorts


@dataclass(frozen=True)
class TrainingPlan:
    status: PlanStatus
    method: str
    objective: float  # recomputed from the schedules, never the solver's figure
    bound: float | None  # proven lower bound on the optimum of the whole problem
    empty_objective: float  # the objective with every cohort unscheduled
    schedules: tuple[CohortSchedule, ...]
    lines: tuple[LineReport, ...]
    unmet: tuple[Unmet, ...]
    messages: tuple[str, ...] = ()
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        """(objective − bound) / objective (0 when both are 0)."""
        if self.bound is None:
            return None
        if self.objective <= 1e-9:
            return 0.0
        return max(0.0, (self.objective - self.bound) / self.objective)

    @property
    def controllable_gap(self) -> float | None:
        """(objective − bound) / (empty objective − bound): the gap on what a scheduler can
        change, not diluted by lateness no schedule can avoid."""
        if self.bound is None:
            return None
        span = self.empty_objective - self.bound
        if span <= 1e-9:
            return 0.0
        return max(0.0, (self.objective - self.bound) / span)

    @property
    def is_usable(self) -> bool:
        return self.status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE, PlanStatus.GREEDY)

    def schedule_of(self, cohort_id: str) -> CohortSchedule:
        return next(s for s in self.schedules if s.cohort == cohort_id)
