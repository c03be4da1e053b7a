"""Greedy baselines, scored with the same objective as the MILP.

`greedy_plan`: highest priority first (then earliest needed_by, then id), each requirement takes
the earliest-arriving compatible offers (cheaper first on equal arrival). New-type penalties are
ignored while choosing but counted in the score.

`penalty_aware_greedy`: the same pass restricted to pairs that introduce no new type, then each
new-type group is opened only if filling the remaining shortfalls with it gains more than its
penalty. Used as the MILP warm start.
"""

from __future__ import annotations

import numpy as np

from .pairs import FloatArray, IntArray, PairTable


def _greedy_order(t: PairTable) -> IntArray:
    return np.lexsort((t.offer_eur[t.offer], t.arrival, t.requirement_rank[t.requirement]))


def _fill(
    t: PairTable,
    pairs: list[int],
    x: list[float],
    offer_left: list[float],
    req_left: list[float],
    commit: bool,
) -> float:
    """Give each pair in order as much as both sides have left; return the value gained.

    With `commit=False` nothing is changed: a trial on overlays of the remaining quantities.
    """
    offer, req, upper, value = t.offer, t.requirement, t.upper, t.value
    o_used: dict[int, float] = {}
    r_used: dict[int, float] = {}
    gained = 0.0
    for p in pairs:
        o, r = int(offer[p]), int(req[p])
        take = min(
            offer_left[o] - o_used.get(o, 0.0),
            req_left[r] - r_used.get(r, 0.0),
            float(upper[p]) - x[p],
        )
        if take <= 0:
            continue
        gained += take * float(value[p])
        if commit:
            offer_left[o] -= take
            req_left[r] -= take
            x[p] += take
        else:
            o_used[o] = o_used.get(o, 0.0) + take
            r_used[r] = r_used.get(r, 0.0) + take
    return gained


def _start(t: PairTable) -> tuple[list[float], list[float], list[float]]:
    x = t.lower.astype(np.float64)
    offer_left = t.offer_quantity - np.bincount(t.offer, x, t.offer_quantity.size)
    req_left = t.requirement_quantity - np.bincount(t.requirement, x, t.requirement_quantity.size)
    return x.tolist(), offer_left.tolist(), req_left.tolist()


def greedy_plan(t: PairTable) -> FloatArray:
    x, offer_left, req_left = _start(t)
    _fill(t, _greedy_order(t).tolist(), x, offer_left, req_left, commit=True)
    return np.array(x, dtype=np.float64)


def penalty_aware_greedy(t: PairTable) -> FloatArray:
    x, offer_left, req_left = _start(t)
    order = _greedy_order(t)
    group = t.group[order]
    opened = np.zeros(t.group_penalty.size, dtype=bool)
    opened[t.group[(t.group >= 0) & (t.lower > 0)]] = True
    free = group < 0
    if opened.size:
        free |= opened[np.maximum(group, 0)]
    _fill(t, order[free].tolist(), x, offer_left, req_left, commit=True)

    # Pairs of each closed group, in greedy order.
    closed = order[~free]
    by_group = np.argsort(t.group[closed], kind="stable")
    closed = closed[by_group]
    cuts = np.flatnonzero(np.diff(t.group[closed])) + 1
    candidates = [c.tolist() for c in np.split(closed, cuts)] if closed.size else []
    trial = [_fill(t, c, x, offer_left, req_left, commit=False) for c in candidates]
    for k in np.argsort(-np.array(trial)).tolist() if trial else []:
        pairs = candidates[k]
        g = int(t.group[pairs[0]])
        if _fill(t, pairs, x, offer_left, req_left, commit=False) > t.group_penalty[g]:
            _fill(t, pairs, x, offer_left, req_left, commit=True)
            opened[g] = True

    # Close groups whose realised value does not pay their penalty (unless pinned).
    result = np.array(x, dtype=np.float64)
    grouped = t.group >= 0
    realised = np.bincount(t.group[grouped], (t.value * result)[grouped], t.group_penalty.size)
    pinned = np.zeros(t.group_penalty.size, dtype=bool)
    pinned[t.group[grouped & (t.lower > 0)]] = True
    drop = (realised <= t.group_penalty) & ~pinned & opened
    if drop.size and drop.any():
        mask = grouped & drop[np.maximum(t.group, 0)]
        result[mask] = t.lower[mask]
    return result
