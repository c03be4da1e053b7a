"""Column generation: the path-based master LP over the shared capacities (HiGHS).

    min  Σ_l Σ_p cost_lp · x_lp + Σ_l penalty_l · y_l
    s.t. Σ_p x_lp + y_l = 1                         (each line: shares of its quantity)
         Σ q_l m_l x_lp over paths using a lane-day ≤ lane tonnes that day
         Σ q_l x_lp of outsize lines on a lane-day   ≤ lane outsize items that day
         Σ q_l m_l x_lp of paths unloading at, or starting from, a node-day ≤ handling
         x, y ≥ 0

Columns are paths found by the priced dynamic programme (`lagrange.evaluate` with the
master's duals); capacity rows exist only for lane-days and node-days some column touches
(others cannot bind). Rows and columns are appended as numpy arrays in one call each
(`addRows`/`addCols`), and the dual simplex restarts from the previous basis.

The master's optimum is *not* a bound (it only knows some paths); the bound is the Lagrangian
value at the master's capacity duals, λ = −dual ≥ 0, computed exactly over all paths.
"""

from __future__ import annotations

import ctypes
import os
import sys
from dataclasses import dataclass, field

import highspy
import numpy as np

from .lagrange import Multipliers
from .model import FloatArray, IntArray
from .network import Arrays, unrouted_days

LegIdx = tuple[int, int, int]

_banner_shown = False


def _highs() -> highspy.Highs:
    """A quiet Highs instance (the first one in a process prints a banner on fd 1)."""
    global _banner_shown
    if _banner_shown:
        return highspy.Highs()  # type: ignore[no-untyped-call]
    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        h = highspy.Highs()  # type: ignore[no-untyped-call]
        ctypes.CDLL(None).fflush(None)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    _banner_shown = True
    return h


