"""Seeded logistics instances for the benchmark and the slow tests.

A layered network, west to east: depots (donor countries) → western hubs → border crossings →
eastern hubs → delivery points, with rail and road between layers, a few slow cheap sea lanes
from depots to western hubs, and a few fast dear air lanes from depots to eastern hubs.
Capacities are set from the demand so that the crossings, the lanes into them and the hubs'
handling really bind: the total crossing capacity is about `tightness` times the mean daily
tonnage released, and releases come in weekly waves, so each wave queues at the border.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from coalition.planning.logistics import Lane, Line, Mode, Network, Node, NodeKind


@dataclass(frozen=True)
class Size:
    name: str
    nodes: int
    days: int
    lines: int
    release_waves: int
    seed: int = 11
    tightness: float = 1.25


SIZES = {
    "S": Size("S", 30, 40, 400, 3),
    "M": Size("M", 100, 90, 5000, 6),
    "L": Size("L", 200, 180, 20000, 10),
}

OUTSIZE_MASSES = (8.0, 15.0, 25.0, 40.0)


def generate(size: Size) -> tuple[Network, list[Line]]:
    rng = np.random.default_rng(size.seed)
    n = size.nodes
    n_dep = max(2, round(0.08 * n))
    n_west = max(2, round(0.12 * n))
    n_border = max(2, round(0.10 * n))
    n_east = max(2, round(0.18 * n))
    n_del = n - n_dep - n_west - n_border - n_east
    dep = [f"DEP{i:03d}" for i in range(n_dep)]
    west = [f"HW{i:03d}" for i in range(n_west)]
    border = [f"BX{i:03d}" for i in range(n_border)]
    east = [f"HE{i:03d}" for i in range(n_east)]
    deliv = [f"DL{i:03d}" for i in range(n_del)]

    # Lines first: capacities follow their tonnage.
    origins = rng.integers(0, n_dep, size.lines)
    dests = rng.integers(0, n_del, size.lines)
    outsize = rng.random(size.lines) < 0.08
    mass = np.where(
        outsize,
        rng.choice(OUTSIZE_MASSES, size.lines),
        np.round(rng.lognormal(-0.7, 0.9, size.lines), 3).clip(0.02, 6.0),
    )
    qty = np.where(outsize, rng.integers(1, 5, size.lines), rng.integers(1, 30, size.lines))
    wave = 7
    release = rng.integers(0, size.release_waves, size.lines) * wave
    slack = rng.integers(0, 15, size.lines)
    needed = release + 9 + slack  # the fastest surface route takes about 7-9 days
    priority = rng.choice((1.0, 2.0, 5.0, 10.0), size.lines, p=(0.4, 0.3, 0.2, 0.1))
    tonnes = float(np.sum(qty * mass))
    released_days = size.release_waves * wave
    per_day = tonnes / released_days

    nodes = (
        [Node(x, NodeKind.DEPOT) for x in dep]
        + [Node(x, NodeKind.HUB, float(round(2.2 * per_day / n_west))) for x in west]
        + [Node(x, NodeKind.BORDER, float(round(2.4 * per_day / n_border))) for x in border]
        + [Node(x, NodeKind.HUB, float(round(2.6 * per_day / n_east))) for x in east]
        + [Node(x, NodeKind.DELIVERY, float(round(3.0 * per_day / n_del + 5))) for x in deliv]
    )
    lanes: list[Lane] = []

    def add(a: str, b: str, mode: Mode, days: int, cap: float, out: int, cost: float) -> None:
        lanes.append(
            Lane(f"{a}-{b}-{mode.value}", a, b, mode, days, float(round(cap, 1)), out, cost)
        )

    cross = size.tightness * per_day / n_border  # tonnes per day over each crossing
    for i, d in enumerate(dep):
        hubs = {i % n_west, (i + 1) % n_west, int(rng.integers(0, n_west))}
        for h in sorted(hubs):
            add(d, west[h], Mode.RAIL, int(rng.integers(2, 4)), 1.2 * per_day / n_dep, 12, 40.0)
            add(d, west[h], Mode.ROAD, int(rng.integers(2, 4)), 0.5 * per_day / n_dep, 4, 90.0)
        if i % 3 == 0:
            add(d, west[i % n_west], Mode.SEA, int(rng.integers(8, 12)), per_day / n_dep, 20, 15.0)
        if i % 2 == 0:
            add(d, east[int(rng.integers(0, n_east))], Mode.AIR, 1, 0.02 * per_day, 1, 2500.0)
    for i, h in enumerate(west):
        for b in sorted({i % n_border, (i * 3 + 1) % n_border}):
            add(h, border[b], Mode.RAIL, int(rng.integers(1, 3)), 0.6 * cross, 6, 30.0)
            add(h, border[b], Mode.ROAD, int(rng.integers(1, 3)), 0.5 * cross, 3, 60.0)
    for i, b in enumerate(border):
        for e in sorted({i % n_east, (i * 2 + 1) % n_east, (i + 5) % n_east}):
            add(b, east[e], Mode.RAIL, int(rng.integers(1, 3)), 0.45 * cross, 4, 30.0)
            add(b, east[e], Mode.ROAD, 1, 0.35 * cross, 2, 70.0)
    for i, e in enumerate(east):
        add(e, east[(i + 1) % n_east], Mode.ROAD, 1, 0.3 * per_day / n_east, 2, 50.0)
    for j, x in enumerate(deliv):
        for e in sorted({j % n_east, (j * 7 + 3) % n_east}):
            add(east[e], x, Mode.ROAD, int(rng.integers(1, 3)), 2.5 * per_day / n_del + 5, 4, 45.0)
    lines = [
        Line(
            id=f"LN{k:06d}",
            origin=dep[int(origins[k])],
            destination=deliv[int(dests[k])],
            quantity=int(qty[k]),
            unit_mass_t=float(mass[k]),
            outsize=bool(outsize[k]),
            release_day=int(release[k]),
            needed_by_day=int(needed[k]),
            priority=float(priority[k]),
        )
        for k in range(size.lines)
    ]
    return Network(tuple(nodes), tuple(lanes)), lines
