"""Re-pack a few lines exactly: an integer programme over candidate paths (a rip-up step).

The greedy re-route (`primal.route`) gives each line in turn its cheapest path with room; a
heavy unit that needs 25 t free on one lane-day loses to the small lines that leave every
lane-day a few tonnes short. Here the lines taken out are placed together: candidate paths are
the ones they use now and, on the capacity the other lines leave, each line's cheapest path
arriving on each of its best days (one `paths.forward` programme over rows of one unit-mass
class, every arc closed that cannot take one unit). HiGHS chooses whole units per path, and
unrouted units, to minimise lateness and cost within every lane-day's tonnes and outsize
items and every node-day's handling. Their current paths are candidates, so the optimum is
never worse than the plan (an answer cut short by the time limit may be; the rip-up, which
compares every step with the plan, then drops it).

The solver's answer is not taken on its word: the values are rounded and must be integral,
add up to each line's quantity and fit every capacity (checked here with numpy), or the step
is dropped; the rip-up then recomputes the objective from the shipments.
"""

from __future__ import annotations

import highspy
import numpy as np

from ..quiet_highs import quiet_highs
from .lagrange import Multipliers, forward_rows, make_rows, prices
from .model import FloatArray, IntArray, UnroutedReason
from .network import Arrays, lateness_table, unrouted_penalty
from .paths import read_path
from .primal import (
    CLASSES_PER_OCTAVE,
    LegIdx,
    LegTable,
    Residual,
    Routing,
    leg_table,
    unit_costs,
)

# Candidate paths per line besides its current ones: its cheapest arrival days.
DAYS_PER_LINE = 10
_TOL = 1e-6


def repack(
    a: Arrays,
    lines: IntArray,
    current: dict[tuple[int, tuple[LegIdx, ...]], int],
    res: Residual,
    has_path: np.ndarray,
    *,
    lateness_eur: float,
    penalty_days: int,
    time_limit: float,
) -> Routing | None:
    """`lines` (sorted) placed again on `res` (the capacity the other lines leave), their
    `current` shipments among the candidates; None if the solver found nothing checked to
    fit."""
    candidates = set(current) | _cheapest_paths(a, lines, res, lateness_eur)
    keys = sorted(candidates)
    if not keys:
        return None
    path_line = np.fromiter((ln for ln, _ in keys), dtype=np.int64, count=len(keys))
    legs = leg_table(dict.fromkeys(keys, 1))
    path_of_leg = np.repeat(np.arange(len(keys)), [len(k[1]) for k in keys])
    unit_late, unit_transport = unit_costs(a, keys)
    unit_cost = lateness_eur * unit_late + unit_transport
    rows, cols, vals, caps = _capacity_rows(a, legs, path_of_leg, res)
    n_paths, n_lines = len(keys), lines.size
    line_pos = np.searchsorted(lines, path_line)
    qty = a.qty[lines].astype(np.float64)
    penalty = unrouted_penalty(a, lateness_eur, penalty_days)[lines]
    x = _solve(
        n_paths,
        n_lines,
        line_pos,
        rows,
        cols,
        vals,
        caps,
        unit_cost,
        penalty,
        qty,
        time_limit,
    )
    if x is None:
        return None
    units, left = x[:n_paths], x[n_paths:]
    # the checks: whole units, each line's quantity, every capacity
    if not np.array_equal(np.bincount(line_pos, weights=units, minlength=n_lines) + left, qty):
        return None
    used = np.bincount(rows, weights=vals * units[cols], minlength=caps.size)
    if (used > caps + 1e-7 * np.maximum(1.0, np.abs(caps))).any():
        return None
    out = Routing()
    for k in np.flatnonzero(units > 0):
        out.shipments[keys[k]] = int(units[k])
    for i in np.flatnonzero(left > 0):
        ln = int(lines[i])
        reason = UnroutedReason.NO_CAPACITY if has_path[ln] else UnroutedReason.NO_PATH
        out.unrouted[ln] = (int(left[i]), reason)
    return out


