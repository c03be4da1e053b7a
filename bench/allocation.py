"""Allocation planner benchmark: `.venv/bin/python bench/allocation.py [--sizes S,M,L] [--xl]
[--quick] [--no-cross]`.

For each size: the HiGHS component solve (build time, solve time, objective, proven bound, gap,
peak memory), the greedy baselines, and the same model (one monolithic MILP, identical
formulation and coefficients) built with PuLP and solved by its bundled CBC under a time limit.
Each size runs in a fresh child process so that peak-memory figures belong to that size only.
Then the same sizes under a 2 s time limit (how many components fall back to greedy, and the
wall time against the limit), and the gap over time on LX, the L instance without clusters
(bench/allocation_cross.py; `--quick` keeps only its 5 s and 10 s columns).
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from allocation_cross import build_pulp
from allocation_instances import SIZES, generate
from coalition.planning.allocation import Parameters, allocate
from coalition.planning.allocation.greedy import penalty_aware_greedy
from coalition.planning.allocation.model import LINKING_DEFAULT, build_milp
from coalition.planning.allocation.pairs import build_pairs, main_objective

CBC_TIME_LIMIT = {"S": 30.0, "M": 60.0, "L": 120.0, "XL": 300.0}


def _mib(kilobytes: int) -> float:
    return kilobytes / 1024.0


def run_highs(name: str, time_limit: float, workers: int) -> dict[str, Any]:
    snapshot = generate(
        SIZES[name], parameters=Parameters(time_limit_s=time_limit, workers=workers)
    )
    start = time.perf_counter()
    plan = allocate(snapshot)
    total = time.perf_counter() - start
    table = build_pairs(snapshot)
    greedy = allocate(snapshot, method="greedy")
    aware = main_objective(table, penalty_aware_greedy(table))
    return {
        "size": name,
        "requirements": len(snapshot.requirements),
        "offers": len(snapshot.offers),
        "pairs": table.n_pairs,
        "binaries": int(table.group_penalty.size),
        "components": len(plan.components),
        "status": str(plan.status),
        "total_s": total,
        "build_s": plan.build_seconds,
        "solve_s": plan.solve_seconds,
        "objective": plan.objective,
        "bound": plan.best_bound,
        "gap": plan.gap,
        "parent_rss_mib": _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
        "worker_rss_mib": _mib(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss),
        "greedy": greedy.objective,
        "fallbacks": sum(c.status == "greedy_fallback" for c in plan.components),
        "greedy_penalty_aware": aware,
    }


def run_pulp_cbc(name: str, time_limit: float, gap: float) -> dict[str, Any]:
    """The same monolithic model (formulation `LINKING_DEFAULT`) through PuLP + CBC."""
    import pulp

    snapshot = generate(SIZES[name])
    table = build_pairs(snapshot)
    start = time.perf_counter()
    m = build_milp(table, LINKING_DEFAULT)
    model, columns = build_pulp(m)
    built = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "cbc.log"
        solver = pulp.PULP_CBC_CMD(
            msg=False, timeLimit=time_limit, gapRel=gap, threads=2, logPath=str(log)
        )
        model.solve(solver)
        text = log.read_text()
    solved = time.perf_counter()
    x = np.array([c.varValue or 0.0 for c in columns[: m.n_pairs]])
    objective = main_objective(table, x) if model.status == 1 else float("nan")
    # CBC reports the bound on the solver objective (with tie-break terms); convert it to a
    # bound on the main objective exactly as the HiGHS path does (highs.main_bound).
    bounds = re.findall(r"(?:Upper|Lower) bound:\s+(-?[\d.e+]+)", text)
    eps = snapshot.parameters.tie_break_epsilon
    raw = abs(float(bounds[-1])) if bounds else float("nan")
    bound = (raw + eps * float(table.group_penalty.sum())) / (1 - eps)
    return {
        "cbc_status": pulp.LpStatus[model.status],
        "cbc_build_s": built - start,
        "cbc_solve_s": solved - built,
        "cbc_objective": objective,
        "cbc_bound": bound,
        "cbc_gap": (bound - objective) / abs(objective) if objective else float("nan"),
        "cbc_time_limit_s": time_limit,
    }


def _child(args: argparse.Namespace) -> None:
    result = run_highs(args.child, args.time_limit, args.workers)
    if not args.no_pulp:
        result.update(run_pulp_cbc(args.child, CBC_TIME_LIMIT[args.child], 1e-3))
    print("RESULT " + json.dumps(result))


def _fmt(value: Any, spec: str) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "—"
    return format(value, spec)


def print_table(results: list[dict[str, Any]]) -> None:
    rows = [
        ("size", "size", "s"),
        ("requirements × offers", None, ""),
        ("pairs / binaries / components", None, ""),
        ("status", "status", "s"),
        ("model build (s)", "build_s", ".2f"),
        ("solve (s)", "solve_s", ".2f"),
        ("total wall (s)", "total_s", ".2f"),
        ("build share", None, ""),
        ("objective", "objective", ".3f"),
        ("proven bound", "bound", ".3f"),
        ("gap", "gap", ".4%"),
        ("peak RSS parent / worker (MiB)", None, ""),
        ("greedy objective", "greedy", ".3f"),
        ("% better than greedy", None, ""),
        ("penalty-aware greedy (warm start)", "greedy_penalty_aware", ".3f"),
        ("PuLP+CBC build (s)", "cbc_build_s", ".2f"),
        ("PuLP+CBC solve (s) [limit]", None, ""),
        ("PuLP+CBC objective", "cbc_objective", ".3f"),
        ("PuLP+CBC gap", "cbc_gap", ".4%"),
        ("speed-up vs PuLP+CBC (wall)", None, ""),
    ]
    lines = []
    for label, key, spec in rows:
        cells = []
        for r in results:
            if key is not None:
                cells.append(_fmt(r.get(key), spec))
            elif label.startswith("requirements"):
                cells.append(f"{r['requirements']:,} × {r['offers']:,}")
            elif label.startswith("pairs"):
                cells.append(f"{r['pairs']:,} / {r['binaries']:,} / {r['components']}")
            elif label == "build share":
                cells.append(f"{r['build_s'] / r['total_s']:.0%}")
            elif label.startswith("peak"):
                cells.append(f"{r['parent_rss_mib']:.0f} / {r['worker_rss_mib']:.0f}")
            elif label.startswith("%"):
                cells.append(f"{(r['objective'] - r['greedy']) / abs(r['greedy']):+.1%}")
            elif label.startswith("PuLP+CBC solve"):
                cells.append(
                    f"{r['cbc_solve_s']:.1f} [{r['cbc_time_limit_s']:.0f}]"
                    if "cbc_solve_s" in r
                    else "—"
                )
            elif label.startswith("speed-up"):
                cbc = r.get("cbc_build_s", 0) + r.get("cbc_solve_s", 0)
                cells.append(f"{cbc / r['total_s']:.0f}×" if cbc else "—")
        lines.append((label, cells))
    width = max(len(label) for label, _ in lines)
    for label, cells in lines:
        print(f"| {label.ljust(width)} | " + " | ".join(c.rjust(14) for c in cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--xl", action="store_true", help="also run XL (10,000 × 100,000)")
    parser.add_argument("--no-pulp", action="store_true", help="skip the PuLP + CBC comparison")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="LX: only the 5 s and 10 s limits")
    parser.add_argument("--no-cross", action="store_true", help="skip the LX comparison")
    parser.add_argument("--limited", type=float, default=2.0, help="the short time limit, s")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    sizes = [s for s in args.sizes.split(",") if s] + (["XL"] if args.xl else [])
    print(
        f"# allocation benchmark — {time.strftime('%Y-%m-%d')}, {platform.processor() or ''}"
        f" Python {platform.python_version()}"
    )
    results = [_run_child(name, args.time_limit, args.workers, args.no_pulp) for name in sizes]
    print_table(results)

    print(f"\nUnder a {args.limited:g} s time limit ({args.workers} workers):")
    print("| size | status | components fallen back | objective | total wall (s) |")
    print("|---|---|---:|---:|---:|")
    for name in sizes:
        r = _run_child(name, args.limited, args.workers, no_pulp=True)
        print(
            f"| {name} | {r['status']} | {r['fallbacks']} of {r['components']} | "
            f"{r['objective']:,.3f} | {r['total_s']:.2f} |"
        )

    if not args.no_cross:
        limits = "5,10" if args.quick else "5,10,30,60"
        cross = [sys.executable, str(Path(__file__).with_name("allocation_cross.py"))]
        cross += ["--limits", limits] + (["--no-pulp"] if args.no_pulp else [])
        print(subprocess.run(cross, capture_output=True, text=True, check=True).stdout)


def _run_child(name: str, time_limit: float, workers: int, no_pulp: bool) -> dict[str, Any]:
    cmd = [
        sys.executable,
        __file__,
        "--child",
        name,
        "--time-limit",
        str(time_limit),
        "--workers",
        str(workers),
    ] + (["--no-pulp"] if no_pulp else [])
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    print(f"  {name} ({time_limit:g} s): done", file=sys.stderr)
    result: dict[str, Any] = json.loads(line[len("RESULT ") :])
    return result


if __name__ == "__main__":
    main()
