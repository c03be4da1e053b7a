"""Plans on small networks whose optimal routes and dates are worked out by hand."""

from __future__ import annotations

import pytest
from lx_support import lane, line, node

from coalition.planning.logistics import (
    Closure,
    Network,
    NodeKind,
    Parameters,
    PlanStatus,
    UnroutedReason,
    plan_routes,
    verify,
)

P = Parameters(horizon_days=20, time_limit_s=10.0)


def legs(plan, line_id):
    return [
        [(g.lane, g.departure_day, g.arrival_day) for g in s.legs]
        for s in plan.shipments
        if s.line == line_id
    ]


def two_routes(hub_handling: float = 100.0, hx_cap: float = 100.0) -> Network:
    # D → H → X: 2 + 1 days at 5 + 3 EUR/t; D → X direct: 6 days at 20 EUR/t.
    return Network(
        (
            node("D", NodeKind.DEPOT),
            node("H", NodeKind.HUB, hub_handling),
            node("X", NodeKind.DELIVERY),
        ),
        (
            lane("D", "H", days=2, cap=10.0, cost=5.0),
            lane("H", "X", days=1, cap=hx_cap, cost=3.0),
            lane("D", "X", days=6, cap=100.0, cost=20.0),
        ),
    )


def test_an_urgent_line_takes_the_fast_route_on_the_first_day():
    lines = [line("A", "D", "X", 4, release=0, needed=3, priority=2.0)]
    plan = plan_routes(two_routes(), lines, parameters=P)
    assert plan.status is PlanStatus.OPTIMAL
    assert legs(plan, "A") == [[("DHr2", 0, 2), ("HXr1", 2, 3)]]
    assert plan.etas[0].last_arrival_day == 3 and plan.etas[0].days_late == 0
    assert plan.weighted_lateness == 0.0
    assert plan.cost == pytest.approx(4 * (5.0 + 3.0))
    assert plan.lower_bound == pytest.approx(plan.objective)
    assert verify(two_routes(), lines, plan) == []


def test_the_cheaper_route_wins_when_both_are_on_time():
    lines = [line("A", "D", "X", 2, release=0, needed=10)]
    net = Network(
        two_routes().nodes,
        (
            lane("D", "H", days=2, cap=10.0, cost=5.0),
            lane("H", "X", days=1, cap=100.0, cost=30.0),
            lane("D", "X", days=6, cap=100.0, cost=20.0),
        ),
    )
    plan = plan_routes(net, lines, parameters=P)
    assert legs(plan, "A") == [[("DXr6", 0, 6)]]
    assert plan.cost == pytest.approx(40.0)


def test_when_capacity_binds_the_lower_priority_line_is_late():
    # H → X takes 5 t a day; A (weight 2) and B (weight 1) both want 4 t on day 2.
    lines = [
        line("A", "D", "X", 4, release=0, needed=3, priority=2.0),
        line("B", "D", "X", 4, release=0, needed=3, priority=1.0),
    ]
    net = two_routes(hx_cap=5.0)
    plan = plan_routes(net, lines, parameters=P)
    etas = {e.line: e for e in plan.etas}
    assert etas["A"].arrivals == ((3, 4),)
    assert etas["B"].arrivals == ((3, 1), (4, 3))  # split: one unit on time, three a day late
    assert etas["B"].last_arrival_day == 4 and etas["B"].days_late == 1
    assert plan.weighted_lateness == pytest.approx(3.0)
    assert plan.objective == pytest.approx(1000.0 * 3.0 + 8 * 8.0)
    assert plan.lower_bound <= plan.objective + 1e-6
    assert verify(net, lines, plan) == []


def test_hub_handling_is_a_shared_daily_limit():
    # The hub unloads at most 4 t a day: 8 t arriving on day 2 cannot all be handled.
    lines = [line("A", "D", "X", 8, release=0, needed=3)]
    net = two_routes(hub_handling=4.0)
    plan = plan_routes(net, lines, parameters=P)
    assert plan.node_tonnes.max() <= 4.0 + 1e-9
    assert etas_of(plan, "A") == ((3, 4), (4, 4))
    assert verify(net, lines, plan) == []


