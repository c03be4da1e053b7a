"""The plan: priority-ordered routing on residual capacities.

Each round computes, for every remaining line, its cheapest path under the given prices
(transport cost, plus any price on lanes and hubs, plus lateness on arrival) over the arcs
that still have room for one of its units; then lines take their path in priority order
(lateness price per tonne, then needed-by day), each as many units as every leg, every outsize
allowance and every hub on the way still admits. Units that did not fit wait for the next
round, whose paths avoid what filled up. A line that got nothing gets a row of its own unit
mass in the next round (an arc is then open to it only if it has room for one of its units);
a round that routes nothing switches every row to that, and in that mode a line without a path
has no capacity within the horizon; a second round that routes nothing ends routing.

`plan_routes` routes at zero prices; `whatif` passes the base plan's prices.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, fields
from itertools import chain

import numpy as np

from .lagrange import Multipliers, Rows, forward_rows, make_rows, prices
from .model import FloatArray, IntArray, UnroutedReason
from .network import Arrays
from .paths import Targets, Tree, arrival_values, read_path

_EPS = 1e-9
# Lines that got nothing are routed in rows of unit-mass classes this many per factor 2
# (threshold: the class's heaviest unit); more classes waste fewer slivers, cost more rows.
CLASSES_PER_OCTAVE = 4

# Rows per batch when batches are computed on what the earlier ones left (`route`'s
# `fresh_from`): small, so that few lines find their path already full.
FRESH_ROWS = 64

LegIdx = tuple[int, int, int]  # lane index, departure day, arrival day


@dataclass
class Residual:
    tonnes: FloatArray  # (E, T)
    outsize: FloatArray  # (E, T)
    handled: FloatArray  # (V, T)

    @classmethod
    def full(cls, a: Arrays) -> Residual:
        return cls(a.cap_t.copy(), a.cap_o.copy(), a.cap_h.copy())

    @classmethod
    def after(cls, a: Arrays, shipments: dict[tuple[int, tuple[LegIdx, ...]], int]) -> Residual:
        """What the capacities leave once `shipments` are routed (see `usage`)."""
        lane_t, lane_o, node_t = usage(a, shipments)
        return cls(a.cap_t - lane_t, a.cap_o - lane_o, a.cap_h - node_t)

    def shifted(
        self, a: Arrays, shipments: dict[tuple[int, tuple[LegIdx, ...]], int], sign: float
    ) -> Residual:
        """A new residual: `shipments`' usage given back (sign +1) or taken (sign −1)."""
        lane_t, lane_o, node_t = usage(a, shipments)
        return Residual(
            self.tonnes + sign * lane_t, self.outsize + sign * lane_o, self.handled + sign * node_t
        )

    def room(self, a: Arrays) -> FloatArray:
        """(E, T) tonnes one more departure could take: the lane and the hub it unloads at
        (loading at the origin is checked per row, see `paths.forward`)."""
        head = self.handled[a.v[:, None], a.arrival_index()]
        r = np.minimum(self.tonnes, head)
        return np.where(a.available, r, 0.0)


@dataclass
class Routing:
    shipments: dict[tuple[int, tuple[LegIdx, ...]], int] = field(default_factory=dict)
    unrouted: dict[int, tuple[int, UnroutedReason]] = field(default_factory=dict)
    rounds: int = 0

    def plus(self, later: Routing) -> Routing:
        """This routing and `later` (routed after it, on what it left) as one: the units of a
        shipment or of an unrouted line added up; an unrouted line keeps the reason that says
        most (time limit, then no capacity, then no path)."""
        shipments = dict(self.shipments)
        for key, units in later.shipments.items():
            shipments[key] = shipments.get(key, 0) + units
        unrouted = dict(self.unrouted)
        for line, (units, reason) in later.unrouted.items():
            had, why = unrouted.get(line, (0, reason))
            unrouted[line] = (had + units, min(why, reason, key=_REASON_RANK.index))
        return Routing(shipments, unrouted, self.rounds + later.rounds)


_REASON_RANK = (UnroutedReason.TIME_LIMIT, UnroutedReason.NO_CAPACITY, UnroutedReason.NO_PATH)


def priority_order(
    a: Arrays,
    lines: IntArray,
    lateness_eur: float,
    boost: FloatArray | None = None,
    slack: FloatArray | None = None,
    atc_days: float | None = None,
) -> IntArray:
    """Lines by lateness price per tonne (then needed-by); with `boost`, lines with a larger
    boost first (see `solve._passes`). With `slack` (days between a line's earliest possible
    arrival and its needed-by day) and `atc_days` = K, the price is discounted by
    exp(−max(0, slack)/K), the "apparent tardiness cost" rule of weighted-tardiness
    scheduling: a line with days to spare yields to one that has none."""
    density = lateness_eur * a.priority[lines] / a.mass[lines]
    if slack is not None and atc_days is not None:
        density = density * np.exp(-np.maximum(slack[lines], 0.0) / atc_days)
    if boost is not None:
        order = np.lexsort((lines, a.needed[lines], -density, -boost[lines]))
        ranked: IntArray = lines[order]
        return ranked
    # Measured on bench M against: needed-by first (EDF), slack alone, slack discounted by
    # weight, heavy units first, outsize first — all gave more lateness.
    order = np.lexsort((lines, a.needed[lines], -density))
    out: IntArray = lines[order]
    return out


