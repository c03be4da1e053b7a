"""`plan_routes`: a proven bound and a priced priority routing, checked before it is reported.

1. λ = 0 evaluation (`lagrange.evaluate`): every line's cheapest path ignoring capacity. Its
   value is a bound (weak: it ignores the shared capacities) and tells which lines have a path.
2. The flow bound (`bound.flow_bound`): one min-cost flow over the full daily network that
   keeps every lane and hub capacity, in a forked worker process while the plan is routed
   (stopped at the time limit if it has not finished).
3. The cut bound (`cuts.cut_bound`): L(0) plus what the lanes and hubs that some lines
   cannot get around force those lines to leave unrouted or deliver late.
4. The plan (`primal.route`): priority-ordered routing on residual capacities (the units the
   cut bound's LP leaves out routed after all others), a portfolio of orders while it fits in
   `PASS_SHARE` of the time limit, then rip-up and re-route (`repair.rip_up`, a
   large-neighbourhood search) with the time left; once the flow bound has finished, a second
   search with another seed on the other core (`_improve`).
5. The bound reported is the largest of the three; the plan is checked by `verify.verify`
   (independent of all of the above) before its status is set: a broken rule makes it an error.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from .bound import FlowBound, flow_bound
from .cuts import cut_bound
from .lagrange import Evaluation, Multipliers, Rows, evaluate, make_rows
from .model import (
    Eta,
    FloatArray,
    IntArray,
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
from .network import Arrays, build_arrays, unrouted_penalty
from .primal import Residual, Routing, route, routing_objective, usage
from .repair import rip_up


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
    """Route every line; see the module docstring and docs/logistics.md."""
    p = parameters_for(parameters, horizon, time_limit)
    started = time.monotonic()
    deadline = started + p.time_limit_s
    a = build_arrays(network, lines, p.horizon_days)
    le, pen = p.lateness_eur, p.penalty_days()

    rows = make_rows(a, np.arange(a.origin.size), "min")
    lam = Multipliers.zeros(a)
    ev = _eval(a, rows, lam, p)
    # A row closes only arcs too small for its lightest line; lines heavier than the smallest
    # lane or hub get a row of their own mass, so that "no path" and the bound are exact.
    heavy = np.flatnonzero(a.mass > _smallest_room(a))
    if heavy.size:
        own = _eval(a, make_rows(a, heavy, "class", per_octave=8), lam, p)
        ev.has_path[heavy] = own.has_path[heavy]
        ev.unit_value[heavy] = own.unit_value[heavy]
        ev.earliest[heavy] = own.earliest[heavy]
        ev.value = float(a.qty @ ev.unit_value)
    bound_job = _start_bound(a, le, pen, ev.has_path)
    cut = cut_bound(
        a,
        ev.unit_value,
        unrouted_penalty(a, le, pen),
        le * a.priority,
        ev.has_path,
        time_limit=0.1 * p.time_limit_s,
    )
    held = np.floor(cut.left_out * a.qty + 0.5).astype(np.int64)
    routing, passes = _passes(
        a,
        lam,
        ev.has_path,
        ev.earliest,
        held,
        p,
        deadline,
        started + PASS_SHARE * p.time_limit_s,
    )
    routing = _improve(a, routing, lam, ev.has_path, p, deadline, bound_job)
    found = _finish_bound(bound_job, deadline)
    bound = ev.value + cut.extra
    notes: list[str] = []
    if found is not None and found.status == "optimal":
        bound = max(bound, found.value)
    else:
        notes.append("the flow bound did not finish within the time limit")
    return assemble(
        network,
        lines,
        a,
        routing,
        bound=bound,
        iterations=passes,
        seconds=time.monotonic() - started,
        parameters=p,
        multipliers=lam,
        notes=tuple(notes),
    )


_Job = tuple[Any, Any] | FlowBound
# Below this many lane-days the bound is computed inline (a fork costs more than the solve).
INLINE_BOUND_ARCS = 20_000


def _improve(
    a: Arrays,
    routing: Routing,
    lam: Multipliers,
    has_path: np.ndarray,
    p: Parameters,
    deadline: float,
    bound_job: _Job,
) -> Routing:
    """The rip-up (`repair.rip_up`) with the time left. As soon as the flow bound has
    finished (checked before every step), the other core runs a second search with another
    seed, from the first search's incumbent at that moment, in a forked process, and the
    better plan is kept: on bench M the search's luck varies by about ±0.15 M EUR between
    seeds. Checked only once, when the passes ended, the bound was at times still running on
    bench M (3.5 s alone, more beside the passes), and the second core then idled for the
    whole search. No second search starts in the last `LATE_FORK_SHARE` of the limit, nor on
    instances small enough for the bound to be computed inline (a fork costs more than it
    would find)."""
    stop = deadline - 0.05 * p.time_limit_s
    args = (lam, has_path, p.lateness_eur, p.penalty_days(), p.rows_per_chunk, stop)
    last_fork = stop - LATE_FORK_SHARE * p.time_limit_s
    other: list[tuple[Any, Any]] = []

    def start_other(current: Routing) -> None:
        if not other and time.monotonic() < last_fork and _done(bound_job):
            other.append(_fork(_search_worker, (a, current, *args, 1)))

    forks = not isinstance(bound_job, FlowBound)
    best = _search(a, routing, *args, 0, start_other if forks else None)
    if other:
        theirs = _collect(other[0], deadline)
        if isinstance(theirs, Routing) and _value(a, theirs, p) < _value(a, best, p):
            best = theirs
    return best


# No second search is forked once less than this share of the time limit is left before the
# search's stop.
LATE_FORK_SHARE = 0.1


def _search(
    a: Arrays,
    routing: Routing,
    lam: Multipliers,
    has_path: np.ndarray,
    le: float,
    pen: int,
    chunk: int,
    stop: float,
    seed: int,
    each_step: Callable[[Routing], None] | None = None,
) -> Routing:
    found, _ = rip_up(
        a,
        routing,
        lam,
        has_path,
        lateness_eur=le,
        penalty_days=pen,
        chunk=chunk,
        deadline=stop,
        seed=seed,
        each_step=each_step,
    )
    return found


def _search_worker(*args: Any) -> None:
    *rest, send = args
    send.send(_search(*rest))
    send.close()


def _value(a: Arrays, routing: Routing, p: Parameters) -> float:
    wl, cost = routing_objective(a, routing, p.lateness_eur, p.penalty_days())
    return p.lateness_eur * wl + cost


def _bound_worker(a: Arrays, le: float, pen: int, routable: np.ndarray, send: Any) -> None:
    send.send(flow_bound(a, le, pen, routable))
    send.close()


def _start_bound(a: Arrays, le: float, pen: int, routable: np.ndarray) -> _Job:
    """The flow bound in a forked process (OR-Tools holds the GIL while it solves, and a
    process can be stopped at the hard time limit); inline where fork is not available."""
    if "fork" not in mp.get_all_start_methods() or a.E * a.T < INLINE_BOUND_ARCS:
        return flow_bound(a, le, pen, routable)
    return _fork(_bound_worker, (a, le, pen, routable))


def _fork(target: Any, args: tuple[Any, ...]) -> tuple[Any, Any]:
    """`target(*args, send)` in a forked process; (process, the end that receives)."""
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=target, args=(*args, send), daemon=True)
    proc.start()
    send.close()
    return proc, recv


def _done(job: _Job) -> bool:
    """The bound is known (inline) or its process has sent it."""
    return isinstance(job, FlowBound) or bool(job[1].poll(0))


def _finish_bound(job: _Job, deadline: float) -> FlowBound | None:
    if isinstance(job, FlowBound):
        return job
    found = _collect(job, deadline)
    return found if isinstance(found, FlowBound) else None


def _collect(job: tuple[Any, Any], deadline: float) -> Any:
    """What a forked process sent by the deadline (None if nothing); the process is then
    stopped."""
    proc, recv = job
    found: Any = None
    try:
        if recv.poll(max(0.0, deadline - time.monotonic())):
            found = recv.recv()
    except EOFError:
        found = None
    finally:
        recv.close()
        proc.join(timeout=0.5)
        if proc.is_alive():
            proc.terminate()
            proc.join()
    return found


# The orders the passes try, best first as measured on bench M: ("apparent tardiness cost",
# K days) discounts a line's lateness price per tonne by exp(−slack/K); None: the price alone.
# The greedy is chaotic in the order (K = 2 gave 13.6 k weighted unit-days late, 1.5 gave
# 16.3 k), so a portfolio, best kept, is worth more than any one rule.
ORDERS: tuple[float | None, ...] = (2.0, None, 3.0, 0.7, 5.0, 1.5)
# A pass that has used this share of the time limit computes its rows in small batches, each
# on what the earlier ones left (primal.route's `fresh_from`): bench L's routing then finishes.
FRESH_SHARE = 0.4
# Passes after the first start only while they fit before this share of the time limit; the
# rest goes to the rip-up. On bench M one pass takes a fifth of the limit and the later orders
# of the portfolio never beat the first (24.70 M), while the rip-up took that plan to 21.6 M.
PASS_SHARE = 0.2


def _passes(
    a: Arrays,
    lam: Multipliers,
    has_path: np.ndarray,
    earliest: np.ndarray,
    held: IntArray,
    p: Parameters,
    deadline: float,
    passes_end: float,
) -> tuple[Routing, int]:
    """Route once per order in `ORDERS`, then again with the best order and the lines that
    came out late moved up ("squeaky wheel": each pass adds a line's days late to its boost,
    lines with more boost go first). A pass after the first starts only if it is expected to
    end by `passes_end`; the best plan is kept. The first pass has the whole time limit and
    switches to fresh batches once it has used `FRESH_SHARE` of it (so that a large instance
    gets a complete plan).

    `held` units per line (those the cut LP leaves out, `cuts.CutBound.left_out`) are routed
    after every other unit, on what the others left. On bench L the ring road's links are cuts
    for many lines, each crossing several links; the greedy order (lateness price per tonne)
    does not see how many bottlenecks a line uses, the LP does. Routing first what the LP
    routes took the first pass from 16,005 units unrouted to 11,614 (1.60 → 1.33·10¹⁰ EUR)."""
    le = p.lateness_eur
    stop = deadline - 0.05 * p.time_limit_s
    slack = (a.needed - earliest).astype(np.float64)
    boost = np.zeros(a.origin.size)
    best: Routing | None = None
    best_order: float | None = ORDERS[0]
    upper = np.inf
    passes, took = 0, 0.0
    while True:
        t0 = time.monotonic()
        portfolio = passes < len(ORDERS)
        order = ORDERS[passes] if portfolio else best_order
        res = Residual.full(a)
        phases = [a.qty - held, held.copy()] if held.any() else [a.qty.copy()]
        routing = Routing()
        for units in phases:
            routing = routing.plus(
                route(
                    a,
                    units,
                    res,
                    lam,
                    has_path,
                    lateness_eur=le,
                    chunk=p.rows_per_chunk,
                    deadline=stop,
                    boost=None if portfolio else boost,
                    slack=slack,
                    atc_days=order,
                    fresh_from=t0 + FRESH_SHARE * p.time_limit_s if passes == 0 else None,
                )
            )
        passes += 1
        took = max(took, time.monotonic() - t0)
        value = _value(a, routing, p)
        if best is None or value < upper:
            best, upper, best_order = routing, value, order
        if passes >= p.max_passes or time.monotonic() + 1.2 * took > min(stop, passes_end):
            break
        if not portfolio or passes == len(ORDERS):
            late = _days_late(a, best if passes == len(ORDERS) else routing)
            if not late.any():
                break
            boost += late
    return best, passes


def _days_late(a: Arrays, routing: Routing) -> FloatArray:
    late = np.zeros(a.origin.size)
    for (line, legs), _ in routing.shipments.items():
        arrival = legs[-1][2] if legs else int(a.release[line])
        late[line] = max(late[line], arrival - int(a.needed[line]))
    for line, (_, reason) in routing.unrouted.items():
        if reason is UnroutedReason.NO_CAPACITY:
            late[line] = max(late[line], a.T - int(a.needed[line]))
    return np.maximum(late, 0.0)


def _smallest_room(a: Arrays) -> float:
    lanes = a.cap_t[a.available]
    hubs = a.cap_h[np.isfinite(a.cap_h) & (a.cap_h > 0)]
    both = np.concatenate([lanes, hubs])
    return float(both.min()) if both.size else np.inf


def _eval(a: Arrays, rows: Rows, lam: Multipliers, p: Parameters) -> Evaluation:
    ev, _ = evaluate(
        a,
        rows,
        lam,
        lateness_eur=p.lateness_eur,
        penalty_days=p.penalty_days(),
        chunk=p.rows_per_chunk,
    )
    return ev


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
    notes: tuple[str, ...] = (),
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
    lateness, cost = routing_objective(
        a, routing, parameters.lateness_eur, parameters.penalty_days()
    )
    lane_t, lane_o, node_t = usage(a, routing.shipments)
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
        notes=notes,
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
