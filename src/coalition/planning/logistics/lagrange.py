"""Priced cheapest paths for every line at once: the Lagrangian function of the capacities.

Moving the shared capacity rows (lane tonnes and outsize items per departure day, node
handling per day) into the objective with prices λ ≥ 0 (EUR per tonne or item) leaves, for
each line, an independent problem: its cheapest path under the priced arc costs, plus its
lateness on arrival, or the unrouted penalty.

    L(λ) = Σ_lines q · min(min_path [m·Σ(c + λ_t + π_head) + Σ μ_o + late_eur·w·late],
                           late_eur·w·late_unrouted)
           − λ_t·cap_t − μ_o·cap_o − π·cap_h

For any λ ≥ 0, L(λ) ≤ the objective of every feasible plan (the priced capacity terms of a
feasible plan are ≤ 0), so it is a lower bound. The inner minimum is computed exactly by
`paths.forward`, except where a simplification can only lower it: an outsize unit pays
μ·m·b' with b' ≤ 1/m (rounded down onto a grid), and the origin's loading share of π is left
out. An arc too small for one unit of a row's lightest line is closed to the row (no plan can
use it).

`plan_routes` evaluates L(0): every line on its own cheapest path ignoring capacity. That is
a bound that ignores the shared capacities; measured here, subgradient steps on λ did not
raise it within minutes (time-expanded networks are full of ties: a line with slack shifts
to the next day at no cost, so a price on one lane-day moves flow without raising L), which
is why the capacity-keeping bound is the flow of `bound.py`. See docs/logistics.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .model import FloatArray, IntArray
from .network import Arrays, unrouted_penalty
from .paths import Tree, Usage, arrival_values, forward, push_back


@dataclass(frozen=True)
class Rows:
    """Sources of the dynamic programme: distinct (origin, release day, priced b) of lines."""

    origin: IntArray
    release: IntArray
    b: FloatArray
    threshold: FloatArray  # tonnes per unit below which an arc is closed to the row (primal)
    line_row: IntArray  # row of each line, −1 for a line released after the horizon

    @property
    def size(self) -> int:
        return int(self.origin.size)


def make_rows(
    a: Arrays,
    lines: IntArray,
    threshold_by: str = "none",
    exact: np.ndarray | None = None,
    per_octave: int = 1,
) -> Rows:
    """Rows for the given lines, sorted by release day (a chunk of rows starts its programme on
    its first release day), keyed by (release, origin, priced outsize factor) and, where asked,
    a mass class (unit masses within a factor 2^(1/per_octave)). `threshold_by`:

    * "none": threshold 0;
    * "min": the lightest unit of the row (an arc with less room takes no unit of any of its
      lines, so closing it keeps a bound valid); lines flagged in `exact` get rows of their
      mass class, thresholded at the class's heaviest unit (every arc left open then takes a
      unit of each of them: the primal always progresses);
    * "class": every line in a row of its mass class, thresholded at the lightest unit;
    * "heavy": every line in a row of its mass class, thresholded at the heaviest unit.
    """
    line_row = np.full(a.origin.size, -1, dtype=np.int64)
    ok = lines[a.release[lines] < a.T]
    if ok.size == 0:
        empty_i = np.zeros(0, dtype=np.int64)
        empty_f = np.zeros(0)
        return Rows(empty_i, empty_i, empty_f, empty_f, line_row)
    mass = a.mass[ok]
    cls = np.ceil(np.log2(mass) * per_octave - 1e-9)
    cols = [a.release[ok], a.origin[ok], a.b[ok]]
    by_class = np.zeros(ok.size, dtype=bool)
    if threshold_by in ("class", "heavy"):
        by_class[:] = True
    elif threshold_by == "min" and exact is not None:
        by_class = exact[ok]
    if by_class.any():
        cols.append(np.where(by_class, cls, -1e9))
    keys = np.stack(cols, axis=1)
    uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    line_row[ok] = inverse
    lightest = np.full(uniq.shape[0], np.inf)
    np.minimum.at(lightest, inverse, mass)
    heaviest = np.zeros(uniq.shape[0])
    np.maximum.at(heaviest, inverse, mass)
    if threshold_by == "none":
        threshold = np.zeros(uniq.shape[0])
    elif threshold_by == "class":
        threshold = lightest
    elif threshold_by == "heavy":
        threshold = heaviest
    else:
        row_by_class = np.zeros(uniq.shape[0], dtype=bool)
        row_by_class[inverse[by_class]] = True
        threshold = np.where(row_by_class, heaviest, lightest)
    return Rows(
        origin=uniq[:, 1].astype(np.int64),
        release=uniq[:, 0].astype(np.int64),
        b=uniq[:, 2].astype(np.float64),
        threshold=threshold,
        line_row=line_row,
    )


def forward_rows(
    a: Arrays,
    rows: Rows,
    ids: IntArray,
    price_t: FloatArray | npt.NDArray[np.float32],
    price_o: FloatArray | npt.NDArray[np.float32],
    **room: Any,
) -> Tree:
    """`paths.forward` for rows `ids` of `rows`, each closed to arcs below its threshold."""
    return forward(
        a,
        ids,
        rows.origin[ids],
        rows.release[ids],
        rows.b[ids],
        price_t,
        price_o,
        threshold=rows.threshold[ids],
        **room,
    )


@dataclass
class Multipliers:
    lane_t: FloatArray  # (E, T) EUR per tonne departing
    lane_o: FloatArray  # (E, T) EUR per outsize item
    node: FloatArray  # (V, T) EUR per tonne handled

    @classmethod
    def zeros(cls, a: Arrays) -> Multipliers:
        return cls(np.zeros((a.E, a.T)), np.zeros((a.E, a.T)), np.zeros((a.V, a.T)))

    def copy(self) -> Multipliers:
        return Multipliers(self.lane_t.copy(), self.lane_o.copy(), self.node.copy())


def prices(a: Arrays, lam: Multipliers) -> tuple[FloatArray, FloatArray]:
    """(E, T) price per tonne of each departure (inf where not allowed) and per outsize item
    (inf where the lane takes none)."""
    head_day = a.arrival_index()
    # The origin-load share of π is left out of the path price: that can only lower L(λ).
    pt = a.cost[:, None] + lam.lane_t + lam.node[a.v[:, None], head_day]
    pt = np.where(a.available, pt, np.inf)
    po = np.where(a.cap_o > 0, lam.lane_o, np.inf)
    return pt, po


@dataclass
class Evaluation:
    value: float  # L(λ), a lower bound on the objective
    usage: Usage
    unit_value: FloatArray  # per line: the priced minimum per unit
    arrival: IntArray  # per line: chosen arrival day, −1 for the penalty
    has_path: np.ndarray  # per line: some path exists at all (under λ = 0 this is reachability)
    earliest: IntArray  # per line: the first day a path reaches its destination (T: none)


def _finite(cap: FloatArray) -> np.ndarray:
    return np.isfinite(cap)


def evaluate(
    a: Arrays,
    rows: Rows,
    lam: Multipliers,
    *,
    lateness_eur: float,
    penalty_days: int,
    chunk: int,
    keep_trees: bool = False,
) -> tuple[Evaluation, list[Tree]]:
    pt, po = prices(a, lam)
    static_room = np.where(
        a.available, np.minimum(a.cap_t, a.cap_h[a.v[:, None], a.arrival_index()]), 0.0
    )
    L = a.origin.size
    penalty = unrouted_penalty(a, lateness_eur, penalty_days)
    unit_value = penalty.astype(np.float64).copy()
    arrival = np.full(L, -1, dtype=np.int64)
    has_path = np.zeros(L, dtype=bool)
    earliest = np.full(L, a.T, dtype=np.int64)
    usage = Usage(np.zeros((a.E, a.T)), np.zeros((a.E, a.T)), np.zeros((a.V, a.T)))
    trees: list[Tree] = []
    routed_lines = np.flatnonzero(rows.line_row >= 0)
    order = np.argsort(rows.line_row[routed_lines], kind="stable")
    routed_lines = routed_lines[order]
    row_of = rows.line_row[routed_lines]
    for lo in range(0, rows.size, chunk):
        hi = min(lo + chunk, rows.size)
        ids = np.arange(lo, hi)
        # An arc whose lane or unloading hub cannot take even one unit of the row's lightest
        # line is closed to the row: no plan can use it, so the value stays a bound.
        tree = forward_rows(a, rows, ids, pt, po, room_t=static_room, room_origin=a.cap_h)
        sel = routed_lines[(row_of >= lo) & (row_of < hi)]
        if sel.size:
            local = rows.line_row[sel] - lo
            per_t = tree.arr[:, a.dest[sel], local].T
            val = arrival_values(a, tree, local, sel, lateness_eur)
            k = np.argmin(val, axis=1)
            best = val[np.arange(sel.size), k]
            has_path[sel] = np.isfinite(best)
            reach = np.isfinite(per_t)
            earliest[sel] = np.where(reach.any(axis=1), reach.argmax(axis=1), a.T)
            take = best < penalty[sel]
            unit_value[sel] = np.where(take, best, penalty[sel])
            arrival[sel] = np.where(take, k, -1)
            demand = np.zeros_like(tree.arr)
            t_sel = sel[take]
            np.add.at(
                demand,
                (k[take], a.dest[t_sel], local[take]),
                a.qty[t_sel] * a.mass[t_sel],
            )
            push_back(a, tree, rows.b[ids], rows.origin[ids], demand, usage)
        if keep_trees:
            trees.append(tree)
    value = float(a.qty @ unit_value)
    value -= float(np.sum(lam.lane_t * a.cap_t))
    value -= float(np.sum(lam.lane_o * a.cap_o))
    fin = _finite(a.cap_h)
    value -= float(np.sum(lam.node[fin] * a.cap_h[fin]))
    return Evaluation(value, usage, unit_value, arrival, has_path, earliest), trees
