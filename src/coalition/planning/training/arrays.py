"""The problem as arrays, and every feasible schedule of every cohort, enumerated once.

A *schedule* of a cohort is one intake per course of its chain such that every intake teaches
the cohort's language group, starts no earlier than the cohort is available, and starts no
earlier than the end of the intakes chosen for the course's prerequisites. Cohorts with the
same chain, language group and availability share one *signature* and one table of schedules
(built by joining course after course in numpy, never a loop per schedule).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .problem import Problem, cohort_chain, unscheduled_ready_week

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# Above this many schedules for one signature the problem is refused (documented limit).
MAX_SCHEDULES_PER_SIGNATURE = 400_000


@dataclass(frozen=True)
class Signature:
    chain: tuple[int, ...]  # course indices, prerequisites first
    schedules: IntArray  # (P, len(chain)) intake indices
    finish: IntArray  # (P,) ready week of each schedule
    cohorts: IntArray  # cohort indices sharing it
    missing_course: int  # a chain course with no eligible intake (-1: none)

    @property
    def finish_starts(self) -> IntArray:
        """First schedule of each finish week (schedules are sorted by finish)."""
        if self.finish.size == 0:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(np.r_[True, self.finish[1:] != self.finish[:-1]])


@dataclass(frozen=True)
class Arrays:
    intake_ids: list[str]
    cohort_ids: list[str]
    course_ids: list[str]
    intake_course: IntArray
    intake_start: IntArray
    intake_end: IntArray
    seats: FloatArray
    size: FloatArray  # trainees per cohort
    line_weight: FloatArray  # the priority weight of each cohort's line
    weight: FloatArray  # cost per week late: priority weight × platforms (size / crew size)
    eta: IntArray
    cohort_line: IntArray
    line_ids: list[str]
    unscheduled_cost: FloatArray  # cost of leaving each cohort out
    cohort_signature: IntArray
    signatures: list[Signature]

    def late_cost(self, cohort: int, finish: IntArray) -> FloatArray:
        late = np.maximum(finish - self.eta[cohort], 0)
        return np.asarray(self.weight[cohort] * late, dtype=np.float64)


def build_arrays(problem: Problem) -> Arrays:
    params = problem.parameters
    course_ids = [c.id for c in problem.courses]
    course_index = {c: n for n, c in enumerate(course_ids)}
    duration = np.array([c.duration_weeks for c in problem.courses], dtype=np.int64)
    intakes = problem.intakes
    intake_course = np.array([course_index[i.course] for i in intakes], dtype=np.int64)
    intake_start = np.array([i.start_week for i in intakes], dtype=np.int64)
    intake_end = intake_start + duration[intake_course] if intakes else intake_start.copy()
    seats = np.array([i.seats for i in intakes], dtype=np.float64)
    lines = {line.id: n for n, line in enumerate(problem.lines)}
    line_rows = problem.lines
    cohorts = problem.cohorts
    cohort_line = np.array([lines[k.line] for k in cohorts], dtype=np.int64)
    size = np.array([k.size for k in cohorts], dtype=np.float64)
    crew = np.array([line_rows[n].crew_size for n in cohort_line], dtype=np.float64)
    prio = np.array(
        [params.priority_weights[line_rows[n].priority] for n in cohort_line], dtype=np.float64
    )
    weight = prio * size / np.maximum(crew, 1.0)
    eta = np.array([line_rows[n].eta_week for n in cohort_line], dtype=np.int64)
    never = unscheduled_ready_week(problem)
    unscheduled_cost = weight * np.maximum(never - eta, 0)

    by_course: dict[int, IntArray] = {
        c: np.flatnonzero(intake_course == c) for c in range(len(course_ids))
    }
    prereqs = [
        [course_index[a] for a in c.prerequisites if a in course_index] for c in problem.courses
    ]
    keys: dict[tuple[tuple[int, ...], str, int], int] = {}
    members: list[list[int]] = []
    sig_keys: list[tuple[tuple[int, ...], str, int]] = []
    cohort_signature = np.zeros(len(cohorts), dtype=np.int64)
    for n, k in enumerate(cohorts):
        chain = tuple(course_index[c] for c in cohort_chain(problem, k))
        key = (chain, k.language_group, k.available_week)
        if key not in keys:
            keys[key] = len(members)
            members.append([])
            sig_keys.append(key)
        cohort_signature[n] = keys[key]
        members[keys[key]].append(n)
    languages = [i.languages for i in intakes]
    signatures = []
    for (chain, group, available), cohort_list in zip(sig_keys, members, strict=True):
        cand = []
        for c in chain:
            ok = [
                j
                for j in by_course[c]
                if intake_start[j] >= available and (not languages[j] or group in languages[j])
            ]
            cand.append(np.array(ok, dtype=np.int64))
        schedules, finish, missing = _enumerate(
            chain, cand, prereqs, intake_start, intake_end, available
        )
        signatures.append(
            Signature(chain, schedules, finish, np.array(cohort_list, dtype=np.int64), missing)
        )
    return Arrays(
        intake_ids=[i.id for i in intakes],
        cohort_ids=[k.id for k in cohorts],
        course_ids=course_ids,
        intake_course=intake_course,
        intake_start=intake_start,
        intake_end=intake_end,
        seats=seats,
        size=size,
        line_weight=prio,
        weight=weight,
        eta=eta,
        cohort_line=cohort_line,
        line_ids=[line.id for line in line_rows],
        unscheduled_cost=unscheduled_cost,
        cohort_signature=cohort_signature,
        signatures=signatures,
    )


def _enumerate(
    chain: tuple[int, ...],
    cand: list[IntArray],
    prereqs: list[list[int]],
    start: IntArray,
    end: IntArray,
    available: int,
) -> tuple[IntArray, IntArray, int]:
    """All schedules of one signature: a join over the chain, course by course."""
    if not chain:
        return np.zeros((1, 0), dtype=np.int64), np.array([available], dtype=np.int64), -1
    missing = next((c for c, ok in zip(chain, cand, strict=True) if ok.size == 0), -1)
    if missing >= 0:
        return np.zeros((0, len(chain)), dtype=np.int64), np.zeros(0, dtype=np.int64), missing
    position = {c: n for n, c in enumerate(chain)}
    table = cand[0][:, None]
    for n in range(1, len(chain)):
        new = cand[n]
        before = [position[a] for a in prereqs[chain[n]] if a in position]
        rows = np.repeat(np.arange(table.shape[0]), new.size)
        cols = np.tile(new, table.shape[0])
        ok = np.ones(rows.size, dtype=bool)
        for b in before:
            ok &= end[table[rows, b]] <= start[cols]
        table = np.column_stack([table[rows[ok]], cols[ok]])
        if table.shape[0] > MAX_SCHEDULES_PER_SIGNATURE:
            raise ValueError(
                f"more than {MAX_SCHEDULES_PER_SIGNATURE} possible schedules for one chain"
            )
    finish = end[table].max(axis=1) if table.size else np.zeros(0, dtype=np.int64)
    order = np.argsort(finish, kind="stable")
    return table[order], finish[order], -1
