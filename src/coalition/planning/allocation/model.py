"""The MILP of one (sub)problem as arrays, ready for HiGHS `passModel` in one call.

Columns: x[p] for every candidate pair p, then y[g] for every new-type group g.
Rows, each block built by one `define_*` function from numpy arrays:
  offers        Σ_r x[o,r] ≤ Q_o
  requirements  Σ_o x[o,r] ≤ q_r
  linking       x ≤ M·y in the form chosen by `linking` (see docs/allocation.md)
x is continuous: with y fixed the remaining matrix is a bipartite transportation matrix plus
laminar sub-rows, hence totally unimodular, so basic solutions are integral (see `milp.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from .pairs import FloatArray, IntArray, PairTable

Linking = Literal["pair", "offer", "requirement", "offer+requirement"]
LINKING_DEFAULT: Linking = "offer"


@dataclass(frozen=True)
class MilpArrays:
    """A maximisation MILP in HiGHS column-wise (CSC) form."""

    n_pairs: int
    n_groups: int
    cost: FloatArray
    col_lower: FloatArray
    col_upper: FloatArray
    row_lower: FloatArray
    row_upper: FloatArray
    a_start: npt.NDArray[np.int32]  # CSC column starts (length n_cols + 1)
    a_index: npt.NDArray[np.int32]  # row index of each nonzero
    a_value: FloatArray
    integrality: npt.NDArray[np.int32]

    @property
    def n_cols(self) -> int:
        return self.n_pairs + self.n_groups

    @property
    def n_rows(self) -> int:
        return int(self.row_upper.size)


@dataclass(frozen=True)
class _Block:
    rows: IntArray
    cols: IntArray
    values: FloatArray
    upper: FloatArray


def define_offer_rows(t: PairTable) -> _Block:
    p = np.arange(t.n_pairs)
    return _Block(t.offer, p, np.ones(p.size), t.offer_quantity.copy())


def define_requirement_rows(t: PairTable) -> _Block:
    p = np.arange(t.n_pairs)
    return _Block(t.requirement, p, np.ones(p.size), t.requirement_quantity.copy())


def _grouped_rows(
    t: PairTable, owner: IntArray, own_cap: FloatArray, other_cap: FloatArray
) -> _Block:
    """Σ_{p in (owner, g)} x[p] − min(own_cap, Σ other_cap[p]) · y[g] ≤ 0 for each (owner, g)."""
    grouped = np.flatnonzero(t.group >= 0)
    if grouped.size == 0:
        empty = np.zeros(0, np.int64)
        return _Block(empty, empty, np.zeros(0), np.zeros(0))
    n_g = t.group_penalty.size
    keys, row = np.unique(owner[grouped] * n_g + t.group[grouped], return_inverse=True)
    row = row.reshape(-1)
    big_m = np.minimum(own_cap[keys // n_g], np.bincount(row, weights=other_cap[grouped]))
    rows = np.concatenate([row, np.arange(keys.size)])
    cols = np.concatenate([grouped, t.n_pairs + keys % n_g])
    values = np.concatenate([np.ones(grouped.size), -big_m])
    return _Block(rows, cols, values, np.zeros(keys.size))


def define_linking_rows(t: PairTable, linking: Linking) -> list[_Block]:
    blocks: list[_Block] = []
    if linking == "pair":
        grouped = np.flatnonzero(t.group >= 0)
        k = np.arange(grouped.size)
        blocks.append(
            _Block(
                np.concatenate([k, k]),
                np.concatenate([grouped, t.n_pairs + t.group[grouped]]),
                np.concatenate([np.ones(k.size), -t.upper[grouped]]),
                np.zeros(k.size),
            )
        )
    if "offer" in linking:
        req_cap = t.requirement_quantity[t.requirement]
        blocks.append(_grouped_rows(t, t.offer, t.offer_quantity, req_cap))
    if "requirement" in linking:
        offer_cap = t.offer_quantity[t.offer]
        blocks.append(_grouped_rows(t, t.requirement, t.requirement_quantity, offer_cap))
    return blocks


def build_milp(
    t: PairTable, linking: Linking = LINKING_DEFAULT, integer_x: bool = False
) -> MilpArrays:
    """Assemble all row blocks into one CSC matrix (no Python loop over variables)."""
    n_g = t.group_penalty.size
    blocks = [define_offer_rows(t), define_requirement_rows(t), *define_linking_rows(t, linking)]
    offsets = np.cumsum([0] + [b.upper.size for b in blocks])
    rows = np.concatenate([b.rows + off for b, off in zip(blocks, offsets[:-1], strict=True)])
    cols = np.concatenate([b.cols for b in blocks])
    values = np.concatenate([b.values for b in blocks])
    n_rows = int(offsets[-1])
    n_cols = t.n_pairs + n_g
    # CSC by a stable sort on (column, row): numpy only, so workers need not import scipy.
    order = np.lexsort((rows, cols))
    a_start = np.zeros(n_cols + 1, np.int32)
    a_start[1:] = np.cumsum(np.bincount(cols, minlength=n_cols))

    pinned_groups = np.unique(t.group[(t.group >= 0) & (t.lower > 0)])
    y_lower = np.zeros(n_g)
    y_lower[pinned_groups] = 1.0
    integrality = np.zeros(n_cols, np.int32)
    integrality[t.n_pairs :] = 1
    if integer_x:
        integrality[: t.n_pairs] = t.requirement_integer[t.requirement]
    return MilpArrays(
        n_pairs=t.n_pairs,
        n_groups=n_g,
        cost=np.concatenate([t.cost, -t.group_penalty]),
        col_lower=np.concatenate([t.lower, y_lower]),
        col_upper=np.concatenate([t.upper, np.ones(n_g)]),
        row_lower=np.full(n_rows, -np.inf),
        row_upper=np.concatenate([b.upper for b in blocks]),
        a_start=a_start,
        a_index=rows[order].astype(np.int32),
        a_value=values[order],
        integrality=integrality,
    )
