"""Disruption what-if: a closure re-routes exactly the lines it touches, the rest stays."""

from __future__ import annotations

from lx_support import lane, line, node

from coalition.planning.logistics import (
    Closure,
    Network,
    NodeKind,
    Parameters,
    plan_routes,
    verify,
    whatif,
)

P = Parameters(horizon_days=20, time_limit_s=10.0)


def network() -> Network:
    # Two hubs: H1 is the cheap way to X and Y; H2 is dearer and a day slower; Z only via H2.
    return Network(
        (
            node("D", NodeKind.DEPOT),
            node("H1", NodeKind.HUB, 50.0),
            node("H2", NodeKind.HUB, 50.0),
            node("X", NodeKind.DELIVERY),
            node("Y", NodeKind.DELIVERY),
            node("Z", NodeKind.DELIVERY),
        ),
        (
            lane("D", "H1", days=1, cap=20.0, cost=2.0),
            lane("H1", "X", days=1, cap=20.0, cost=2.0),
            lane("H1", "Y", days=1, cap=20.0, cost=2.0),
            lane("D", "H2", days=2, cap=20.0, cost=5.0),
            lane("H2", "X", days=1, cap=20.0, cost=5.0),
            lane("H2", "Y", days=1, cap=20.0, cost=5.0),
            lane("H2", "Z", days=1, cap=20.0, cost=5.0),
        ),
    )


LINES = [
    line("A", "D", "X", 3, needed=2),
    line("B", "D", "Y", 2, needed=2, priority=2.0),
    line("C", "D", "Z", 4, needed=5),
]


def test_closing_a_hub_moves_exactly_the_lines_through_it():
    net = network()
    base = plan_routes(net, LINES, parameters=P)
    assert verify(net, LINES, base) == []
    through_h1 = {s.line for s in base.shipments if any("H1" in g.lane for g in s.legs)}
    assert through_h1 == {"A", "B"}

    result = whatif(net, LINES, base, [Closure("H1", 0, 19)], time_limit=3.0)
    plan = result.plan
    assert verify(net.with_closures((Closure("H1", 0, 19),)), LINES, plan) == []
    assert result.rerouted_lines == ("A", "B")
    # C did not touch H1: its shipments are kept exactly
    assert [s for s in plan.shipments if s.line == "C"] == [
        s for s in base.shipments if s.line == "C"
    ]
    # A and B now go through H2, one day later (days 3 against needed-by 2)
    for lid in ("A", "B"):
        assert all(any("H2" in g.lane for g in s.legs) for s in plan.shipments if s.line == lid)
    delays = {d.line: d.days for d in result.delayed}
    assert delays == {"A": 1, "B": 1}
    assert result.newly_late_units == {"A": 3, "B": 2}
    assert plan.lower_bound <= plan.objective


def test_a_closure_that_touches_nothing_changes_nothing():
    net = network()
    base = plan_routes(net, LINES, parameters=P)
    result = whatif(net, LINES, base, [Closure("H1", 15, 19)], time_limit=3.0)
    assert result.rerouted_lines == ()
    assert result.plan.shipments == base.shipments
    assert result.delayed == () and result.newly_late_units == {}
