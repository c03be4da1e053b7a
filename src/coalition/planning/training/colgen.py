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

import time
from dataclasses import dataclass, field

import highspy
import numpy as np

from ..quiet_highs import quiet_highs
from .arrays import Arrays, FloatArray, IntArray

CHUNK = 2_000_000  # cost-matrix entries priced at once


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
        # The late cost depends on the finish week only: per finish week, only the schedule
        # with the least seat price can be a cohort's best (exact, and far fewer columns).
        starts = sig.finish_starts
        cheapest = np.minimum.reduceat(seat_price, starts)
        where = _argmin_segments(seat_price, starts, cheapest)
        finish = sig.finish[starts]
        step = max(1, CHUNK // starts.size)
        for lo in range(0, sig.cohorts.size, step):
            ks = sig.cohorts[lo : lo + step]
            c = a.weight[ks, None] * np.maximum(finish[None, :] - a.eta[ks, None], 0)
            total = c + a.size[ks, None] * cheapest[None, :]
            j = np.argmin(total, axis=1)
            rows = np.arange(ks.size)
            best[ks] = total[rows, j]
            arg[ks] = where[j]
            late[ks] = c[rows, j]
    return best, arg, late


def _argmin_segments(values: FloatArray, starts: IntArray, minima: FloatArray) -> IntArray:
    """Index of the first minimum of each segment values[starts[n]:starts[n+1]]."""
    segment = np.repeat(np.arange(starts.size), np.diff(np.append(starts, values.size)))
    hit = np.flatnonzero(values <= minima[segment])
    first = np.full(starts.size, values.size, dtype=np.int64)
    np.minimum.at(first, segment[hit], hit)
    return first


def lagrangian_bound(a: Arrays, pi: FloatArray) -> float:
    best, _, _ = price(a, pi)
    return float(np.minimum(a.unscheduled_cost, best).sum() - pi @ a.seats)


@dataclass
class Columns:
    """Master columns: class `group` sends trainees along schedule `schedule`."""

    group: list[int] = field(default_factory=list)
    schedule: list[int] = field(default_factory=list)
    keys: set[tuple[int, int]] = field(default_factory=set)


@dataclass(frozen=True)
class Classes:
    """Cohorts with the same signature and line: their costs per trainee are equal (weight =
    priority weight × size / crew size), so the LP over classes, with Σ trainees as the class
    capacity, has the same value as the LP over cohorts (split any class solution among its
    cohorts in proportion to size)."""

    of_cohort: IntArray
    signature: IntArray
    trainees: FloatArray
    per_trainee: FloatArray  # cost per trainee-week late
    eta: IntArray
    unscheduled: FloatArray  # cost per trainee of leaving out
    members: list[IntArray]


def build_classes(a: Arrays) -> Classes:
    keys = np.stack([a.cohort_signature, a.cohort_line], axis=1)
    uniq, of_cohort = np.unique(keys, axis=0, return_inverse=True)
    of_cohort = of_cohort.ravel()
    first = np.zeros(uniq.shape[0], dtype=np.int64)
    first[of_cohort[::-1]] = np.arange(of_cohort.size)[::-1]
    order = np.argsort(of_cohort, kind="stable")
    bounds = np.searchsorted(of_cohort[order], np.arange(uniq.shape[0] + 1))
    return Classes(
        of_cohort=of_cohort,
        signature=uniq[:, 0],
        trainees=np.bincount(of_cohort, a.size, uniq.shape[0]).astype(np.float64),
        per_trainee=a.weight[first] / a.size[first],
        eta=a.eta[first],
        unscheduled=a.unscheduled_cost[first] / a.size[first],
        members=[order[bounds[g] : bounds[g + 1]] for g in range(uniq.shape[0])],
    )


def price_classes(a: Arrays, cl: Classes, pi: FloatArray) -> tuple[FloatArray, IntArray]:
    """Per class: the least cost per trainee (late cost + seat prices) and its schedule."""
    best = np.full(cl.signature.size, np.inf)
    arg = np.full(cl.signature.size, -1, dtype=np.int64)
    for g in range(cl.signature.size):
        sig = a.signatures[cl.signature[g]]
        if sig.schedules.shape[0] == 0:
            continue
        seat_price = pi[sig.schedules].sum(axis=1) if sig.schedules.shape[1] else np.zeros(1)
        total = cl.per_trainee[g] * np.maximum(sig.finish - cl.eta[g], 0) + seat_price
        j = int(np.argmin(total))
        best[g], arg[g] = total[j], j
    return best, arg


@dataclass
class MasterResult:
    bound: float
    lp_value: float
    pi: FloatArray
    classes: Classes
    columns: Columns
    lp_values: FloatArray
    rounds: int
    converged: bool


class Master:
    """The restricted master LP over classes in HiGHS; a round's columns go in one call."""

    def __init__(self, a: Arrays, cl: Classes) -> None:
        self.a, self.cl = a, cl
        self.g, self.i = cl.signature.size, len(a.intake_ids)
        self.h = quiet_highs(1e9)
        inf = highspy.kHighsInf
        self.h.addRows(
            self.g + self.i,
            np.full(self.g + self.i, -inf),
            np.concatenate([cl.trainees, a.seats]),
            0,
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        self.columns = Columns()
        self.last_status = ""
        self.last_seconds = 0.0

    def add(self, groups: IntArray, schedules: IntArray) -> int:
        a, cl, cols = self.a, self.cl, self.columns
        keep = [
            (g, p)
            for g, p in zip(groups.tolist(), schedules.tolist(), strict=True)
            if (g, p) not in cols.keys
        ]
        if not keep:
            return 0
        starts, index, cost = [], [], []
        nnz = 0
        for g, p in keep:
            sig = a.signatures[cl.signature[g]]
            intakes = sig.schedules[p]
            starts.append(nnz)
            index.append(np.concatenate([[g], self.g + intakes]))
            nnz += 1 + intakes.size
            cost.append(
                cl.per_trainee[g] * max(int(sig.finish[p]) - int(cl.eta[g]), 0) - cl.unscheduled[g]
            )
            cols.keys.add((g, p))
            cols.group.append(g)
            cols.schedule.append(p)
        self.h.addCols(
            len(keep),
            np.array(cost),
            np.zeros(len(keep)),
            np.full(len(keep), highspy.kHighsInf),
            nnz,
            np.array(starts, dtype=np.int32),
            np.concatenate(index).astype(np.int32),
            np.ones(nnz),
        )
        return len(keep)

    def solve_lp(self, time_limit: float) -> tuple[float, FloatArray, FloatArray, FloatArray]:
        h = self.h
        # HiGHS measures its time limit on the instance's clock, which runs across calls
        h.setOptionValue("time_limit", h.getRunTime() + max(time_limit, 0.01))
        t = time.perf_counter()
        h.run()
        self.last_status = str(h.getModelStatus())
        self.last_seconds = time.perf_counter() - t
        sol = h.getSolution()
        y = np.asarray(sol.row_dual)
        sigma = np.maximum(-y[: self.g], 0.0)
        pi = np.maximum(-y[self.g :], 0.0)
        value = float(h.getInfo().objective_function_value) + float(self.a.unscheduled_cost.sum())
        return value, sigma, pi, np.asarray(sol.col_value)


def column_generation(
    a: Arrays, seeds: list[IntArray], deadline: float, log: list[str]
) -> MasterResult:
    """Seeds: (K,) schedule indices per cohort (-1 none) to start the master with."""
    cl = build_classes(a)
    master = Master(a, cl)
    for seed in seeds:
        ks = np.flatnonzero(seed >= 0)
        master.add(cl.of_cohort[ks], seed[ks])
    bound = -np.inf
    best_pi = np.zeros(len(a.intake_ids))
    lp_value = np.inf
    converged = False
    rounds = 0
    lp_values = np.zeros(0)
    while time.perf_counter() < deadline:
        rounds += 1
        lp_value, sigma, pi_lp, lp_values = master.solve_lp(deadline - time.perf_counter())
        if master.last_status != "HighsModelStatus.kOptimal":
            break
        best, arg = price_classes(a, cl, pi_lp)
        value = float(cl.trainees @ np.minimum(cl.unscheduled, best) - pi_lp @ a.seats)
        if value > bound:
            bound, best_pi = value, pi_lp.copy()
        take = (arg >= 0) & (best - cl.unscheduled + sigma < -1e-9)
        added = master.add(np.flatnonzero(take), arg[take])
        log.append(
            f"round {rounds}: lp {lp_value:.3f} ({master.last_seconds:.2f} s) "
            f"bound {bound:.3f} added {added}"
        )
        if added == 0:
            converged = True
            break
        if lp_value - bound <= 1e-7 * max(1.0, abs(lp_value)):
            converged = True
            break
    return MasterResult(
        bound=bound,
        lp_value=lp_value,
        pi=best_pi,
        classes=cl,
        columns=master.columns,
        lp_values=lp_values,
        rounds=rounds,
        converged=converged,
    )


def repair(a: Arrays, result: MasterResult) -> IntArray:
    """A feasible assignment from the class LP: each column's trainees go to its class's
    cohorts (largest first) while seats fit, then every cohort left takes its cheapest
    schedule that still fits (seat prices break ties), highest cost of waiting first."""
    cl, cols = result.classes, result.columns
    chosen = np.full(len(a.cohort_ids), -1, dtype=np.int64)
    seats = a.seats.copy()
    col_g = np.array(cols.group, dtype=np.int64)
    col_p = np.array(cols.schedule, dtype=np.int64)
    y = result.lp_values[: col_g.size]
    for n in np.argsort(-y, kind="stable"):
        if y[n] <= 1e-9:
            break
        g, cap = col_g[n], y[n]
        intakes = a.signatures[cl.signature[g]].schedules[col_p[n]]
        members = cl.members[g]
        for k in members[np.argsort(-a.size[members], kind="stable")]:
            if chosen[k] >= 0 or a.size[k] > cap + 0.5 * a.size[k]:
                continue
            if np.all(seats[intakes] >= a.size[k]):
                seats[intakes] -= a.size[k]
                chosen[k] = col_p[n]
                cap -= a.size[k]
    left = np.flatnonzero(chosen < 0)
    for k in left[np.argsort(-a.weight[left] / a.size[left], kind="stable")]:
        sig = a.signatures[a.cohort_signature[k]]
        if sig.schedules.shape[0] == 0:
            continue
        if sig.schedules.shape[1] == 0:
            chosen[k] = 0
            continue
        fits = seats[sig.schedules].min(axis=1) >= a.size[k]
        if not fits.any():
            continue
        cost = a.late_cost(int(k), sig.finish) + 1e-3 * a.size[k] * result.pi[sig.schedules].sum(
            axis=1
        )
        p = int(np.argmin(np.where(fits, cost, np.inf)))
        seats[sig.schedules[p]] -= a.size[k]
        chosen[k] = p
    return chosen


def master_mip(
    a: Arrays, result: MasterResult, start: IntArray, deadline: float, gap: float
) -> IntArray | None:
    """Binary x_kp for every cohort k and every schedule p generated for its class (and the
    start's), started from `start`. Its own bound covers these columns only: not reported."""
    cl = result.classes
    per_class: list[set[int]] = [set() for _ in range(cl.signature.size)]
    for g, p in zip(result.columns.group, result.columns.schedule, strict=True):
        per_class[g].add(p)
    col_k: list[int] = []
    col_p: list[int] = []
    for g, members in enumerate(cl.members):
        ps = sorted(per_class[g])
        for k in members.tolist():
            extra = [int(start[k])] if start[k] >= 0 and start[k] not in per_class[g] else []
            for p in ps + extra:
                col_k.append(k)
                col_p.append(p)
    if not col_k:
        return None
    k_arr = np.array(col_k, dtype=np.int64)
    p_arr = np.array(col_p, dtype=np.int64)
    n_cols = k_arr.size
    k_total, i_total = len(a.cohort_ids), len(a.intake_ids)
    lengths = np.array(
        [a.signatures[a.cohort_signature[k]].schedules.shape[1] for k in col_k], dtype=np.int64
    )
    starts = np.concatenate([[0], np.cumsum(1 + lengths)]).astype(np.int32)
    index = np.concatenate(
        [
            np.concatenate([[k], k_total + a.signatures[a.cohort_signature[k]].schedules[p]])
            for k, p in zip(col_k, col_p, strict=True)
        ]
    ).astype(np.int32)
    value = np.concatenate(
        [
            np.concatenate([[1.0], np.full(m, a.size[k])])
            for k, m in zip(col_k, lengths, strict=True)
        ]
    )
    finish = np.array(
        [a.signatures[a.cohort_signature[k]].finish[p] for k, p in zip(col_k, col_p, strict=True)]
    )
    cost = a.weight[k_arr] * np.maximum(finish - a.eta[k_arr], 0) - a.unscheduled_cost[k_arr]
    h = quiet_highs(1e9)
    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = k_total + i_total
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(n_cols)
    lp.col_upper_ = np.ones(n_cols)
    lp.row_lower_ = np.full(k_total + i_total, -highspy.kHighsInf)
    lp.row_upper_ = np.concatenate([np.ones(k_total), a.seats])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_cols
    h.passModel(lp)
    h.setOptionValue("mip_rel_gap", gap)
    x0 = ((start[k_arr] == p_arr) & (start[k_arr] >= 0)).astype(np.float64)
    sol = highspy.HighsSolution()
    sol.col_value = list(x0)
    sol.value_valid = True
    h.setSolution(sol)
    remaining = deadline - time.perf_counter()
    if remaining < 0.1:
        return None
    h.setOptionValue("time_limit", remaining)
    h.run()
    if h.getInfo().primal_solution_status != 2:  # a feasible point exists
        return None
    x = np.asarray(h.getSolution().col_value)
    out = np.full(k_total, -1, dtype=np.int64)
    on = np.flatnonzero(x > 0.5)
    out[k_arr[on]] = p_arr[on]
    return out
