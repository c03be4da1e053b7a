"""The proven lower bound: one min-cost flow that keeps every shared capacity (OR-Tools).

A relaxation of the exact problem, solved exactly. All lines become one commodity, in
kilograms, over the full daily time-expanded network:

    X(v, t)  goods waiting at their origin, not yet loaded     X(v, t) → X(v, t+1)   free
    H(v, t)  goods handled at v on day t                       X(v, t) → H(v, t)     free
                                                                H(v, t) → S(v, t)     ≤ handling
    S(v, t)  goods stored at v on day t (unlimited)             S(v, t) → S(v, t+1)   free
    lane e departing day t                                      S(u, t) → H(w, t+τ_e) ≤ lane t
    line l                                                      S(dest, t) → K_l      lateness
                                                                X(origin, release) → K_l  penalty

Each line's tonnes are supplied at X(origin, release) and demanded at its sink K_l; the arc
S(dest, t) → K_l costs late_eur · w / m per tonne for each day after needed-by.

Why it is a relaxation (every feasible plan maps onto a flow that costs no more than the
plan's objective): summing the lines' shipments gives a flow in which lane tonnes are the
same and each node-day's handled tonnes (unloaded + loaded at the start of a journey, the
exact rule) pass its H → S arc; a unit delivered on day t reaches its line's sink at that
day's price. What the flow drops: which line a unit belongs to (origins and releases are
pooled, so goods may be swapped between lines), and outsize item limits. Costs are rounded
down to 0.1 EUR per tonne, capacities up and demands down to whole kilograms: each rounding
can only lower the optimum. So the flow's optimum, read back exactly from integers, is ≤ the
optimum of the exact problem, and the min-cost-flow solver proves its optimum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from .model import IntArray
from .network import Arrays, unrouted_days

KG_PER_T = 1000
COST_SCALE = 10  # integer cost units per EUR per tonne (0.1 EUR/t resolution)
_BIG = 1 << 40
# Days after needed-by with an arc of their own into the line's sink; later arrivals are
# priced as the first day past the window (a relaxation; keeps the arc count near 30 per line).
LATE_WINDOW = 30


@dataclass(frozen=True)
class FlowBound:
    value: float  # EUR, a lower bound on lateness_eur · weighted lateness + cost
    status: str
    arcs: int
    nodes: int


def _cap(x: np.ndarray) -> IntArray:
    """Capacities in kg rounded up; unlimited as a big number."""
    finite = np.isfinite(x)
    kg = np.ceil(np.where(finite, x, 0.0) * KG_PER_T - 1e-9)
    out: IntArray = np.maximum(np.where(finite, kg, _BIG), 0).astype(np.int64)
    return out


@dataclass(frozen=True)
class FlowGraph:
    """The pooled flow network as arrays (one `add_arcs_with_capacity_and_unit_cost` call)."""

    tail: IntArray
    head: IntArray
    capacity: IntArray
    cost: IntArray
    supply: IntArray
    lane_arcs: slice  # the arcs of lane departures, in `np.nonzero(a.available)` order
    handling_arcs: slice  # H → S arcs of open node-days, in `np.nonzero(hcap > 0)` order
    lines: IntArray  # the lines in the flow

    def solve(self) -> tuple[min_cost_flow.SimpleMinCostFlow, int]:
        smcf = min_cost_flow.SimpleMinCostFlow()
        smcf.add_arcs_with_capacity_and_unit_cost(self.tail, self.head, self.capacity, self.cost)
        smcf.set_nodes_supplies(np.arange(self.supply.size), self.supply)
        return smcf, smcf.solve()


def flow_graph(
    a: Arrays,
    lateness_eur: float,
    penalty_days: int,
    lines: IntArray,
    cap_t: np.ndarray | None = None,
    cap_h: np.ndarray | None = None,
) -> FlowGraph:
    """The pooled network for `lines` (released within the horizon), on capacities `cap_t`
    (E, T) and `cap_h` (V, T) in tonnes (default: the full ones)."""
    T, V, L = a.T, a.V, a.origin.size
    VT = V * T
    node = np.arange(VT).reshape(V, T)
    S, H, X = node, node + VT, node + 2 * VT
    K0 = 3 * VT
    tails: list[IntArray] = []
    heads: list[IntArray] = []
    caps: list[IntArray] = []
    costs: list[IntArray] = []

    def arcs(t: np.ndarray, h: np.ndarray, c: np.ndarray, w: np.ndarray) -> slice:
        start = sum(x.size for x in tails)
        tails.append(t.reshape(-1).astype(np.int64))
        heads.append(h.reshape(-1).astype(np.int64))
        caps.append(c.reshape(-1).astype(np.int64))
        costs.append(w.reshape(-1).astype(np.int64))
        return slice(start, start + tails[-1].size)

    free = np.zeros((V, T - 1), dtype=np.int64)
    arcs(S[:, :-1], S[:, 1:], np.full((V, T - 1), _BIG), free)
    arcs(X[:, :-1], X[:, 1:], np.full((V, T - 1), _BIG), free)
    arcs(X, H, np.full((V, T), _BIG), np.zeros((V, T)))
    hcap = _cap(a.cap_h if cap_h is None else cap_h)
    open_node = _cap(a.cap_h) > 0
    handling = arcs(H[open_node], S[open_node], hcap[open_node], np.zeros(int(open_node.sum())))
    e_idx, t_idx = np.nonzero(a.available)
    lane_cost = np.floor(a.cost * COST_SCALE + 1e-9).astype(np.int64)
    lane_cap = a.cap_t if cap_t is None else cap_t
    lanes = arcs(
        S[a.u[e_idx], t_idx],
        H[a.v[e_idx], t_idx + a.tau[e_idx]],
        _cap(lane_cap[e_idx, t_idx]),
        lane_cost[e_idx],
    )
    ok = lines[a.release[lines] < T]
    kg = np.floor(a.qty * a.mass * KG_PER_T + 1e-9).astype(np.int64)
    per_t_day = lateness_eur * a.priority / a.mass  # EUR per tonne per day late
    # sink arcs: one on the needed-by day (earlier arrivals wait for it), then one per later
    # day at its lateness price
    first = np.clip(a.needed[ok], a.release[ok], T - 1)
    arcs(
        S[a.dest[ok], first],
        K0 + ok,
        kg[ok],
        np.floor(per_t_day[ok] * COST_SCALE * np.maximum(0, first - a.needed[ok]) + 1e-9),
    )
    last = np.minimum(T - 1, first + LATE_WINDOW)
    span = last - first
    rep = np.repeat(np.arange(ok.size), span)
    offs = np.arange(rep.size) - np.repeat(np.cumsum(span) - span, span) + 1
    sink_lines = ok[rep]
    day = first[rep] + offs
    arcs(
        S[a.dest[sink_lines], day],
        K0 + sink_lines,
        kg[sink_lines],
        np.floor(per_t_day[sink_lines] * COST_SCALE * (day - a.needed[sink_lines]) + 1e-9),
    )
    # Later than the window: goods wait at the destination to the last day and reach the
    # line through one pool per destination, at the price of the first day past the window
    # (no more than any later day's: still a relaxation).
    far_pos = np.flatnonzero(last < T - 1)
    far = ok[far_pos]
    dests = np.unique(a.dest[far])
    pool = K0 + L + np.arange(dests.size)
    pool_of = np.full(V, -1, dtype=np.int64)
    pool_of[dests] = pool
    arcs(S[dests, T - 1], pool, np.full(dests.size, _BIG), np.zeros(dests.size))
    arcs(
        pool_of[a.dest[far]],
        K0 + far,
        kg[far],
        np.floor(per_t_day[far] * COST_SCALE * (last[far_pos] + 1 - a.needed[far]) + 1e-9),
    )
    penalty = per_t_day * unrouted_days(a, penalty_days)
    arcs(
        X[a.origin[ok], a.release[ok]],
        K0 + ok,
        kg[ok],
        np.floor(penalty[ok] * COST_SCALE + 1e-9),
    )
    supply = np.zeros(K0 + L + dests.size, dtype=np.int64)
    np.add.at(supply, X[a.origin[ok], a.release[ok]], kg[ok])
    supply[K0 + ok] -= kg[ok]
    return FlowGraph(
        tail=np.concatenate(tails),
        head=np.concatenate(heads),
        capacity=np.concatenate(caps),
        cost=np.concatenate(costs),
        supply=supply,
        lane_arcs=lanes,
        handling_arcs=handling,
        lines=ok,
    )


def flow_bound(
    a: Arrays, lateness_eur: float, penalty_days: int, routable: np.ndarray | None = None
) -> FlowBound:
    """`routable` (per line) False marks lines no path can carry one unit of (see
    `lagrange.evaluate`): they are unrouted in every plan and pay their penalty exactly."""
    mask = a.release < a.T
    if routable is not None:
        mask &= routable
    g = flow_graph(a, lateness_eur, penalty_days, np.flatnonzero(mask))
    smcf, status = g.solve()
    # lines never routable (or released after the horizon) pay their penalty exactly
    out = np.flatnonzero(~mask)
    days = unrouted_days(a, penalty_days)[out]
    fixed = float(np.sum(a.qty[out] * lateness_eur * a.priority[out] * days))
    nodes = int(g.supply.size)
    if status != smcf.OPTIMAL:
        return FlowBound(fixed, str(status), int(g.tail.size), nodes)
    value = smcf.optimal_cost() / (KG_PER_T * COST_SCALE) + fixed
    return FlowBound(float(value), "optimal", int(g.tail.size), nodes)
