"""Solve one component's MILP with HiGHS and return a checked, integral solution.

Only the y (new-type) columns are integer. With y fixed, x lives in a totally unimodular
polytope with integer bounds, so a basic (simplex) solution is integral; if HiGHS returns a
non-basic solution with fractional x on an indivisible requirement, we re-solve the LP with y
fixed (simplex → vertex) and, only if that still fails, the MIP with integer x.
"""

from __future__ import annotations

import ctypes
import os
import sys
import time
from dataclasses import dataclass, replace

import highspy
import numpy as np

from .greedy import penalty_aware_greedy
from .model import LINKING_DEFAULT, Linking, MilpArrays, build_milp
from .pairs import FloatArray, PairTable, main_objective

INTEGRALITY_TOLERANCE = 1e-6
SOLVER_NAME = "HiGHS"


def solver_version() -> str:
    core = highspy._core
    version = f"{core.HIGHS_VERSION_MAJOR}.{core.HIGHS_VERSION_MINOR}.{core.HIGHS_VERSION_PATCH}"
    return f"{SOLVER_NAME} {version}"


@dataclass(frozen=True)
class ComponentOutcome:
    """The solution of one component, in the component's local pair order."""

    status: str  # optimal | time_limit_feasible | greedy_fallback | infeasible | solver_error
    x: FloatArray
    objective: float
    bound: float
    build_seconds: float
    solve_seconds: float
    nodes: int
    n_pairs: int
    n_groups: int
    detail: str = ""


_banner_shown = False


def _highs() -> highspy.Highs:
    """A Highs instance; the first one in a process would print a banner on stdout (which would
    corrupt e.g. JSON output), so its construction runs with fd 1 pointed at /dev/null."""
    global _banner_shown
    if _banner_shown:
        return highspy.Highs()  # type: ignore[no-untyped-call]
    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        h = highspy.Highs()  # type: ignore[no-untyped-call]
        ctypes.CDLL(None).fflush(None)  # push the C-level buffer into /dev/null, not stdout
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    _banner_shown = True
    return h


def _new_highs(time_limit: float, mip_gap: float) -> highspy.Highs:
    h = _highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("time_limit", max(float(time_limit), 0.01))
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    # Measured on the benchmark: the sub-MIP heuristics (RINS/RENS, reduced-cost fixing,
    # feasibility jump) took ~80 % of the time on components whose incumbent the greedy warm
    # start and plain diving already find; B&B closes the bound faster without them.
    for heuristic in ("rins", "rens", "root_reduced_cost", "feasibility_jump"):
        h.setOptionValue(f"mip_heuristic_run_{heuristic}", False)
    return h


def _pass(h: highspy.Highs, m: MilpArrays, col_lower: FloatArray, col_upper: FloatArray) -> None:
    status = h.passModel(
        m.n_cols,
        m.n_rows,
        m.a_value.size,
        1,  # column-wise
        -1,  # maximise
        0.0,
        m.cost,
        col_lower,
        col_upper,
        m.row_lower,
        m.row_upper,
        m.a_start,
        m.a_index,
        m.a_value,
        m.integrality,
    )
    if status == highspy.HighsStatus.kError:
        raise RuntimeError("HiGHS rejected the model arrays")


def _group_usage(t: PairTable, x: FloatArray) -> FloatArray:
    used = np.zeros(t.group_penalty.size)
    mask = (t.group >= 0) & (x > 1e-9)
    used[t.group[mask]] = 1.0
    return used


def _main_bound(t: PairTable, solver_bound: float, epsilon: float) -> float:
    """Upper bound on the main objective from the solver's bound on value·(1−ε·s)·x − P·y."""
    return (solver_bound + epsilon * float(t.group_penalty.sum())) / (1.0 - epsilon)


def _integral(t: PairTable, x: FloatArray) -> bool:
    integer = t.requirement_integer[t.requirement]
    return bool(np.all(np.abs(x[integer] - np.round(x[integer])) <= INTEGRALITY_TOLERANCE))


