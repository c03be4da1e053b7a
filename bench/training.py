"""Training scheduler benchmark: `.venv/bin/python bench/training.py [--cohorts 5000]
[--intakes 300] [--courses 40] [--ratio 1.1] [--time-limit 30] [--seed 1]`.

One seeded instance: courses in three levels (4 basic/language courses shared by every line,
12 level-2 courses each needing a basic one, the rest level-3 needing a level-2 and sometimes
a second basic course: chains up to depth 3), 30 platform lines with ETAs and priorities,
cohorts over a 104-week horizon, intakes spread over the courses in proportion to demand, and
seats totalling `ratio` × demand (Σ cohort size × courses in its chain) split over each
course's intakes in proportion to that course's demand. Prints one table: the scheduler, the
earliest-intake greedy baseline and the empty schedule from the same run, with the plain gap
and the gap on the part a scheduler can change.
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from coalition.planning.training import (
    Cohort,
    Course,
    Intake,
    Line,
    Parameters,
    Problem,
    greedy,
    schedule,
    verify,
)
from coalition.planning.training.problem import cohort_chain


def generate(
    cohorts: int = 5000, intakes: int = 300, courses: int = 40, ratio: float = 1.1, seed: int = 1
) -> Problem:
    rng = np.random.default_rng(seed)
    n_basic, n_mid = 4, 12
    course_rows = []
    for c in range(courses):
        if c < n_basic:
            pre: tuple[str, ...] = ()
            skill = "language" if c == 0 else "basic"
        elif c < n_basic + n_mid:
            pre = (f"C{rng.integers(0, n_basic):02d}",)
            skill = "crew"
        else:
            pre = (f"C{rng.integers(n_basic, n_basic + n_mid):02d}",)
            if rng.random() < 0.4:
                pre = (*pre, f"C{rng.integers(0, n_basic):02d}")
            skill = str(rng.choice(["pilot", "maintainer", "crew", "medic", "sapper"]))
        course_rows.append(Course(f"C{c:02d}", int(rng.integers(2, 9)), pre, skill, "PN", "EUMAM"))
    lines = []
    for n in range(30):
        target = int(rng.integers(n_basic, courses))
        lines.append(
            Line(
                f"L{n:02d}",
                eta_week=int(rng.integers(15, 100)),
                priority=int(rng.integers(1, 6)),
                crew_size=int(rng.integers(2, 7)),
                courses=(f"C{target:02d}",),
                platforms=int(rng.integers(5, 60)),
            )
        )
    cohort_rows = [
        Cohort(
            f"K{k:05d}",
            line=lines[int(rng.integers(0, len(lines)))].id,
            size=int(rng.integers(4, 17)),
            language_group=str(rng.choice(["uk", "uk", "uk", "en"])),
            available_week=int(rng.choice([0, 0, 0, 4, 8, 12])),
        )
        for k in range(cohorts)
    ]
    draft = Problem(tuple(course_rows), (), tuple(lines), tuple(cohort_rows), Parameters())
    demand = np.zeros(courses)
    for k in cohort_rows:
        for c in cohort_chain(draft, k):
            demand[int(c[1:])] += k.size
    # every course with demand gets at least 2 intakes, the rest in proportion to demand
    used = np.flatnonzero(demand > 0)
    per = np.full(courses, 0)
    per[used] = 2
    extra = intakes - int(per.sum())
    share = demand / demand.sum()
    per += np.floor(share * extra).astype(int)
    while per.sum() < intakes:
        per[int(np.argmax(share * extra - (per - 2 * (demand > 0))))] += 1
    intake_rows = []
    for c in range(courses):
        if per[c] == 0:
            continue
        weights = rng.uniform(0.6, 1.4, per[c])
        seats = np.maximum(1, np.round(ratio * demand[c] * weights / weights.sum()))
        # staggered by level so that most chains fit: basic courses early, level 3 late
        low, high = (0, 50) if c < n_basic else ((10, 75) if c < n_basic + n_mid else (22, 96))
        starts = np.sort(rng.integers(low, high, per[c]))
        for j in range(per[c]):
            langs = frozenset({"uk"}) if rng.random() < 0.1 else frozenset()
            intake_rows.append(
                Intake(
                    f"I{c:02d}-{j:02d}",
                    f"C{c:02d}",
                    f"S{int(rng.integers(0, 12)):02d}",
                    int(starts[j]),
                    int(seats[j]),
                    langs,
                )
            )
    return Problem(
        tuple(course_rows), tuple(intake_rows), tuple(lines), tuple(cohort_rows), Parameters()
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cohorts", type=int, default=5000)
    parser.add_argument("--intakes", type=int, default=300)
    parser.add_argument("--courses", type=int, default=40)
    parser.add_argument("--ratio", type=float, default=1.1)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    t = time.perf_counter()
    problem = generate(args.cohorts, args.intakes, args.courses, args.ratio, args.seed)
    gen_s = time.perf_counter() - t
    need = sum(k.size * len(cohort_chain(problem, k)) for k in problem.cohorts)
    seats = sum(i.seats for i in problem.intakes)
    t = time.perf_counter()
    base = greedy(problem)
    greedy_s = time.perf_counter() - t
    t = time.perf_counter()
    plan = schedule(problem, time_limit=args.time_limit)
    solve_s = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    problems = verify(problem, plan)
    load_after = Path("/proc/loadavg").read_text().split()[:3]
    unscheduled = sum(1 for s in plan.schedules if s.ready_week is None)
    print(f"date {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; python {platform.python_version()}")
    print(f"load average before {' / '.join(load_before)}, after {' / '.join(load_after)}")
    print(
        f"instance: {len(problem.cohorts)} cohorts x {len(problem.intakes)} intakes x "
        f"{len(problem.courses)} courses, seats {seats} / need {need} = {seats / need:.3f}, "
        f"generated in {gen_s:.1f} s"
    )
    rows = [
        ("status", str(plan.status), str(base.status), "-"),
        ("wall time (s) [limit]", f"{solve_s:.1f} [{args.time_limit:g}]", f"{greedy_s:.1f}", "-"),
        (
            "objective",
            f"{plan.objective:,.1f}",
            f"{base.objective:,.1f}",
            f"{plan.empty_objective:,.1f}",
        ),
        ("proven lower bound", f"{plan.bound:,.1f}" if plan.bound is not None else "-", "-", "-"),
        ("gap (obj − bound) / obj", _pct(plan.gap), _pct(_gap(base.objective, plan.bound)), "-"),
        (
            "gap on what a schedule changes",
            _pct(plan.controllable_gap),
            _pct(_cgap(base.objective, plan.bound, plan.empty_objective)),
            "100%",
        ),
        (
            "cohorts unscheduled",
            str(unscheduled),
            str(sum(1 for s in base.schedules if s.ready_week is None)),
            str(len(problem.cohorts)),
        ),
        ("peak RSS (MiB)", f"{rss:.0f}", "-", "-"),
        ("verifier problems", str(len(problems)), str(len(verify(problem, base))), "-"),
    ]
    print("| | scheduler | greedy earliest-intake | empty schedule |")
    print("|---|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print("phases (s): " + ", ".join(f"{k} {v:.2f}" for k, v in plan.seconds.items()))
    for m in plan.messages[-4:]:
        print("  " + m)


def _gap(objective: float, bound: float | None) -> float | None:
    return None if bound is None else max(0.0, (objective - bound) / max(objective, 1e-9))


def _cgap(objective: float, bound: float | None, empty: float) -> float | None:
    return None if bound is None else max(0.0, (objective - bound) / max(empty - bound, 1e-9))


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.2f}%"


if __name__ == "__main__":
    main()
