"""Disruption what-if: re-plan after closures, re-using the base plan.

Warm start: every base shipment that no closure touches stays as it is (same legs, same days);
its usage is taken off the capacities. Only the units of touched shipments (and units the base
could not route) are routed again, on the residual capacities, priced by the base plan's
multipliers. The base plan's lower bound stays a valid bound: closures only remove options, so
the new optimum cannot be below the old one.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from .lagrange import Multipliers, evaluate, make_rows
from .model import Closure, Line, LineDelay, Network, Parameters, RoutePlan, WhatIf
from .network import Arrays, build_arrays
from .primal import LegIdx, Residual, Routing, route
from .solve import assemble

_SATURATED = 1e-6


def _touched(a: Arrays, legs: Sequence[LegIdx]) -> bool:
    return any(not a.available[e, dep] for e, dep, _ in legs)


def whatif(
    network: Network,
    lines: Sequence[Line],
    base: RoutePlan,
    closures: Sequence[Closure],
    time_limit: float | None = None,
    parameters: Parameters | None = None,
) -> WhatIf:
    started = time.monotonic()
    p = parameters or base.parameters
    if time_limit is not None:
        p = replace(p, time_limit_s=float(time_limit))
    changed = network.with_closures(tuple(closures))
    a = build_arrays(changed, lines, base.horizon_days)
    line_at = {lid: i for i, lid in enumerate(a.line_ids)}
    lane_at = {lid: i for i, lid in enumerate(a.lane_ids)}

    kept = Routing()
    remaining = a.qty.copy()
    rerouted: set[str] = set()
    for s in base.shipments:
        i = line_at[s.line]
        legs = tuple((lane_at[g.lane], g.departure_day, g.arrival_day) for g in s.legs)
        if _touched(a, legs):
            rerouted.add(s.line)
            continue
        kept.shipments[(i, legs)] = kept.shipments.get((i, legs), 0) + s.units
        remaining[i] -= s.units
    res = Residual.after(a, kept.shipments)
    rerouted.update(u.line for u in base.unrouted)

    todo = np.flatnonzero(remaining > 0)
    rows = make_rows(a, todo, "none")
    reach, _ = evaluate(
        a,
        rows,
        Multipliers.zeros(a),
        lateness_eur=p.lateness_eur,
        penalty_days=p.penalty_days(),
        chunk=p.rows_per_chunk,
    )
    if base.multipliers is not None and base.multipliers[0].shape == (a.E, a.T):
        lam = Multipliers(*(m.copy() for m in base.multipliers))
    else:
        lam = Multipliers.zeros(a)
    fresh = route(
        a,
        remaining,
        res,
        lam,
        reach.has_path,
        lateness_eur=p.lateness_eur,
        chunk=p.rows_per_chunk,
        deadline=started + 0.95 * p.time_limit_s,
    )
    for key, units in fresh.shipments.items():
        kept.shipments[key] = kept.shipments.get(key, 0) + units
    kept.unrouted = fresh.unrouted
    kept.rounds = fresh.rounds
    plan = assemble(
        changed,
        lines,
        a,
        kept,
        bound=base.lower_bound,
        iterations=0,
        seconds=time.monotonic() - started,
        parameters=p,
        multipliers=lam,
    )
    return _delta(base, plan, lines, sorted(rerouted))


def _late_units(plan: RoutePlan, lines: Sequence[Line]) -> dict[str, int]:
    needed = {ln.id: ln.needed_by_day for ln in lines}
    late: dict[str, int] = {}
    for s in plan.shipments:
        if s.arrival_day > needed[s.line]:
            late[s.line] = late.get(s.line, 0) + s.units
    for u in plan.unrouted:
        late[u.line] = late.get(u.line, 0) + u.units
    return late


def _saturated(use: np.ndarray, cap: np.ndarray) -> np.ndarray:
    finite = np.isfinite(cap) & (cap > 0)
    out: np.ndarray = finite & (use >= cap - _SATURATED)
    return out


def _delta(base: RoutePlan, plan: RoutePlan, lines: Sequence[Line], rerouted: list[str]) -> WhatIf:
    T = plan.horizon_days
    never = T - 1 + plan.parameters.penalty_days()
    old = {e.line: e for e in base.etas}
    delayed = []
    for e in plan.etas:
        o = old[e.line]
        before = (
            never
            if o.unrouted_units
            else (o.last_arrival_day if o.last_arrival_day is not None else never)
        )
        after = (
            never
            if e.unrouted_units
            else (e.last_arrival_day if e.last_arrival_day is not None else never)
        )
        if after > before:
            delayed.append(
                LineDelay(e.line, o.last_arrival_day, e.last_arrival_day, after - before)
            )
    old_late, new_late = _late_units(base, lines), _late_units(plan, lines)
    newly_late = {
        lid: n - old_late.get(lid, 0) for lid, n in new_late.items() if n > old_late.get(lid, 0)
    }
    lanes_now = _saturated(plan.lane_tonnes, plan.lane_capacity) | _saturated(
        plan.lane_outsize, plan.lane_outsize_capacity
    )
    lanes_before = _saturated(base.lane_tonnes, plan.lane_capacity) | _saturated(
        base.lane_outsize, plan.lane_outsize_capacity
    )
    nodes_now = _saturated(plan.node_tonnes, plan.node_capacity)
    nodes_before = _saturated(base.node_tonnes, plan.node_capacity)
    new_lanes = np.argwhere(lanes_now & ~lanes_before)
    new_nodes = np.argwhere(nodes_now & ~nodes_before)
    return WhatIf(
        plan=plan,
        rerouted_lines=tuple(rerouted),
        delayed=tuple(delayed),
        newly_late_units=newly_late,
        newly_saturated_lanes=tuple((plan.lane_ids[i], int(d)) for i, d in new_lanes),
        newly_saturated_nodes=tuple((plan.node_ids[i], int(d)) for i, d in new_nodes),
    )
