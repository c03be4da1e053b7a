"""Never trust a solver's label: an independent check of a training plan.

Written from the rules, in plain Python over the problem's dataclasses: it shares no code
with the model, the schedule enumeration or the solvers (only the chain derivation and the
week of an unscheduled cohort, which are definitions). Every rule a plan must keep:

* each cohort appears once; every intake it names exists;
* a scheduled cohort takes exactly one intake of every course of its chain and nothing else
  (a partly scheduled cohort is a violation);
* the intake teaches the cohort's language group and starts no earlier than the cohort is
  available;
* prerequisite order: an intake of course B starts no earlier than the end of the cohort's
  intake of every prerequisite A of B in its chain;
* seats: the trainees in an intake do not exceed its seats;
* the reported ready weeks, costs and objective equal those recomputed here;
* the bound does not exceed the objective, and an "optimal" plan is within the gap.
"""

from __future__ import annotations

from collections import defaultdict

from .plan import PlanStatus, TrainingPlan
from .problem import Problem, cohort_chain, unscheduled_ready_week

TOLERANCE = 1e-6


def cohort_cost(problem: Problem, cohort_id: str, ready_week: int | None) -> float:
    """Priority weight × platforms × weeks late (ready week of an unscheduled cohort: see
    `unscheduled_ready_week`)."""
    return _Costs(problem).cost(cohort_id, ready_week)


class _Costs:
    def __init__(self, problem: Problem) -> None:
        self.cohorts = {k.id: k for k in problem.cohorts}
        self.lines = {line.id: line for line in problem.lines}
        self.weights = problem.parameters.priority_weights
        self.never = unscheduled_ready_week(problem)

    def cost(self, cohort_id: str, ready_week: int | None) -> float:
        cohort = self.cohorts[cohort_id]
        line = self.lines[cohort.line]
        week = self.never if ready_week is None else ready_week
        weight = self.weights[line.priority]
        return weight * cohort.size / line.crew_size * max(0, week - line.eta_week)


def recompute_objective(problem: Problem, assignment: dict[str, tuple[str, ...]]) -> float:
    """The objective of `assignment` (cohort id → intake ids; missing cohorts unscheduled)."""
    courses = {c.id: c for c in problem.courses}
    intakes = {i.id: i for i in problem.intakes}
    costs = _Costs(problem)
    total = 0.0
    for k in problem.cohorts:
        chosen = assignment.get(k.id, ())
        chain = cohort_chain(problem, k)
        if not chosen and chain:
            total += costs.cost(k.id, None)
            continue
        ends = [intakes[i].start_week + courses[intakes[i].course].duration_weeks for i in chosen]
        total += costs.cost(k.id, max(ends, default=k.available_week))
    return total


def verify(problem: Problem, plan: TrainingPlan) -> list[str]:
    """Every rule `plan` breaks, as sentences (empty: the plan keeps every rule)."""
    out: list[str] = []
    courses = {c.id: c for c in problem.courses}
    intakes = {i.id: i for i in problem.intakes}
    cohorts = {k.id: k for k in problem.cohorts}
    seen: set[str] = set()
    costs = _Costs(problem)
    used: dict[str, int] = defaultdict(int)
    assignment: dict[str, tuple[str, ...]] = {}
    for s in plan.schedules:
        k = cohorts.get(s.cohort)
        if k is None:
            out.append(f"unknown cohort {s.cohort!r}")
            continue
        if s.cohort in seen:
            out.append(f"cohort {s.cohort} appears more than once")
            continue
        seen.add(s.cohort)
        unknown = [i for i in s.intakes if i not in intakes]
        if unknown:
            out.append(f"cohort {s.cohort}: unknown intakes {unknown}")
            continue
        chain = cohort_chain(problem, k)
        taken = [intakes[i].course for i in s.intakes]
        if s.intakes and sorted(taken) != sorted(chain):
            out.append(
                f"cohort {s.cohort}: takes courses {sorted(taken)}, its chain is {sorted(chain)}"
            )
            continue
        assignment[s.cohort] = s.intakes
        by_course = {intakes[i].course: intakes[i] for i in s.intakes}
        for i in s.intakes:
            intake = intakes[i]
            used[i] += k.size
            if intake.languages and k.language_group not in intake.languages:
                out.append(f"cohort {s.cohort}: intake {i} does not teach {k.language_group!r}")
            if intake.start_week < k.available_week:
                out.append(
                    f"cohort {s.cohort}: intake {i} starts in week {intake.start_week}, before "
                    f"the cohort is available (week {k.available_week})"
                )
            for a in courses[intake.course].prerequisites:
                if a in by_course:
                    before = by_course[a]
                    end = before.start_week + courses[a].duration_weeks
                    if end > intake.start_week:
                        out.append(
                            f"cohort {s.cohort}: intake {i} ({intake.course}) starts in week "
                            f"{intake.start_week}, before prerequisite {a} (intake {before.id}) "
                            f"ends in week {end}"
                        )
                elif a not in k.completed:
                    out.append(f"cohort {s.cohort}: prerequisite {a} of {intake.course} not met")
        if s.intakes or not chain:
            ends = [
                intakes[i].start_week + courses[intakes[i].course].duration_weeks for i in s.intakes
            ]
            ready: int | None = max(ends, default=k.available_week)
        else:
            ready = None
        if s.ready_week != ready:
            out.append(f"cohort {s.cohort}: reported ready week {s.ready_week}, really {ready}")
        cost = costs.cost(s.cohort, ready)
        if abs(cost - s.cost) > TOLERANCE * max(1.0, abs(cost)):
            out.append(f"cohort {s.cohort}: reported cost {s.cost}, really {cost}")
    missing = [k for k in cohorts if k not in seen]
    if missing:
        out.append(f"{len(missing)} cohorts missing from the plan, e.g. {missing[:3]}")
    for i, n in used.items():
        if n > intakes[i].seats:
            out.append(f"intake {i}: {n} trainees in {intakes[i].seats} seats")
    objective = recompute_objective(problem, assignment)
    tol = TOLERANCE * max(1.0, abs(objective))
    if abs(objective - plan.objective) > tol:
        out.append(f"reported objective {plan.objective}, recomputed {objective}")
    empty = recompute_objective(problem, {})
    if abs(empty - plan.empty_objective) > tol:
        out.append(f"reported empty-schedule objective {plan.empty_objective}, really {empty}")
    if plan.bound is not None:
        if plan.bound > objective + tol:
            out.append(f"bound {plan.bound} above the objective {objective}")
        if plan.status == PlanStatus.OPTIMAL:
            gap = (objective - plan.bound) / max(objective, 1e-9)
            if gap > problem.parameters.mip_gap + 1e-9:
                out.append(f"labelled optimal with a gap of {gap:.4%}")
    elif plan.status == PlanStatus.OPTIMAL:
        out.append("labelled optimal without a bound")
    return out
