"""The plan: pure data describing what the planner decided and how sure it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class PlanStatus(StrEnum):
    OPTIMAL = "optimal"  # every component proven within the gap tolerance
    TIME_LIMIT_FEASIBLE = "time_limit_feasible"  # a feasible plan, gap not yet proven
    GREEDY_FALLBACK = "greedy_fallback"  # some component fell back to the greedy plan
    GREEDY = "greedy"  # method="greedy" was asked for: no bound
    INFEASIBLE = "infeasible"
    INVALID_INPUT = "invalid_input"  # e.g. an impossible pin; see Plan.messages
    EMPTY = "empty"  # no requirements or no offers
    SOLVER_ERROR = "solver_error"


@dataclass(frozen=True)
class Assignment:
    offer_id: str
    requirement_id: str
    quantity: float
    arrival: date
    lateness_factor: float
    value: float  # contribution to the objective: quantity × weight / q_r × factor


@dataclass(frozen=True)
class RequirementCoverage:
    requirement_id: str
    capability_area: str
    priority: int
    quantity: int  # the whole need: still open plus already covered
    covered_before: float  # fraction covered by the allocation in force before this plan
    covered_after: float


@dataclass(frozen=True)
class AreaCoverage:
    """Priority-weighted coverage of a capability area: Σ w_r·fraction_r / Σ w_r."""

    capability_area: str
    requirements: int
    covered_before: float
    covered_after: float


@dataclass(frozen=True)
class ComponentSummary:
    index: int
    offers: int
    requirements: int
    pairs: int
    binaries: int
    status: str  # optimal | time_limit_feasible | greedy_fallback | infeasible | solver_error
    objective: float
    bound: float  # inf when unknown
    gap: float | None  # relative, None when the bound is unknown
    seconds: float  # build and solve, wall time in its worker
    time_limit: float  # the share of the time limit it was given (see budget.py)


@dataclass(frozen=True)
class Plan:
    status: PlanStatus
    method: str  # "milp" | "greedy"
    objective: float
    best_bound: float | None
    gap: float | None  # (best_bound − objective) / max(|objective|, 1e-9)
    build_seconds: float
    solve_seconds: float
    parameters: dict[str, Any]
    solver: str
    snapshot_hash: str
    assignments: tuple[Assignment, ...] = ()
    new_types: tuple[tuple[str, str], ...] = ()  # (family, item_type)
    requirement_coverage: tuple[RequirementCoverage, ...] = ()
    area_coverage: tuple[AreaCoverage, ...] = ()
    components: tuple[ComponentSummary, ...] = ()
    messages: tuple[str, ...] = field(default=())

    @property
    def is_usable(self) -> bool:
        """True when the assignments can be committed (a feasible plan exists)."""
        return self.status not in (
            PlanStatus.INFEASIBLE,
            PlanStatus.INVALID_INPUT,
            PlanStatus.SOLVER_ERROR,
        )
