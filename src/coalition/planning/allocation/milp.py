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

from .audit import allowed_gap, claim_problems, feasibility_problems, group_usage
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
    time_limit: float = 0.0  # the share of the time limit this component was given


def checked_greedy(t: PairTable) -> FloatArray:
    """The penalty-aware greedy plan, audited like any solver answer; the pins alone (always
    feasible once validated) should it ever break a rule."""
    x = penalty_aware_greedy(t)
    return t.lower.copy() if feasibility_problems(t, x) else x


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
    t: PairTable, m: MilpArrays, y: FloatArray, integer_x: bool, deadline: float
) -> FloatArray | None:
    """Best x for fixed y (LP via simplex, or MIP with integer x) within the component's
    remaining time; None if no solution."""
    lower = m.col_lower.copy()
    upper = m.col_upper.copy()
    lower[m.n_pairs :] = y
    upper[m.n_pairs :] = y
    fixed = build_milp(t, integer_x=True) if integer_x else m
    h = _new_highs(deadline - time.perf_counter(), 1e-9)
    h.setOptionValue("solver", "choose" if integer_x else "simplex")
    integrality = fixed.integrality if integer_x else np.zeros(m.n_cols, np.int32)
    _pass(h, replace(fixed, integrality=integrality), lower, upper)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return np.asarray(h.getSolution().col_value[: m.n_pairs], dtype=np.float64)


@dataclass(frozen=True)
class _Attempt:
    label: str
    x: FloatArray
    bound: float  # on the main objective; inf when unknown
    detail: str
    nodes: int
    problems: tuple[str, ...]  # failed claims (see audit.py); empty when the answer is trusted


def _run_highs(
    t: PairTable,
    m: MilpArrays,
    start_x: FloatArray | None,
    fallback_x: FloatArray,
    deadline: float,
    mip_gap: float,
    epsilon: float,
) -> _Attempt:
    """One HiGHS run, its answer checked claim by claim before it gets a label."""
    h = _new_highs(deadline - time.perf_counter(), mip_gap)
    _pass(h, m, m.col_lower, m.col_upper)
    if start_x is not None:
        start_values = np.concatenate([start_x, group_usage(t, start_x)])
        h.setSolution(m.n_cols, np.arange(m.n_cols, dtype=np.int32), start_values)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    detail = h.modelStatusToString(status)
    nodes = int(info.mip_node_count) if m.n_groups else 0
    if status == highspy.HighsModelStatus.kInfeasible:
        # Valid pins make x = pins feasible, so this claim is checked like any other.
        if feasibility_problems(t, t.lower):
            return _Attempt("infeasible", t.lower.copy(), float("inf"), detail, nodes, ())
        false_claim = ("HiGHS claims infeasible, yet the pinned quantities are feasible",)
        return _Attempt("solver_error", fallback_x, float("inf"), detail, nodes, false_claim)
    if status == highspy.HighsModelStatus.kOptimal:
        label = "optimal"
    elif status in (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kInterrupt):
        label = "time_limit_feasible"
    else:
        label = "solver_error"
    if info.primal_solution_status != 2:  # no feasible solution (kSolutionStatusFeasible)
        return _Attempt("greedy_fallback", fallback_x, float("inf"), detail, nodes, ())

    solution = np.asarray(h.getSolution().col_value, dtype=np.float64)
    raw_bound = float(info.mip_dual_bound) if m.n_groups else float(info.objective_function_value)
    bound = _main_bound(t, raw_bound, epsilon) if np.isfinite(raw_bound) else float("inf")
    if label == "solver_error":
        bound = float("inf")
    x, y = solution[: m.n_pairs], solution[m.n_pairs :]
    problems = feasibility_problems(t, x, np.round(y), whole_units=False)
    claimed: float | None = float(info.objective_function_value)
    if not problems and not _integral(t, x):
        y = np.round(y)
        polished = _solve_fixed_y(t, m, y, integer_x=False, deadline=deadline)
        if polished is None or not _integral(t, polished):
            polished = _solve_fixed_y(t, m, y, integer_x=True, deadline=deadline)
        if polished is None:
            problems.append("no integral solution for the solver's new types")
        else:
            # The polished x is optimal for the solver's y, hence worth at least its claim.
            x = polished
    x = _clean(t, x)
    problems += feasibility_problems(t, x)
    if not problems:
        objective = main_objective(t, x)
        problems += claim_problems(
            t,
            x,
            solver_objective=claimed,
            bound=bound,
            optimal=label == "optimal",
            allowed_gap=allowed_gap(t, objective, bound, mip_gap, epsilon),
        )
    return _Attempt(label, x, bound, detail, nodes, tuple(problems))


def solve_component(
    t: PairTable,
    time_limit: float,
    mip_gap: float,
    epsilon: float,
    linking: Linking = LINKING_DEFAULT,
    warm_start: bool = True,
    greedy_x: FloatArray | None = None,
) -> ComponentOutcome:
    """Solve the MILP of a (sub)table within `time_limit` seconds (build and polish included).

    The answer is audited (see audit.py) before it gets a label. HiGHS 1.16 returns the
    *user's warm start* as its column values when presolve solves a MIP outright, while
    reporting the true optimum's objective and bound; the audit sees the objective mismatch
    and the component is solved again without a warm start. A claim that still fails is a
    `solver_error` carrying the best checked-feasible values, never an `optimal` label.
    """
    start = time.perf_counter()
    deadline = start + time_limit
    m = build_milp(t, linking)
    fallback = checked_greedy(t) if greedy_x is None else greedy_x
    built = time.perf_counter()

    def outcome(
        label: str, x: FloatArray, bound: float, nodes: int, detail: str
    ) -> ComponentOutcome:
        return ComponentOutcome(
            status=label,
            x=x,
            objective=main_objective(t, x),
            bound=bound,
            build_seconds=built - start,
            solve_seconds=time.perf_counter() - built,
            nodes=nodes,
            n_pairs=m.n_pairs,
            n_groups=m.n_groups,
            detail=detail,
            time_limit=time_limit,
        )

    starts = [fallback, None] if warm_start and m.n_groups else [None]
    failed: list[str] = []
    nodes = 0
    for start_x in starts:
        attempt = _run_highs(t, m, start_x, fallback, deadline, mip_gap, epsilon)
        nodes += attempt.nodes
        if not attempt.problems:
            note = "; ".join([attempt.detail, *failed]) if failed else attempt.detail
            return outcome(attempt.label, attempt.x, attempt.bound, nodes, note)
        warm = "with" if start_x is not None else "without"
        failed.append(
            f"HiGHS {attempt.detail} {warm} warm start failed the audit: "
            + "; ".join(attempt.problems)
        )
        if time.perf_counter() >= deadline:
            break
    return outcome("solver_error", fallback, float("inf"), nodes, " / ".join(failed))
