"""Why a line's crews are late: per cohort, the binding course and intake, and who has the
seats it would have needed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from .arrays import build_arrays
from .plan import CohortSchedule, TrainingPlan
from .problem import Problem


@dataclass(frozen=True)
class CohortReason:
    """`code`: on_time | intake_dates (no schedule finishes earlier, whatever the seats) |
    seats_taken (an earlier schedule exists; `binding_intake` on it is full, `taken_by` the
    lines of higher priority holding its seats) | no_intake_in_horizon | prerequisite_unmet |
    seats_exhausted (unscheduled)."""

    cohort: str
    ready_week: int | None
    earliest_possible_week: int | None  # over every schedule, ignoring other cohorts
    weeks_late: int
    code: str
    binding_course: str | None
    binding_intake: str | None
    taken_by: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Explanation:
    line: str
    eta_week: int
    crew_ready_week: int | None
    cohorts: tuple[CohortReason, ...]
    summary: str


def explain(problem: Problem, plan: TrainingPlan, line_id: str) -> Explanation:
    """KeyError for an unknown line."""
    line = {line.id: line for line in problem.lines}[line_id]
    a = build_arrays(problem)
    index = {i: n for n, i in enumerate(a.intake_ids)}
    prio = {ln.id: ln.priority for ln in problem.lines}
    by_cohort = {s.cohort: s for s in plan.schedules}
    unmet = {u.cohort: u for u in plan.unmet}
    occupants: dict[int, list[str]] = defaultdict(list)  # intake -> lines of its cohorts
    used = np.zeros(len(a.intake_ids))
    size = {k.id: k.size for k in problem.cohorts}
    for row in plan.schedules:
        for i in row.intakes:
            occupants[index[i]].append(row.line)
            used[index[i]] += size[row.cohort]
    reasons = []
    for k, cohort in enumerate(problem.cohorts):
        if cohort.line != line_id:
            continue
        sig = a.signatures[a.cohort_signature[k]]
        s: CohortSchedule | None = by_cohort.get(cohort.id)
        earliest = int(sig.finish[0]) if sig.finish.size else None
        if s is None or s.ready_week is None:
            u = unmet.get(cohort.id)
            code = str(u.reason) if u else "seats_exhausted"
            reasons.append(
                CohortReason(
                    cohort.id, None, earliest, 0, code, None, None, (), u.text if u else ""
                )
            )
            continue
        late = max(0, s.ready_week - line.eta_week)
        chosen = [index[i] for i in s.intakes]
        last: int | None = max(chosen, key=lambda i: a.intake_end[i]) if chosen else None
        taken: tuple[str, ...]
        binding: int | None
        if late == 0:
            code, text = "on_time", f"ready in week {s.ready_week}, ETA week {line.eta_week}"
            binding, taken = last, ()
        elif earliest is not None and s.ready_week <= earliest:
            code, binding, taken = "intake_dates", last, ()
            course = a.course_ids[a.intake_course[last]] if last is not None else "-"
            text = (
                f"no schedule finishes before week {earliest}: the binding course is {course} "
                f"(intake {a.intake_ids[last] if last is not None else '-'})"
            )
        else:
            # the earliest schedules finishing before the plan's: which intake is full
            better = sig.schedules[sig.finish < s.ready_week]
            others = used.copy()
            others[chosen] -= cohort.size  # the seats this cohort holds itself
            full = better[(others[better] + cohort.size > a.seats[better])]
            binding = int(full[0]) if full.size else (int(better[0, 0]) if better.size else last)
            mine = prio[line_id]
            held = occupants.get(binding, []) if binding is not None else []
            taken = tuple(sorted({ln for ln in held if prio[ln] < mine}))
            code = "seats_taken"
            b = binding if binding is not None else 0
            text = (
                f"a schedule finishing in week {earliest} exists; intake "
                f"{a.intake_ids[b]} ({a.course_ids[a.intake_course[b]]}) has "
                f"{int(used[b])} of {int(a.seats[b])} seats taken"
                + (f", by higher-priority lines {', '.join(taken)}" if taken else "")
            )
        reasons.append(
            CohortReason(
                cohort.id,
                s.ready_week,
                earliest,
                late,
                code,
                a.course_ids[a.intake_course[binding]] if binding is not None else None,
                a.intake_ids[binding] if binding is not None else None,
                taken,
                text,
            )
        )
    report = next(r for r in plan.lines if r.line == line_id)
    counts: dict[str, int] = defaultdict(int)
    for r in reasons:
        counts[r.code] += 1
    ready = report.crew_ready_week
    when = "never (some cohorts unscheduled)" if ready is None else f"week {ready}"
    summary = f"line {line_id}: ETA week {line.eta_week}, crews ready {when}; " + ", ".join(
        f"{n} {c}" for c, n in sorted(counts.items())
    )
    return Explanation(line_id, line.eta_week, report.crew_ready_week, tuple(reasons), summary)
