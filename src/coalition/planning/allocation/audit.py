"""Never trust a solver's label: check the values it returned before any status is reported.

A solver's answer is three claims: these values are feasible, they are worth this objective,
and nothing feasible is worth more than this bound. Each claim is checked here from the values
actually returned, over the pair table and with numpy only (so workers can run it):

* feasibility: pins ≤ x ≤ min(Q_o, q_r), whole units for indivisible requirements, offer supply,
  requirement demand, and (when the solver's y is given) the linking rows x ≤ M·y;
* objective: the solver objective recomputed from the returned x (with y = the groups x really
  uses) must not fall short of the objective the solver reported;
* bound: the bound must not lie below the objective of the returned values, and a plan
  labelled optimal must be within the gap tolerance of its bound.

Any failed claim is a problem sentence; the caller never labels such an answer optimal.
"""

from __future__ import annotations

import numpy as np

from .pairs import FloatArray, PairTable, main_objective

QUANTITY_TOLERANCE = 1e-6
# Absolute slack on objective comparisons, on top of a relative 1e-7 (solver tolerances).
OBJECTIVE_TOLERANCE = 1e-6


def objective_tolerance(*values: float) -> float:
    return OBJECTIVE_TOLERANCE + 1e-7 * max((abs(v) for v in values), default=0.0)


def group_usage(t: PairTable, x: FloatArray) -> FloatArray:
    """y implied by x: 1 for every new-type group that carries a positive quantity."""
    used = np.zeros(t.group_penalty.size)
    mask = (t.group >= 0) & (x > 1e-9)
    used[t.group[mask]] = 1.0
    return used


def feasibility_problems(
    t: PairTable, x: FloatArray, y: FloatArray | None = None, *, whole_units: bool = True
) -> list[str]:
    """Every rule of the pair table that `x` (and the solver's `y`, if given) breaks.

    `whole_units=False` skips the indivisibility check (for a solver answer that is about to
    be polished to a vertex, see milp.py)."""
    tol = QUANTITY_TOLERANCE
    problems: list[str] = []
    if x.shape != (t.n_pairs,) or not np.all(np.isfinite(x)):
        return [f"solution has shape {x.shape} or non-finite values, expected {t.n_pairs} pairs"]
    if (k := int(np.count_nonzero(x < t.lower - tol))) > 0:
        problems.append(f"{k} pairs below their pinned quantity or negative")
    if (k := int(np.count_nonzero(x > t.upper + tol))) > 0:
        problems.append(f"{k} pairs above min(offer, requirement) quantity")
    integer = t.requirement_integer[t.requirement] & whole_units
    if (k := int(np.count_nonzero(np.abs(x[integer] - np.round(x[integer])) > tol))) > 0:
        problems.append(f"{k} pairs with fractional units for an indivisible requirement")
    supply = np.bincount(t.offer, x, t.offer_quantity.size)
    if (k := int(np.count_nonzero(supply > t.offer_quantity + tol))) > 0:
        problems.append(f"{k} offers give more than they offer")
    demand = np.bincount(t.requirement, x, t.requirement_quantity.size)
    if (k := int(np.count_nonzero(demand > t.requirement_quantity + tol))) > 0:
        problems.append(f"{k} requirements receive more than they need")
    if y is not None and t.group_penalty.size:
        grouped = t.group >= 0
        carried = np.bincount(t.group[grouped], x[grouped], t.group_penalty.size)
        if (k := int(np.count_nonzero((carried > tol) & (y < 0.5)))) > 0:
            problems.append(f"{k} new-type groups carry units while their y is 0")
    return problems


def claim_problems(
    t: PairTable,
    x: FloatArray,
    *,
    solver_objective: float | None,
    bound: float,
    optimal: bool,
    allowed_gap: float,
) -> list[str]:
    """Compare the solver's objective and (main-objective) bound with the values returned.

    `solver_objective` is what the solver reported for its own objective (cost with the
    tie-break), `bound` an upper bound on the main objective, `allowed_gap` the absolute gap an
    optimal label may have.
    """
    problems: list[str] = []
    objective = main_objective(t, x)
    if solver_objective is not None:
        recomputed = float(t.cost @ x - t.group_penalty @ group_usage(t, x))
        if recomputed < solver_objective - objective_tolerance(solver_objective):
            problems.append(
                f"returned values are worth {recomputed:.9g}, the solver claimed "
                f"{solver_objective:.9g}"
            )
    if np.isfinite(bound) and bound < objective - objective_tolerance(objective):
        problems.append(f"bound {bound:.9g} lies below the feasible objective {objective:.9g}")
    if optimal and bound - objective > allowed_gap + objective_tolerance(objective):
        problems.append(
            f"labelled optimal but {bound - objective:.3g} from its bound "
            f"(allowed {allowed_gap:.3g})"
        )
    return problems


def allowed_gap(t: PairTable, objective: float, bound: float, mip_gap: float, eps: float) -> float:
    """The absolute gap an optimal component may show on the main objective.

    HiGHS's relative gap is on its own objective; converting its bound to the main objective
    adds at most ε·(|objective| + Σ penalties)/(1 − ε) (see `highs.main_bound`).
    """
    scale = max(abs(objective), abs(bound) if np.isfinite(bound) else 0.0)
    tie_break = eps * (abs(objective) + float(t.group_penalty.sum())) / (1.0 - eps)
    return mip_gap * scale + 2.0 * tie_break