def units_along(
    a: Arrays, res: Residual, line: int, legs: list[LegIdx], want: int
) -> tuple[int, dict[tuple[int, int], int]]:
    m = float(a.mass[line])
    units = want
    touches: dict[tuple[int, int], int] = {}
    for i, (e, dep, arr) in enumerate(legs):
        units = min(units, math.floor((res.tonnes[e, dep] + _EPS) / m))
        if a.outsize[line]:
            units = min(units, math.floor(res.outsize[e, dep] + _EPS))
        keys = [(int(a.v[e]), arr)] + ([(int(a.u[e]), dep)] if i == 0 else [])
        for key in keys:
            touches[key] = touches.get(key, 0) + 1
    for (n, d), k in touches.items():
        room = res.handled[n, d]
        if math.isfinite(room):
            units = min(units, math.floor((room + _EPS) / (m * k)))
    return max(units, 0), touches


def take(
    a: Arrays,
    res: Residual,
    line: int,
    legs: list[LegIdx],
    units: int,
    touches: dict[tuple[int, int], int],
) -> None:
    t = units * float(a.mass[line])
    for e, dep, _ in legs:
        res.tonnes[e, dep] -= t
        if a.outsize[line]:
            res.outsize[e, dep] -= units
    for (n, d), k in touches.items():
        res.handled[n, d] -= k * t


