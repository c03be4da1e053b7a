"""The rip-up's queue step (`repair._queue`, re-packed with `repack.shifted_paths` as
candidates): a late line, the lane it waits longest for and the other lines on that lane in a
window of days; the paths shifted by a day or two keep every rule; and a queue of small lines
moves along so that a heavy unit that waited for it is on time."""

from __future__ import annotations

import numpy as np
import pytest
from lx_support import greedy_routing, lane, line, node, one_lane, reference_optimum

from coalition.planning.logistics import Closure, Network, NodeKind, Parameters, repair
from coalition.planning.logistics.lagrange import Multipliers
from coalition.planning.logistics.network import build_arrays
from coalition.planning.logistics.primal import Routing, line_costs
from coalition.planning.logistics.repack import shifted_paths

P = Parameters(horizon_days=8, time_limit_s=10.0, lateness_eur=100.0)


def _queue_case():
    """One 10 t lane a day. Three small lines of ten 1 t units with days to spare, and H, one
    10 t unit needed on day 1. The greedy order (lateness price per tonne) gives the small
    lines days 0, 1 and 2; H waits for day 3 and is three days late (300 EUR)."""
    lines = [line(f"S{i}", "D", "X", 10, 1.0, needed=5) for i in range(3)]
    lines.append(line("H", "D", "X", 1, 10.0, needed=1))
    return one_lane(), lines


def _incumbent(a, routing):
    return repair._Incumbent.of(a, routing, P.lateness_eur, P.penalty_days())


def test_the_greedy_order_makes_the_heavy_unit_wait_three_days():
    net, lines = _queue_case()
    a = build_arrays(net, lines, P.horizon_days)
    routing, _ = greedy_routing(a, P.lateness_eur)
    h = a.line_ids.index("H")
    assert [legs[0][1] for (ln, legs) in routing.shipments if ln == h] == [3]
    assert sorted(legs[0][1] for (ln, legs) in routing.shipments if ln != h) == [0, 1, 2]


def test_a_queue_step_moves_the_small_lines_along_and_the_heavy_unit_is_on_time():
    net, lines = _queue_case()
    a = build_arrays(net, lines, P.horizon_days)
    routing, has_path = greedy_routing(a, P.lateness_eur)
    best = _incumbent(a, routing)
    h = a.line_ids.index("H")
    late = best.late.copy()
    queue = repair._queue(
        a, best, late, np.flatnonzero(late > 0), has_path, np.random.default_rng(0)
    )
    assert queue is not None
    out, fresh = queue
    assert out.all() and fresh.tolist() == [h]  # the heavy line and every line on the lane
    step = repair._reroute(
        a,
        best,
        out,
        Multipliers.zeros(a),
        has_path,
        P.lateness_eur,
        P.penalty_days(),
        64,
        deadline=float("inf"),
        exact=True,
        fresh=fresh,
    )
    assert step is not None
    assert [legs[0][1] for (ln, legs) in step.again.shipments if ln == h] == [0]
    late_after, cost = line_costs(a, step.again, P.penalty_days())
    assert late_after.sum() == 0
    value = float((P.lateness_eur * late_after + cost).sum())
    assert value == pytest.approx(40.0)
    assert value == pytest.approx(reference_optimum(net, lines, P))
    # every lane-day keeps its 10 t
    days = np.zeros(a.T)
    for (ln, legs), units in step.merged.shipments.items():
        days[legs[0][1]] += units * a.mass[ln]
    assert days.max() <= 10.0 + 1e-9


def test_no_queue_step_for_a_line_that_waits_nowhere():
    net, lines = _queue_case()
    a = build_arrays(net, lines, P.horizon_days)
    lane_0 = 0
    h = a.line_ids.index("H")
    # H on day 0, the small lines after it: H is not late and did not wait
    routing = Routing(
        shipments={
            (h, ((lane_0, 0, 1),)): 1,
            **{(i, ((lane_0, i + 1, i + 2),)): 10 for i in range(3)},
        }
    )
    best = _incumbent(a, routing)
    assert best.late.sum() == 0
    rng = np.random.default_rng(0)
    movable = np.ones(a.origin.size, dtype=bool)
    assert repair._queue(a, best, np.ones(a.origin.size), np.array([h]), movable, rng) is None


def test_shifted_paths_keep_release_horizon_and_closures():
    net = Network(
        (node("D", NodeKind.DEPOT), node("H"), node("X", NodeKind.DELIVERY)),
        (lane("D", "H"), lane("H", "X", days=2)),
        (Closure("HXr2", 5, 5),),
    )
    lines = [line("A", "D", "X", 1, release=1, needed=6)]
    a = build_arrays(net, lines, P.horizon_days)
    dh, hx = (list(a.lane_ids).index(i) for i in ("DHr1", "HXr2"))
    path = ((dh, 1, 2), (hx, 3, 5))
    found = shifted_paths(a, {(0, path): 1}, (-1, 1, 2, 3))
    assert found == {
        # −1: would leave before the release on day 1; +2: H → X closed on day 5
        (0, ((dh, 2, 3), (hx, 4, 6))),  # +1
        # +3: would arrive on day 8, past the horizon's last day (7)
    }
