"""Training scheduler: cohorts of trainees to course intakes, crews ready by equipment ETAs.

Pure: a frozen `Problem` in, a checked `TrainingPlan` out (docs/training.md)."""

from .explain import CohortReason, Explanation, explain
from .plan import CohortSchedule, LineReport, PlanStatus, TrainingPlan, Unmet, UnmetReason
from .problem import Cohort, Course, Intake, Line, Parameters, Problem
from .solve import greedy, schedule
from .verify import verify

__all__ = [
    "Cohort",
    "CohortReason",
    "CohortSchedule",
    "Course",
    "Explanation",
    "Intake",
    "Line",
    "LineReport",
    "Parameters",
    "PlanStatus",
    "Problem",
    "TrainingPlan",
    "Unmet",
    "UnmetReason",
    "explain",
    "greedy",
    "schedule",
    "verify",
]