def _cheapest_paths(
    a: Arrays, lines: IntArray, res: Residual, lateness_eur: float
) -> set[tuple[int, tuple[LegIdx, ...]]]:
    """Per line, its cheapest path (cost + lateness) arriving on each of its `DAYS_PER_LINE`
    best days, on arcs with room for one of its units."""
    live = lines[a.release[lines] < a.T]
    if live.size == 0:
        return set()
    rows = make_rows(a, live, "heavy", per_octave=CLASSES_PER_OCTAVE)
    pt, po = prices(a, Multipliers.zeros(a))
    tree = forward_rows(
        a,
        rows,
        np.arange(rows.size),
        pt.astype(np.float32),
        po.astype(np.float32),
        room_t=res.room(a),
        room_o=res.outsize,
        room_origin=res.handled,
        dtype=np.float32,
    )
    row = rows.line_row[live]
    with np.errstate(invalid="ignore"):
        val = a.mass[live, None] * tree.arr[:, row, a.dest[live]].T + (
            lateness_eur * a.priority[live, None] * lateness_table(a, live)
        )
    val[~np.isfinite(val)] = np.inf
    best = np.argsort(val, axis=1, kind="stable")[:, :DAYS_PER_LINE]
    found: set[tuple[int, tuple[LegIdx, ...]]] = set()
    for i, ln in enumerate(live):
        for day in best[i]:
            if not np.isfinite(val[i, day]):
                break
            legs = read_path(a, tree, int(row[i]), int(a.dest[ln]), int(day))
            found.add((int(ln), tuple(legs)))
    return found


def _capacity_rows(
    a: Arrays, legs: LegTable, path_of_leg: IntArray, res: Residual
) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    """The capacity rows the candidate paths touch, as entries (row, path, value) summed per
    pair, and each row's capacity: lane-day tonnes, lane-day outsize items, node-day handling
    (unloaded at every leg's end, loaded at the first leg's start; unlimited ones left out)."""
    E, T = a.E, a.T
    m = a.mass[legs.line]
    out = a.outsize[legs.line]
    e, dep, arr, first = legs.lane, legs.departure, legs.arrival, legs.first
    key = np.concatenate(
        [
            e * T + dep,  # lane tonnes
            E * T + (e[out] * T + dep[out]),  # lane outsize items
            2 * E * T + a.v[e] * T + arr,  # handling on unloading
            2 * E * T + a.u[e[first]] * T + dep[first],  # handling on loading
        ]
    )
    path = np.concatenate([path_of_leg, path_of_leg[out], path_of_leg, path_of_leg[first]])
    val = np.concatenate([m, np.ones(int(out.sum())), m, m[first]])
    cap_all = np.concatenate([res.tonnes.ravel(), res.outsize.ravel(), res.handled.ravel()])
    keep = np.isfinite(cap_all[key])
    key, path, val = key[keep], path[keep], val[keep]
    pair, inverse = np.unique(np.stack([key, path], axis=1), axis=0, return_inverse=True)
    summed = np.bincount(inverse.reshape(-1), weights=val)
    row_keys, row = np.unique(pair[:, 0], return_inverse=True)
    rows: IntArray = row.reshape(-1).astype(np.int64)
    paths: IntArray = pair[:, 1].astype(np.int64)
    values: FloatArray = summed.astype(np.float64)
    caps: FloatArray = np.maximum(cap_all[row_keys], 0.0)
    return rows, paths, values, caps


def _solve(
    n_paths: int,
    n_lines: int,
    line_pos: IntArray,
    rows: IntArray,
    cols: IntArray,
    vals: FloatArray,
    caps: FloatArray,
    unit_cost: FloatArray,
    penalty: FloatArray,
    qty: FloatArray,
    time_limit: float,
) -> FloatArray | None:
    """The integer programme: columns are the paths' units then each line's unrouted units;
    rows are the capacities (≤) then each line's quantity (=). Rounded values, or None.
    No starting point is passed: given the current plan as one, HiGHS 1.16 reported a better
    objective than that of the column values it returned (which were the start's)."""
    m_cap = caps.size
    all_rows = np.concatenate([rows, m_cap + line_pos, m_cap + np.arange(n_lines)])
    all_cols = np.concatenate([cols, np.arange(n_paths), n_paths + np.arange(n_lines)])
    all_vals = np.concatenate([vals, np.ones(n_paths), np.ones(n_lines)])
    n = n_paths + n_lines
    order = np.lexsort((all_rows, all_cols))
    all_rows, all_cols, all_vals = all_rows[order], all_cols[order], all_vals[order]
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = m_cap + n_lines
    lp.col_cost_ = np.concatenate([unit_cost, penalty])
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.concatenate([qty[line_pos], qty])
    lp.row_lower_ = np.concatenate([np.full(m_cap, -highspy.kHighsInf), qty])
    lp.row_upper_ = np.concatenate([caps, qty])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.searchsorted(all_cols, np.arange(n + 1)).astype(np.int32)
    lp.a_matrix_.index_ = all_rows.astype(np.int32)
    lp.a_matrix_.value_ = all_vals
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = m_cap + n_lines
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    h = quiet_highs(time_limit)
    h.passModel(lp)
    h.run()
    x = np.asarray(h.getSolution().col_value, dtype=np.float64)
    if x.size != n or not np.isfinite(x).all():
        return None
    rounded = np.round(x)
    if np.abs(x - rounded).max(initial=0.0) > _TOL or (rounded < 0).any():
        return None
    return rounded