def _clean(t: PairTable, x: FloatArray) -> FloatArray:
    x = np.clip(x, t.lower, t.upper)
    near = np.abs(x - np.round(x)) <= INTEGRALITY_TOLERANCE
    x[near] = np.round(x[near])
    x[x < 1e-9] = 0.0
    return x


def _solve_fixed_y(
    t: PairTable, m: MilpArrays, y: FloatArray, integer_x: bool
) -> FloatArray | None:
    """Best x for fixed y (LP via simplex, or MIP with integer x); None if no solution."""
    lower = m.col_lower.copy()
    upper = m.col_upper.copy()
    lower[m.n_pairs :] = y
    upper[m.n_pairs :] = y
    fixed = build_milp(t, integer_x=True) if integer_x else m
    h = _new_highs(60.0, 1e-9)
    h.setOptionValue("solver", "choose" if integer_x else "simplex")
    integrality = fixed.integrality if integer_x else np.zeros(m.n_cols, np.int32)
    _pass(h, replace(fixed, integrality=integrality), lower, upper)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return np.asarray(h.getSolution().col_value[: m.n_pairs], dtype=np.float64)


def solve_component(
    t: PairTable,
    time_limit: float,
    mip_gap: float,
    epsilon: float,
    linking: Linking = LINKING_DEFAULT,
    warm_start: bool = True,
) -> ComponentOutcome:
    """Solve the MILP of a (sub)table; every model status is checked before the answer is used."""
    start = time.perf_counter()
    m = build_milp(t, linking)
    built = time.perf_counter()
    h = _new_highs(time_limit, mip_gap)
    _pass(h, m, m.col_lower, m.col_upper)
    greedy_x = penalty_aware_greedy(t) if warm_start or m.n_groups else None
    if warm_start and greedy_x is not None and m.n_groups:
        start_values = np.concatenate([greedy_x, _group_usage(t, greedy_x)])
        h.setSolution(m.n_cols, np.arange(m.n_cols, dtype=np.int32), start_values)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    nodes = int(info.mip_node_count) if m.n_groups else 0

    def outcome(label: str, x: FloatArray, bound: float, detail: str = "") -> ComponentOutcome:
        objective = main_objective(t, x)
        return ComponentOutcome(
            status=label,
            x=x,
            objective=objective,
            bound=max(bound, objective),
            build_seconds=built - start,
            solve_seconds=time.perf_counter() - built,
            nodes=nodes,
            n_pairs=m.n_pairs,
            n_groups=m.n_groups,
            detail=detail,
        )

    if status == highspy.HighsModelStatus.kInfeasible:
        return outcome("infeasible", t.lower.copy(), float("inf"), "HiGHS: infeasible")
    if status == highspy.HighsModelStatus.kOptimal:
        label = "optimal"
    elif status in (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kInterrupt):
        label = "time_limit_feasible"
    else:
        label = "solver_error"
    if not has_solution:
        fallback = greedy_x if greedy_x is not None else penalty_aware_greedy(t)
        return outcome(
            "greedy_fallback", _clean(t, fallback), float("inf"), h.modelStatusToString(status)
        )

    solution = np.asarray(h.getSolution().col_value, dtype=np.float64)
    bound = float(info.mip_dual_bound) if m.n_groups else float(info.objective_function_value)
    if label == "solver_error" or not np.isfinite(bound):
        bound = float("inf")
    x = solution[: m.n_pairs]
    if not _integral(t, x):
        y = np.round(solution[m.n_pairs :])
        polished = _solve_fixed_y(t, m, y, integer_x=False)
        if polished is None or not _integral(t, polished):
            polished = _solve_fixed_y(t, m, y, integer_x=True)
        if polished is None:
            return outcome("solver_error", _clean(t, penalty_aware_greedy(t)), float("inf"))
        x = polished
    return outcome(
        label, _clean(t, x), _main_bound(t, bound, epsilon), h.modelStatusToString(status)
    )
