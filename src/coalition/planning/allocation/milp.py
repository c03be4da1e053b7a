"""Solve one component's MILP with HiGHS and return a checked, integral solution.

Only the y (new-type) columns are integer. With y fixed, x lives in a totally unimodular
polytope with integer bounds, so a basic (simplex) solution is integral; if HiGHS returns a
non-basic solution with fractional x on an indivisible requirement, we re-solve the LP with y
fixed (simplex → vertex) and, only if that still fails, the MIP with integer x.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import highspy
import numpy as np

from .audit import (
    allowed_gap,
    claim_problems,
    feasibility_problems,
    group_usage,
    objective_tolerance,
)
from .greedy import penalty_aware_greedy
from .highs import main_bound, new_highs, pass_model
from .model import LINKING_DEFAULT, Linking, MilpArrays, build_milp
from .pairs import FloatArray, PairTable, main_objective
from .relax_fix import STRONG_LINKING, is_hard, relax_and_fix

INTEGRALITY_TOLERANCE = 1e-6
# A MIP needs about one LP solve for its root; with less time left than this many LP times,
# a hard component keeps its relax-and-fix plan and LP bound (see relax_fix.py).
MIP_ROOT_FACTOR = 1.5
POLISH_SHARE = 0.9


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


def merge_outcomes(
    t: PairTable, first: ComponentOutcome, second: ComponentOutcome, mip_gap: float, eps: float
) -> ComponentOutcome:
    """Two audited answers for the same component: the better plan and the lower bound (both
    bounds are valid, so is their minimum); optimal when that closes the gap."""
    if second.status not in ("optimal", "time_limit_feasible"):
        return replace(first, detail=f"{first.detail}; second pass: {second.status}")
    best = first if first.objective >= second.objective else second
    bound = min(first.bound, second.bound)
    gap_ok = bound - best.objective <= allowed_gap(t, best.objective, bound, mip_gap, eps)
    return replace(
        best,
        status="optimal" if gap_ok else "time_limit_feasible",
        bound=bound,
        build_seconds=first.build_seconds + second.build_seconds,
        solve_seconds=first.solve_seconds + second.solve_seconds,
        nodes=first.nodes + second.nodes,
        time_limit=first.time_limit + second.time_limit,
        detail=f"{first.detail}; second pass: {second.detail}",
    )


def fallback_outcome(t: PairTable, x: FloatArray, reason: str) -> ComponentOutcome:
    """A component that gets its (checked) greedy plan and no bound."""
    return ComponentOutcome(
        status="greedy_fallback",
        x=x,
        objective=main_objective(t, x),
        bound=float("inf"),
        build_seconds=0.0,
        solve_seconds=0.0,
        nodes=0,
        n_pairs=t.n_pairs,
        n_groups=int(t.group_penalty.size),
        detail=reason,
    )


def checked_greedy(t: PairTable) -> FloatArray:
    """The penalty-aware greedy plan, audited like any solver answer; the pins alone (always
    feasible once validated) should it ever break a rule."""
    x = penalty_aware_greedy(t)
    return t.lower.copy() if feasibility_problems(t, x) else x


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
    h = new_highs(deadline - time.perf_counter(), 1e-9)
    h.setOptionValue("solver", "choose" if integer_x else "simplex")
    integrality = fixed.integrality if integer_x else np.zeros(m.n_cols, np.int32)
    pass_model(h, replace(fixed, integrality=integrality), lower, upper)
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


@dataclass(frozen=True)
class _Known:
    """What is known before the MIP: the best audited plan and a valid bound (inf if none)."""

    x: FloatArray
    bound: float


def _settle(
    t: PairTable, label: str, x: FloatArray, bound: float, known: _Known, mip_gap: float, eps: float
) -> tuple[str, FloatArray, float]:
    """Combine a solver answer with what was known before: the better plan, the lower bound,
    and `optimal` whenever the combined gap is within the tolerance."""
    if main_objective(t, known.x) > main_objective(t, x):
        x = known.x
    bound = min(bound, known.bound)
    objective = main_objective(t, x)
    if label == "time_limit_feasible" and bound - objective <= allowed_gap(
        t, objective, bound, mip_gap, eps
    ):
        label = "optimal"
    return label, x, bound


def _run_highs(
    t: PairTable,
    m: MilpArrays,
    start_x: FloatArray | None,
    known: _Known,
    deadline: float,
    mip_gap: float,
    epsilon: float,
) -> _Attempt:
    """One HiGHS run, its answer checked claim by claim before it gets a label."""
    remaining = deadline - time.perf_counter()
    # A MIP incumbent may need polishing to a vertex (below): keep a tenth of the time for it.
    h = new_highs(remaining * (POLISH_SHARE if m.n_groups else 1.0), mip_gap)
    pass_model(h, m, m.col_lower, m.col_upper)
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
        return _Attempt("solver_error", known.x, float("inf"), detail, nodes, false_claim)
    if status == highspy.HighsModelStatus.kOptimal:
        label = "optimal"
    elif status in (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kInterrupt):
        label = "time_limit_feasible"
    else:
        label = "solver_error"
    if info.primal_solution_status != 2:  # no feasible solution (kSolutionStatusFeasible)
        if np.isfinite(known.bound):  # the relax-and-fix plan and its LP bound stand
            label, x, bound = _settle(
                t, "time_limit_feasible", known.x, known.bound, known, mip_gap, epsilon
            )
            return _Attempt(label, x, bound, detail, nodes, ())
        return _Attempt("greedy_fallback", known.x, float("inf"), detail, nodes, ())
    solution = np.asarray(h.getSolution().col_value, dtype=np.float64)
    raw_bound = float(info.mip_dual_bound) if m.n_groups else float(info.objective_function_value)
    bound = main_bound(t, raw_bound, epsilon) if np.isfinite(raw_bound) else float("inf")
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
            # No time left to polish: the best known plan stands; HiGHS's bound stays valid.
            x, claimed = known.x, None
            label = "time_limit_feasible"
            detail += "; incumbent not polished in time, best known plan kept"
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
    if not problems:
        label, x, bound = _settle(t, label, x, bound, known, mip_gap, epsilon)
        objective = main_objective(t, x)
        if bound < objective - objective_tolerance(objective):
            problems.append(f"bound {bound:.9g} lies below the feasible objective {objective:.9g}")
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
    hard = is_hard(t)
    m = build_milp(t, STRONG_LINKING if hard else linking)
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

    known = _Known(fallback, float("inf"))
    if hard:
        relaxed = relax_and_fix(t, m, epsilon, deadline)
        better = relaxed.x is not None and main_objective(t, relaxed.x) > main_objective(
            t, fallback
        )
        known = _Known(relaxed.x if better and relaxed.x is not None else fallback, relaxed.bound)
        if deadline - time.perf_counter() < MIP_ROOT_FACTOR * relaxed.lp_seconds:
            # The MIP would not get past its root LP: report the plan and the LP bound.
            label = "time_limit_feasible" if np.isfinite(known.bound) else "greedy_fallback"
            label, x, bound = _settle(t, label, known.x, known.bound, known, mip_gap, epsilon)
            problems = claim_problems(
                t,
                x,
                solver_objective=None,
                bound=bound,
                optimal=label == "optimal",
                allowed_gap=allowed_gap(t, main_objective(t, x), bound, mip_gap, epsilon),
            )
            if not problems:
                return outcome(label, x, bound, 0, "relax and fix (no time for the MIP)")
            return outcome("solver_error", fallback, float("inf"), 0, "; ".join(problems))

    starts = [known.x, None] if warm_start and m.n_groups else [None]
    failed: list[str] = []
    nodes = 0
    for start_x in starts:
        attempt = _run_highs(t, m, start_x, known, deadline, mip_gap, epsilon)
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
    return outcome("solver_error", known.x, float("inf"), nodes, " / ".join(failed))
