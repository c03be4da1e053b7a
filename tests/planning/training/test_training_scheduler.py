"""Training scheduler: hand-computed cases, the verifier catching broken plans, and the bound
never above the optimum of an exhaustive search on tiny instances."""

from __future__ import annotations

import itertools
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.planning.training import (
    Cohort,
    Course,
    Intake,
    Line,
    Parameters,
    PlanStatus,
    Problem,
    explain,
    greedy,
    schedule,
    verify,
)
from coalition.planning.training.problem import cohort_chain
from coalition.planning.training.verify import recompute_objective

ENG = Course("ENG", 4)
F16 = Course("F16", 6, prerequisites=("ENG",), skill="pilot")


def pilots(eta: int = 10, seats_f16: int = 10) -> Problem:
    intakes = (
        Intake("E1", "ENG", "S1", 0, 10),
        Intake("E2", "ENG", "S1", 5, 10),
        Intake("F1", "F16", "S2", 3, seats_f16),  # starts before English can end: unusable
        Intake("F2", "F16", "S2", 4, seats_f16),
        Intake("F3", "F16", "S2", 12, 10),
    )
    line = Line("F-16", eta_week=eta, priority=1, crew_size=1, courses=("F16",))
    return Problem((ENG, F16), intakes, (line,), (Cohort("K1", "F-16", 4),))


def test_prerequisite_order_picks_the_first_f16_intake_after_english_ends() -> None:
    plan = schedule(pilots(), time_limit=5)
    s = plan.schedule_of("K1")
    assert s.intakes == ("E1", "F2")  # English weeks 0-4, F-16 from week 4: ready week 10
    assert s.ready_week == 10 and s.weeks_late == 0
    assert plan.status == PlanStatus.OPTIMAL and plan.objective == 0.0
    assert verify(pilots(), plan) == []


def test_seat_pressure_sends_the_lower_priority_line_to_the_later_intake() -> None:
    base = pilots(seats_f16=4)
    lines = (*base.lines, Line("F-16b", eta_week=10, priority=3, crew_size=1, courses=("F16",)))
    problem = replace(base, lines=lines, cohorts=(*base.cohorts, Cohort("K2", "F-16b", 4)))
    plan = schedule(problem, time_limit=5)
    assert plan.schedule_of("K1").ready_week == 10
    assert plan.schedule_of("K2").intakes == ("E1", "F3")  # F2 full: week 12 + 6 = 18
    # weight 4 (priority 3) x 4 platforms x 8 weeks late
    assert plan.objective == 4 * 4 * 8
    assert verify(problem, plan) == []
    why = explain(problem, plan, "F-16b")
    assert why.cohorts[0].code == "seats_taken"
    assert why.cohorts[0].binding_intake == "F2"
    assert why.cohorts[0].taken_by == ("F-16",)


def test_a_late_equipment_eta_lets_the_urgent_line_take_the_early_seats() -> None:
    base = pilots(seats_f16=4)
    lines = (
        Line("F-16", eta_week=40, priority=1, crew_size=1, courses=("F16",)),
        Line("F-16b", eta_week=10, priority=3, crew_size=1, courses=("F16",)),
    )
    problem = replace(base, lines=lines, cohorts=(*base.cohorts, Cohort("K2", "F-16b", 4)))
    plan = schedule(problem, time_limit=5)
    assert plan.schedule_of("K2").ready_week == 10  # the urgent line's crews are on time
    assert plan.objective == 0.0
    report = {r.line: r for r in plan.lines}
    assert report["F-16"].crews_idle_platform_weeks == 4 * (40 - plan.schedule_of("K1").ready_week)  # type: ignore[operator]


def test_unmet_need_says_why() -> None:
    base = pilots()
    courses = (*base.courses, Course("MED", 2))
    lines = (*base.lines, Line("medic", 5, courses=("MED",)))
    cohorts = (
        *base.cohorts,
        Cohort("K3", "medic", 3),  # MED has no intake
        Cohort("K4", "F-16", 3, available_week=6),  # English after week 5 never
    )
    problem = replace(base, courses=courses, lines=lines, cohorts=cohorts)
    plan = schedule(problem, time_limit=5)
    reasons = {u.cohort: str(u.reason) for u in plan.unmet}
    assert reasons == {"K3": "no_intake_in_horizon", "K4": "no_intake_in_horizon"}
    assert verify(problem, plan) == []


