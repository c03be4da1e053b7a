"""The cut bound: what must cross a bottleneck that every path of some lines shares.

For a lane e, the lines whose destination cannot be reached from their origin once e is
removed (the network without e, every lane that is open on some day) send every unit they
deliver across e; for a node v with a handling limit, so do the lines loaded there (origin v),
unloaded there (destination v) or that cannot get around it. If x_l ∈ [0, 1] is the share of
line l a plan leaves unrouted, then for each such cut C and each window of days W

    Σ_{l ∈ S(C, W)} t_l · (1 − x_l)  ≤  capacity of C on the days of W

where S(C, W) are the lines of C that can only use C within W (from the earliest day a unit
released at the origin can reach C to the last day from which it can still reach the
destination within the horizon; static shortest transit times) and t_l the line's tonnes
(outsize items for a lane's outsize row). The windows: for each earliest day θ, the lines that
cannot use C before θ, over [θ, their latest day]; for each latest day θ, those that cannot use
it after θ, over [their earliest day, θ]. Each routed unit costs at least the line's own L(0)
value u_l (its cheapest path ignoring capacity, `lagrange.evaluate`) and an unrouted one its
penalty p_l ≥ u_l, so every plan costs at least

    L(0) + min Σ_l q_l (p_l − u_l) x_l   over those rows and 0 ≤ x ≤ 1.

The minimum is an LP (HiGHS). The value reported is not the solver's: it is recomputed from the
row prices y it returns, clipped to y ≥ 0, as the Lagrangian value Σ_k y_k b_k +
Σ_l min(0, c_l − (Aᵀy)_l), which is ≤ the LP minimum for every y ≥ 0 whatever the solver did.

A second value keeps the days: for one cut at a time (`_schedule`), a transportation problem
from its lines to its days, each day taking the cut's capacity, where a unit crossing on day t
costs at least max(u_l, late_price_l · days late on arriving at t + the least onward transit)
and one left out p_l (a min-cost flow, OR-Tools). It sees the lateness a queue at the cut
forces, which the rows above do not; the larger of the two values is reported (the lines of
different cuts overlap, so the cuts' schedules cannot be added up).

On bench L the lanes of a ring road between the eastern hubs are such cuts: the pooled flow
(`bound.py`) and L(0) both move goods from other origins across the gap, and see none of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
from ortools.graph.python import min_cost_flow

from ..quiet_highs import quiet_highs
from .model import FloatArray, IntArray
from .network import Arrays

_UNREACHED = np.iinfo(np.int64).max // 4
KG = 1000  # the schedule flow's unit: kilograms
SCALE = 1000  # its integer costs per EUR per kg (1 EUR per tonne)
# A cut's schedule is solved only when its lines' tonnes exceed this share of its capacity
# from their first day on, to save time (leaving a cut out only gives up bound).
SCHEDULE_LOAD = 0.5


@dataclass(frozen=True)
class CutBound:
    extra: float  # EUR to add to L(0)
    rows: int  # overloaded (cut, window) rows in the LP
    cuts: int  # lanes and nodes some lines cannot get around
    status: str
    # Per line (all of `a`'s lines): the share the LP leaves unrouted, in [0, 1]; 0 where no
    # cut is overloaded. Not part of the bound: `solve._passes` routes these units last.
    left_out: FloatArray


def cut_bound(
    a: Arrays,
    unit_value: FloatArray,
    penalty: FloatArray,
    late_price: FloatArray,
    routable: np.ndarray,
    time_limit: float = 10.0,
) -> CutBound:
    """The EUR the cuts add to L(0); `unit_value`, `penalty` and `late_price` (EUR per day
    late) are per unit of each line, `routable` the lines some path can carry (the others pay
    their penalty in L(0) already)."""
    lines = np.flatnonzero(routable & (a.release < a.T))
    left_out = np.zeros(a.origin.size)
    if lines.size == 0:
        return CutBound(0.0, 0, 0, "no lines", left_out)
    usable: np.ndarray = np.asarray(a.available.any(axis=1))
    origins, o_of = np.unique(a.origin[lines], return_inverse=True)
    dist_from = _transit_days(a, origins, usable, reverse=False)  # (origins, V)
    dests, d_of = np.unique(a.dest[lines], return_inverse=True)
    dist_to = _transit_days(a, dests, usable, reverse=True)  # (dests, V)
    reached = _reach(a, origins, usable)
    builder = _Rows(a, lines)
    n_cuts = 0
    scheduled = 0.0  # the best single cut's schedule bound (see `_schedule`)

    def schedule(
        ls: IntArray, first: IntArray, last: IntArray, onward: IntArray, cap: FloatArray
    ) -> None:
        nonlocal scheduled
        g = lines[ls]
        tonnes = a.mass[g] * a.qty[g]
        lo, hi = np.clip(first, 0, a.T), np.clip(last, -1, a.T - 1)
        room = float(np.where(np.isfinite(cap), cap, 0.0)[max(0, int(lo.min())) :].sum())
        if np.isfinite(cap).all() and tonnes.sum() > SCHEDULE_LOAD * room:
            scheduled = max(
                scheduled,
                _schedule(a, g, lo, hi, onward, cap, unit_value, penalty, late_price),
            )

    for e in np.flatnonzero(usable):
        keep = usable.copy()
        keep[e] = False
        lost = reached & ~_reach(a, origins, keep)
        sel = lost[o_of, a.dest[lines]]
        if not sel.any():
            continue
        n_cuts += 1
        ls = np.flatnonzero(sel)
        first = a.release[lines[ls]] + dist_from[o_of[ls], a.u[e]]
        last = a.T - 1 - a.tau[e] - dist_to[d_of[ls], a.v[e]]
        builder.add(
            ls, first, last, a.cap_t[e], (a.mass[lines[ls]] * a.qty[lines[ls]]).astype(np.float64)
        )
        schedule(ls, first, last, a.tau[e] + dist_to[d_of[ls], a.v[e]], a.cap_t[e])
        out = a.outsize[lines[ls]]
        if out.any():
            builder.add(
                ls[out], first[out], last[out], a.cap_o[e], a.qty[lines[ls[out]]].astype(np.float64)
            )
    for v in np.flatnonzero(np.isfinite(a.cap_h).all(axis=1)):
        keep = usable & (a.u != v) & (a.v != v)
        lost = reached & ~_reach(a, origins, keep)
        sel = lost[o_of, a.dest[lines]] | (a.origin[lines] == v) | (a.dest[lines] == v)
        if not sel.any():
            continue
        n_cuts += 1
        ls = np.flatnonzero(sel)
        first = a.release[lines[ls]] + dist_from[o_of[ls], v]
        last = a.T - 1 - dist_to[d_of[ls], v]
        builder.add(
            ls, first, last, a.cap_h[v], (a.mass[lines[ls]] * a.qty[lines[ls]]).astype(np.float64)
        )
        schedule(ls, first, last, dist_to[d_of[ls], v], a.cap_h[v])
    gain = np.maximum(penalty[lines] - unit_value[lines], 0.0)
    extra_cost = (a.qty[lines] * gain).astype(np.float64)
    value, status, shares = builder.solve(extra_cost, time_limit)
    left_out[lines] = shares
    return CutBound(max(value, scheduled), builder.count, n_cuts, status, left_out)


def _schedule(
    a: Arrays,
    lines: IntArray,
    first: IntArray,
    last: IntArray,
    onward: IntArray,
    cap: FloatArray,
    unit_value: FloatArray,
    penalty: FloatArray,
    late_price: FloatArray,
) -> float:
    """What one cut adds to L(0) when the day each tonne crosses it is kept: a transportation
    problem (OR-Tools min-cost flow, in kg) from the cut's lines to its days, each day taking
    its capacity. A unit of line l crossing on day t (first ≤ t ≤ last) arrives no earlier
    than t + `onward`, so it costs at least max(u_l, late_price_l · days late then); one left
    out costs p_l. Every plan's crossings are such a schedule, so the optimum minus Σ q_l u_l
    over these lines is ≤ what the plan pays above L(0) for them. Costs are rounded down and
    capacities up (only lowering the optimum)."""
    n, T = lines.size, a.T
    span = np.maximum(last - first + 1, 0)
    line_of = np.repeat(np.arange(n), span)
    day = first[line_of] + np.arange(line_of.size) - np.repeat(np.cumsum(span) - span, span)
    days_late = np.maximum(0, day + onward[line_of] - a.needed[lines[line_of]])
    per_unit = np.maximum(unit_value[lines[line_of]], late_price[lines[line_of]] * days_late)
    kg = np.floor(a.qty[lines] * a.mass[lines] * KG + 1e-9).astype(np.int64)
    per_kg = 1.0 / (a.mass[lines] * KG)
    sink = n + T
    tail = np.concatenate([line_of, np.arange(n), n + np.arange(T)])
    head = np.concatenate([n + day, np.full(n, sink), np.full(T, sink)])
    capacity = np.concatenate(
        [np.full(line_of.size + n, int(kg.sum())), np.ceil(np.maximum(cap, 0.0) * KG - 1e-9)]
    ).astype(np.int64)
    cost = np.floor(
        np.concatenate([per_unit * per_kg[line_of], penalty[lines] * per_kg, np.zeros(T)]) * SCALE
        + 1e-9
    ).astype(np.int64)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tail, head, capacity, cost)
    supply = np.concatenate([kg, np.zeros(T, dtype=np.int64), [-int(kg.sum())]])
    flow.set_nodes_supplies(np.arange(sink + 1), supply)
    if flow.solve() != flow.OPTIMAL:
        return 0.0
    return float(flow.optimal_cost()) / SCALE - float(a.qty[lines] @ unit_value[lines])


def _reach(a: Arrays, sources: IntArray, keep: np.ndarray) -> np.ndarray:
    """(sources, V) nodes reachable from each source over the lanes in `keep`."""
    adj = np.zeros((a.V, a.V), dtype=np.float32)
    np.add.at(adj, (a.u[keep], a.v[keep]), 1.0)
    reach = np.zeros((sources.size, a.V), dtype=bool)
    reach[np.arange(sources.size), sources] = True
    while True:
        grown = reach | ((reach.astype(np.float32) @ adj) > 0)
        if np.array_equal(grown, reach):
            return reach
        reach = grown


def _transit_days(a: Arrays, sources: IntArray, usable: np.ndarray, reverse: bool) -> IntArray:
    """(sources, V) least transit days from each source to every node (to it, `reverse`);
    unreachable pairs get a number past any horizon."""
    tail, head = (a.v, a.u) if reverse else (a.u, a.v)
    tail, head, tau = tail[usable], head[usable], a.tau[usable]
    dist = np.full((sources.size, a.V), _UNREACHED, dtype=np.int64)
    dist[np.arange(sources.size), sources] = 0
    while True:
        cand = np.minimum(dist[:, tail] + tau[None, :], _UNREACHED)
        new = dist.copy()
        np.minimum.at(new.T, head, cand.T)
        if np.array_equal(new, dist):
            return dist
        dist = new


class _Rows:
    """The LP's rows  Σ_{l ∈ S} w_l x_l ≥ Σ_{l ∈ S} w_l − capacity, kept where positive."""

    def __init__(self, a: Arrays, lines: IntArray) -> None:
        self.T = a.T
        self.n = lines.size
        self.cols: list[IntArray] = []
        self.vals: list[FloatArray] = []
        self.rhs: list[float] = []

    @property
    def count(self) -> int:
        return len(self.rhs)

    def add(
        self, ls: IntArray, first: IntArray, last: IntArray, cap: FloatArray, w: FloatArray
    ) -> None:
        """Rows for one cut: lines `ls` (positions into the LP's lines) that can use it only
        on days first..last, `cap` (T,) its capacity per day, `w` their tonnes or items."""
        first = np.clip(first, 0, self.T)
        last = np.clip(last, -1, self.T - 1)
        ok = first <= last
        ls, first, last, w = ls[ok], first[ok], last[ok], w[ok]
        if ls.size == 0:
            return
        cum = np.concatenate([[0.0], np.cumsum(np.where(np.isfinite(cap), cap, np.inf))])
        for theta in np.unique(first):
            s = first >= theta
            self._row(ls[s], w[s], cum[int(last[s].max()) + 1] - cum[int(theta)])
        for theta in np.unique(last):
            s = last <= theta
            self._row(ls[s], w[s], cum[int(theta) + 1] - cum[int(first[s].min())])

    def _row(self, ls: IntArray, w: FloatArray, capacity: float) -> None:
        need = float(w.sum())
        if not np.isfinite(capacity) or need <= capacity * (1 + 1e-9) + 1e-9:
            return
        self.cols.append(ls)
        self.vals.append(w.astype(np.float64))
        self.rhs.append(need - capacity)

    def solve(self, cost: FloatArray, time_limit: float) -> tuple[float, str, FloatArray]:
        """The bound (see `dual_value`), the solver's status and its x clipped to [0, 1]
        (zeros where it returned none: x only orders the plan, it proves nothing)."""
        no_shares = np.zeros(self.n)
        if not self.rhs:
            return 0.0, "no overloaded cut", no_shares
        m = len(self.rhs)
        row = np.repeat(np.arange(m), [c.size for c in self.cols])
        col = np.concatenate(self.cols)
        val = np.concatenate(self.vals)
        order = np.lexsort((row, col))
        row, col, val = row[order], col[order], val[order]
        start = np.searchsorted(col, np.arange(self.n + 1))
        lp = highspy.HighsLp()
        lp.num_col_ = self.n
        lp.num_row_ = m
        lp.col_cost_ = cost.astype(np.float64)
        lp.col_lower_ = np.zeros(self.n)
        lp.col_upper_ = np.ones(self.n)
        rhs = np.asarray(self.rhs)
        lp.row_lower_ = rhs
        lp.row_upper_ = np.full(m, highspy.kHighsInf)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = start.astype(np.int32)
        lp.a_matrix_.index_ = row.astype(np.int32)
        lp.a_matrix_.value_ = val
        lp.a_matrix_.num_col_ = self.n
        lp.a_matrix_.num_row_ = m
        h = quiet_highs(time_limit)
        h.passModel(lp)
        h.run()
        status = h.modelStatusToString(h.getModelStatus())
        solution = h.getSolution()
        y = np.asarray(solution.row_dual, dtype=np.float64)
        x = np.asarray(solution.col_value, dtype=np.float64)
        shares = np.clip(x, 0.0, 1.0) if x.size == self.n and np.isfinite(x).all() else no_shares
        if y.size != m or not np.isfinite(y).all():
            return 0.0, status, shares
        return dual_value(rhs, row, col, val, cost, y), status, shares


def dual_value(
    rhs: FloatArray, row: IntArray, col: IntArray, val: FloatArray, cost: FloatArray, y: FloatArray
) -> float:
    """The Lagrangian value of  min c·x, A x ≥ rhs, 0 ≤ x ≤ 1  at row prices y clipped to ≥ 0
    (A given by its entries row, col, val): Σ y·rhs + Σ_j min(0, c_j − (Aᵀy)_j). It is ≤ the
    LP's minimum for every such y, so a bound whatever the solver returned; 0 (L(0) itself)
    if it comes out negative."""
    y = np.maximum(y, 0.0)
    reduced = cost - np.bincount(col, weights=val * y[row], minlength=cost.size)
    return max(float(rhs @ y + np.minimum(reduced, 0.0).sum()), 0.0)
