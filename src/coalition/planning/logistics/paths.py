"""Shortest paths in the time-expanded network, many sources at once, one day at a time.

A *row* is a source: an origin node and a release day (and, for outsize goods, the priced
outsize factor b). Because every transit takes at least one day, the time-expanded network is
acyclic in time and a forward dynamic programme over days is exact:

    at[s, v, t]  = min(at[s, v, t−1], arr[s, v, t])              (waiting is free)
    arr[s, w, t+τ_e] = min over lanes e = (v → w) of at[s, v, t] + C[e, t] + b_s·M[e, t]

with C the price per tonne of a departure on lane e on day t and M the price per outsize item.
Each day is a handful of numpy operations over rows × lanes (the least over the lanes grouped
by landing node and day, `group_min`), never a Python loop over arcs or rows.

The programme keeps, for each (row, node, day), the lane it arrived by (`pred`, −2 at the
source) and the day the goods present there arrived (`last`), so a path is read back leg by
leg and flows are pushed back through the shortest-path tree in one backward sweep.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .model import FloatArray, IntArray
from .network import Arrays, lateness_table

SOURCE = -2
_EPS = 1e-9


@dataclass(frozen=True)
class Targets:
    """Lines whose `best` best arrival days are wanted from a programme, so that it may stop
    early: line i is row `row[i]`'s goods for node `dest[i]`, worth mass·price + late_price ·
    days late."""

    row: IntArray  # local row index in the programme
    dest: IntArray
    mass: FloatArray
    late_price: FloatArray  # EUR per day late (per unit)
    needed: IntArray
    best: int = 1

    @classmethod
    def of(
        cls, a: Arrays, lines: IntArray, local: IntArray, lateness_eur: float, best: int = 1
    ) -> Targets:
        """`lines`, each for its destination from its row `local` of the programme, priced as
        in `arrival_values`."""
        return cls(
            row=local,
            dest=a.dest[lines],
            mass=a.mass[lines],
            late_price=lateness_eur * a.priority[lines],
            needed=a.needed[lines],
            best=best,
        )


def arrival_values(
    a: Arrays, tree: Tree, local: IntArray, lines: IntArray, lateness_eur: float
) -> FloatArray:
    """(len(lines), T) what one unit of each line costs arriving at its destination on each day
    by the tree of its row `local`: mass · price per tonne + lateness_eur · priority · days
    late; +inf where it cannot arrive that day."""
    with np.errstate(invalid="ignore"):
        val: FloatArray = a.mass[lines, None] * tree.arr[:, a.dest[lines], local].T + (
            lateness_eur * a.priority[lines, None] * lateness_table(a, lines)
        )
    val[~np.isfinite(val)] = np.inf
    return val


@dataclass
class Tree:
    """Arrays are laid out (day, node, row), so that one day is one contiguous block and the
    rows of one node are contiguous: a day's lanes gather whole rows of it, and each rank of
    a lane group is a contiguous block (`group_min`). On bench L's three chunks of 256 rows
    (float32, a residual with room drawn at random) 0.96–0.99 s against 1.12 s laid out
    (day, row, node) with a gather and a scatter per rank, the same trees."""

    rows: IntArray  # row ids of this chunk (into the caller's row tables)
    arr: FloatArray  # (T, V, S) price per tonne of arriving at v on day t by a lane
    pred: npt.NDArray[np.int16] | npt.NDArray[np.int32]
    last: npt.NDArray[np.int16]


def forward(
    a: Arrays,
    rows: IntArray,
    origin: IntArray,
    release: IntArray,
    b: FloatArray,
    price_t: npt.NDArray[np.floating[Any]],
    price_o: npt.NDArray[np.floating[Any]],
    *,
    threshold: FloatArray | None = None,
    room_t: FloatArray | None = None,
    room_o: FloatArray | None = None,
    room_origin: FloatArray | None = None,
    dtype: type[np.floating[Any]] = np.float64,
    targets: Targets | None = None,
) -> Tree:
    """Prices per tonne of reaching every (node, day) from each row's source.

    `price_t` (E, T) is +inf where a departure is not allowed; `price_o` (E, T) is +inf where
    a lane carries no outsize item. With `threshold` (tonnes per row), arcs whose room
    `room_t` (E, T) is below it, or (outsize rows) whose outsize room is below one item,
    are closed to that row, and so are departures from the row's origin on days its handling
    room `room_origin` (V, T) is below it (used by the primal on residual capacities).

    With `targets`, the programme stops after the first day t from which no target can do
    better than it already has: prices are ≥ 0, so an arrival on a later day t' is worth at
    least late_price · days late on t', and once that reaches, for every target, the worst of
    its `best` best days so far, later days cannot change any target's choice of days (they
    stay +inf in the tree)."""
    S, V, T = rows.size, a.V, a.T
    arr = np.full((T, V, S), np.inf, dtype=dtype)
    # lane ids, −1 and SOURCE: int16 where they fit (less memory to fill and write)
    pred = np.full((T, V, S), -1, dtype=np.int16 if a.E < 2**15 else np.int32)
    last = np.full((T, V, S), -1, dtype=np.int16)
    rs = np.arange(S)
    arr[release, origin, rs] = 0.0
    pred[release, origin, rs] = SOURCE
    at = np.full((V, S), np.inf, dtype=dtype)
    at_last = np.full((V, S), -1, dtype=np.int16)
    out_rows = np.flatnonzero(b > 0)
    b_row = b.astype(dtype)
    any_out = out_rows.size > 0
    start_day = int(release.min()) if S else T
    # per target, the values of its best days so far, best first
    kept = np.full((0, 1) if targets is None else (targets.row.size, targets.best), np.inf)
    for t in range(start_day, T):
        today = arr[t]
        if targets is not None and kept.size:
            value = targets.mass * today[targets.dest, targets.row].astype(np.float64)
            value += targets.late_price * np.maximum(0, t - targets.needed)
            if targets.best == 1:
                np.minimum(kept[:, 0], value, out=kept[:, 0])
            else:
                kept = np.sort(np.concatenate([kept, value[:, None]], axis=1), axis=1)[:, :-1]
            later = targets.late_price * np.maximum(0, t + 1 - targets.needed)
            if np.all(later >= kept[:, -1]):
                break
        better = today < at
        np.copyto(at, today, where=better)
        at_last[better] = t
        last[t] = at_last
        g = a.groups[t]
        if g.lanes.size == 0:
            continue
        cand = at[a.u[g.lanes]]  # (lanes, rows)
        cand += price_t[g.lanes, t][:, None]
        if any_out:
            # over every row (b = 0 for the others): a column gather and scatter of the
            # outsize rows alone took a quarter of bench L's programmes
            item = price_o[g.lanes, t]
            no_item = ~np.isfinite(item)
            cand += np.multiply.outer(np.where(no_item, 0.0, item).astype(dtype), b_row)
            if no_item.any():
                cand[np.ix_(np.flatnonzero(no_item), out_rows)] = np.inf
        if threshold is not None and room_t is not None:
            cand[room_t[g.lanes, t][:, None] < threshold[None, :] - _EPS] = np.inf
            if room_origin is not None:
                short = room_origin[origin, t] < threshold - _EPS
                if short.any():
                    at_origin = a.u[g.lanes][:, None] == origin[short][None, :]
                    sub = cand[:, short]
                    sub[at_origin] = np.inf
                    cand[:, short] = sub
            if any_out and room_o is not None:
                full = np.flatnonzero(room_o[g.lanes, t] < 1.0 - _EPS)
                if full.size:
                    cand[np.ix_(full, out_rows)] = np.inf
        best, rank = group_min(cand, g.rank_sizes)
        # each group's target is one contiguous row of S entries (its node on its day), so
        # it is read and written back as whole rows rather than entry by entry
        now = arr[g.arrival, g.head]
        improve = best < now
        if not improve.any():
            continue
        idx = np.flatnonzero(improve)
        np.copyto(now, best, where=improve)
        arr[g.arrival, g.head] = now
        came_by = pred[g.arrival, g.head]
        came_by.reshape(-1)[idx] = g.lanes[g.rank_start[rank.reshape(-1)[idx]] + idx // S]
        pred[g.arrival, g.head] = came_by
    return Tree(rows=rows, arr=arr, pred=pred, last=last)


def group_min(
    cand: npt.NDArray[np.floating[Any]], rank_sizes: tuple[int, ...]
) -> tuple[npt.NDArray[np.floating[Any]], npt.NDArray[np.integer[Any]]]:
    """Per lane group and row, the least of `cand` (lanes × rows, the lanes rank by rank as in
    `DayGroups`) over the group's lanes, and the rank of the first lane that reaches it. Rank
    k's lanes are the block after rank k − 1's and its groups the first `rank_sizes[k]`, so
    each rank is one comparison of two contiguous blocks. The minimum is a view of `cand`'s
    first rows, which it overwrites. With one gather and one scatter per rank (lanes in group
    order) the group minimum took 22 % of bench L's forward programmes."""
    n_groups = rank_sizes[0]
    best = cand[:n_groups]
    rank = np.zeros((n_groups, cand.shape[1]), dtype=np.min_scalar_type(len(rank_sizes)))
    start = n_groups
    for k, n in enumerate(rank_sizes[1:], start=1):
        here = cand[start : start + n]
        sub = best[:n]
        lower = here < sub  # strictly: on a tie the earlier lane stays
        np.copyto(sub, here, where=lower)
        np.copyto(rank[:n], k, where=lower)
        start += n
    return best, rank


