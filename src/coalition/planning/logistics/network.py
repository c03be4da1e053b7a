"""The time-expanded network as arrays: one arc per (lane, departure day), waiting at nodes.

Nothing here is built per arc in Python: capacities, availability (closures, horizon) and the
per-day grouping of lanes by (head node, transit) used by the dynamic programme in `paths.py`
are numpy arrays over lanes × days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .model import FloatArray, IntArray, Line, Network

BoolArray = npt.NDArray[np.bool_]
# Outsize rows of the dynamic programme price μ per tonne as μ·b with b = 1/unit mass rounded
# down onto this grid (b' ≤ b, so the priced cost never exceeds the true one: still a bound).
OUTSIZE_GRID_PER_OCTAVE = 4


@dataclass(frozen=True)
class DayGroups:
    """Lanes that may depart on a day (arrival within the horizon); those landing on the same
    (node, day) form a group, with its node (`head`) and day (`arrival`). Groups are in order
    of decreasing size and the lanes *rank by rank* (`rank_major`): first every group's first
    lane (by transit days, then lane), then the second lane of each group that has one, and so
    on — so that `paths.group_min` takes each rank's minimum over slices, not gathers."""

    lanes: IntArray
    head: IntArray
    arrival: IntArray
    rank_sizes: tuple[int, ...]  # groups with more than k lanes, per rank k (0 = every group)
    rank_start: IntArray  # where rank k's lanes start in `lanes`


@dataclass(frozen=True)
class Arrays:
    T: int
    node_ids: tuple[str, ...]
    lane_ids: tuple[str, ...]
    u: IntArray
    v: IntArray
    tau: IntArray
    cost: FloatArray
    available: BoolArray  # (E, T) a departure on the lane that day is allowed
    cap_t: FloatArray  # (E, T) tonnes, 0 where not available
    cap_o: FloatArray  # (E, T) outsize items
    cap_h: FloatArray  # (V, T) tonnes handled (inf = unlimited, 0 = closed)
    groups: tuple[DayGroups, ...]
    # lines
    line_ids: tuple[str, ...]
    origin: IntArray
    dest: IntArray
    qty: IntArray
    mass: FloatArray
    outsize: BoolArray
    release: IntArray
    needed: IntArray
    priority: FloatArray
    b: FloatArray  # outsize items per tonne as priced (rounded down), 0 for other lines

    @property
    def V(self) -> int:
        return len(self.node_ids)

    @property
    def E(self) -> int:
        return len(self.lane_ids)

    def arrival_index(self) -> IntArray:
        """(E, T) arrival day of a departure, clipped into the horizon (use with `available`)."""
        out: IntArray = np.minimum(np.arange(self.T)[None, :] + self.tau[:, None], self.T - 1)
        return out


def priced_outsize_factor(mass: FloatArray, outsize: BoolArray) -> FloatArray:
    k = np.floor(np.log2(1.0 / mass) * OUTSIZE_GRID_PER_OCTAVE)
    b = np.exp2(k / OUTSIZE_GRID_PER_OCTAVE)
    b = np.minimum(b, 1.0 / mass)  # guard against rounding up in floating point
    out: FloatArray = np.where(outsize, b, 0.0)
    return out


