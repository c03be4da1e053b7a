"""Units the cut LP leaves out are routed last (`cuts.CutBound.left_out`, `solve._passes`).

Two bridge lanes in series, 1 t a day each: P (priority 3) crosses both, Q and R (priority 2)
one each. The greedy order takes P first (the higher lateness price per tonne): P fills both
bridges and Q and R get one unit each. Leaving P out instead costs 4 units × 3 against
8 units × 2: the LP sees that P uses two bottlenecks, and routing its units last lets Q and R
through."""

from __future__ import annotations

import time

import numpy as np
import pytest
from lx_support import lane, line, node, reference_optimum

from coalition.planning.logistics import Network, NodeKind, Parameters, plan_routes, verify
from coalition.planning.logistics import solve as solve_module
from coalition.planning.logistics.cuts import cut_bound
from coalition.planning.logistics.lagrange import Multipliers, evaluate, make_rows
from coalition.planning.logistics.model import UnroutedReason
from coalition.planning.logistics.network import build_arrays, unrouted_penalty
from coalition.planning.logistics.primal import Routing, routing_objective

P = Parameters(horizon_days=8, time_limit_s=10.0, lateness_eur=100.0, max_passes=1)


def two_bridges() -> tuple[Network, list]:
    net = Network(
        (
            node("D", NodeKind.DEPOT),
            node("E", NodeKind.DEPOT),
            node("H"),
            node("G"),
            node("K"),
            node("X", NodeKind.DELIVERY),
            node("Y", NodeKind.DELIVERY),
        ),
        (
            lane("D", "H"),
            lane("H", "G", cap=1.0),  # bridge 1
            lane("G", "X"),
            lane("E", "G"),
            lane("G", "K", cap=1.0),  # bridge 2
            lane("K", "Y"),
        ),
    )
    lines = [
        line("P", "D", "Y", 4, needed=7, priority=3.0),  # over both bridges
        line("Q", "D", "X", 5, needed=7, priority=2.0),  # over bridge 1
        line("R", "E", "Y", 5, needed=7, priority=2.0),  # over bridge 2
    ]
    return net, lines


def _inputs():
    net, lines = two_bridges()
    a = build_arrays(net, lines, P.horizon_days)
    lam = Multipliers.zeros(a)
    ev, _ = evaluate(
        a,
        make_rows(a, np.arange(a.origin.size), "min"),
        lam,
        lateness_eur=P.lateness_eur,
        penalty_days=P.penalty_days(),
        chunk=P.rows_per_chunk,
    )
    cut = cut_bound(
        a,
        ev.unit_value,
        unrouted_penalty(a, P.lateness_eur, P.penalty_days()),
        P.lateness_eur * a.priority,
        ev.has_path,
    )
    return a, lam, ev, cut


def test_the_cut_lp_leaves_out_the_line_that_uses_both_bridges():
    _, _, _, cut = _inputs()
    assert cut.left_out == pytest.approx([1.0, 0.0, 0.0])


def _first_pass(held):
    a, lam, ev, _ = _inputs()
    now = time.monotonic()
    routing, _ = solve_module._passes(
        a, lam, ev.has_path, ev.earliest, held, P, now + 10.0, now + 10.0
    )
    routed = np.zeros(a.origin.size, dtype=np.int64)
    for (ln, _), units in routing.shipments.items():
        routed[ln] += units
    wl, cost = routing_objective(a, routing, P.lateness_eur, P.penalty_days())
    return routed, P.lateness_eur * wl + cost


def test_held_units_are_routed_after_the_others_and_the_plan_is_better():
    a, _, _, cut = _inputs()
    held = np.floor(cut.left_out * a.qty + 0.5).astype(np.int64)
    greedy, greedy_value = _first_pass(np.zeros(a.origin.size, dtype=np.int64))
    assert greedy.tolist() == [4, 1, 1]  # P first fills both bridges
    routed, value = _first_pass(held)
    assert routed.tolist() == [0, 5, 5]
    pen = unrouted_penalty(a, P.lateness_eur, P.penalty_days())
    assert value == pytest.approx(4 * pen[0] + 5 * 3.0 + 5 * 3.0)  # each unit: 3 lanes at 1
    assert value < greedy_value


def test_the_plan_reaches_the_integer_optimum():
    net, lines = two_bridges()
    plan = plan_routes(net, lines, parameters=P)
    assert verify(net, lines, plan) == []
    assert plan.objective == pytest.approx(reference_optimum(net, lines, P))


def test_a_routing_plus_a_later_one_adds_up_units_and_keeps_the_weightier_reason():
    first = Routing(
        {(0, ((0, 0, 1),)): 2},
        {0: (1, UnroutedReason.NO_CAPACITY), 1: (3, UnroutedReason.NO_PATH)},
        rounds=2,
    )
    later = Routing(
        {(0, ((0, 0, 1),)): 1, (2, ((1, 0, 1),)): 4},
        {0: (2, UnroutedReason.TIME_LIMIT), 1: (1, UnroutedReason.NO_CAPACITY)},
        rounds=3,
    )
    both = first.plus(later)
    assert both.shipments == {(0, ((0, 0, 1),)): 3, (2, ((1, 0, 1),)): 4}
    assert both.unrouted == {
        0: (3, UnroutedReason.TIME_LIMIT),
        1: (4, UnroutedReason.NO_CAPACITY),
    }
    assert both.rounds == 5
    assert first.shipments == {(0, ((0, 0, 1),)): 2}  # the parts are left as they were