def route(
    a: Arrays,
    remaining: IntArray,
    res: Residual,
    lam: Multipliers,
    has_path: np.ndarray,
    *,
    lateness_eur: float,
    chunk: int,
    deadline: float,
    boost: FloatArray | None = None,
    paths_per_round: int = 1,
    fresh_from: float | None = None,
    multi_from: float | None = None,
    slack: FloatArray | None = None,
    atc_days: float | None = None,
) -> Routing:
    """Route `remaining` units per line on `res` (both updated in place).

    From the monotonic time `multi_from` on, a line tries up to `paths_per_round` of its best
    arrival days per round instead of one: far fewer rounds (the tail of a large instance,
    where each round moves a few units per line, finishes), but more lateness (a line takes
    its later days before the next line takes its first), so it is for when time runs short.
    From the monotonic time `fresh_from` on, rows are computed in small batches in priority
    order, each on what the batches before it left (`_batches`): rounds then route far more
    (bench L's routing finishes), but on bench M it gave more lateness (23.6 k against 13.6 k
    unit-days), so it too is for when time runs short."""
    out = Routing()
    pt64, po64 = prices(a, lam)
    pt, po = pt64.astype(np.float32), po64.astype(np.float32)
    mode = "min"
    starving = np.zeros(a.origin.size, dtype=bool)  # lines that got nothing on their path
    late_line = np.flatnonzero((remaining > 0) & (a.release >= a.T))
    for ln in late_line:
        out.unrouted[int(ln)] = (int(remaining[ln]), UnroutedReason.NO_PATH)
        remaining[ln] = 0
    while True:
        active = np.flatnonzero(remaining > 0)
        if active.size == 0:
            break
        if time.monotonic() > deadline:
            for ln in active:
                out.unrouted[int(ln)] = (int(remaining[ln]), UnroutedReason.TIME_LIMIT)
                remaining[ln] = 0
            break
        out.rounds += 1
        rows = make_rows(a, active, mode, starving, per_octave=CLASSES_PER_OCTAVE)
        ranked = priority_order(a, active, lateness_eur, boost, slack, atc_days)
        late_in_time = multi_from is not None and time.monotonic() > multi_from
        k_paths = paths_per_round if late_in_time else 1
        routed = 0
        out_of_time = False
        for batch in _batches(
            rows, ranked, chunk, fresh_from is not None and time.monotonic() > fresh_from
        ):
            if time.monotonic() > deadline:
                out_of_time = True
                break
            room = res.room(a)
            trees: list[Tree] = []
            tree_of = np.full(rows.size, -1, dtype=np.int64)
            local_of = np.full(rows.size, -1, dtype=np.int64)
            # per line, its best arrival days (cheapest first), −1 where none
            arrival = np.full((a.origin.size, k_paths), -1, dtype=np.int64)
            for lo in range(0, batch.size, chunk):
                if time.monotonic() > deadline:
                    out_of_time = True
                    break
                ids = batch[lo : lo + chunk]
                tree_of[ids] = len(trees)
                local_of[ids] = np.arange(ids.size)
                sel = active[tree_of[rows.line_row[active]] == len(trees)]
                # one path per line: the programme may stop once no later day can win
                targets = None
                if k_paths == 1:
                    targets = Targets.of(a, sel, local_of[rows.line_row[sel]], lateness_eur)
                tree = forward_rows(
                    a,
                    rows,
                    ids,
                    pt,
                    po,
                    room_t=room,
                    room_o=res.outsize,
                    room_origin=res.handled,
                    dtype=np.float32,
                    targets=targets,
                )
                if sel.size:
                    local = local_of[rows.line_row[sel]]
                    val = arrival_values(a, tree, local, sel, lateness_eur)
                    if k_paths == 1:
                        k = np.argmin(val, axis=1)[:, None]
                    else:
                        # stable: among equally good days the earliest first
                        k = np.argsort(val, axis=1, kind="stable")[:, :k_paths]
                    ok = np.isfinite(np.take_along_axis(val, k, axis=1))
                    arrival[sel, : k.shape[1]] = np.where(ok, k, -1)
                tree.arr = np.zeros((0, 0, 0))  # only pred/last are needed from here on
                trees.append(tree)
            if out_of_time:
                break
            for ln in ranked[tree_of[rows.line_row[ranked]] >= 0]:
                line = int(ln)
                if remaining[line] <= 0:
                    continue
                if arrival[line, 0] < 0:
                    if mode == "min" and has_path[line] and not starving[line]:
                        starving[line] = True  # may still fit in a row of its own unit mass
                        continue
                    reason = (
                        UnroutedReason.NO_CAPACITY if has_path[line] else UnroutedReason.NO_PATH
                    )
                    out.unrouted[line] = (int(remaining[line]), reason)
                    remaining[line] = 0
                    continue
                r = int(rows.line_row[line])
                tree = trees[tree_of[r]]
                got = 0
                # the line's best path first, then (while units are left) its paths arriving
                # on its next best days: each checked against what is left now
                for day in arrival[line]:
                    if day < 0 or remaining[line] <= 0:
                        break
                    legs = read_path(a, tree, int(local_of[r]), int(a.dest[line]), int(day))
                    units, touches = units_along(a, res, line, legs, int(remaining[line]))
                    if units <= 0:
                        continue
                    take(a, res, line, legs, units, touches)
                    key = (line, tuple(legs))
                    out.shipments[key] = out.shipments.get(key, 0) + units
                    remaining[line] -= units
                    got += units
                if got == 0:
                    starving[line] = True  # next round: a row of its own unit mass
                routed += got
        if out_of_time:
            for ln in np.flatnonzero(remaining > 0):
                out.unrouted[int(ln)] = (int(remaining[ln]), UnroutedReason.TIME_LIMIT)
                remaining[ln] = 0
            break
        if routed == 0:
            if mode == "min":
                mode = "heavy"
                continue
            for ln in np.flatnonzero(remaining > 0):
                out.unrouted[int(ln)] = (int(remaining[ln]), UnroutedReason.NO_CAPACITY)
                remaining[ln] = 0
            break
    return out


def _batches(rows: Rows, ranked: IntArray, chunk: int, fresh: bool) -> list[IntArray]:
    """Rows to compute together before their lines take their paths. One batch (all rows,
    then every line in priority order) or, `fresh`, batches of `chunk` rows in the order of
    their most urgent line, each computed on what the batches before it left: fewer paths
    that are already full by the time their line comes (the rounds' tail, where rows are
    nearly one per line, costs no more that way)."""
    chunk = min(chunk, FRESH_ROWS)
    if not fresh or rows.size <= chunk:
        return [np.arange(rows.size)]
    rank = np.empty(rows.line_row.size, dtype=np.int64)
    rank[ranked] = np.arange(ranked.size)
    first = np.full(rows.size, np.iinfo(np.int64).max)
    np.minimum.at(first, rows.line_row[ranked], rank[ranked])
    seq = np.argsort(first, kind="stable")
    return [seq[lo : lo + chunk] for lo in range(0, seq.size, chunk)]


def routing_objective(
    a: Arrays, routing: Routing, lateness_eur: float, penalty_days: int
) -> tuple[float, float]:
    """(weighted lateness, cost) of a routing, as the planner computes it."""
    late, cost = line_costs(a, routing, penalty_days)
    return float(late.sum()), float(cost.sum())


