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
from dataclasses import dataclass, field

import numpy as np

from .lagrange import Multipliers, make_rows, prices
from .model import FloatArray, IntArray, UnroutedReason
from .network import Arrays, lateness_table
from .paths import Tree, forward, read_path

_EPS = 1e-9
# Lines that got nothing are routed in rows of unit-mass classes this many per factor 2
# (threshold: the class's heaviest unit); more classes waste fewer slivers, cost more rows.
CLASSES_PER_OCTAVE = 4

LegIdx = tuple[int, int, int]  # lane index, departure day, arrival day


@dataclass
class Residual:
    tonnes: FloatArray  # (E, T)
    outsize: FloatArray  # (E, T)
    handled: FloatArray  # (V, T)

    @classmethod
    def full(cls, a: Arrays) -> Residual:
        return cls(a.cap_t.copy(), a.cap_o.copy(), a.cap_h.copy())

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


def priority_order(
    a: Arrays, lines: IntArray, lateness_eur: float, boost: FloatArray | None = None
) -> IntArray:
    """Lines by lateness price per tonne (then needed-by); with `boost`, lines with a larger
    boost first (see `solve._passes`)."""
    density = lateness_eur * a.priority[lines] / a.mass[lines]
    if boost is not None:
        order = np.lexsort((lines, a.needed[lines], -density, -boost[lines]))
        ranked: IntArray = lines[order]
        return ranked
    # Measured on bench M against: needed-by first (EDF), slack discounted by weight,
    # weight per unit with heavy units first, outsize first — all gave more lateness.
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
) -> Routing:
    """Route `remaining` units per line on `res` (both updated in place)."""
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
        room = res.room(a)
        trees: list[Tree] = []
        arrival = np.full(a.origin.size, -1, dtype=np.int64)
        row_of = rows.line_row[active]
        out_of_time = False
        for lo in range(0, rows.size, chunk):
            if time.monotonic() > deadline:
                out_of_time = True
                break
            hi = min(lo + chunk, rows.size)
            ids = np.arange(lo, hi)
            tree = forward(
                a,
                ids,
                rows.origin[ids],
                rows.release[ids],
                rows.b[ids],
                pt,
                po,
                threshold=rows.threshold[ids],
                room_t=room,
                room_o=res.outsize,
                room_origin=res.handled,
                dtype=np.float32,
            )
            sel = active[(row_of >= lo) & (row_of < hi)]
            if sel.size:
                local = rows.line_row[sel] - lo
                with np.errstate(invalid="ignore"):
                    val = a.mass[sel, None] * tree.arr[:, local, a.dest[sel]].T + (
                        lateness_eur * a.priority[sel, None] * lateness_table(a, sel)
                    )
                k = np.argmin(val, axis=1)
                ok = np.isfinite(val[np.arange(sel.size), k])
                arrival[sel] = np.where(ok, k, -1)
            tree.arr = np.zeros((0, 0, 0))  # only pred/last are needed from here on
            trees.append(tree)
        if out_of_time:
            for ln in active:
                out.unrouted[int(ln)] = (int(remaining[ln]), UnroutedReason.TIME_LIMIT)
                remaining[ln] = 0
            break
        routed = 0
        for ln in priority_order(a, active, lateness_eur, boost):
            line = int(ln)
            if arrival[line] < 0:
                if mode == "min" and has_path[line] and not starving[line]:
                    starving[line] = True  # may still fit in a row of its own unit mass
                    continue
                reason = UnroutedReason.NO_CAPACITY if has_path[line] else UnroutedReason.NO_PATH
                out.unrouted[line] = (int(remaining[line]), reason)
                remaining[line] = 0
                continue
            r = int(rows.line_row[line])
            tree = trees[r // chunk]
            legs = read_path(
                a, tree, r - (r // chunk) * chunk, int(a.dest[line]), int(arrival[line])
            )
            units, touches = units_along(a, res, line, legs, int(remaining[line]))
            if units <= 0:
                starving[line] = True  # next round: a row of its own unit mass
                continue
            take(a, res, line, legs, units, touches)
            key = (line, tuple(legs))
            out.shipments[key] = out.shipments.get(key, 0) + units
            remaining[line] -= units
            routed += units
        if routed == 0:
            if mode == "min":
                mode = "heavy"
                continue
            for ln in np.flatnonzero(remaining > 0):
                out.unrouted[int(ln)] = (int(remaining[ln]), UnroutedReason.NO_CAPACITY)
                remaining[ln] = 0
            break
    return out


def routing_objective(
    a: Arrays, routing: Routing, lateness_eur: float, penalty_days: int
) -> tuple[float, float]:
    """(weighted lateness, cost) of a routing, as the planner computes it."""
    from .network import unrouted_days

    wl = 0.0
    cost = 0.0
    for (line, legs), units in routing.shipments.items():
        arrival = legs[-1][2] if legs else int(a.release[line])
        wl += units * float(a.priority[line]) * max(0, arrival - int(a.needed[line]))
        cost += units * float(a.mass[line]) * sum(float(a.cost[e]) for e, _, _ in legs)
    if routing.unrouted:
        lines = np.array(list(routing.unrouted), dtype=np.int64)
        units_arr = np.array([u for u, _ in routing.unrouted.values()], dtype=np.float64)
        days = unrouted_days(a, penalty_days)[lines]
        wl += float(np.sum(units_arr * a.priority[lines] * days))
    return wl, cost
