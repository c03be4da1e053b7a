"""Re-pack a few lines exactly: an integer programme over candidate paths (a rip-up step).

The greedy re-route (`primal.route`) gives each line in turn its cheapest path with room; a
heavy unit that needs 25 t free on one lane-day loses to the small lines that leave every
lane-day a few tonnes short. Here the lines taken out are placed together: candidate paths are
the ones they use now and, on the capacity the other lines leave, each line's cheapest path
arriving on each of its best days (one `paths.forward` programme over rows of one unit-mass
class, every arc closed that cannot take one unit). Then, `PRICING_ROUNDS` times, the
programme's LP relaxation is solved and each line's cheapest paths are computed again with its
capacity rows' duals as prices on those lane-days and hubs (column generation): the paths that
get around what the candidates compete for — a dearer lane, another hub — which no line's own
cheapest path on any day would offer. On bench M two rounds took a whole run from 21.54 M to
21.33 M EUR (one 21.38 M, three 21.35 M, four 21.38 M, eight 21.43 M: more rounds, fewer steps).
HiGHS chooses whole units per path, and unrouted units, to minimise lateness and cost
within every lane-day's tonnes and outsize items and every node-day's handling. Their current
paths are candidates, so the optimum is never worse than the plan (an answer cut short by the
time limit may be; the rip-up, which compares every step with the plan, then drops it).

The solver's answer is not taken on its word: the values are rounded and must be integral,
add up to each line's quantity and fit every capacity (checked here with numpy), or the step
is dropped; the rip-up then recomputes the objective from the shipments.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from ..quiet_highs import quiet_highs
from .lagrange import Multipliers, forward_rows, make_rows, prices
from .model import FloatArray, IntArray, UnroutedReason
from .network import Arrays, unrouted_penalty
from .paths import Targets, arrival_values, read_path
from .primal import (
    LegIdx,
    LegTable,
    Residual,
    Routing,
    leg_table,
    unit_costs,
)

# Candidate paths per line besides its current ones: its cheapest arrival days.
DAYS_PER_LINE = 10
# Rounds of candidates priced by the LP relaxation's capacity duals (column generation).
PRICING_ROUNDS = 2
# The candidates' programmes group lines by unit mass within a factor 2^(1/this), each group
# on arcs with room for its heaviest unit. Coarser than the routing's classes: fewer rows, so
# more steps in the time; bench M, whole runs: 1 → 21.23–21.27 M (four runs, mean 21.246 M),
# 0.5 → 21.27–21.28 M, 2 → 21.32 M, 4 (the routing's) → 21.25–21.31 M (mean 21.282 M).
CANDIDATE_CLASSES_PER_OCTAVE = 1
# a queue step's shifts of every current path (`shifted_paths`), in days
SHIFTS: tuple[int, ...] = (1, 2)
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
    fresh: IntArray | None = None,
) -> Routing | None:
    """`lines` (sorted) placed again on `res` (the capacity the other lines leave), their
    `current` shipments among the candidates; None if the solver found nothing checked to
    fit. With `fresh`, the other candidates are every current path shifted by `SHIFTS` days
    and the cheapest paths of the `fresh` lines only, without pricing rounds (a queue step
    takes out a hundred lines: their own cheapest paths would make the programme too large
    for its second)."""
    started = time.monotonic()
    if fresh is not None:
        candidates = set(current) | shifted_paths(a, current, SHIFTS)
        candidates |= cheapest_paths(a, fresh, res, lateness_eur, Multipliers.zeros(a))
        rounds = 0
    else:
        candidates = set(current) | cheapest_paths(
            a, lines, res, lateness_eur, Multipliers.zeros(a)
        )
        rounds = PRICING_ROUNDS
    if not candidates:
        return None
    for _ in range(rounds):
        budget = time_limit - (time.monotonic() - started)
        if budget <= 0:
            break
        relaxed = _Columns.of(a, lines, sorted(candidates), res, lateness_eur, penalty_days)
        lam = _dual_prices(a, relaxed, budget)
        if lam is None:
            break
        more = cheapest_paths(a, lines, res, lateness_eur, lam) - candidates
        if not more:
            break
        candidates |= more
    keys = sorted(candidates)
    c = _Columns.of(a, lines, keys, res, lateness_eur, penalty_days)
    now = np.array([current.get(k, 0) for k in keys], dtype=np.float64)
    x = _solve(
        c,
        max(time_limit - (time.monotonic() - started), 0.1 * time_limit),
        cutoff=c.value(now),
    )
    if x is None:
        return None
    units, left = x[: c.n_paths], x[c.n_paths :]
    # the checks: whole units, each line's quantity, every capacity
    made_up = np.bincount(c.line_pos, weights=units, minlength=c.n_lines) + left
    if not np.array_equal(made_up, c.qty):
        return None
    used = np.bincount(c.rows, weights=c.vals * units[c.cols], minlength=c.caps.size)
    if (used > c.caps + 1e-7 * np.maximum(1.0, np.abs(c.caps))).any():
        return None
    out = Routing()
    for k in np.flatnonzero(units > 0):
        out.shipments[keys[k]] = int(units[k])
    for i in np.flatnonzero(left > 0):
        ln = int(lines[i])
        reason = UnroutedReason.NO_CAPACITY if has_path[ln] else UnroutedReason.NO_PATH
        out.unrouted[ln] = (int(left[i]), reason)
    return out


@dataclass(frozen=True)
class _Columns:
    """The programme's data for candidate paths `keys` (sorted): per path its line's position
    in `lines` and its unit cost; the capacity rows as entries (row, path, value), each row's
    capacity and key (see `_capacity_rows`); per line its quantity and unrouted penalty."""

    n_paths: int
    n_lines: int
    line_pos: IntArray
    unit_cost: FloatArray
    rows: IntArray
    cols: IntArray
    vals: FloatArray
    caps: FloatArray
    row_keys: IntArray
    qty: FloatArray
    penalty: FloatArray

    @classmethod
    def of(
        cls,
        a: Arrays,
        lines: IntArray,
        keys: list[tuple[int, tuple[LegIdx, ...]]],
        res: Residual,
        lateness_eur: float,
        penalty_days: int,
    ) -> _Columns:
        path_line = np.fromiter((ln for ln, _ in keys), dtype=np.int64, count=len(keys))
        legs = leg_table(dict.fromkeys(keys, 1))
        path_of_leg = np.repeat(np.arange(len(keys)), [len(k[1]) for k in keys])
        unit_late, unit_transport = unit_costs(a, keys)
        rows, cols, vals, caps, row_keys = _capacity_rows(a, legs, path_of_leg, res)
        return cls(
            n_paths=len(keys),
            n_lines=lines.size,
            line_pos=np.searchsorted(lines, path_line),
            unit_cost=lateness_eur * unit_late + unit_transport,
            rows=rows,
            cols=cols,
            vals=vals,
            caps=caps,
            row_keys=row_keys,
            qty=a.qty[lines].astype(np.float64),
            penalty=unrouted_penalty(a, lateness_eur, penalty_days)[lines],
        )

    def value(self, units: FloatArray) -> float:
        """The objective of placing `units` per path, the rest of each line unrouted."""
        left = self.qty - np.bincount(self.line_pos, weights=units, minlength=self.n_lines)
        return float(self.unit_cost @ units + self.penalty @ left)


def _dual_prices(a: Arrays, c: _Columns, time_limit: float) -> Multipliers | None:
    """Prices on the capacity rows from the programme's LP relaxation (minus the row duals of
    its ≤ rows; None if the solver gave none): paths that are cheapest under them avoid the
    lane-days and hubs the candidates compete for."""
    h = quiet_highs(time_limit)
    h.passModel(_programme(c, integral=False))
    h.run()
    y = np.asarray(h.getSolution().row_dual, dtype=np.float64)[: c.caps.size]
    if y.size != c.caps.size or not np.isfinite(y).all():
        return None
    price = np.maximum(-y, 0.0)
    if not (price > 0).any():
        return None
    lam = Multipliers.zeros(a)
    ET = a.E * a.T
    for flat, start in ((lam.lane_t.reshape(-1), 0), (lam.lane_o.reshape(-1), ET)):
        sel = (c.row_keys >= start) & (c.row_keys < start + ET)
        flat[c.row_keys[sel] - start] = price[sel]
    sel = c.row_keys >= 2 * ET
    lam.node.reshape(-1)[c.row_keys[sel] - 2 * ET] = price[sel]
    return lam


def cheapest_paths(
    a: Arrays, lines: IntArray, res: Residual, lateness_eur: float, lam: Multipliers
) -> set[tuple[int, tuple[LegIdx, ...]]]:
    """Per line, its cheapest path (cost + lateness, plus `lam`'s prices) arriving on each of
    its `DAYS_PER_LINE` best days, on arcs with room for one of its units."""
    live = lines[a.release[lines] < a.T]
    if live.size == 0:
        return set()
    rows = make_rows(a, live, "heavy", per_octave=CANDIDATE_CLASSES_PER_OCTAVE)
    pt, po = prices(a, lam)
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
        targets=Targets.of(a, live, rows.line_row[live], lateness_eur, best=DAYS_PER_LINE),
    )
    row = rows.line_row[live]
    val = arrival_values(a, tree, row, live, lateness_eur)
    best = np.argsort(val, axis=1, kind="stable")[:, :DAYS_PER_LINE]
    found: set[tuple[int, tuple[LegIdx, ...]]] = set()
    for i, ln in enumerate(live):
        for day in best[i]:
            if not np.isfinite(val[i, day]):
                break
            legs = read_path(a, tree, int(row[i]), int(a.dest[ln]), int(day))
            found.add((int(ln), tuple(legs)))
    return found


def shifted_paths(
    a: Arrays, current: dict[tuple[int, tuple[LegIdx, ...]], int], shifts: tuple[int, ...]
) -> set[tuple[int, tuple[LegIdx, ...]]]:
    """Each current path with every leg `shift` days later (or earlier), where every lane is
    open on its new day, the first leg leaves no earlier than the line's release and the
    last arrives within the horizon."""
    found: set[tuple[int, tuple[LegIdx, ...]]] = set()
    for line, legs in current:
        if not legs:
            continue
        lanes = np.fromiter((e for e, _, _ in legs), dtype=np.int64, count=len(legs))
        deps = np.fromiter((d for _, d, _ in legs), dtype=np.int64, count=len(legs))
        for shift in shifts:
            d = deps + shift
            # days rise along a path and release days are ≥ 0: no day falls below 0
            if d[0] < a.release[line] or legs[-1][2] + shift >= a.T:
                continue
            if not a.available[lanes, d].all():
                continue
            found.add((line, tuple((e, dep + shift, arr + shift) for e, dep, arr in legs)))
    return found


def _capacity_rows(
    a: Arrays, legs: LegTable, path_of_leg: IntArray, res: Residual
) -> tuple[IntArray, IntArray, FloatArray, FloatArray, IntArray]:
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
    return rows, paths, values, caps, row_keys.astype(np.int64)


def _programme(c: _Columns, *, integral: bool) -> highspy.HighsLp:
    """Columns are the paths' units then each line's unrouted units; rows are the capacities
    (≤) then each line's quantity (=)."""
    m_cap, n_paths, n_lines = c.caps.size, c.n_paths, c.n_lines
    all_rows = np.concatenate([c.rows, m_cap + c.line_pos, m_cap + np.arange(n_lines)])
    all_cols = np.concatenate([c.cols, np.arange(n_paths), n_paths + np.arange(n_lines)])
    all_vals = np.concatenate([c.vals, np.ones(n_paths), np.ones(n_lines)])
    n = n_paths + n_lines
    order = np.lexsort((all_rows, all_cols))
    all_rows, all_cols, all_vals = all_rows[order], all_cols[order], all_vals[order]
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = m_cap + n_lines
    lp.col_cost_ = np.concatenate([c.unit_cost, c.penalty])
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.concatenate([c.qty[c.line_pos], c.qty])
    lp.row_lower_ = np.concatenate([np.full(m_cap, -highspy.kHighsInf), c.qty])
    lp.row_upper_ = np.concatenate([c.caps, c.qty])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.searchsorted(all_cols, np.arange(n + 1)).astype(np.int32)
    lp.a_matrix_.index_ = all_rows.astype(np.int32)
    lp.a_matrix_.value_ = all_vals
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = m_cap + n_lines
    if integral:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    return lp


def _solve(c: _Columns, time_limit: float, cutoff: float) -> FloatArray | None:
    """The integer programme (`_programme`); rounded values, or None.

    `cutoff` is the current placement's objective: HiGHS may drop every branch that cannot
    beat it (`objective_bound`), since a step is kept only if it is no worse. On 31
    programmes captured from a bench-M search, 1 s each: 3.15–3.19 M EUR gained against
    2.40–3.22 M without (the time-limited large ones find better points). If nothing better
    exists HiGHS returns the current placement (a step that changes nothing) or no solution
    (None). No starting point is passed: given the current plan as one, HiGHS 1.16 reported
    a better objective than that of the column values it returned (which were the start's)."""
    n = c.n_paths + c.n_lines
    h = quiet_highs(time_limit)
    h.setOptionValue("objective_bound", cutoff + 1e-6 * max(1.0, abs(cutoff)))
    h.passModel(_programme(c, integral=True))
    h.run()
    if h.getInfo().primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible:
        return None
    x = np.asarray(h.getSolution().col_value, dtype=np.float64)
    if x.size != n or not np.isfinite(x).all():
        return None
    rounded = np.round(x)
    if np.abs(x - rounded).max(initial=0.0) > _TOL or (rounded < 0).any():
        return None
    return rounded
