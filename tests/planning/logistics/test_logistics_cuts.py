"""The cut bound (`cuts.cut_bound`): what a lane or hub that some lines cannot get around
forces them to leave unrouted. Hand-computed cases, the bound against the integer optimum of
the independent model on random tight networks, and the dual recomputation against an LP."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lx_support import lane, line, node, reference_optimum
from scipy.optimize import linprog

from coalition.planning.logistics import (
    Network,
    NodeKind,
    Parameters,
    PlanStatus,
    plan_routes,
    verify,
)
from coalition.planning.logistics.cuts import dual_value

P = Parameters(horizon_days=8, time_limit_s=10.0, lateness_eur=100.0)


def _penalty_per_unit(p: Parameters, priority: float, needed: int) -> float:
    # an unrouted unit counts as arriving `penalty_days` after the last day of the horizon
    return p.lateness_eur * priority * (p.horizon_days - 1 + p.penalty_days() - needed)


def bridged_network() -> Network:
    """From D, Y is reached only over H -> G (2 t a day, 1 day); from E, both X and Y over G.
    The pooled flow can feed D's lines to Y with E's goods, so it sees no shortage there."""
    return Network(
        (
            node("D", NodeKind.DEPOT),
            node("E", NodeKind.DEPOT),
            node("H", NodeKind.HUB),
            node("G", NodeKind.HUB),
            node("X", NodeKind.DELIVERY),
            node("Y", NodeKind.DELIVERY),
        ),
        (
            lane("D", "H", days=1, cap=100.0, cost=1.0),
            lane("H", "X", days=1, cap=100.0, cost=1.0),
            lane("H", "G", days=1, cap=2.0, cost=1.0),
            lane("G", "Y", days=1, cap=100.0, cost=1.0),
            lane("E", "G", days=1, cap=100.0, cost=1.0),
            lane("G", "X", days=1, cap=100.0, cost=1.0),
        ),
    )


def test_a_bridge_lane_forces_the_excess_unrouted_and_proves_the_plan_optimal():
    # A (from D) reaches Y only over H -> G, 2 t a day; B (from E) has roads of its own. The
    # pooled flow feeds A's destination with E's goods and sees no shortage; the cut does.
    # Over days 0..7 a unit on H -> G must leave H on days 1..5: 5 x 2 t = 10 t of A's 30 t.
    net = bridged_network()
    lines = [
        line("A", "D", "Y", 30, 1.0, release=0, needed=7, priority=1.0),
        line("B", "E", "X", 30, 1.0, release=0, needed=7, priority=1.0),
    ]
    plan = plan_routes(net, lines, parameters=P)
    assert verify(net, lines, plan) == []
    assert sum(s.units for s in plan.shipments if s.line == "A") == 10
    # A: 10 units at 3 EUR, 20 at the penalty; B: 30 units at 2 EUR, all on time (by hand)
    expected = 10 * 3.0 + 20 * _penalty_per_unit(P, 1.0, 7) + 30 * 2.0
    assert plan.objective == pytest.approx(expected)
    assert plan.lower_bound == pytest.approx(expected)
    assert plan.status is PlanStatus.OPTIMAL
    assert reference_optimum(net, lines, P) == pytest.approx(expected)


def test_a_bridge_lane_that_makes_units_queue_bounds_their_lateness():
    # A (from D, 10 t, needed on day 3) reaches Y only over H -> G, 2 t a day: 2 units cross
    # on each of days 1..5 and arrive on days 3..7, 0+1+2+3+4 days late each pair: 20 unit-days.
    # Nothing is overloaded over the horizon, so only the crossing days show it.
    net = bridged_network()
    lines = [
        line("A", "D", "Y", 10, 1.0, release=0, needed=3, priority=1.0),
        line("B", "E", "X", 10, 1.0, release=0, needed=7, priority=1.0),
    ]
    plan = plan_routes(net, lines, parameters=P)
    assert verify(net, lines, plan) == []
    expected = 10 * 3.0 + 20 * P.lateness_eur + 10 * 2.0
    assert reference_optimum(net, lines, P) == pytest.approx(expected)
    assert plan.objective == pytest.approx(expected)
    # a unit crossing late is counted at its lateness alone, not its 3 EUR of transport too
    # (a slower path may be the cheaper one): the 8 late units' transport is not in the bound
    assert plan.lower_bound == pytest.approx(expected - 8 * 3.0)


def test_a_hub_one_origin_cannot_get_around_bounds_by_its_handling():
    # A (from D) reaches X only through H, which handles 4 t a day (arrivals on days 1..6 can
    # still reach X by day 7: 24 t of A's 30 t); B (from E) and D's other road do not pass H.
    net = Network(
        (
            node("D", NodeKind.DEPOT),
            node("E", NodeKind.DEPOT),
            node("H", NodeKind.HUB, 4.0),
            node("K", NodeKind.HUB),
            node("G", NodeKind.HUB),
            node("X", NodeKind.DELIVERY),
            node("Y", NodeKind.DELIVERY),
        ),
        (
            lane("D", "H", days=1, cap=100.0, cost=1.0),
            lane("H", "X", days=1, cap=100.0, cost=1.0),
            lane("D", "K", days=1, cap=100.0, cost=1.0),
            lane("K", "Y", days=1, cap=100.0, cost=1.0),
            lane("E", "G", days=1, cap=100.0, cost=1.0),
            lane("G", "X", days=1, cap=100.0, cost=1.0),
            lane("G", "Y", days=1, cap=100.0, cost=1.0),
        ),
    )
    lines = [
        line("A", "D", "X", 30, 1.0, release=0, needed=7, priority=1.0),
        line("B", "E", "Y", 30, 1.0, release=0, needed=7, priority=1.0),
    ]
    plan = plan_routes(net, lines, parameters=P)
    assert verify(net, lines, plan) == []
    expected = 24 * 2.0 + 6 * _penalty_per_unit(P, 1.0, 7) + 30 * 2.0
    assert reference_optimum(net, lines, P) == pytest.approx(expected)
    assert plan.lower_bound == pytest.approx(expected)
    assert plan.objective == pytest.approx(expected)


@st.composite
def tight_chains(draw):
    """Depots D and E, hubs H and G, deliveries X and Y; some pairs have one way only, and
    capacities are small against the demand."""
    handling = st.sampled_from([2.0, 3.0, 6.0, 1e9])
    nodes = (
        node("D", NodeKind.DEPOT),
        node("E", NodeKind.DEPOT),
        node("H", NodeKind.HUB, draw(handling)),
        node("G", NodeKind.HUB, draw(handling)),
        node("X", NodeKind.DELIVERY, draw(handling)),
        node("Y", NodeKind.DELIVERY, draw(handling)),
    )
    pairs = [("D", "H"), ("E", "H"), ("H", "X"), ("H", "G"), ("G", "Y")]
    pairs += draw(st.sets(st.sampled_from([("E", "G"), ("D", "X"), ("G", "X")]), max_size=2))
    lanes = tuple(
        lane(
            a,
            b,
            days=draw(st.integers(1, 2)),
            cap=draw(st.sampled_from([1.0, 2.0, 4.0])),
            cost=float(draw(st.integers(1, 5))),
            outsize=draw(st.integers(0, 2)),
        )
        for a, b in sorted(pairs)
    )
    lines = [
        line(
            f"L{i}",
            draw(st.sampled_from(["D", "E"])),
            draw(st.sampled_from(["X", "Y"])),
            draw(st.integers(2, 8)),
            mass=draw(st.sampled_from([0.5, 1.0, 2.0])),
            release=draw(st.integers(0, 2)),
            needed=draw(st.integers(3, 7)),
            priority=draw(st.sampled_from([1.0, 3.0])),
            outsize=draw(st.booleans()),
        )
        for i in range(draw(st.integers(1, 4)))
    ]
    return Network(nodes, lanes), lines


@settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(tight_chains())
def test_the_bound_with_cuts_stays_below_the_integer_optimum(case):
    net, lines = case
    plan = plan_routes(net, lines, parameters=P)
    assert verify(net, lines, plan) == []
    assert plan.status is not PlanStatus.ERROR
    best = reference_optimum(net, lines, P)
    tol = 1e-6 * max(1.0, abs(best))
    assert plan.lower_bound <= best + tol
    assert plan.objective >= best - tol


@settings(max_examples=50, deadline=None, derandomize=True)
@given(st.integers(0, 10_000))
def test_the_recomputed_dual_value_never_exceeds_the_lp_minimum(seed):
    """Whatever row prices come back (here: random ones), the value is ≤ the LP optimum."""
    rng = np.random.default_rng(seed)
    m, n = int(rng.integers(1, 5)), int(rng.integers(1, 7))
    dense = rng.random((m, n)) * (rng.random((m, n)) < 0.7)
    rhs = rng.random(m) * dense.sum(axis=1)
    cost = rng.random(n) * 10
    row, col = np.nonzero(dense)
    val = dense[row, col]
    lp = linprog(cost, A_ub=-dense, b_ub=-rhs, bounds=(0, 1), method="highs")
    assert lp.status == 0
    for y in (rng.random(m) * 20, rng.normal(size=m) * 5, np.zeros(m)):
        assert dual_value(rhs, row, col, val, cost, y) <= lp.fun + 1e-9
    # at the LP's own prices the value is the LP optimum
    y_opt = -lp.ineqlin.marginals
    assert dual_value(rhs, row, col, val, cost, y_opt) == pytest.approx(lp.fun, abs=1e-7)
