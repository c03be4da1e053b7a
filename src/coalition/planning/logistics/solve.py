"""`plan_routes`: Lagrangian bound and priced priority routing, checked before it is reported.

1. λ = 0: every line's cheapest path ignoring capacity. Its value is a (weak) bound, and tells
   which lines have a path at all.
2. A first plan by `primal.route` (an upper bound for the step size).
3. Subgradient steps on λ (Polyak's rule towards the best plan), each one exact evaluation of
   L(λ) (`lagrange.evaluate`); the best value is the proven bound. On a schedule, and once at
   the end with the best λ, a new plan is routed with the current prices; the best plan wins.
4. The plan is checked by `verify.verify` (independent of all of the above) before its status
   is set; a broken rule makes it an error.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from .lagrange import Evaluation, Multipliers, Rows, evaluate, make_rows, norm2, step, subgradient
from .model import (
    FloatArray,
    Eta,
    Leg,
    Line,
    Network,
    Parameters,
    PlanStatus,
    RoutePlan,
    Shipment,
    Unrouted,
    UnroutedReason,
)
from .network import Arrays, build_arrays
from .primal import Residual, Routing, route, routing_objective

# Routing again with new prices on these iterations (and at the end).
PRIMAL_AT = (3, 8, 16, 30, 50, 80, 120, 180, 260, 360)
# Halve the step factor after this many iterations without a better bound.
PATIENCE = 4


def parameters_for(
    parameters: Parameters | None, horizon: int | None, time_limit: float | None
) -> Parameters:
    p = parameters or Parameters()
    if horizon is not None:
        p = replace(p, horizon_days=int(horizon))
    if time_limit is not None:
        p = replace(p, time_limit_s=float(time_limit))
    return p


def plan_routes(
    network: Network,
    lines: Sequence[Line],
    horizon: int | None = None,
    time_limit: float | None = None,
    parameters: Parameters | None = None,
) -> RoutePlan:
    p = parameters_for(parameters, horizon, time_limit)
    started = time.monotonic()
    deadline = started + p.time_limit_s
    a = build_arrays(network, lines, p.horizon_days)
    rows = make_rows(a, np.arange(a.origin.size), "none")
    le, pen, chunk = p.lateness_eur, p.penalty_days(), p.rows_per_chunk

    lam = Multipliers.zeros(a)
    t0 = time.monotonic()
    ev, _ = _eval(a, rows, lam, p)
    eval_s = time.monotonic() - t0
    has_path = ev.has_path
    bound, best_lam = ev.value, lam.copy()

    def run_primal(prices: Multipliers) -> tuple[Routing, float]:
        remaining = a.qty.copy()
        # leave time to assemble and check the plan
        routing = route(
            a,
            remaining,
            Residual.full(a),
            prices,
            has_path,
            lateness_eur=le,
            chunk=chunk,
            deadline=deadline - 0.05 * p.time_limit_s,
        )
        wl, cost = routing_objective(a, routing, le, pen)
        return routing, le * wl + cost

    t0 = time.monotonic()
    best, upper = run_primal(lam)
    primal_s = time.monotonic() - t0
    theta, stale, iterations = 1.0, 0, 0
    primal_lam_used = True
    while iterations < p.max_iterations:
        if _gap(upper, bound) <= p.target_gap:
            break
        left = deadline - time.monotonic()
        if left < 1.5 * primal_s + eval_s + 0.1 * p.time_limit_s:
            break
        g = subgradient(a, lam, ev.usage)
        n2 = norm2(g)
        if n2 <= 0.0:
            break  # the relaxed paths respect every capacity: L(λ) is the optimum of the LP
        lam = step(lam, g, theta * max(upper - ev.value, 1e-9 * abs(upper)) / n2)
        iterations += 1
        t0 = time.monotonic()
        ev, _ = _eval(a, rows, lam, p)
        eval_s = max(eval_s, time.monotonic() - t0)
        if ev.value > bound:
            bound, best_lam, stale = ev.value, lam.copy(), 0
            primal_lam_used = False
        else:
            stale += 1
            if stale >= PATIENCE:
                theta, stale = theta / 2.0, 0
        if iterations in PRIMAL_AT:
            t0 = time.monotonic()
            routing, obj = run_primal(lam)
            primal_s = max(primal_s, time.monotonic() - t0)
            if obj < upper:
                best, upper = routing, obj
    if not primal_lam_used and deadline - time.monotonic() > primal_s:
        routing, obj = run_primal(best_lam)
        if obj < upper:
            best, upper = routing, obj
    return assemble(
        network,
        lines,
        a,
        best,
        bound=bound,
        iterations=iterations,
        seconds=time.monotonic() - started,
        parameters=p,
        multipliers=best_lam,
    )


def _eval(a: Arrays, rows: Rows, lam: Multipliers, p: Parameters) -> tuple[Evaluation, None]:
    ev, _ = evaluate(
        a,
        rows,
        lam,
        lateness_eur=p.lateness_eur,
        penalty_days=p.penalty_days(),
        chunk=p.rows_per_chunk,
    )
    return ev, None


def _gap(upper: float, lower: float) -> float:
    if upper <= lower:
        return 0.0
    return (upper - lower) / max(abs(upper), 1e-9)


def assemble(
    network: Network,
    lines: Sequence[Line],
    a: Arrays,
    routing: Routing,
    *,
    bound: float,
    iterations: int,
    seconds: float,
    parameters: Parameters,
    multipliers: Multipliers | None,
) -> RoutePlan:
    """The plan from a routing, its figures as the planner computes them, then checked."""
    from .verify import verify

    shipments: list[Shipment] = []
    for (line, legs), units in sorted(routing.shipments.items()):
        shipments.append(
            Shipment(
                line=a.line_ids[line],
                units=units,
                legs=tuple(Leg(a.lane_ids[e], dep, arr) for e, dep, arr in legs),
                start_day=int(a.release[line]),
            )
        )
    unrouted = tuple(
        Unrouted(a.line_ids[ln], units, reason)
        for ln, (units, reason) in sorted(routing.unrouted.items())
        if units > 0
    )
    lateness, cost = routing_objective(a, routing, parameters.lateness_eur, parameters.penalty_days())
    lane_t, lane_o, node_t = _usage(a, routing)
    objective = parameters.lateness_eur * lateness + cost
    gap = _gap(objective, bound)
    status = PlanStatus.OPTIMAL if gap <= 1e-9 else PlanStatus.FEASIBLE
    if any(u.reason is UnroutedReason.TIME_LIMIT for u in unrouted):
        status = PlanStatus.TIME_LIMIT
    plan = RoutePlan(
        status=status,
        horizon_days=a.T,
        shipments=tuple(shipments),
        etas=tuple(_etas(lines, shipments, unrouted)),
        unrouted=unrouted,
        weighted_lateness=lateness,
        cost=cost,
        objective=objective,
        lower_bound=bound,
        gap=gap,
        iterations=iterations,
        seconds=seconds,
        problems=(),
        lane_ids=a.lane_ids,
        node_ids=a.node_ids,
        lane_tonnes=lane_t,
        lane_outsize=lane_o,
        node_tonnes=node_t,
        lane_capacity=a.cap_t,
        lane_outsize_capacity=a.cap_o,
        node_capacity=a.cap_h,
        multipliers=(
            (multipliers.lane_t, multipliers.lane_o, multipliers.node) if multipliers else None
        ),
        parameters=parameters,
    )
    problems = verify(network, lines, plan)
    if problems:
        plan = replace(plan, status=PlanStatus.ERROR, problems=tuple(problems))
    return plan


def _usage(a: Arrays, routing: Routing) -> tuple[FloatArray, FloatArray, FloatArray]:
    lane_t = np.zeros((a.E, a.T))
    lane_o = np.zeros((a.E, a.T))
    node_t = np.zeros((a.V, a.T))
    for (line, legs), units in routing.shipments.items():
        t = units * float(a.mass[line])
        for e, dep, arr in legs:
            lane_t[e, dep] += t
            if a.outsize[line]:
                lane_o[e, dep] += units
            node_t[a.u[e], dep] += t
            node_t[a.v[e], arr] += t
    return lane_t, lane_o, node_t


def _etas(
    lines: Sequence[Line], shipments: Sequence[Shipment], unrouted: Sequence[Unrouted]
) -> list[Eta]:
    arrivals: dict[str, dict[int, int]] = {}
    for s in shipments:
        per = arrivals.setdefault(s.line, {})
        per[s.arrival_day] = per.get(s.arrival_day, 0) + s.units
    missing = {u.line: u.units for u in unrouted}
    out = []
    for ln in lines:
        per = arrivals.get(ln.id, {})
        last = max(per) if per else None
        out.append(
            Eta(
                line=ln.id,
                last_arrival_day=last,
                arrivals=tuple(sorted(per.items())),
                days_late=max(0, last - ln.needed_by_day) if last is not None else 0,
                unrouted_units=missing.get(ln.id, 0),
            )
        )
    return out