def line_costs(a: Arrays, routing: Routing, penalty_days: int) -> tuple[FloatArray, FloatArray]:
    """Per line, its weighted lateness (units · priority · days late, unrouted units at the
    penalty) and its transport cost (units · unit mass · the lanes' cost per tonne) in
    `routing`, recomputed from the shipments."""
    from .network import unrouted_days

    late = np.zeros(a.origin.size)
    cost = np.zeros(a.origin.size)
    if routing.shipments:
        keys = list(routing.shipments)
        line = np.fromiter((ln for ln, _ in keys), dtype=np.int64, count=len(keys))
        units = np.fromiter(routing.shipments.values(), dtype=np.float64, count=len(keys))
        unit_late, unit_cost = unit_costs(a, keys)
        np.add.at(late, line, units * unit_late)
        np.add.at(cost, line, units * unit_cost)
    if routing.unrouted:
        line = np.fromiter(routing.unrouted, dtype=np.int64)
        units = np.array([u for u, _ in routing.unrouted.values()], dtype=np.float64)
        np.add.at(late, line, units * a.priority[line] * unrouted_days(a, penalty_days)[line])
    return late, cost


def unit_costs(
    a: Arrays, keys: list[tuple[int, tuple[LegIdx, ...]]]
) -> tuple[FloatArray, FloatArray]:
    """Per shipment key (line, legs), what one unit on it adds: weighted lateness (priority ·
    days late on arrival) and transport cost (unit mass · the lanes' cost per tonne)."""
    line = np.fromiter((ln for ln, _ in keys), dtype=np.int64, count=len(keys))
    arrival = np.fromiter(
        (legs[-1][2] if legs else a.release[ln] for ln, legs in keys),
        dtype=np.int64,
        count=len(keys),
    )
    late: FloatArray = a.priority[line] * np.maximum(0, arrival - a.needed[line])
    legs = leg_table(dict.fromkeys(keys, 1))
    of_leg = np.repeat(np.arange(len(keys)), [len(legs_) for _, legs_ in keys])
    cost = np.zeros(len(keys))
    np.add.at(cost, of_leg, a.mass[legs.line] * a.cost[legs.lane])
    return late, cost


@dataclass(frozen=True)
class LegTable:
    """Every leg of a set of shipments as flat arrays (one row per leg)."""

    line: IntArray
    units: FloatArray
    lane: IntArray
    departure: IntArray
    arrival: IntArray
    first: np.ndarray  # the first leg of its shipment (where the goods are loaded)

    def without(self, lines: np.ndarray) -> LegTable:
        """The legs of the lines not in the mask `lines`."""
        keep = ~lines[self.line]
        return LegTable(*(getattr(self, f.name)[keep] for f in fields(self)))

    def plus(self, other: LegTable) -> LegTable:
        return LegTable(
            *(np.concatenate([getattr(self, f.name), getattr(other, f.name)]) for f in fields(self))
        )


def leg_table(shipments: dict[tuple[int, tuple[LegIdx, ...]], int]) -> LegTable:
    keys = list(shipments)
    n_legs = np.fromiter((len(legs) for _, legs in keys), dtype=np.int64, count=len(keys))
    flat = np.fromiter(
        chain.from_iterable(chain.from_iterable(legs for _, legs in keys)), dtype=np.int64
    ).reshape(-1, 3)
    line = np.repeat(np.fromiter((ln for ln, _ in keys), dtype=np.int64, count=len(keys)), n_legs)
    units = np.repeat(np.fromiter(shipments.values(), dtype=np.float64, count=len(keys)), n_legs)
    first = np.zeros(flat.shape[0], dtype=bool)
    starts = np.cumsum(n_legs) - n_legs
    first[starts[n_legs > 0]] = True
    return LegTable(line, units, flat[:, 0], flat[:, 1], flat[:, 2], first)


def usage(
    a: Arrays, shipments: dict[tuple[int, tuple[LegIdx, ...]], int]
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(E, T) lane tonnes, (E, T) lane outsize items and (V, T) handled tonnes of `shipments`
    (see `legs_usage`)."""
    return legs_usage(a, leg_table(shipments))


def legs_usage(a: Arrays, legs: LegTable) -> tuple[FloatArray, FloatArray, FloatArray]:
    """What a table of legs uses: loaded at the first leg's origin on departure, unloaded at
    every leg's end on arrival, summed with `np.add.at` over the flattened legs."""
    lane_t = np.zeros((a.E, a.T))
    lane_o = np.zeros((a.E, a.T))
    node_t = np.zeros((a.V, a.T))
    if legs.lane.size == 0:
        return lane_t, lane_o, node_t
    e, dep, arr, first = legs.lane, legs.departure, legs.arrival, legs.first
    t = legs.units * a.mass[legs.line]
    out = a.outsize[legs.line]
    np.add.at(lane_t, (e, dep), t)
    np.add.at(lane_o, (e[out], dep[out]), legs.units[out])
    np.add.at(node_t, (a.v[e], arr), t)
    np.add.at(node_t, (a.u[e[first]], dep[first]), t[first])
    return lane_t, lane_o, node_t
