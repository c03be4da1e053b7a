"""A solver's label is never trusted: values, objective and bound are checked before a status."""

from __future__ import annotations

import numpy as np
import pytest
from allocation_builders import offer, req, snapshot
from allocation_regressions import SEED_29, STALE_WARM_START

from coalition.planning.allocation import PlanStatus, allocate
from coalition.planning.allocation import milp as milp_module
from coalition.planning.allocation import solve as solve_module
from coalition.planning.allocation.audit import claim_problems, feasibility_problems, group_usage
from coalition.planning.allocation.pairs import build_pairs, main_objective
from coalition.planning.allocation.verify import VerificationReport, Violation


def _rows(plan):
    return sorted((a.offer_id, a.requirement_id, a.quantity) for a in plan.assignments)


def test_presolved_mip_with_warm_start_gives_the_true_optimum():
    # HiGHS returned the warm start (O1 → R1, 0.667) with the optimum's objective 4.0.
    plan = allocate(STALE_WARM_START)
    assert plan.status == PlanStatus.OPTIMAL
    assert plan.objective == pytest.approx(4.0)
    assert _rows(plan) == [("O1", "R2", 1.0)]
    assert plan.best_bound is not None and plan.best_bound >= plan.objective
    assert plan.gap is not None and plan.gap < 1e-4


def test_the_seed_29_example_reaches_its_optimum():
    plan = allocate(SEED_29)
    assert plan.status == PlanStatus.OPTIMAL
    assert plan.objective == pytest.approx(23.0)


def _table():
    s = snapshot(
        [req("R1", priority=1, quantity=2), req("R2", priority=2)],
        [offer("O1", quantity=2), offer("O2", item_type="Caesar")],
    )
    return build_pairs(s)


def test_feasibility_problems_name_each_broken_rule():
    t = _table()
    x = np.zeros(t.n_pairs)
    assert feasibility_problems(t, x) == []
    too_much = t.upper + 1.0
    texts = " ".join(feasibility_problems(t, too_much))
    assert "above min(offer, requirement)" in texts and "give more than" in texts
    assert "receive more than" in texts
    half = np.full(t.n_pairs, 0.5)
    assert any("fractional" in p for p in feasibility_problems(t, half))
    assert any("negative" in p for p in feasibility_problems(t, -half))
    grouped = t.group >= 0
    assert grouped.any()
    used = np.where(grouped, 1.0, 0.0)
    no_y = np.zeros(t.group_penalty.size)
    assert any("y is 0" in p for p in feasibility_problems(t, used, no_y))


def test_claim_problems_catch_a_wrong_objective_a_low_bound_and_a_false_optimal():
    t = _table()
    x = np.zeros(t.n_pairs)
    x[0] = 1.0
    objective = main_objective(t, x)
    solver = float(t.cost @ x - t.group_penalty @ group_usage(t, x))
    ok = claim_problems(
        t,
        x,
        solver_objective=solver,
        bound=objective,
        optimal=True,
        allowed_gap=0.0,
    )
    assert ok == []
    stale = claim_problems(
        t,
        x,
        solver_objective=objective + 1.0,
        bound=objective + 1.0,
        optimal=False,
        allowed_gap=0.0,
    )
    assert any("claimed" in p for p in stale)
    low = claim_problems(
        t, x, solver_objective=None, bound=objective - 1.0, optimal=False, allowed_gap=0.0
    )
    assert any("below the feasible objective" in p for p in low)
    far = claim_problems(
        t, x, solver_objective=None, bound=objective + 1.0, optimal=True, allowed_gap=0.1
    )
    assert any("labelled optimal" in p for p in far)


def test_a_bound_below_the_plan_is_an_error_not_an_optimal_label(
    monkeypatch: pytest.MonkeyPatch,
):
    # The old code hid this with bound = max(bound, objective).
    monkeypatch.setattr(milp_module, "main_bound", lambda t, bound, eps: bound - 100.0)
    plan = allocate(snapshot([req("R1", priority=1)], [offer("O1")]))
    assert plan.status == PlanStatus.SOLVER_ERROR
    assert plan.best_bound is None
    assert any("below the feasible objective" in m for m in plan.messages)
    assert plan.objective == pytest.approx(16.0)  # the checked greedy plan is kept


def test_a_wrong_objective_claim_is_never_labelled_optimal(monkeypatch: pytest.MonkeyPatch):
    real = milp_module.claim_problems

    def inflated(t, x, *, solver_objective, **kwargs):
        claim = None if solver_objective is None else solver_objective + 1.0
        return real(t, x, solver_objective=claim, **kwargs)

    monkeypatch.setattr(milp_module, "claim_problems", inflated)
    plan = allocate(snapshot([req("R1", priority=1)], [offer("O1")]))
    assert plan.status == PlanStatus.SOLVER_ERROR
    assert plan.components[0].status == "solver_error"
    assert any("the solver claimed" in m for m in plan.messages)


def test_infeasible_values_from_the_solver_are_rejected(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(milp_module, "_clean", lambda t, x: x + 5.0)
    plan = allocate(snapshot([req("R1", priority=1)], [offer("O1")]))
    assert plan.status == PlanStatus.SOLVER_ERROR
    assert any("above min(offer, requirement)" in m for m in plan.messages)
    assert all(a.quantity <= 1.0 for a in plan.assignments)


def test_the_final_verifier_overrules_the_components(monkeypatch: pytest.MonkeyPatch):
    def failing(snapshot, rows, claimed):
        return VerificationReport((Violation("objective", "made up"),), claimed, 0.0, 0)

    monkeypatch.setattr(solve_module, "verify_snapshot_plan", failing)
    plan = allocate(snapshot([req("R1", priority=1)], [offer("O1")]))
    assert plan.status == PlanStatus.SOLVER_ERROR
    assert "audit: objective: made up" in plan.messages