@dataclass
class Master:
    a: Arrays
    lateness_eur: float
    h: highspy.Highs
    lane_row: IntArray  # (E*T) row of each lane-day, −1 when none yet
    out_row: IntArray
    node_row: IntArray
    n_rows: int
    row_kind: list[IntArray] = field(default_factory=list)  # 0 lane, 1 outsize, 2 node
    row_key: list[IntArray] = field(default_factory=list)
    col_line: list[int] = field(default_factory=list)  # −1 … for the y columns: see below
    col_legs: list[tuple[LegIdx, ...]] = field(default_factory=list)
    seen: set[tuple[int, tuple[LegIdx, ...]]] = field(default_factory=set)
    n_lines: int = 0

    @classmethod
    def create(cls, a: Arrays, lateness_eur: float, penalty_days: int, time_limit: float) -> Master:
        h = _highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        h.setOptionValue("random_seed", 0)
        h.setOptionValue("time_limit", max(float(time_limit), 0.01))
        h.setOptionValue("solver", "simplex")
        h.setOptionValue("simplex_strategy", 4)  # primal simplex: the basis stays feasible as columns are added
        L = a.origin.size
        ones = np.ones(L)
        h.addRows(L, ones, ones, 0, np.zeros(L, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0))
        penalty = lateness_eur * a.priority * unrouted_days(a, penalty_days) * a.qty
        h.addCols(
            L,
            penalty.astype(np.float64),
            np.zeros(L),
            np.ones(L),
            L,
            np.arange(L, dtype=np.int32),
            np.arange(L, dtype=np.int32),
            ones,
        )
        size = a.E * a.T
        m = cls(
            a=a,
            lateness_eur=lateness_eur,
            h=h,
            lane_row=np.full(size, -1, dtype=np.int64),
            out_row=np.full(size, -1, dtype=np.int64),
            node_row=np.full(a.V * a.T, -1, dtype=np.int64),
            n_rows=L,
            n_lines=L,
        )
        m.col_line = list(range(L))
        m.col_legs = [()] * L  # the y columns (unrouted), marked by empty legs and index < L
        return m

    def _rows_for(self, keys: IntArray, table: IntArray, caps: FloatArray, kind: int) -> None:
        """Create rows for keys (flat lane-day or node-day) not yet present, with finite caps."""
        new = np.unique(keys[table[keys] < 0])
        new = new[np.isfinite(caps[new])]
        if new.size == 0:
            return
        table[new] = self.n_rows + np.arange(new.size)
        self.n_rows += new.size
        self.h.addRows(
            new.size,
            np.full(new.size, -np.inf),
            caps[new].astype(np.float64),
            0,
            np.zeros(new.size, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        self.row_kind.append(np.full(new.size, kind))
        self.row_key.append(new)

    def add_columns(self, columns: list[tuple[int, list[LegIdx]]]) -> int:
        a = self.a
        T = a.T
        fresh: list[tuple[int, tuple[LegIdx, ...]]] = []
        for line, legs in columns:
            key = (line, tuple(legs))
            if key not in self.seen and legs:
                self.seen.add(key)
                fresh.append(key)
        if not fresh:
            return 0
        # entries per column, built as flat lists then one addCols call
        col_of: list[int] = []
        lane_k: list[int] = []
        node_k: list[int] = []
        node_col: list[int] = []
        for j, (_, legs) in enumerate(fresh):
            for i, (e, dep, arr) in enumerate(legs):
                col_of.append(j)
                lane_k.append(e * T + dep)
                node_k.append(int(a.v[e]) * T + arr)  # unloaded
                node_col.append(j)
                if i == 0:  # loaded at the start of the journey
                    node_k.append(int(a.u[e]) * T + dep)
                    node_col.append(j)
        lines = np.array([ln for ln, _ in fresh], dtype=np.int64)
        cj = np.array(col_of, dtype=np.int64)
        lk = np.array(lane_k, dtype=np.int64)
        nk = np.array(node_k, dtype=np.int64)
        nc = np.array(node_col, dtype=np.int64)
        tonnes = (a.qty * a.mass)[lines]
        self._rows_for(lk, self.lane_row, a.cap_t.reshape(-1), 0)
        out_mask = a.outsize[lines][cj]
        if out_mask.any():
            self._rows_for(lk[out_mask], self.out_row, a.cap_o.reshape(-1), 1)
        self._rows_for(nk, self.node_row, a.cap_h.reshape(-1), 2)
        ent_col = [np.arange(lines.size), cj, cj[out_mask], nc]
        ent_row = [lines, self.lane_row[lk], self.out_row[lk[out_mask]], self.node_row[nk]]
        ent_val = [
            np.ones(lines.size),
            tonnes[cj],
            a.qty[lines][cj[out_mask]].astype(np.float64),
            tonnes[nc],
        ]
        col = np.concatenate(ent_col)
        row = np.concatenate(ent_row)
        val = np.concatenate(ent_val)
        keep = row >= 0
        col, row, val = col[keep], row[keep], val[keep]
        # the same node-day twice in a column (unload and load on one day) sums
        order = np.lexsort((row, col))
        col, row, val = col[order], row[order], val[order]
        first = np.r_[True, (col[1:] != col[:-1]) | (row[1:] != row[:-1])]
        group = np.cumsum(first) - 1
        val = np.bincount(group, val)
        col, row = col[first], row[first]
        starts = np.searchsorted(col, np.arange(lines.size)).astype(np.int32)
        cost = np.zeros(lines.size)
        for j, (line, legs) in enumerate(fresh):
            arrival = legs[-1][2]
            late = max(0, arrival - int(a.needed[line]))
            path = sum(float(a.cost[e]) for e, _, _ in legs)
            cost[j] = float(a.qty[line]) * (
                float(a.mass[line]) * path + self.lateness_eur * float(a.priority[line]) * late
            )
        self.h.addCols(
            lines.size,
            cost,
            np.zeros(lines.size),
            np.ones(lines.size),
            val.size,
            starts,
            row.astype(np.int32),
            val,
        )
        for line, legs in fresh:
            self.col_line.append(line)
            self.col_legs.append(legs)
        return len(fresh)

    def solve(self, time_limit: float) -> tuple[float, Multipliers, FloatArray, FloatArray] | None:
        """(objective, capacity multipliers, convexity duals, column values), or None."""
        self.h.setOptionValue("time_limit", max(float(time_limit), 0.01))
        self.h.run()
        status = self.h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            return None
        sol = self.h.getSolution()
        dual = np.asarray(sol.row_dual, dtype=np.float64)
        x = np.asarray(sol.col_value, dtype=np.float64)
        a = self.a
        lam = Multipliers.zeros(a)
        if self.row_key:
            kind = np.concatenate(self.row_kind)
            key = np.concatenate(self.row_key)
            price = np.maximum(0.0, -dual[self.n_lines :])
            for k, target in ((0, lam.lane_t), (1, lam.lane_o), (2, lam.node)):
                sel = kind == k
                target.reshape(-1)[key[sel]] = price[sel]
        sigma = dual[: self.n_lines].copy()
        objective = float(self.h.getInfo().objective_function_value)
        return objective, lam, sigma, x
