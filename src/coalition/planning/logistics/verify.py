"""Never trust a solver's label: every rule re-checked from the shipments a plan returns.

Written against the input records only (`Network`, `Line`), not the planner's arrays, so a bug
in the model building or the path reading cannot hide here. Checked:

* each line: routed + unrouted units = quantity, positive whole units;
* each shipment: starts at its line's origin no earlier than the release day, legs connect
  (a leg departs from where the previous one arrived, not before it arrived), each leg takes
  its lane's transit time, the last arrives at the line's destination within the horizon;
* closures: no departure on a closed lane; no departure from, or arrival into, a closed node;
* capacities per day: lane tonnes, lane outsize items, node handling (tonnes unloaded, plus
  tonnes loaded at the start of their journey);
* the figures: weighted lateness, cost and objective recomputed; usage arrays as reported;
  ETAs; the bound does not exceed the objective and the gap is what it says.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .model import FloatArray, Line, Network, RoutePlan, Shipment

TOLERANCE = 1e-6


def _tol(*values: float) -> float:
    return TOLERANCE + 1e-9 * max((abs(v) for v in values if math.isfinite(v)), default=0.0)


@dataclass(frozen=True)
class Recomputed:
    lane_tonnes: FloatArray
    lane_outsize: FloatArray
    node_tonnes: FloatArray
    weighted_lateness: float  # routed units only
    cost: float


def usage_of(
    network: Network, horizon: int, lines: Sequence[Line], shipments: Sequence[Shipment]
) -> Recomputed:
    """Usage per lane/node and day, lateness and cost of shipments (unrouted units excluded)."""
    lane_at = {e.id: i for i, e in enumerate(network.lanes)}
    node_at = {n.id: i for i, n in enumerate(network.nodes)}
    line_by = {ln.id: ln for ln in lines}
    T = horizon
    lt = np.zeros((len(network.lanes), T))
    lo = np.zeros((len(network.lanes), T))
    nt = np.zeros((len(network.nodes), T))
    lateness = 0.0
    cost = 0.0
    for s in shipments:
        ln = line_by.get(s.line)
        if ln is None:
            continue
        tonnes = s.units * ln.unit_mass_t
        for k, leg in enumerate(s.legs):
            i = lane_at.get(leg.lane)
            if i is None or not (0 <= leg.departure_day < T and 0 <= leg.arrival_day < T):
                continue
            lane = network.lanes[i]
            lt[i, leg.departure_day] += tonnes
            if ln.outsize:
                lo[i, leg.departure_day] += s.units
            if k == 0:  # loaded at the start of the journey
                nt[node_at[lane.origin], leg.departure_day] += tonnes
            nt[node_at[lane.destination], leg.arrival_day] += tonnes  # unloaded
            cost += tonnes * lane.cost_per_t
        lateness += s.units * ln.priority * max(0, s.arrival_day - ln.needed_by_day)
    return Recomputed(lt, lo, nt, lateness, cost)


def _closed(network: Network) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for c in network.closures:
        out.setdefault(c.target, []).append((c.first_day, c.last_day))
    return out


def _is_closed(spans: dict[str, list[tuple[int, int]]], target: str, day: int) -> bool:
    return any(a <= day <= z for a, z in spans.get(target, ()))


def verify(network: Network, lines: Sequence[Line], plan: RoutePlan) -> list[str]:
    """Every rule the plan breaks, as sentences; empty when the plan is sound."""
    problems: list[str] = []
    T = plan.horizon_days
    lanes = {e.id: e for e in network.lanes}
    line_by = {ln.id: ln for ln in lines}
    closed = _closed(network)
    routed: dict[str, int] = {}
    for s in plan.shipments:
        ln = line_by.get(s.line)
        if ln is None:
            problems.append(f"shipment of unknown line {s.line}")
            continue
        if s.units < 1:
            problems.append(f"line {s.line}: shipment of {s.units} units")
        routed[s.line] = routed.get(s.line, 0) + s.units
        if s.start_day < ln.release_day:
            problems.append(f"line {s.line}: shipment starts day {s.start_day} before release")
        where, ready = ln.origin, s.start_day
        for leg in s.legs:
            lane = lanes.get(leg.lane)
            if lane is None:
                problems.append(f"line {s.line}: unknown lane {leg.lane}")
                break
            if lane.origin != where:
                problems.append(
                    f"line {s.line}: leg on {lane.id} departs {lane.origin}, goods at {where}"
                )
            if leg.departure_day < ready:
                problems.append(
                    f"line {s.line}: leg on {lane.id} departs day {leg.departure_day} before the "
                    f"goods are there (day {ready})"
                )
            if leg.arrival_day != leg.departure_day + lane.transit_days:
                problems.append(f"line {s.line}: leg on {lane.id} does not take its transit time")
            if not (leg.departure_day >= 0 and leg.arrival_day < T):
                problems.append(f"line {s.line}: leg on {lane.id} outside the horizon of {T} days")
            if _is_closed(closed, lane.id, leg.departure_day):
                problems.append(f"line {s.line}: lane {lane.id} closed on day {leg.departure_day}")
            if _is_closed(closed, lane.origin, leg.departure_day):
                problems.append(
                    f"line {s.line}: node {lane.origin} closed on day {leg.departure_day}"
                )
            if _is_closed(closed, lane.destination, leg.arrival_day):
                problems.append(
                    f"line {s.line}: node {lane.destination} closed on day {leg.arrival_day}"
                )
            if ln.outsize and lane.outsize_per_day <= 0:
                problems.append(f"line {s.line}: outsize units on {lane.id}, which takes none")
            where, ready = lane.destination, leg.arrival_day
        if where != ln.destination:
            problems.append(f"line {s.line}: a shipment ends at {where}, not {ln.destination}")
        if s.arrival_day >= T:
            problems.append(f"line {s.line}: arrives day {s.arrival_day}, after the horizon")
    unrouted: dict[str, int] = {}
    for u in plan.unrouted:
        if u.units < 1:
            problems.append(f"line {u.line}: {u.units} unrouted units")
        unrouted[u.line] = unrouted.get(u.line, 0) + u.units
    for ln in lines:
        total = routed.get(ln.id, 0) + unrouted.get(ln.id, 0)
        if total != ln.quantity:
            problems.append(
                f"line {ln.id}: {routed.get(ln.id, 0)} routed + {unrouted.get(ln.id, 0)} unrouted "
                f"≠ quantity {ln.quantity}"
            )
    for lid in set(unrouted) - set(line_by):
        problems.append(f"unrouted units of unknown line {lid}")

    use = usage_of(network, T, lines, plan.shipments)
    lane_list = list(network.lanes)
    for i, lane in enumerate(lane_list):
        over = np.flatnonzero(
            use.lane_tonnes[i] > lane.capacity_t_per_day + _tol(lane.capacity_t_per_day)
        )
        for d in over[:3]:
            problems.append(
                f"lane {lane.id} day {d}: {use.lane_tonnes[i, d]:.6g} t over its "
                f"{lane.capacity_t_per_day:.6g} t"
            )
        over = np.flatnonzero(use.lane_outsize[i] > lane.outsize_per_day + TOLERANCE)
        for d in over[:3]:
            problems.append(
                f"lane {lane.id} day {d}: {use.lane_outsize[i, d]:.0f} outsize items over its "
                f"{lane.outsize_per_day}"
            )
    for j, node in enumerate(network.nodes):
        cap = node.handling_t_per_day
        over = np.flatnonzero(use.node_tonnes[j] > cap + _tol(cap))
        for d in over[:3]:
            problems.append(
                f"node {node.id} day {d}: handles {use.node_tonnes[j, d]:.6g} t over {cap:.6g} t"
            )
        if node.id in closed:
            for d in np.flatnonzero(use.node_tonnes[j] > TOLERANCE):
                if _is_closed(closed, node.id, int(d)):
                    problems.append(f"node {node.id} handles goods on day {d}, when it is closed")

    p = plan.parameters
    penalty_days = p.penalty_days()
    lateness = use.weighted_lateness
    for u in plan.unrouted:
        ln = line_by.get(u.line)
        if ln is not None:
            lateness += u.units * ln.priority * max(0, T - 1 + penalty_days - ln.needed_by_day)
    objective = p.lateness_eur * lateness + use.cost
    if abs(lateness - plan.weighted_lateness) > _tol(lateness):
        problems.append(
            f"weighted lateness is {lateness:.9g}, the plan says {plan.weighted_lateness:.9g}"
        )
    if abs(use.cost - plan.cost) > _tol(use.cost):
        problems.append(f"cost is {use.cost:.9g}, the plan says {plan.cost:.9g}")
    if abs(objective - plan.objective) > _tol(objective):
        problems.append(f"objective is {objective:.9g}, the plan says {plan.objective:.9g}")
    if plan.lower_bound > objective + _tol(objective):
        problems.append(
            f"bound {plan.lower_bound:.9g} lies above the plan's objective {objective:.9g}"
        )
    expected_gap = (
        0.0
        if objective <= plan.lower_bound
        else (objective - plan.lower_bound) / max(abs(objective), 1e-9)
    )
    if abs(expected_gap - plan.gap) > 1e-9:
        problems.append(f"gap is {expected_gap:.6g}, the plan says {plan.gap:.6g}")
    for name, mine, theirs in (
        ("lane tonnes", use.lane_tonnes, plan.lane_tonnes),
        ("lane outsize", use.lane_outsize, plan.lane_outsize),
        ("node handling", use.node_tonnes, plan.node_tonnes),
    ):
        if mine.shape != theirs.shape or not np.allclose(mine, theirs, rtol=1e-9, atol=TOLERANCE):
            problems.append(f"reported {name} per day differ from the shipments")
    eta_by = {e.line: e for e in plan.etas}
    last: dict[str, int] = {}
    for s in plan.shipments:
        last[s.line] = max(last.get(s.line, -1), s.arrival_day)
    for ln in lines:
        e = eta_by.get(ln.id)
        if e is None:
            problems.append(f"line {ln.id}: no ETA")
        elif e.last_arrival_day != last.get(ln.id):
            problems.append(
                f"line {ln.id}: ETA {e.last_arrival_day}, last unit arrives {last.get(ln.id)}"
            )
    return problems
