"""A cohort that has completed every course of its line is ready when available: the plan
keeps every rule (the empty-schedule objective counts it ready, as the verifier does)."""

from __future__ import annotations

from coalition.planning.training import Cohort, Course, Intake, Line, Problem, schedule, verify


def test_a_cohort_with_nothing_left_to_take_is_ready_at_once_and_the_plan_verifies():
    problem = Problem(
        courses=(Course("CREW", 6),),
        intakes=(Intake("I1", "CREW", "S", 2, 10),),
        lines=(Line("L", eta_week=0, priority=1, crew_size=5, courses=("CREW",)),),
        cohorts=(
            Cohort("DONE", "L", 5, completed=frozenset({"CREW"})),
            Cohort("NEW", "L", 5),
        ),
    )
    plan = schedule(problem, time_limit=5.0)
    assert plan.is_usable and verify(problem, plan) == [], plan.messages
    assert plan.schedule_of("DONE").ready_week == 0 and plan.schedule_of("NEW").ready_week == 8
    # Weight 16 × 1 platform × 8 weeks for the new cohort; the empty plan leaves it unseated.
    assert plan.objective == 128.0 and plan.empty_objective > plan.objective
