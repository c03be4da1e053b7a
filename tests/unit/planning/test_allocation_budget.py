"""The time limit is shared so that no component starves, and finished work is never lost."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pytest
from allocation_builders import offer, req, snapshot

from coalition.planning.allocation import (
    ItemType,
    Parameters,
    PlanStatus,
    Snapshot,
    allocate,
    budget,
)
from coalition.planning.allocation import solve as solve_module
from coalition.planning.allocation.pairs import build_pairs
from coalition.planning.allocation.parallel import Task, TaskResult, run_parallel, run_task


def test_a_share_is_proportional_to_weight_with_a_floor_and_a_cap():
    assert budget.share(10.0, 1.0, 4.0) == pytest.approx(2.5)
    assert budget.share(10.0, 1.0, 4.0, slots=2) == pytest.approx(5.0)
    assert budget.share(10.0, 3.0, 4.0, slots=2) == pytest.approx(10.0)  # never beyond the end
    assert budget.share(10.0, 1e-6, 4.0) == budget.FLOOR_S
    assert budget.share(0.01, 1.0, 4.0) == pytest.approx(0.01)  # the floor is capped too
    assert budget.share(-1.0, 1.0, 4.0) == 0.0


def test_unused_time_flows_on_to_later_work():
    # Three equal pieces over 9 s: the first finishes in 1 s instead of its 3 s share.
    first = budget.share(9.0, 1.0, 3.0)
    second = budget.share(9.0 - 1.0, 1.0, 2.0)
    assert first == pytest.approx(3.0) and second == pytest.approx(4.0)


def test_deadlines_keep_the_limit_hard():
    assert budget.solve_deadline(100.0, 2.0) == pytest.approx(101.8)
    assert budget.solve_deadline(100.0, 60.0) == pytest.approx(159.75)
    assert budget.hard_deadline(100.0, 2.0) <= 100.0 + 2.0 + 0.5


def _many_components(time_limit: float = 30.0) -> Snapshot:
    reqs, offers = [], []
    for k in range(6):
        family = f"family-{k}"
        size = 1 + k  # components of different sizes
        reqs += [
            req(f"R{k}-{i}", priority=1 + i % 5, quantity=3, family=family) for i in range(size)
        ]
        offers += [offer(f"O{k}-{j}", item_type=f"T{k}", quantity=2) for j in range(size)]
    s = snapshot(reqs, offers)
    types = tuple(ItemType(f"T{k}", f"family-{k}", k % 2 == 0) for k in range(6))
    return replace(s, item_types=types, parameters=Parameters(time_limit_s=time_limit))


def test_each_component_gets_its_share_not_all_the_time():
    plan = allocate(_many_components(time_limit=30.0))
    assert plan.status == PlanStatus.OPTIMAL
    limits = [c.time_limit for c in plan.components]
    assert all(0 < limit < 30.0 for limit in limits[:-1])
    # Largest first, and the first share is about its weight's fraction of the whole.
    tables = [c.pairs for c in plan.components]
    assert tables == sorted(tables, reverse=True)
    assert limits[0] < 0.8 * 30.0
    # Time left over by finished components flows to the later ones.
    assert limits[-1] >= limits[-2] * 0.99
    assert all(c.gap is not None and c.gap < 1e-3 for c in plan.components)


def test_no_component_falls_back_when_there_is_time(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(solve_module, "PARALLEL_MIN_PAIRS", 0)
    monkeypatch.setattr(solve_module, "TASK_MIN_PAIRS", 1)
    plan = allocate(_many_components(time_limit=20.0), workers=2)
    assert {c.status for c in plan.components} == {"optimal"}
    assert sum(c.pairs for c in plan.components) > 0


def test_a_task_reports_each_table_as_it_goes():
    tables = [build_pairs(_many_components()).subset(np.arange(k, k + 2)) for k in (0, 4)]
    task = Task(0, tuple(tables), time_limit=10.0, mip_gap=1e-3, epsilon=1e-5, linking="offer")
    messages = [(kind, k) for kind, k, _ in run_task(task)]
    assert messages == [("fallback", 0), ("outcome", 0), ("fallback", 1), ("outcome", 1)]


def test_a_worker_failing_mid_task_keeps_the_tables_it_finished():
    table = build_pairs(_many_components())
    good = table.subset(np.arange(2))
    broken = replace(good, upper=np.zeros(0))  # arrays of the wrong length: the solve raises
    task = Task(0, (good, broken), time_limit=10.0, mip_gap=1e-3, epsilon=1e-5, linking="offer")
    now = time.perf_counter()
    result = run_parallel([task], workers=1, solve_deadline=now + 10, hard_deadline=now + 20)[0]
    assert set(result.outcomes) == {0} and result.outcomes[0].status == "optimal"
    assert "Traceback" in result.failure


def test_tables_a_killed_task_finished_stay_in_the_plan(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(solve_module, "PARALLEL_MIN_PAIRS", 0)
    real = solve_module.run_parallel

    def killed_after_first_table(tasks, workers, solve_by, hard, **kwargs):
        # As if the worker were killed at the hard deadline while on its second table.
        results = real(tasks, workers, solve_by, hard, **kwargs)
        (result,) = results.values()  # tiny components: one task
        result.outcomes = {0: result.outcomes[0]}
        result.failure = "worker overran the hard time limit and was killed"
        return results

    monkeypatch.setattr(solve_module, "run_parallel", killed_after_first_table)
    plan = allocate(_many_components(), workers=1)
    assert not any("second pass" in m for m in plan.messages)
    statuses = [c.status for c in plan.components]
    assert statuses[0] == "optimal"
    assert set(statuses[1:]) == {"greedy_fallback"}
    assert plan.status == PlanStatus.GREEDY_FALLBACK
    assert any("killed" in m for m in plan.messages)


def test_task_result_keeps_fallbacks_and_outcomes_apart():
    result = TaskResult()
    result.take(("fallback", 0, np.zeros(1)))
    assert result.fallbacks and not result.outcomes


def test_time_left_over_goes_to_components_cut_at_their_share():
    t = build_pairs(_many_components())
    first = solve_module.ComponentOutcome(
        "time_limit_feasible", np.zeros(t.n_pairs), 0.0, 50.0, 0.0, 0.1, 0, t.n_pairs, 0, "cut"
    )
    x = np.zeros(t.n_pairs)
    second = replace(first, x=x, objective=10.0, bound=10.0, status="optimal", detail="done")
    merged = solve_module.merge_outcomes(t, first, second, 1e-3, 1e-5)
    assert merged.status == "optimal" and merged.bound == 10.0 and merged.objective == 10.0
    worse = replace(second, objective=-1.0, bound=60.0, status="time_limit_feasible")
    kept = solve_module.merge_outcomes(t, first, worse, 1e-3, 1e-5)
    assert kept.objective == 0.0 and kept.bound == 50.0 and kept.status == "time_limit_feasible"
    failed = replace(second, status="greedy_fallback")
    assert solve_module.merge_outcomes(t, first, failed, 1e-3, 1e-5).bound == 50.0
