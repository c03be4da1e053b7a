"""The exact re-pack of a rip-up step (`repack.repack`): an integer programme over candidate
paths. A hand case the greedy order gets wrong, random cases against the independent model and
the capacities, and a solver answer that does not fit is refused."""

from __future__ import annotations

import random
from unittest import mock

import numpy as np
import pytest
from lx_support import (
    greedy_routing,
    heavy_and_small,
    lane,
    line,
    node,
    one_lane,
    random_case,
    reference_optimum,
)

from coalition.planning.logistics import Network, NodeKind, Parameters
from coalition.planning.logistics import repack as repack_module
from coalition.planning.logistics.network import build_arrays
from coalition.planning.logistics.primal import Residual, Routing, routing_objective, usage

P = Parameters(horizon_days=8, time_limit_s=10.0, lateness_eur=100.0)


def _greedy(a):
    return greedy_routing(a, P.lateness_eur)


def _repack_all(a, routing, has_path):
    return repack_module.repack(
        a,
        np.arange(a.origin.size),
        routing.shipments,
        Residual.full(a),
        has_path,
        lateness_eur=P.lateness_eur,
        penalty_days=P.penalty_days(),
        time_limit=5.0,
    )


def _objective(a, routing):
    wl, cost = routing_objective(a, routing, P.lateness_eur, P.penalty_days())
    return P.lateness_eur * wl + cost


def _merged(again: Routing) -> Routing:
    return Routing(dict(again.shipments), dict(again.unrouted))


def test_a_heavy_unit_gets_the_day_the_greedy_order_gives_to_small_lines():
    # greedy: S on day 0, H a day late (100 EUR); packed together: H on day 0, S on day 1
    net, lines = heavy_and_small()
    a = build_arrays(net, lines, P.horizon_days)
    routing, has_path = _greedy(a)
    assert _objective(a, routing) == pytest.approx(20.0 + 100.0)
    packed = _repack_all(a, routing, has_path)
    assert packed is not None
    assert _objective(a, _merged(packed)) == pytest.approx(20.0)
    assert _objective(a, _merged(packed)) == pytest.approx(reference_optimum(net, lines, P))


def _direct_or_by_hub():
    # D -> X direct: 1 day, 1 EUR/t, 1 t a day; D -> H -> X: 2 days, 2 EUR/t, room for all.
    # Three 1 t units needed on day 2: two go direct (days 0 and 1), the third by the hub.
    net = Network(
        (node("D", NodeKind.DEPOT), node("H"), node("X", NodeKind.DELIVERY)),
        (lane("D", "X", cap=1.0), lane("D", "H", cap=10.0), lane("H", "X", cap=10.0)),
    )
    lines = [line(x, "D", "X", 1, needed=2) for x in "ABC"]
    a = build_arrays(net, lines, P.horizon_days)
    direct = list(a.lane_ids).index("DXr1")
    # the third unit direct on day 2, a day late: every line's cheapest path on each arrival
    # day is the direct lane, so without prices the hub is never a candidate
    late = Routing({(k, ((direct, k, k + 1),)): 1 for k in range(3)})
    return net, lines, a, late


@pytest.mark.parametrize(("rounds", "expected"), [(0, 1.0 + 1.0 + 1.0 + 100.0), (2, 4.0)])
def test_candidates_priced_by_the_relaxations_duals_find_the_detour(rounds, expected):
    net, lines, a, late = _direct_or_by_hub()
    with mock.patch.object(repack_module, "PRICING_ROUNDS", rounds):
        packed = _repack_all(a, late, np.ones(a.origin.size, dtype=bool))
    assert packed is not None
    assert _objective(a, _merged(packed)) == pytest.approx(expected)
    if rounds:
        assert expected == pytest.approx(reference_optimum(net, lines, P))


@pytest.mark.parametrize("seed", range(30))
def test_repack_is_never_worse_fits_every_capacity_and_never_beats_the_optimum(seed):
    net, lines = random_case(random.Random(seed))
    a = build_arrays(net, lines, P.horizon_days)
    routing, has_path = _greedy(a)
    packed = _repack_all(a, routing, has_path)
    assert packed is not None  # the current plan is a candidate: always feasible
    plan = _merged(packed)
    placed = np.zeros(a.origin.size, dtype=np.int64)
    for (ln, _), units in plan.shipments.items():
        placed[ln] += units
    for ln, (units, _) in plan.unrouted.items():
        placed[ln] += units
    assert np.array_equal(placed, a.qty)
    lane_t, lane_o, node_t = usage(a, plan.shipments)
    assert (lane_t <= a.cap_t + 1e-9).all()
    assert (lane_o <= a.cap_o + 1e-9).all()
    assert (node_t <= a.cap_h + 1e-9).all()
    value = _objective(a, plan)
    assert value <= _objective(a, routing) + 1e-9
    assert value >= reference_optimum(net, lines, P) - 1e-6


@pytest.mark.parametrize(
    ("quantity", "answer"),
    [
        (10, 15.0),  # more units on the first path than the line has
        (20, 20.0),  # all 20 on one path: they add up, but 10 t a day does not take them
    ],
)
def test_a_solver_answer_that_does_not_fit_is_refused(quantity, answer):
    lines = [line("S", "D", "X", quantity, 1.0, release=0, needed=2)]
    a = build_arrays(one_lane(), lines, P.horizon_days)
    routing, has_path = _greedy(a)

    def on_the_first_path(columns, _time_limit, cutoff):
        x = np.zeros(columns.n_paths + columns.n_lines)
        x[0] = answer
        return x

    with mock.patch.object(repack_module, "_solve", on_the_first_path):
        assert _repack_all(a, routing, has_path) is None
