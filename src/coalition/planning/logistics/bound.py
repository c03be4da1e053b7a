"""The proven lower bound: one min-cost flow that keeps every shared capacity (OR-Tools).

A relaxation of the exact problem, solved exactly. All lines become one commodity, in
kilograms, over the full daily time-expanded network:

    S(v, t)  goods stored at v on day t        S(v, t) → S(v, t+1)        free, unlimited
    A(v, t)  goods unloaded at v on day t      A(v, t) → S(v, t)          ≤ handling(v, t)
    D(v, t)  goods loaded at v on day t        S(v, t) → D(v, t)          ≤ handling(v, t)
    lane e departing day t                     D(u, t) → A(w, t + τ_e)    ≤ lane tonnes(e, t)
    line l                                     S(dest, t) → K_l           lateness price
                                               S(origin, release) → K_l   unrouted penalty

Each line's tonnes are supplied at S(origin, release) and demanded at its sink K_l; the arc
S(dest, t) → K_l costs late_eur · w / m per tonne for each day after needed-by.

Why it is a relaxation (every feasible plan maps onto a flow that costs no more than the
plan's objective):
* summing the lines' flows gives a feasible flow: lane tonnes are the same, and a node's
  unloaded and loaded tonnes are each ≤ its handling (the exact rule bounds their sum);
* the flow may swap goods between lines (origin and release are pooled); outsize item limits
  are dropped;
* costs are rounded down to 0.1 EUR per tonne, capacities rounded up and demands rounded down
  to whole kilograms: each rounding can only lower the optimum.
So the flow's optimum, read back exactly from integers, is ≤ the optimum of the exact problem.
Network simplex / cost scaling solve it to optimality: the bound is proven, not estimated.
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


@dataclass(frozen=True)
class FlowBound:
    value: float  # EUR, a lower bound on lateness_eur · weighted lateness + cost
    status: str
    arcs: int
    nodes: int


def _cap(x: np.ndarray) -> IntArray:
    """Capacities in kg rounded up; unlimited as a big number."""
    out: IntArray = np.where(np.isfinite(x), np.ceil(np.where(np.isfinite(x), x, 0) * KG_PER_T - 1e-9), _BIG).astype(np.int64)
    return np.maximum(out, 0)


def flow_bound(a: Arrays, lateness_eur: float, penalty_days: int) -> FlowBound:
    T, V, L = a.T, a.V, a.origin.size
    VT = V * T
    node = np.arange(VT).reshape(V, T)
    S, A, D = node, node + VT, node + 2 * VT
    K0 = 3 * VT
    tails: list[IntArray] = []
    heads: list[IntArray] = []
    caps: list[IntArray] = []
    costs: list[IntArray] = []

    def arcs(t: np.ndarray, h: np.ndarray, c: np.ndarray, w: np.ndarray) -> None:
        tails.append(t.reshape(-1).astype(np.int64))
        heads.append(h.reshape(-1).astype(np.int64))
        caps.append(c.reshape(-1).astype(np.int64))
        costs.append(w.reshape(-1).astype(np.int64))

    zeros_w = np.zeros((V, T - 1), dtype=np.int64)
    arcs(S[:, :-1], S[:, 1:], np.full((V, T - 1), _BIG), zeros_w)
    hcap = _cap(a.cap_h)
    open_node = hcap > 0
    arcs(A[open_node], S[open_node], hcap[open_node], np.zeros(int(open_node.sum())))
    arcs(S[open_node], D[open_node], hcap[open_node], np.zeros(int(open_node.sum())))
    e_idx, t_idx = np.nonzero(a.available)
    lane_cost = np.floor(a.cost * COST_SCALE + 1e-9).astype(np.int64)
    arcs(
        D[a.u[e_idx], t_idx],
        A[a.v[e_idx], t_idx + a.tau[e_idx]],
        _cap(a.cap_t[e_idx, t_idx]),
        lane_cost[e_idx],
    )
    ok = np.flatnonzero(a.release < T)
    kg = np.floor(a.qty * a.mass * KG_PER_T + 1e-9).astype(np.int64)
    per_t_day = lateness_eur * a.priority / a.mass  # EUR per tonne per day late
    # sink arcs: one free arc on the needed-by day (earlier arrivals wait for it), then one
    # per later day at its lateness price
    first = np.clip(a.needed[ok], a.release[ok], T - 1)
    arcs(S[a.dest[ok], first], K0 + ok, kg[ok], np.floor(per_t_day[ok] * COST_SCALE * np.maximum(0, first - a.needed[ok]) + 1e-9))
    span = T - 1 - first
    rep = np.repeat(np.arange(ok.size), span)
    offs = np.arange(rep.size) - np.repeat(np.cumsum(span) - span, span) + 1
    lines = ok[rep]
    day = first[rep] + offs
    arcs(
        S[a.dest[lines], day],
        K0 + lines,
        kg[lines],
        np.floor(per_t_day[lines] * COST_SCALE * (day - a.needed[lines]) + 1e-9),
    )
    penalty = per_t_day * unrouted_days(a, penalty_days)
    arcs(S[a.origin[ok], a.release[ok]], K0 + ok, kg[ok], np.floor(penalty[ok] * COST_SCALE + 1e-9))
    smcf = min_cost_flow.SimpleMinCostFlow()
    tail = np.concatenate(tails)
    smcf.add_arcs_with_capacity_and_unit_cost(
        tail, np.concatenate(heads), np.concatenate(caps), np.concatenate(costs)
    )
    supply = np.zeros(K0 + L, dtype=np.int64)
    np.add.at(supply, S[a.origin[ok], a.release[ok]], kg[ok])
    supply[K0 + ok] -= kg[ok]
    smcf.set_nodes_supplies(np.arange(K0 + L), supply)
    status = smcf.solve()
    # lines released after the horizon are certainly unrouted: their penalty is exact
    late = np.setdiff1d(np.arange(L), ok)
    fixed = float(np.sum(a.qty[late] * lateness_eur * a.priority[late] * unrouted_days(a, penalty_days)[late]))
    if status != smcf.OPTIMAL:
        return FlowBound(fixed, str(status), int(tail.size), K0 + L)
    value = smcf.optimal_cost() / (KG_PER_T * COST_SCALE) + fixed
    return FlowBound(float(value), "optimal", int(tail.size), K0 + L)
