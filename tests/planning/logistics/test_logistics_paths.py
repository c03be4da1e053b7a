"""The forward programme (`paths.forward`) against a plain dynamic programme over every arc,
with arcs closed by room; its early stop (`targets`): stopping once no later day can enter a
target's best days changes none of them; and its per-group minimum (`paths.group_min`)
against the plain definition."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lx_support import random_case

from coalition.planning.logistics.lagrange import Multipliers, forward_rows, make_rows, prices
from coalition.planning.logistics.network import build_arrays, rank_major
from coalition.planning.logistics.paths import Targets, arrival_values, group_min, read_path
from coalition.planning.logistics.primal import Residual

LATENESS_EUR = 100.0
T = 12


def _best_days(a, tree, lines, rows, k):
    values = arrival_values(a, tree, rows.line_row[lines], lines, LATENESS_EUR)
    return np.sort(values, axis=1)[:, :k]


def _trees(seed, k):
    net, lines = random_case(random.Random(seed))
    a = build_arrays(net, lines, T)
    live = np.flatnonzero(a.release < a.T)
    rows = make_rows(a, live, "heavy")
    pt, po = prices(a, Multipliers.zeros(a))
    ids = np.arange(rows.size)
    full = forward_rows(a, rows, ids, pt, po)
    targets = Targets.of(a, live, rows.line_row[live], LATENESS_EUR, best=k)
    early = forward_rows(a, rows, ids, pt, po, targets=targets)
    return a, rows, live, full, early


def _plain_arrivals(a, pt, po, origin, release, b, threshold, res):
    """(T, V) the least price per tonne of arriving at each node on each day, relaxing one arc
    at a time (Python loops, no grouping), with the rules of `paths.forward`'s room."""
    eps = 1e-9
    room = res.room(a)
    arrive = np.full((a.T, a.V), np.inf)
    arrive[release, origin] = 0.0
    here = np.full(a.V, np.inf)
    for t in range(a.T):
        here = np.minimum(here, arrive[t])
        for e in range(a.E):
            end = t + int(a.tau[e])
            if end >= a.T or not np.isfinite(pt[e, t]) or room[e, t] < threshold - eps:
                continue
            if b > 0 and (not np.isfinite(po[e, t]) or res.outsize[e, t] < 1 - eps):
                continue
            if a.u[e] == origin and res.handled[origin, t] < threshold - eps:
                continue
            price = here[a.u[e]] + pt[e, t] + (b * po[e, t] if b > 0 else 0.0)
            arrive[end, a.v[e]] = min(arrive[end, a.v[e]], price)
    return arrive


@pytest.mark.parametrize("seed", range(20))
def test_forward_is_the_plain_programme_and_its_paths_cost_what_it_says(seed):
    net, lines = random_case(random.Random(seed))
    a = build_arrays(net, lines, T)
    rows = make_rows(a, np.flatnonzero(a.release < a.T), "class")
    pt, po = prices(a, Multipliers.zeros(a))
    rng = np.random.default_rng(seed)
    res = Residual.full(a)  # some capacity used, so that arcs close
    res.tonnes *= rng.random(res.tonnes.shape)
    res.outsize = np.floor(res.outsize * rng.random(res.outsize.shape))
    used = rng.random(a.cap_h.shape)
    res.handled = np.where(np.isfinite(res.handled), res.handled * used, np.inf)
    ids = np.arange(rows.size)
    tree = forward_rows(
        a, rows, ids, pt, po, room_t=res.room(a), room_o=res.outsize, room_origin=res.handled
    )
    for s in ids:
        o, b = int(rows.origin[s]), float(rows.b[s])
        plain = _plain_arrivals(a, pt, po, o, int(rows.release[s]), b, rows.threshold[s], res)
        np.testing.assert_allclose(tree.arr[:, :, s], plain)
        for day, v in np.argwhere(np.isfinite(plain) & (np.arange(a.V)[None, :] != o)):
            legs = read_path(a, tree, int(s), int(v), int(day))
            price = sum(pt[e, d] + (b * po[e, d] if b > 0 else 0.0) for e, d, _ in legs)
            assert price == pytest.approx(plain[day, v])
            assert legs[-1][2] == day and a.v[legs[-1][0]] == v


@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize("seed", range(20))
def test_stopping_early_keeps_every_targets_best_days(seed, k):
    a, rows, live, full, early = _trees(seed, k)
    np.testing.assert_allclose(
        _best_days(a, early, live, rows, k), _best_days(a, full, live, rows, k)
    )


@pytest.mark.parametrize("k", [1, 3])
def test_the_cases_above_do_stop_early(k):
    stopped = 0
    for seed in range(20):
        _, _, _, full, early = _trees(seed, k)
        stopped += int(np.isfinite(early.arr).sum() < np.isfinite(full.arr).sum())
    assert stopped >= 5


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    counts=st.lists(st.integers(1, 5), min_size=1, max_size=12),
    rows=st.integers(1, 4),
    data=st.data(),
)
def test_group_min_is_the_segmented_minimum_and_its_first_position(counts, rows, data):
    # few distinct values and infinities, so that ties are common
    n = sum(counts)
    pool = st.sampled_from([0.0, 1.0, 2.0, 2.5, np.inf])
    cand = np.array(data.draw(st.lists(pool, min_size=rows * n, max_size=rows * n))).reshape(
        rows, n
    )
    starts = np.cumsum([0, *counts[:-1]]).astype(np.int64)
    order, positions, sizes = rank_major(starts, np.array(counts, dtype=np.int64))
    rank_start = np.cumsum((0, *sizes[:-1]))
    best, rank = group_min(cand[:, positions].T.copy(), sizes)  # lanes × rows
    assert sorted(positions.tolist()) == list(range(n))  # every lane once
    for r in range(rows):
        for j, g in enumerate(order):
            s, c = starts[g], counts[g]
            segment = cand[r, s : s + c]
            assert best[j, r] == segment.min()
            # the lane that reaches it is the first of ties (argmin)
            assert positions[rank_start[rank[j, r]] + j] == s + int(np.argmin(segment))
