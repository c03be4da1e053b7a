"""Relax and fix: a bound and a good plan for a large component before its MIP.

On a large component with many new-type binaries (compatibility across families) the MIP's
own heuristics found poor incumbents: on the bench instance LX, branch-and-bound kept the
randomized-rounding plan 2.3 % below its bound for a whole minute. Here:

1. the LP relaxation (y continuous) with *both* linking forms (per offer and per
   (requirement, type)): its optimum is a valid upper bound, and much tighter than the
   per-offer form alone (LX: 5,045 against 5,076; the 60 s MIP bound was 5,039);
2. rounding: the new types the LP opens (y ≥ ½, or carrying more value than their penalty)
   are fixed open, the others closed, and the LP is solved again with y fixed — a transport
   LP whose simplex vertex is integral (total unimodularity, see milp.py);
3. groups whose realised value does not pay their penalty are closed and the LP re-solved.

The best audited plan becomes the MIP's warm start; the LP bound stays valid whatever the MIP
then does.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import highspy
import numpy as np

from .audit import feasibility_problems
from .highs import main_bound, new_highs, pass_model
from .model import Linking, MilpArrays
from .pairs import FloatArray, PairTable, main_objective

# Components at least this hard go through relax and fix first (LX's big one: 2,069 / 87k).
MIN_BINARIES = 200
MIN_PAIRS = 20_000
STRONG_LINKING: Linking = "offer+requirement"


def is_hard(t: PairTable) -> bool:
    return int(t.group_penalty.size) >= MIN_BINARIES and t.n_pairs >= MIN_PAIRS


@dataclass(frozen=True)
class RelaxFix:
    x: FloatArray | None  # best audited plan found, None if none
    bound: float  # main-objective upper bound from the LP relaxation; inf if not solved
    lp_seconds: float  # time of the relaxation (the MIP's root LP costs about as much)


def _lp(
    m: MilpArrays, lower: FloatArray, upper: FloatArray, deadline: float
) -> tuple[FloatArray, float] | None:
    """Simplex on the model with integrality dropped; (column values, objective) or None."""
    remaining = deadline - time.perf_counter()
    if remaining <= 0.05:
        return None
    h = new_highs(remaining, 1e-9)
    h.setOptionValue("solver", "simplex")
    pass_model(h, replace(m, integrality=np.zeros(m.n_cols, np.int32)), lower, upper)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    values = np.asarray(h.getSolution().col_value, dtype=np.float64)
    return values, float(h.getInfo().objective_function_value)


def _fixed(
    t: PairTable, m: MilpArrays, open_groups: FloatArray, deadline: float
) -> FloatArray | None:
    """The best x with exactly `open_groups` open (closed groups' pairs at 0), if integral."""
    opened = open_groups > 0.5
    lower, upper = m.col_lower.copy(), m.col_upper.copy()
    closed = t.group >= 0
    if opened.size:
        closed &= ~opened[np.maximum(t.group, 0)]
    if np.any(t.lower[closed] > 0):
        return None  # a pin needs that group open
    upper[: m.n_pairs][closed] = 0.0
    lower[m.n_pairs :] = opened
    upper[m.n_pairs :] = opened
    solved = _lp(m, lower, upper, deadline)
    if solved is None:
        return None
    x = solved[0][: m.n_pairs]
    x = np.where(np.abs(x - np.round(x)) <= 1e-6, np.round(x), x)
    x = np.clip(x, t.lower, t.upper)
    return None if feasibility_problems(t, x) else x


def _realised(t: PairTable, x: FloatArray) -> tuple[FloatArray, FloatArray]:
    grouped = t.group >= 0
    n_g = t.group_penalty.size
    value: FloatArray = np.bincount(t.group[grouped], (t.value * x)[grouped], n_g).astype(float)
    units: FloatArray = np.bincount(t.group[grouped], x[grouped], n_g).astype(float)
    return value, units


def relax_and_fix(t: PairTable, m: MilpArrays, epsilon: float, deadline: float) -> RelaxFix:
    """`m` must carry the strong linking rows (`STRONG_LINKING`)."""
    started = time.perf_counter()
    relaxed = _lp(m, m.col_lower, m.col_upper, deadline)
    lp_seconds = time.perf_counter() - started
    if relaxed is None:
        return RelaxFix(None, float("inf"), lp_seconds)
    values, objective = relaxed
    bound = main_bound(t, objective, epsilon)
    y_lp = values[m.n_pairs :]
    carried, _ = _realised(t, values[: m.n_pairs])
    pinned = np.zeros(t.group_penalty.size, dtype=bool)
    pinned[t.group[(t.group >= 0) & (t.lower > 0)]] = True
    best: FloatArray | None = None
    tried: set[bytes] = set()
    for rule in (y_lp >= 0.5, carried > t.group_penalty):
        candidate = (rule | pinned).astype(np.float64)
        while candidate.tobytes() not in tried:
            tried.add(candidate.tobytes())
            x = _fixed(t, m, candidate, deadline)
            if x is None:
                break
            if best is None or main_objective(t, x) > main_objective(t, best):
                best = x
            # Close what does not pay its penalty (pins stay), then fill the gap again.
            value, units = _realised(t, x)
            candidate = ((units > 1e-9) & (value > t.group_penalty) | pinned).astype(np.float64)
    return RelaxFix(best, bound, lp_seconds)
