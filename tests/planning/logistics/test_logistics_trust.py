"""Never trust the planner: the verifier catches broken plans, and the bound is checked
against an independent integer model of the exact problem."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lx_support import lane, line, node, reference_optimum

from coalition.planning.logistics import (
    Closure,
    Leg,
    Network,
    NodeKind,
    Parameters,
    PlanStatus,
    Shipment,
    plan_routes,
    verify,
)

P = Parameters(horizon_days=12, time_limit_s=10.0)


def network() -> Network:
    return Network(
        (
            node("D", NodeKind.DEPOT),
            node("H", NodeKind.HUB, 6.0),
            node("X", NodeKind.DELIVERY),
        ),
        (
            lane("D", "H", days=2, cap=5.0, cost=5.0, outsize=1),
            lane("H", "X", days=1, cap=5.0, cost=3.0, outsize=1),
            lane("D", "X", days=6, cap=100.0, cost=20.0, outsize=5),
        ),
    )


LINES = [
    line("A", "D", "X", 4, release=0, needed=3, priority=2.0),
    line("B", "D", "X", 3, mass=2.0, release=1, needed=4),
    line("V", "D", "X", 2, mass=3.0, release=0, needed=9, outsize=True),
]


@pytest.fixture(scope="module")
def plan():
    p = plan_routes(network(), LINES, parameters=P)
    assert verify(network(), LINES, p) == []
    return p


def with_shipments(plan, shipments):
    return replace(plan, shipments=tuple(shipments))


def test_a_sound_plan_has_no_problems(plan):
    assert plan.status is not PlanStatus.ERROR and plan.problems == ()


def test_the_verifier_catches_a_lane_over_capacity(plan):
    doubled = [*plan.shipments, *plan.shipments]
    problems = verify(network(), LINES, with_shipments(plan, doubled))
    assert any("over its" in p for p in problems)
    assert any("routed +" in p for p in problems)  # and the units no longer add up


def test_the_verifier_catches_a_departure_before_release(plan):
    s = next(s for s in plan.shipments if s.line == "B")
    early = replace(
        s,
        start_day=0,
        legs=tuple(Leg(g.lane, g.departure_day - 1, g.arrival_day - 1) for g in s.legs),
    )
    broken = [early if x is s else x for x in plan.shipments]
    problems = verify(network(), LINES, with_shipments(plan, broken))
    assert any("before release" in p for p in problems)


def test_the_verifier_catches_a_wrong_transit_time_and_a_broken_chain(plan):
    s = plan.shipments[0]
    g = s.legs[0]
    bad = replace(s, legs=(Leg(g.lane, g.departure_day, g.arrival_day + 1), *s.legs[1:]))
    problems = verify(network(), LINES, with_shipments(plan, [bad, *plan.shipments[1:]]))
    assert any("transit time" in p for p in problems)
    skip = replace(s, legs=s.legs[1:]) if len(s.legs) > 1 else replace(s, legs=())
    problems = verify(network(), LINES, with_shipments(plan, [skip, *plan.shipments[1:]]))
    assert problems


def test_the_verifier_catches_a_closed_lane_or_node(plan):
    s = plan.shipments[0]
    g = s.legs[0]
    closed = network().with_closures((Closure(g.lane, g.departure_day, g.departure_day),))
    assert any("closed" in p for p in verify(closed, LINES, plan))
    hub = network().with_closures((Closure("X", 0, 11),))
    assert any("closed" in p for p in verify(hub, LINES, plan))


def test_the_verifier_catches_hub_handling_and_outsize_over_the_limit(plan):
    tight = Network(
        tuple(replace(n, handling_t_per_day=0.5) if n.id == "H" else n for n in network().nodes),
        tuple(replace(e, outsize_per_day=0) for e in network().lanes),
    )
    problems = verify(tight, LINES, plan)
    assert any(p.startswith("node H") for p in problems) or not any(
        g.lane.startswith("DH") for s in plan.shipments for g in s.legs
    )
    assert any("outsize" in p for p in problems)


def test_the_verifier_recomputes_the_figures(plan):
    assert any(
        "weighted lateness" in p
        for p in verify(
            network(), LINES, replace(plan, weighted_lateness=plan.weighted_lateness - 1)
        )
    )
    assert any(
        "cost is" in p for p in verify(network(), LINES, replace(plan, cost=plan.cost * 0.5))
    )
    above = replace(plan, lower_bound=plan.objective + 1.0)
    assert any("lies above" in p for p in verify(network(), LINES, above))
    assert any("gap" in p for p in verify(network(), LINES, replace(plan, gap=0.5)))
    fake = Shipment("A", 1, (Leg("DXr6", 0, 6),), 0)
    assert any(
        "differ" in p
        for p in verify(network(), LINES, with_shipments(plan, [*plan.shipments[1:], fake]))
    )


def test_a_broken_rule_is_reported_as_an_error_never_as_optimal(monkeypatch):
    from coalition.planning.logistics import solve as solve_module

    monkeypatch.setattr(
        solve_module, "routing_objective", lambda *a, **k: (0.0, 0.0)
    )  # a planner bug: it under-reports its own figures
    p = plan_routes(network(), LINES, parameters=P)
    assert p.status is PlanStatus.ERROR and p.problems


# ---- the bound against the integer optimum of an independent model -------------------------


@st.composite
def cases(draw):
    names = ["D", "E", "H", "X", "Y"]
    kinds = [NodeKind.DEPOT, NodeKind.DEPOT, NodeKind.HUB, NodeKind.DELIVERY, NodeKind.DELIVERY]
    nodes = tuple(
        node(n, k, draw(st.sampled_from([2.0, 4.0, 1e9])))
        for n, k in zip(names, kinds, strict=True)
    )
    pairs = [("D", "H"), ("E", "H"), ("H", "X"), ("H", "Y"), ("D", "X"), ("E", "Y")]
    lanes = tuple(
        lane(
            a,
            b,
            days=draw(st.integers(1, 3)),
            cap=draw(st.sampled_from([1.0, 2.0, 3.0, 5.0])),
            cost=float(draw(st.integers(1, 9))),
            outsize=draw(st.integers(0, 2)),
        )
        for a, b in pairs
    )
    n_lines = draw(st.integers(1, 4))
    lines = [
        line(
            f"L{i}",
            draw(st.sampled_from(["D", "E"])),
            draw(st.sampled_from(["X", "Y"])),
            draw(st.integers(1, 4)),
            mass=draw(st.sampled_from([0.5, 1.0, 2.0])),
            release=draw(st.integers(0, 2)),
            needed=draw(st.integers(2, 6)),
            priority=draw(st.sampled_from([1.0, 3.0])),
            outsize=draw(st.booleans()),
        )
        for i in range(n_lines)
    ]
    return Network(nodes, lanes), lines


@settings(
    max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(cases())
def test_bound_below_the_integer_optimum_and_plan_above_it(case):
    net, lines = case
    p = Parameters(horizon_days=8, time_limit_s=10.0, lateness_eur=100.0, max_passes=3)
    plan = plan_routes(net, lines, parameters=p)
    assert verify(net, lines, plan) == []
    assert plan.status is not PlanStatus.ERROR
    best = reference_optimum(net, lines, p)
    tol = 1e-6 * max(1.0, abs(best))
    assert plan.lower_bound <= best + tol
    assert plan.objective >= best - tol


@settings(
    max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(cases(), st.sampled_from([None, 0.7, 2.0]))
def test_every_order_and_the_fresh_batches_keep_every_rule(case, atc_days):
    """The orders of the passes' portfolio and the fresh batches (switched on from the start
    here) give plans the checker accepts, never below the integer optimum."""
    from unittest import mock

    from coalition.planning.logistics import solve as solve_module

    net, lines = case
    p = Parameters(horizon_days=8, time_limit_s=10.0, lateness_eur=100.0, max_passes=1)
    with (
        mock.patch.object(solve_module, "ORDERS", (atc_days,)),
        mock.patch.object(solve_module, "FRESH_SHARE", 0.0),
    ):
        plan = plan_routes(net, lines, parameters=p)
    assert verify(net, lines, plan) == []
    assert plan.status is not PlanStatus.ERROR
    best = reference_optimum(net, lines, p)
    assert plan.objective >= best - 1e-6 * max(1.0, abs(best))