@dataclass
class Usage:
    tonnes: FloatArray  # (E, T) tonnes departing per lane-day
    outsize: FloatArray  # (E, T) priced outsize items (b'·tonnes)
    handled: FloatArray  # (V, T) tonnes loaded + unloaded per node-day


def push_back(
    a: Arrays, tree: Tree, b: FloatArray, origin: IntArray, demand: FloatArray, usage: Usage
) -> None:
    """Add to `usage` the arc flows of `demand` (T, V, S) tonnes arriving at (v, t) along the
    tree's shortest paths. `demand` is consumed (overwritten)."""
    T = a.T
    lanes_t: list[IntArray] = []
    flows: list[FloatArray] = []
    out_flows: list[FloatArray] = []
    heads: list[IntArray] = []
    loads: list[FloatArray] = []
    for t in range(T - 1, -1, -1):
        day = demand[t]
        vv, ss = np.nonzero(day > 0)
        if ss.size == 0:
            continue
        f = day[vv, ss]
        e = tree.pred[t, vv, ss].astype(np.int64)
        moving = e >= 0
        ss, f, e = ss[moving], f[moving], e[moving]
        if e.size == 0:
            continue
        dep = t - a.tau[e]
        uu = a.u[e]
        lanes_t.append(e * T + dep)
        flows.append(f)
        out_flows.append(f * b[ss])
        heads.append(a.v[e] * T + t)
        heads.append(uu * T + dep)
        loads.append(f)
        loads.append(np.where(uu == origin[ss], f, 0.0))  # loaded at the start of the journey
        came = tree.last[dep, uu, ss].astype(np.int64)
        np.add.at(demand, (came, uu, ss), f)
    if not lanes_t:
        return
    idx = np.concatenate(lanes_t)
    fl = np.concatenate(flows)
    usage.tonnes += np.bincount(idx, fl, a.E * T).reshape(a.E, T)
    usage.outsize += np.bincount(idx, np.concatenate(out_flows), a.E * T).reshape(a.E, T)
    hidx = np.concatenate(heads)
    usage.handled += np.bincount(hidx, np.concatenate(loads), a.V * T).reshape(a.V, T)


def read_path(a: Arrays, tree: Tree, s: int, node: int, day: int) -> list[tuple[int, int, int]]:
    """Legs (lane, departure day, arrival day) of row s's path arriving at (node, day)."""
    legs: list[tuple[int, int, int]] = []
    pred, last = tree.pred, tree.last
    t = day
    v = node
    while True:
        e = int(pred[t, v, s])
        if e == SOURCE:
            break
        if e < 0:
            raise RuntimeError("broken shortest-path tree")
        dep = t - int(a.tau[e])
        legs.append((e, dep, t))
        v = int(a.u[e])
        t = int(last[dep, v, s])
    legs.reverse()
    return legs
