"""The logistics planner's inputs and outputs: frozen dataclasses and numpy arrays.

Units: days are integers counted from a day 0 chosen by the caller; masses and capacities are
tonnes (floats); outsize capacities are items; costs are EUR per tonne carried on a lane.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

# One home for the kinds of node and the modes: the domain's (the planner re-exports them).
from coalition.domain.network import Mode, NodeKind

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

DEFAULT_HORIZON_DAYS = 180


@dataclass(frozen=True)
class Node:
    """A place goods may wait at (without limit) and be handled at.

    `handling_t_per_day` bounds the tonnes the node handles on one day: tonnes unloaded there
    from arriving lanes, plus tonnes loaded there at the start of their journey (a tonne
    passing through a hub counts once, on the day it arrives); `math.inf` means unlimited."""

    id: str
    kind: NodeKind
    handling_t_per_day: float = math.inf

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("a node needs an id")
        if not self.handling_t_per_day >= 0.0:
            raise ValueError(f"node {self.id}: handling capacity must be ≥ 0")


@dataclass(frozen=True)
class Lane:
    """A daily service from `origin` to `destination`: what departs on day t arrives on day
    t + transit_days, at most `capacity_t_per_day` tonnes and `outsize_per_day` outsize items
    departing per day, at `cost_per_t` EUR per tonne."""

    id: str
    origin: str
    destination: str
    mode: Mode
    transit_days: int
    capacity_t_per_day: float
    outsize_per_day: int
    cost_per_t: float

    def __post_init__(self) -> None:
        if self.origin == self.destination:
            raise ValueError(f"lane {self.id}: origin and destination are the same node")
        if self.transit_days < 1:
            raise ValueError(f"lane {self.id}: transit must be at least one day")
        if not (self.capacity_t_per_day >= 0.0 and self.outsize_per_day >= 0):
            raise ValueError(f"lane {self.id}: capacities must be ≥ 0")
        if not (self.cost_per_t >= 0.0 and math.isfinite(self.cost_per_t)):
            raise ValueError(f"lane {self.id}: cost per tonne must be finite and ≥ 0")


@dataclass(frozen=True)
class Line:
    """Units to move from `origin` to `destination`, available from `release_day`, wanted by
    `needed_by_day`. Each unit arriving d days after `needed_by_day` adds `priority · d` to the
    weighted lateness; units may travel separately (a line may be split)."""

    id: str
    origin: str
    destination: str
    quantity: int
    unit_mass_t: float
    outsize: bool
    release_day: int
    needed_by_day: int
    priority: float = 1.0

    def __post_init__(self) -> None:
        if self.quantity < 1:
            raise ValueError(f"line {self.id}: quantity must be at least one unit")
        if not (self.unit_mass_t > 0.0 and math.isfinite(self.unit_mass_t)):
            raise ValueError(f"line {self.id}: unit mass must be positive")
        if self.release_day < 0:
            raise ValueError(f"line {self.id}: release day must be ≥ 0")
        if not (self.priority >= 0.0 and math.isfinite(self.priority)):
            raise ValueError(f"line {self.id}: priority weight must be finite and ≥ 0")


@dataclass(frozen=True)
class Closure:
    """A node or lane closed on days first_day..last_day (inclusive). A closed lane takes no
    departures; a closed node handles nothing (no departure from it, no arrival into it),
    though goods already there may wait."""

    target: str
    first_day: int
    last_day: int

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError(f"closure of {self.target}: last day before first day")


@dataclass(frozen=True)
class Network:
    nodes: tuple[Node, ...]
    lanes: tuple[Lane, ...]
    closures: tuple[Closure, ...] = ()

    def __post_init__(self) -> None:
        ids = [n.id for n in self.nodes]
        if len(set(ids)) != len(ids):
            raise ValueError("node ids must be unique")
        lane_ids = [e.id for e in self.lanes]
        if len(set(lane_ids)) != len(lane_ids):
            raise ValueError("lane ids must be unique")
        if set(ids) & set(lane_ids):
            raise ValueError("a lane id may not also be a node id (closures name either)")
        known = set(ids)
        for e in self.lanes:
            if e.origin not in known or e.destination not in known:
                raise ValueError(f"lane {e.id}: unknown node")
        for c in self.closures:
            if c.target not in known and c.target not in set(lane_ids):
                raise ValueError(f"closure of unknown node or lane {c.target}")

    def with_closures(self, closures: tuple[Closure, ...]) -> Network:
        return Network(self.nodes, self.lanes, self.closures + tuple(closures))


@dataclass(frozen=True)
class Parameters:
    """`lateness_eur` prices one weighted unit-day of lateness against transport cost (the
    objective is lateness_eur · weighted lateness + cost, so lateness dominates unless a plan
    can trade a day for more than that many EUR). A unit that is not delivered within the
    horizon counts as arriving `unrouted_penalty_days` after the horizon."""

    horizon_days: int = DEFAULT_HORIZON_DAYS
    time_limit_s: float = 30.0
    lateness_eur: float = 1000.0
    unrouted_penalty_days: int | None = None
    max_passes: int = 12  # routing passes (each re-orders the lines that came out late)
    rows_per_chunk: int = 256

    def penalty_days(self) -> int:
        if self.unrouted_penalty_days is not None:
            return self.unrouted_penalty_days
        return self.horizon_days


@dataclass(frozen=True)
class Leg:
    lane: str
    departure_day: int
    arrival_day: int


@dataclass(frozen=True)
class Shipment:
    """`units` of one line travelling together along `legs` (no legs: origin = destination,
    delivered on the release day)."""

    line: str
    units: int
    legs: tuple[Leg, ...]
    start_day: int

    @property
    def arrival_day(self) -> int:
        return self.legs[-1].arrival_day if self.legs else self.start_day


class UnroutedReason(StrEnum):
    NO_PATH = "no path"
    NO_CAPACITY = "no capacity within the horizon"
    TIME_LIMIT = "time limit reached before it was routed"


@dataclass(frozen=True)
class Unrouted:
    line: str
    units: int
    reason: UnroutedReason


@dataclass(frozen=True)
class Eta:
    """The day the last routed unit of a line arrives, and every (day, units) arrival."""

    line: str
    last_arrival_day: int | None
    arrivals: tuple[tuple[int, int], ...]
    days_late: int
    unrouted_units: int


class PlanStatus(StrEnum):
    OPTIMAL = "optimal"  # within the target gap of the proven bound
    FEASIBLE = "feasible"  # verified plan, gap above the target
    TIME_LIMIT = "time_limit"  # the limit stopped routing: some units marked unrouted for it
    ERROR = "error"  # the independent check found a broken rule: do not use


@dataclass(frozen=True)
class RoutePlan:
    status: PlanStatus
    horizon_days: int
    shipments: tuple[Shipment, ...]
    etas: tuple[Eta, ...]
    unrouted: tuple[Unrouted, ...]
    weighted_lateness: float
    cost: float
    objective: float
    lower_bound: float
    gap: float
    iterations: int  # routing passes (plan_routes); 0 for a what-if
    seconds: float
    problems: tuple[str, ...]
    lane_ids: tuple[str, ...]
    node_ids: tuple[str, ...]
    # tonnes and outsize items departing on each lane per day, tonnes handled per node per day
    lane_tonnes: FloatArray = field(repr=False)
    lane_outsize: FloatArray = field(repr=False)
    node_tonnes: FloatArray = field(repr=False)
    lane_capacity: FloatArray = field(repr=False)
    lane_outsize_capacity: FloatArray = field(repr=False)
    node_capacity: FloatArray = field(repr=False)
    # Lagrange multipliers of the best bound (EUR per tonne or item), a warm start for what-ifs
    multipliers: tuple[FloatArray, FloatArray, FloatArray] | None = field(default=None, repr=False)
    parameters: Parameters = field(default_factory=Parameters)
    notes: tuple[str, ...] = ()

    def lane_utilisation(self) -> FloatArray:
        """Tonnes departing / capacity per lane and day (0 where the capacity is 0)."""
        return _ratio(self.lane_tonnes, self.lane_capacity)

    def node_utilisation(self) -> FloatArray:
        return _ratio(self.node_tonnes, self.node_capacity)


def _ratio(use: FloatArray, cap: FloatArray) -> FloatArray:
    out = np.zeros_like(use)
    np.divide(use, cap, out=out, where=(cap > 0) & np.isfinite(cap))
    return out


@dataclass(frozen=True)
class LineDelay:
    line: str
    old_last_arrival_day: int | None
    new_last_arrival_day: int | None
    days: int  # how much later the last unit arrives (unrouted counts as the penalty day)


@dataclass(frozen=True)
class WhatIf:
    plan: RoutePlan
    rerouted_lines: tuple[str, ...]
    delayed: tuple[LineDelay, ...]
    newly_late_units: dict[str, int]  # line → units that now miss needed-by
    newly_saturated_lanes: tuple[tuple[str, int], ...]  # (lane, departure day)
    newly_saturated_nodes: tuple[tuple[str, int], ...]  # (node, day)