def test_the_verifier_catches_broken_plans() -> None:
    base = pilots(seats_f16=4)
    problem = replace(base, cohorts=(*base.cohorts, Cohort("K2", "F-16", 4)))
    plan = schedule(problem, time_limit=5)
    assert verify(problem, plan) == []
    k1 = plan.schedule_of("K1")

    def broken(**change: object) -> list[str]:
        s = replace(k1, **change)  # type: ignore[arg-type]
        rest = tuple(x for x in plan.schedules if x.cohort != "K1")
        return verify(problem, replace(plan, schedules=(s, *rest)))

    assert any("before prerequisite" in p for p in broken(intakes=("E1", "F1"), ready_week=9))
    assert any("chain" in p for p in broken(intakes=("E1",), ready_week=4))
    assert any("ready week" in p for p in broken(ready_week=1))
    fewer = replace(
        problem, intakes=tuple(replace(i, seats=min(i.seats, 3)) for i in problem.intakes)
    )
    assert any("seats" in p for p in verify(fewer, plan))
    assert any("objective" in p for p in verify(problem, replace(plan, objective=-1.0)))
    assert any("bound" in p for p in verify(problem, replace(plan, bound=plan.objective + 5)))
    lang = replace(
        problem, intakes=tuple(replace(i, languages=frozenset({"fr"})) for i in problem.intakes)
    )
    assert any("does not teach" in p for p in verify(lang, plan))


def test_greedy_is_a_checked_plan_without_a_bound() -> None:
    plan = greedy(pilots())
    assert plan.status == PlanStatus.GREEDY and plan.bound is None
    assert verify(pilots(), plan) == []


def _brute_force(problem: Problem) -> float:
    """The optimum by trying every combination of schedules (or none) for every cohort."""
    options = []
    by_course = {c.id: [i for i in problem.intakes if i.course == c.id] for c in problem.courses}
    for k in problem.cohorts:
        chain = cohort_chain(problem, k)
        opts: list[tuple[str, ...]] = [()]
        for combo in itertools.product(*(by_course[c] for c in chain)):
            opts.append(tuple(i.id for i in combo))
        options.append(opts)
    best = float("inf")
    for pick in itertools.product(*options):
        assignment = {k.id: p for k, p in zip(problem.cohorts, pick, strict=True) if p}
        plan_like = _feasible(problem, assignment)
        if plan_like:
            best = min(best, recompute_objective(problem, assignment))
    return best


def _feasible(problem: Problem, assignment: dict[str, tuple[str, ...]]) -> bool:
    intakes = {i.id: i for i in problem.intakes}
    courses = {c.id: c for c in problem.courses}
    cohorts = {k.id: k for k in problem.cohorts}
    used: dict[str, int] = {}
    for kid, chosen in assignment.items():
        k = cohorts[kid]
        ends = {
            intakes[i].course: intakes[i].start_week + courses[intakes[i].course].duration_weeks
            for i in chosen
        }
        for i in chosen:
            it = intakes[i]
            if it.start_week < k.available_week or any(
                ends.get(a, 0) > it.start_week for a in courses[it.course].prerequisites
            ):
                return False
            if it.languages and k.language_group not in it.languages:
                return False
            used[i] = used.get(i, 0) + k.size
    return all(n <= intakes[i].seats for i, n in used.items())


@st.composite
def tiny(draw: st.DrawFn) -> Problem:
    courses = (Course("A", draw(st.integers(1, 4))), Course("B", draw(st.integers(1, 4)), ("A",)))
    intakes = tuple(
        Intake(
            f"I{n}",
            draw(st.sampled_from(["A", "B"])),
            "S",
            draw(st.integers(0, 10)),
            draw(st.integers(0, 8)),
        )
        for n in range(draw(st.integers(1, 4)))
    )
    lines = tuple(
        Line(
            f"L{n}",
            draw(st.integers(0, 12)),
            draw(st.integers(1, 5)),
            draw(st.integers(1, 2)),
            (draw(st.sampled_from(["A", "B"])),),
        )
        for n in range(2)
    )
    cohorts = tuple(
        Cohort(f"K{n}", draw(st.sampled_from(["L0", "L1"])), draw(st.integers(1, 5)))
        for n in range(draw(st.integers(1, 3)))
    )
    return Problem(courses, intakes, lines, cohorts, Parameters(horizon_weeks=12))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(tiny())
def test_bound_never_exceeds_the_brute_force_optimum_and_plans_keep_every_rule(p: Problem) -> None:
    plan = schedule(p, time_limit=5)
    assert plan.status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE), plan.messages
    assert verify(p, plan) == []
    optimum = _brute_force(p)
    assert plan.bound is not None and plan.bound <= optimum + 1e-6
    assert plan.objective >= optimum - 1e-6
    assert verify(p, greedy(p)) == []


def test_the_optional_master_mip_returns_checked_plans(monkeypatch: object) -> None:
    import pytest

    from coalition.planning.training import solve

    mp = pytest.MonkeyPatch()
    mp.setattr(solve, "USE_MASTER_MIP", True)
    try:
        base = pilots(seats_f16=4)
        lines = (*base.lines, Line("F-16b", 10, 3, 1, ("F16",)))
        problem = replace(base, lines=lines, cohorts=(*base.cohorts, Cohort("K2", "F-16b", 4)))
        plan = schedule(problem, time_limit=5)
        assert verify(problem, plan) == [] and plan.objective == 4 * 4 * 8
    finally:
        mp.undo()
