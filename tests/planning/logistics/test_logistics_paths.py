"""The forward programme's early stop (`paths.forward`'s `targets`): stopping once no later day
can enter a target's best days changes none of them; and its per-group minimum
(`paths.group_min`) against the plain definition."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lx_support import random_case

from coalition.planning.logistics.lagrange import Multipliers, forward_rows, make_rows, prices
from coalition.planning.logistics.network import _by_rank, build_arrays
from coalition.planning.logistics.paths import Targets, arrival_values, group_min

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
    best, first = group_min(cand, _by_rank(starts, np.array(counts, dtype=np.int64)))
    for r in range(rows):
        for g, (s, c) in enumerate(zip(starts, counts, strict=True)):
            segment = cand[r, s : s + c]
            assert best[r, g] == segment.min()
            assert first[r, g] == s + int(np.argmin(segment))  # argmin: the first of ties
