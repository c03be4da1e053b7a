"""Column generation over cohort schedules, a Lagrangian bound, and a restricted-master MIP.

Master problem (a column = one cohort taking one feasible schedule p):

    min  Σ_k U_k + Σ_(k,p) (c_kp − U_k) λ_kp
    s.t. Σ_p λ_kp ≤ 1                       every cohort k          (dual σ_k ≥ 0)
         Σ_(k,p) n_k a_ip λ_kp ≤ S_i         every intake i          (dual π_i ≥ 0)
         λ ∈ {0, 1}

c_kp = weight_k × max(0, finish_p − ETA_k), U_k the cost of leaving k out. Pricing is exact:
every feasible schedule of every cohort is enumerated (arrays.py), so for seat prices π the
best column of cohort k is argmin_p c_kp + n_k Σ_(i∈p) π_i, computed as one matrix per
signature. For ANY π ≥ 0 the Lagrangian value

    L(π) = Σ_k min(U_k, min_p c_kp + n_k Σ_(i∈p) π_i) − Σ_i π_i S_i

is a lower bound on the optimum (relax the seat rows with multipliers π; each cohort then picks
its own best schedule or none): the bound reported is the best L(π) seen, never a label.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field

import highspy
import numpy as np

from .arrays import Arrays, FloatArray, IntArray

CHUNK = 2_000_000  # cost-matrix entries priced at once


def quiet_highs(time_limit: float) -> highspy.Highs:
    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        h = highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("time_limit", max(float(time_limit), 0.01))
    return h


def price(a: Arrays, pi: FloatArray) -> tuple[FloatArray, IntArray, FloatArray]:
    """Per cohort: the least priced cost c_kp + n_k π·a_p, its schedule index within the
    signature (-1: no schedule), and its unpriced cost c_kp."""
    k_total = len(a.cohort_ids)
    best = np.full(k_total, np.inf)
    arg = np.full(k_total, -1, dtype=np.int64)
    late = np.full(k_total, np.inf)
    for sig in a.signatures:
        n_sched = sig.schedules.shape[0]
        if n_sched == 0:
            continue
        seat_price = pi[sig.schedules].sum(axis=1) if sig.schedules.shape[1] else np.zeros(1)
        step = max(1, CHUNK // n_sched)
        for lo in range(0, sig.cohorts.size, step):
            ks = sig.cohorts[lo : lo + step]
            c = a.weight[ks, None] * np.maximum(sig.finish[None, :] - a.eta[ks, None], 0)
            total = c + a.size[ks, None] * seat_price[None, :]
            j = np.argmin(total, axis=1)
            rows = np.arange(ks.size)
            best[ks] = total[rows, j]
            arg[ks] = j
            late[ks] = c[rows, j]
    return best, arg, late


def lagrangian_bound(a: Arrays, pi: FloatArray) -> float:
    best, _, _ = price(a, pi)
    return float(np.minimum(a.unscheduled_cost, best).sum() - pi @ a.seats)


@dataclass
class Columns:
    cohort: list[int] = field(default_factory=list)
    schedule: list[int] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    keys: set[tuple[int, int]] = field(default_factory=set)


@dataclass
class MasterResult:
    bound: float
    lp_value: float
    pi: FloatArray
    columns: Columns
    lp_values: FloatArray
    rounds: int
    converged: bool
    log: list[str]


class Master:
    """The restricted master LP in HiGHS; columns are added a round at a time in one call."""

    def __init__(self, a: Arrays, time_limit: float) -> None:
        self.a = a
        k, i = len(a.cohort_ids), len(a.intake_ids)
        self.k, self.i = k, i
        self.h = quiet_highs(time_limit)
        h = self.h
        inf = highspy.kHighsInf
        h.addRows(
            k + i,
            np.full(k + i, -inf),
            np.concatenate([np.ones(k), a.seats]),
            0,
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        self.columns = Columns()

    def add(self, cohorts: IntArray, schedules: IntArray, costs: FloatArray) -> int:
        a, cols = self.a, self.columns
        keep = [
            n
            for n, (k, p) in enumerate(zip(cohorts.tolist(), schedules.tolist(), strict=True))
            if (k, p) not in cols.keys
        ]
        if not keep:
            return 0
        starts, index, value = [], [], []
        nnz = 0
        for n in keep:
            k, p = int(cohorts[n]), int(schedules[n])
            sig = a.signatures[a.cohort_signature[k]]
            intakes = sig.schedules[p]
            starts.append(nnz)
            index.append(np.concatenate([[k], self.k + intakes]))
            value.append(np.concatenate([[1.0], np.full(intakes.size, a.size[k])]))
            nnz += 1 + intakes.size
            cols.keys.add((k, p))
            cols.cohort.append(k)
            cols.schedule.append(p)
            cols.cost.append(float(costs[n]))
        c = np.array([cols.cost[-len(keep) + m] for m in range(len(keep))])
        u = a.unscheduled_cost[np.array([cols.cohort[-len(keep) + m] for m in range(len(keep))])]
        self.h.addCols(
            len(keep),
            c - u,
            np.zeros(len(keep)),
            np.ones(len(keep)),
            nnz,
            np.array(starts, dtype=np.int32),
            np.concatenate(index).astype(np.int32),
            np.concatenate(value),
        )
        return len(keep)

    def solve_lp(self, time_limit: float) -> tuple[float, FloatArray, FloatArray, FloatArray]:
        h = self.h
        h.setOptionValue("time_limit", max(time_limit, 0.01))
        h.run()
        sol = h.getSolution()
        y = np.asarray(sol.row_dual)
        sigma = np.maximum(-y[: self.k], 0.0)
        pi = np.maximum(-y[self.k :], 0.0)
        value = float(h.getInfo().objective_function_value) + float(self.a.unscheduled_cost.sum())
        return value, sigma, pi, np.asarray(sol.col_value)


def column_generation(
    a: Arrays, seeds: list[IntArray], deadline: float, log: list[str]
) -> tuple[Master, MasterResult]:
    """Seeds: (K,) schedule indices per cohort (-1 none) to start the master with."""
    master = Master(a, max(deadline - time.perf_counter(), 0.01))
    for seed in seeds:
        ks = np.flatnonzero(seed >= 0)
        costs = np.array(
            [
                a.late_cost(int(k), a.signatures[a.cohort_signature[k]].finish[seed[k] : seed[k] + 1])[0]
                for k in ks
            ]
        )
        master.add(ks, seed[ks], costs)
    bound = -np.inf
    best_pi = np.zeros(len(a.intake_ids))
    lp_value = np.inf
    pi = best_pi
    converged = False
    rounds = 0
    lp_values = np.zeros(0)
    while time.perf_counter() < deadline:
        rounds += 1
        lp_value, sigma, pi_lp, lp_values = master.solve_lp(deadline - time.perf_counter())
        # Wentges smoothing: price at a point between the best-bound duals and the LP's.
        pi = pi_lp if rounds <= 2 else 0.5 * best_pi + 0.5 * pi_lp
        for attempt in range(2):
            best, arg, late = price(a, pi)
            value = float(np.minimum(a.unscheduled_cost, best).sum() - pi @ a.seats)
            if value > bound:
                bound, best_pi = value, pi.copy()
            rc = best - a.unscheduled_cost + sigma + np.where(np.isfinite(best), 0.0, 0.0)
            # reduced cost at the LP duals decides a column; priced at smoothed duals it is
            # recomputed at the LP duals below
            new = np.flatnonzero((arg >= 0) & np.isfinite(best))
            if new.size:
                sched = arg[new]
                rc_lp = (
                    late[new]
                    + a.size[new] * _schedule_price(a, new, sched, pi_lp)
                    - a.unscheduled_cost[new]
                    + sigma[new]
                )
                take = rc_lp < -1e-7
                added = master.add(new[take], sched[take], late[new][take])
            else:
                added = 0
            if added or attempt == 1 or pi is pi_lp:
                break
            pi = pi_lp  # smoothing found nothing: price at the LP duals (a mis-price)
        del rc
        log.append(f"round {rounds}: lp {lp_value:.3f} bound {bound:.3f} added {added}")
        if added == 0:
            converged = True
            bound = max(bound, lagrangian_bound(a, pi_lp))
            break
        if lp_value - bound <= 1e-6 * max(1.0, abs(lp_value)):
            converged = True
            break
    result = MasterResult(
        bound=bound,
        lp_value=lp_value,
        pi=best_pi,
        columns=master.columns,
        lp_values=lp_values,
        rounds=rounds,
        converged=converged,
        log=log,
    )
    return master, result


def _schedule_price(a: Arrays, ks: IntArray, sched: IntArray, pi: FloatArray) -> FloatArray:
    out = np.zeros(ks.size)
    for n, (k, p) in enumerate(zip(ks.tolist(), sched.tolist(), strict=True)):
        out[n] = pi[a.signatures[a.cohort_signature[k]].schedules[p]].sum()
    return out


def repair(
    a: Arrays, columns: Columns, values: FloatArray, pi: FloatArray
) -> IntArray:
    """A feasible assignment from master LP values: columns by value (largest first) while
    their seats fit, then every cohort left takes its cheapest schedule that still fits
    (cost plus a small seat-price tie-break), highest cost-of-waiting first."""
    k_total = len(a.cohort_ids)
    chosen = np.full(k_total, -1, dtype=np.int64)
    seats = a.seats.copy()
    col_k = np.array(columns.cohort, dtype=np.int64)
    col_p = np.array(columns.schedule, dtype=np.int64)
    v = values[: col_k.size]
    order = np.lexsort((-a.weight[col_k], -v))
    for n in order:
        if v[n] < 0.5:
            break
        k = col_k[n]
        if chosen[k] >= 0:
            continue
        intakes = a.signatures[a.cohort_signature[k]].schedules[col_p[n]]
        if np.all(seats[intakes] >= a.size[k]):
            seats[intakes] -= a.size[k]
            chosen[k] = col_p[n]
    left = np.flatnonzero(chosen < 0)
    left = left[np.argsort(-a.weight[left], kind="stable")]
    for k in left:
        sig = a.signatures[a.cohort_signature[k]]
        if sig.schedules.shape[0] == 0:
            continue
        fits = seats[sig.schedules].min(axis=1) >= a.size[k] if sig.schedules.shape[1] else np.ones(1, dtype=bool)
        if not fits.any():
            continue
        cost = a.late_cost(int(k), sig.finish) + 1e-3 * a.size[k] * pi[sig.schedules].sum(axis=1)
        cost = np.where(fits, cost, np.inf)
        p = int(np.argmin(cost))
        if a.late_cost(int(k), sig.finish[p : p + 1])[0] >= a.unscheduled_cost[k] and sig.finish.size:
            pass
        seats[sig.schedules[p]] -= a.size[k]
        chosen[k] = p
    return chosen


def master_mip(
    a: Arrays, columns: Columns, start: IntArray, time_limit: float, gap: float
) -> IntArray | None:
    """The master over the generated columns with λ binary, started from `start` (schedule
    index per cohort). Its own bound is only for these columns and is not reported."""
    h = quiet_highs(time_limit)
    k_total, i_total = len(a.cohort_ids), len(a.intake_ids)
    col_k = np.array(columns.cohort, dtype=np.int64)
    col_p = np.array(columns.schedule, dtype=np.int64)
    n_cols = col_k.size
    # every column of the start must be present
    lengths = np.array(
        [a.signatures[a.cohort_signature[k]].schedules.shape[1] for k in col_k], dtype=np.int64
    )
    starts = np.concatenate([[0], np.cumsum(1 + lengths)[:-1]]).astype(np.int32)
    index = np.concatenate(
        [
            np.concatenate([[k], k_total + a.signatures[a.cohort_signature[k]].schedules[p]])
            for k, p in zip(col_k.tolist(), col_p.tolist(), strict=True)
        ]
    ).astype(np.int32)
    value = np.concatenate(
        [np.concatenate([[1.0], np.full(m, a.size[k])]) for k, m in zip(col_k, lengths, strict=True)]
    )
    cost = np.array(columns.cost) - a.unscheduled_cost[col_k]
    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = k_total + i_total
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(n_cols)
    lp.col_upper_ = np.ones(n_cols)
    lp.row_lower_ = np.full(k_total + i_total, -highspy.kHighsInf)
    lp.row_upper_ = np.concatenate([np.ones(k_total), a.seats])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.concatenate([starts, [index.size]]).astype(np.int32)
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_cols
    h.passModel(lp)
    h.setOptionValue("mip_rel_gap", gap)
    position = {(k, p): n for n, (k, p) in enumerate(zip(col_k.tolist(), col_p.tolist(), strict=True))}
    x0 = np.zeros(n_cols)
    for k in np.flatnonzero(start >= 0):
        n = position.get((int(k), int(start[k])))
        if n is not None:
            x0[n] = 1.0
    sol = highspy.HighsSolution()
    sol.col_value = list(x0)
    sol.value_valid = True
    h.setSolution(sol)
    h.run()
    if h.getInfo().primal_solution_status != 2:  # kSolutionStatusFeasible
        return None
    x = np.asarray(h.getSolution().col_value)
    out = np.full(k_total, -1, dtype=np.int64)
    on = np.flatnonzero(x > 0.5)
    out[col_k[on]] = col_p[on]
    return out