def build_arrays(network: Network, lines: Sequence[Line], horizon: int) -> Arrays:
    T = int(horizon)
    if T < 1:
        raise ValueError("the horizon must be at least one day")
    node_ids = tuple(n.id for n in network.nodes)
    lane_ids = tuple(e.id for e in network.lanes)
    node_at = {n: i for i, n in enumerate(node_ids)}
    lane_at = {e: i for i, e in enumerate(lane_ids)}
    E, V = len(lane_ids), len(node_ids)
    u = np.array([node_at[e.origin] for e in network.lanes], dtype=np.int64)
    v = np.array([node_at[e.destination] for e in network.lanes], dtype=np.int64)
    tau = np.array([e.transit_days for e in network.lanes], dtype=np.int64)
    cost = np.array([e.cost_per_t for e in network.lanes], dtype=np.float64)
    cap_lane = np.array([e.capacity_t_per_day for e in network.lanes], dtype=np.float64)
    cap_out = np.array([e.outsize_per_day for e in network.lanes], dtype=np.float64)
    handling = np.array([n.handling_t_per_day for n in network.nodes], dtype=np.float64)

    node_open = np.ones((V, T), dtype=bool)
    lane_open = np.ones((E, T), dtype=bool)
    for c in network.closures:
        a, z = max(c.first_day, 0), min(c.last_day, T - 1)
        if a > z:
            continue
        if c.target in node_at:
            node_open[node_at[c.target], a : z + 1] = False
        else:
            lane_open[lane_at[c.target], a : z + 1] = False
    days = np.arange(T)
    arrival = days[None, :] + tau[:, None]
    within = arrival < T
    arrival_c = np.minimum(arrival, T - 1)
    available = (
        lane_open
        & within
        & node_open[u]
        & node_open[v[:, None], arrival_c]
        & (cap_lane[:, None] > 0)
    )
    cap_t = np.where(available, cap_lane[:, None], 0.0)
    cap_o = np.where(available, cap_out[:, None], 0.0)
    cap_h = np.where(node_open, handling[:, None], 0.0)

    order = np.lexsort((tau, v)) if E else np.zeros(0, dtype=np.int64)
    groups = []
    for t in range(T):
        sel = order[available[order, t]]
        if sel.size:
            key = v[sel] * (T + 1) + tau[sel]
            starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        else:
            starts = np.zeros(0, dtype=np.int64)
        counts = np.diff(np.r_[starts, sel.size]).astype(np.int64)
        by_size, positions, sizes = rank_major(starts.astype(np.int64), counts)
        firsts = sel[starts]
        groups.append(
            DayGroups(
                lanes=sel[positions].astype(np.int64),
                head=v[firsts][by_size],
                arrival=(t + tau[firsts])[by_size],
                rank_sizes=sizes,
                rank_start=np.cumsum((0, *sizes[:-1])).astype(np.int64),
            )
        )

    for line in lines:
        if line.origin not in node_at or line.destination not in node_at:
            raise ValueError(f"line {line.id}: unknown origin or destination node")
    mass = np.array([ln.unit_mass_t for ln in lines], dtype=np.float64)
    outsize = np.array([ln.outsize for ln in lines], dtype=bool)
    return Arrays(
        T=T,
        node_ids=node_ids,
        lane_ids=lane_ids,
        u=u,
        v=v,
        tau=tau,
        cost=cost,
        available=available,
        cap_t=cap_t,
        cap_o=cap_o,
        cap_h=cap_h,
        groups=tuple(groups),
        line_ids=tuple(ln.id for ln in lines),
        origin=np.array([node_at[ln.origin] for ln in lines], dtype=np.int64),
        dest=np.array([node_at[ln.destination] for ln in lines], dtype=np.int64),
        qty=np.array([ln.quantity for ln in lines], dtype=np.int64),
        mass=mass,
        outsize=outsize,
        release=np.array([ln.release_day for ln in lines], dtype=np.int64),
        needed=np.array([ln.needed_by_day for ln in lines], dtype=np.int64),
        priority=np.array([ln.priority for ln in lines], dtype=np.float64),
        b=priced_outsize_factor(mass, outsize) if mass.size else mass,
    )


def rank_major(starts: IntArray, counts: IntArray) -> tuple[IntArray, IntArray, tuple[int, ...]]:
    """For groups of lanes at `starts` with `counts` lanes each (lanes sorted by group): the
    groups in order of decreasing size (stable), and the positions of their lanes rank by
    rank — every group's first lane, then the second lane of each group that has one, … —
    with the number of groups in each rank (a prefix of the groups so ordered)."""
    order = np.argsort(-counts, kind="stable")
    sizes = tuple(int((counts > k).sum()) for k in range(int(counts.max()) if counts.size else 0))
    positions = np.concatenate(
        [starts[order[:n]] + k for k, n in enumerate(sizes)] or [np.zeros(0, dtype=np.int64)]
    )
    return order, positions, sizes


def unrouted_days(a: Arrays, penalty_days: int) -> IntArray:
    """Days late counted for a unit that is not delivered within the horizon."""
    late: IntArray = np.maximum(0, a.T - 1 + penalty_days - a.needed)
    return late


def unrouted_penalty(a: Arrays, lateness_eur: float, penalty_days: int) -> FloatArray:
    """Per line, what one unit left unrouted costs: its lateness price per day times
    `unrouted_days`."""
    out: FloatArray = lateness_eur * a.priority * unrouted_days(a, penalty_days)
    return out


def lateness_table(a: Arrays, lines: IntArray) -> IntArray:
    """(len(lines), T) days late of an arrival on each day."""
    table: IntArray = np.maximum(0, np.arange(a.T)[None, :] - a.needed[lines][:, None])
    return table
