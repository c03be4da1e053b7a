"""Gap over time on LX (L without clusters): ours, HiGHS on the monolithic model, PuLP + CBC.

`.venv/bin/python bench/allocation_cross.py [--limits 5,10,30,60]` (run by bench/allocation.py).
Every cell is one run under that time limit: relative gap (bound − objective) / objective on
the main objective, the objective, and the run's wall time. "ours" is `allocate()` end to end
(pair table, components, relax and fix, MIPs, audit) with 2 workers; "HiGHS monolithic" is the
whole pair table as one MILP (per-offer linking, the default formulation) passed to HiGHS with
its default options, `threads=2`; "PuLP + CBC" is the same monolithic model built with PuLP and
solved by its bundled CBC, `threads=2`. All stop early at a 0.1 % gap.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from allocation_instances import SIZES, generate
from coalition.planning.allocation import Parameters, allocate
from coalition.planning.allocation.audit import feasibility_problems
from coalition.planning.allocation.highs import main_bound, new_highs, pass_model
from coalition.planning.allocation.model import LINKING_DEFAULT, MilpArrays, build_milp
from coalition.planning.allocation.pairs import PairTable, build_pairs, main_objective

GAP = 1e-3
INSTANCE = "LX"
Cell = dict[str, Any]


def _cell(objective: float, bound: float, wall: float, note: str = "") -> Cell:
    gap = (bound - objective) / abs(objective) if np.isfinite(bound) and objective else None
    return {"objective": objective, "bound": bound, "gap": gap, "wall": wall, "note": note}


def run_ours(limit: float) -> Cell:
    snapshot = generate(SIZES[INSTANCE], parameters=Parameters(time_limit_s=limit, workers=2))
    start = time.perf_counter()
    plan = allocate(snapshot)
    wall = time.perf_counter() - start
    bound = plan.best_bound if plan.best_bound is not None else float("inf")
    return _cell(plan.objective, bound, wall, str(plan.status))


def run_highs_monolithic(table: PairTable, m: MilpArrays, limit: float, eps: float) -> Cell:
    start = time.perf_counter()
    h = new_highs(limit, GAP)
    for option in ("rins", "rens", "root_reduced_cost", "feasibility_jump"):
        h.setOptionValue(f"mip_heuristic_run_{option}", True)  # HiGHS defaults
    h.setOptionValue("threads", 2)
    pass_model(h, m, m.col_lower, m.col_upper)
    h.run()
    info = h.getInfo()
    wall = time.perf_counter() - start
    if info.primal_solution_status != 2:
        return _cell(float("nan"), float("inf"), wall, "no solution")
    x = np.asarray(h.getSolution().col_value, dtype=np.float64)[: m.n_pairs]
    x = np.where(np.abs(x - np.round(x)) <= 1e-6, np.round(x), x)
    note = "infeasible values!" if feasibility_problems(table, x) else ""
    bound = main_bound(table, float(info.mip_dual_bound), eps)
    return _cell(main_objective(table, x), bound, wall, note)


def build_pulp(m: MilpArrays) -> tuple[Any, list[Any]]:
    import pulp

    model = pulp.LpProblem("allocation", pulp.LpMaximize)
    columns = [
        model.add_variable(
            f"c{j}",
            lowBound=float(m.col_lower[j]),
            upBound=float(m.col_upper[j]),
            cat="Binary" if m.integrality[j] else "Continuous",
        )
        for j in range(m.n_cols)
    ]
    model += pulp.LpAffineExpression(zip(columns, m.cost.tolist(), strict=True))
    col_of_nz = np.repeat(np.arange(m.n_cols), np.diff(m.a_start))
    order = np.argsort(m.a_index, kind="stable")
    row_starts = np.searchsorted(m.a_index[order], np.arange(m.n_rows + 1))
    cols_sorted, vals_sorted = col_of_nz[order].tolist(), m.a_value[order].tolist()
    for i in range(m.n_rows):
        lo, hi = row_starts[i], row_starts[i + 1]
        expr = pulp.LpAffineExpression(
            (columns[c], v) for c, v in zip(cols_sorted[lo:hi], vals_sorted[lo:hi], strict=True)
        )
        model += pulp.LpConstraint(expr, pulp.LpConstraintLE, rhs=float(m.row_upper[i]))
    return model, columns


def run_cbc(
    table: PairTable, m: MilpArrays, model: Any, columns: list[Any], limit: float, eps: float
) -> Cell:
    import pulp

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "cbc.log"
        solver = pulp.PULP_CBC_CMD(
            msg=False, timeLimit=limit, gapRel=GAP, threads=2, logPath=str(log)
        )
        model.solve(solver)
        text = log.read_text()
    wall = time.perf_counter() - start
    x = np.array([c.varValue or 0.0 for c in columns[: m.n_pairs]])
    if model.status != 1 or feasibility_problems(table, x):
        return _cell(float("nan"), float("inf"), wall, pulp.LpStatus[model.status])
    # CBC reports the bound on the solver objective (tie-break included); convert it.
    bounds = re.findall(r"(?:Upper|Lower) bound:\s+(-?[\d.e+]+)", text)
    raw = abs(float(bounds[-1])) if bounds else float("inf")
    return _cell(main_objective(table, x), main_bound(table, raw, eps), wall)


def _fmt(c: Cell) -> str:
    if c["gap"] is None or not np.isfinite(c["objective"]):
        return f"— ({c['note'] or 'no bound'}) [{c['wall']:.1f} s]"
    return f"{c['gap']:.3%} ({c['objective']:,.1f}) [{c['wall']:.1f} s]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limits", default="5,10,30,60")
    parser.add_argument("--no-pulp", action="store_true")
    args = parser.parse_args()
    limits = [float(v) for v in args.limits.split(",") if v]

    snapshot = generate(SIZES[INSTANCE])
    table = build_pairs(snapshot)
    m = build_milp(table, LINKING_DEFAULT)
    eps = snapshot.parameters.tie_break_epsilon
    rows: dict[str, list[Cell]] = {"ours (allocate, 2 workers)": []}
    for limit in limits:
        rows["ours (allocate, 2 workers)"].append(run_ours(limit))
    rows["HiGHS monolithic (threads=2)"] = [
        run_highs_monolithic(table, m, limit, eps) for limit in limits
    ]
    if not args.no_pulp:
        built = time.perf_counter()
        model, columns = build_pulp(m)
        print(f"  PuLP model built in {time.perf_counter() - built:.1f} s", file=sys.stderr)
        rows["PuLP + CBC (threads=2)"] = [
            run_cbc(table, m, model, columns, limit, eps) for limit in limits
        ]
    print(
        f"\n{INSTANCE}: {len(snapshot.requirements):,} requirements × {len(snapshot.offers):,} "
        f"offers, {table.n_pairs:,} pairs, {table.group_penalty.size:,} binaries; "
        "cell = gap (objective) [wall]"
    )
    header = ["solver \\ time limit", *(f"{limit:g} s" for limit in limits)]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name, cells in rows.items():
        print("| " + " | ".join([name, *(_fmt(c) for c in cells)]) + " |")


if __name__ == "__main__":
    main()