def etas_of(plan, line_id):
    return next(e.arrivals for e in plan.etas if e.line == line_id)


def test_a_closed_lane_delays_departure_until_it_opens():
    net = two_routes().with_closures((Closure("DHr2", 0, 1),))
    lines = [line("A", "D", "X", 1, release=0, needed=5)]
    plan = plan_routes(net, lines, parameters=P)
    assert legs(plan, "A") == [[("DHr2", 2, 4), ("HXr1", 4, 5)]]


def test_unroutable_units_say_why():
    net = Network(
        (node("D", NodeKind.DEPOT), node("X", NodeKind.DELIVERY), node("Z", NodeKind.DELIVERY)),
        (lane("D", "X", days=1, cap=1.0, cost=1.0),),
    )
    lines = [
        line("A", "D", "X", 2, priority=2.0, needed=1),
        line("B", "D", "X", 2, priority=1.0, needed=1),
        line("C", "D", "Z", 1),  # Z cannot be reached
        line("H", "D", "X", 1, mass=5.0),  # no lane takes a 5 t unit
    ]
    plan = plan_routes(net, lines, parameters=Parameters(horizon_days=4, time_limit_s=5.0))
    why = {u.line: (u.units, u.reason) for u in plan.unrouted}
    # three departures (days 0..2) fit the 4-day horizon: A gets two, B one
    assert etas_of(plan, "A") == ((1, 1), (2, 1))
    assert why["B"] == (1, UnroutedReason.NO_CAPACITY)
    assert why["C"] == (1, UnroutedReason.NO_PATH)
    assert why["H"] == (1, UnroutedReason.NO_PATH)
    assert verify(net, lines, plan) == []


def test_outsize_items_respect_the_daily_item_limit_and_avoid_lanes_without_one():
    net = Network(
        (node("D", NodeKind.DEPOT), node("X", NodeKind.DELIVERY)),
        (
            lane("D", "X", days=1, cap=100.0, cost=1.0, outsize=0),
            lane(
                "D",
                "X",
                days=3,
                cap=100.0,
                cost=2.0,
                outsize=1,
                mode=__import__("coalition.planning.logistics", fromlist=["Mode"]).Mode.RAIL,
            ),
        ),
    )
    lines = [line("V", "D", "X", 3, mass=10.0, outsize=True, needed=3)]
    plan = plan_routes(net, lines, parameters=P)
    assert sorted(g.departure_day for s in plan.shipments for g in s.legs) == [0, 1, 2]
    assert all(g.lane == "DXr3" for s in plan.shipments for g in s.legs)
    assert verify(net, lines, plan) == []


def test_goods_already_at_their_destination_arrive_on_release():
    net = two_routes()
    lines = [line("A", "X", "X", 2, release=4, needed=3)]
    plan = plan_routes(net, lines, parameters=P)
    assert plan.shipments[0].legs == () and plan.shipments[0].arrival_day == 4
    assert plan.weighted_lateness == pytest.approx(2.0)


def test_the_planner_uses_the_domains_node_kinds_and_modes():
    from coalition.domain import network as domain
    from coalition.planning import logistics

    assert logistics.NodeKind is domain.NodeKind
    assert logistics.Mode is domain.Mode


def test_a_line_with_days_to_spare_yields_to_one_without():
    """The apparent-tardiness-cost order: the same priority and mass, but the line that has
    days to spare goes after the one that has none; without the discount, needed-by decides."""
    import numpy as np

    from coalition.planning.logistics.network import build_arrays
    from coalition.planning.logistics.primal import priority_order

    net = Network((node("D", NodeKind.DEPOT), node("X", NodeKind.DELIVERY)), (lane("D", "X"),))
    lines = [line("SPARE", "D", "X", 1, needed=2), line("NONE", "D", "X", 1, needed=9)]
    a = build_arrays(net, lines, 12)
    slack = np.array([1.0, 0.0])
    order = priority_order(a, np.arange(2), 1000.0, slack=slack, atc_days=2.0)
    assert [a.line_ids[i] for i in order] == ["NONE", "SPARE"]
    assert [a.line_ids[i] for i in priority_order(a, np.arange(2), 1000.0)] == ["SPARE", "NONE"]
