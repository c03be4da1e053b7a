"""Relax and fix: its LP bound is a valid upper bound and its plan obeys every rule."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from test_allocation_budget import _many_components
from test_allocation_properties import pulp_objective, snapshots

from coalition.planning.allocation import PlanStatus, Snapshot, allocate
from coalition.planning.allocation import milp as milp_module
from coalition.planning.allocation import relax_fix as relax_fix_module
from coalition.planning.allocation.audit import feasibility_problems
from coalition.planning.allocation.model import build_milp
from coalition.planning.allocation.pairs import build_pairs, main_objective
from coalition.planning.allocation.relax_fix import STRONG_LINKING, relax_and_fix


@pytest.mark.filterwarnings("ignore:PULP_CBC_CMD is deprecated:DeprecationWarning")
@settings(max_examples=25, deadline=None)
@given(snapshots())
def test_the_lp_bound_covers_the_optimum_and_the_plan_is_feasible(s: Snapshot):
    t = build_pairs(s)
    if t.n_pairs == 0:
        return
    result = relax_and_fix(t, build_milp(t, STRONG_LINKING), 1e-5, time.perf_counter() + 10)
    optimum = pulp_objective(s)
    assert result.bound >= optimum - 1e-6 * max(1.0, abs(optimum))
    if result.x is not None:
        assert feasibility_problems(t, result.x) == []
        assert main_objective(t, result.x) <= optimum + 1e-6 * max(1.0, abs(optimum))


def test_hard_components_reach_the_same_optimum(monkeypatch: pytest.MonkeyPatch):
    s = _many_components()
    reference = allocate(s)
    monkeypatch.setattr(relax_fix_module, "MIN_BINARIES", 0)
    monkeypatch.setattr(relax_fix_module, "MIN_PAIRS", 0)
    hard = allocate(s)
    assert hard.status == reference.status == PlanStatus.OPTIMAL
    assert hard.objective == pytest.approx(reference.objective, rel=1e-6)
    assert hard.best_bound is not None and hard.best_bound >= hard.objective


def test_without_time_for_the_mip_the_lp_bound_and_plan_are_reported(
    monkeypatch: pytest.MonkeyPatch,
):
    s = _many_components()
    monkeypatch.setattr(relax_fix_module, "MIN_BINARIES", 0)
    monkeypatch.setattr(relax_fix_module, "MIN_PAIRS", 0)
    monkeypatch.setattr(milp_module, "MIP_ROOT_FACTOR", 1e9)  # never time for the MIP
    plan = allocate(s)
    assert {c.status for c in plan.components} <= {"optimal", "time_limit_feasible"}
    assert plan.best_bound is not None and plan.best_bound >= plan.objective
    reference = allocate(_many_components())
    assert plan.objective <= reference.objective + 1e-6
