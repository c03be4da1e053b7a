"""Small networks and an independent reference model for the logistics planner's tests.

`reference_optimum` is the exact problem written the plain way: one integer variable per
(line, lane, departure day) in units, per (line, node, day) of waiting, per (line, arrival
day) of delivery, and per line of unrouted units, solved by scipy's MILP (HiGHS). It is built
with Python loops over the records, shares no code with the planner, and is for tiny cases only.
The rest are small networks shared by several tests, and `greedy_routing`, a starting plan from
the planner itself for the tests of what improves one.
"""

from __future__ import annotations

import math
import random
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from coalition.planning.logistics import Lane, Line, Mode, Network, Node, NodeKind, Parameters
from coalition.planning.logistics.lagrange import Multipliers
from coalition.planning.logistics.network import Arrays
from coalition.planning.logistics.primal import Residual, Routing, route


def node(i: str, kind: NodeKind = NodeKind.HUB, handling: float = math.inf) -> Node:
    return Node(i, kind, handling)


def lane(
    a: str,
    b: str,
    days: int = 1,
    cap: float = 100.0,
    cost: float = 1.0,
    outsize: int = 10,
    mode: Mode = Mode.ROAD,
) -> Lane:
    return Lane(f"{a}{b}{mode.value[0]}{days}", a, b, mode, days, cap, outsize, cost)


def line(
    i: str,
    origin: str,
    dest: str,
    qty: int,
    mass: float = 1.0,
    *,
    release: int = 0,
    needed: int = 5,
    priority: float = 1.0,
    outsize: bool = False,
) -> Line:
    return Line(i, origin, dest, qty, mass, outsize, release, needed, priority)


def reference_optimum(network: Network, lines: list[Line], p: Parameters) -> float:
    """The integer optimum of lateness_eur · weighted lateness + cost (MILP, tiny cases)."""
    T = p.horizon_days
    idx: dict[tuple[object, ...], int] = {}
    cost: list[float] = []

    def var(key: tuple[object, ...], c: float) -> int:
        idx[key] = len(cost)
        cost.append(c)
        return idx[key]

    closed: dict[str, set[int]] = {}
    for c in network.closures:
        closed.setdefault(c.target, set()).update(range(c.first_day, c.last_day + 1))
    lanes_ok = []
    for e in network.lanes:
        for t in range(T):
            if t + e.transit_days >= T or e.capacity_t_per_day <= 0:
                continue
            if t in closed.get(e.id, ()) or t in closed.get(e.origin, ()):
                continue
            if t + e.transit_days in closed.get(e.destination, ()):
                continue
            lanes_ok.append((e, t))
    rows: list[tuple[dict[int, float], float, float]] = []
    for k, ln in enumerate(lines):
        for e, t in lanes_ok:
            if ln.outsize and e.outsize_per_day <= 0:
                continue
            var(("x", k, e.id, t), ln.unit_mass_t * e.cost_per_t)
        for n in network.nodes:
            for t in range(T - 1):
                var(("w", k, n.id, t), 0.0)
        for t in range(T):
            var(("d", k, t), p.lateness_eur * ln.priority * max(0, t - ln.needed_by_day))
        late = max(0, T - 1 + p.penalty_days() - ln.needed_by_day)
        var(("u", k), p.lateness_eur * ln.priority * late)
        # conservation at every (node, day): in − out = −supply (+ delivered at destination)
        for n in network.nodes:
            for t in range(T):
                row: dict[int, float] = {}
                for e, d in lanes_ok:
                    key_out = ("x", k, e.id, d)
                    if key_out not in idx:
                        continue
                    if e.origin == n.id and d == t:
                        row[idx[key_out]] = row.get(idx[key_out], 0.0) - 1.0
                    if e.destination == n.id and d + e.transit_days == t:
                        row[idx[key_out]] = row.get(idx[key_out], 0.0) + 1.0
                if t > 0:
                    row[idx[("w", k, n.id, t - 1)]] = 1.0
                if t < T - 1:
                    row[idx[("w", k, n.id, t)]] = -1.0
                if n.id == ln.destination:
                    row[idx[("d", k, t)]] = -1.0
                supply = ln.quantity if (n.id == ln.origin and t == ln.release_day) else 0
                if n.id == ln.origin and t == ln.release_day:
                    row[idx[("u", k)]] = -1.0
                rows.append((row, -supply, -supply))
        # goods may not exist at the origin before release: waiting there before it is empty
        # (no supply earlier, so conservation already forces it); delivery only by lane or
        # at the origin itself.
    for e, t in lanes_ok:
        tonnes: dict[int, float] = {}
        items: dict[int, float] = {}
        for k, ln in enumerate(lines):
            key = ("x", k, e.id, t)
            if key in idx:
                tonnes[idx[key]] = ln.unit_mass_t
                if ln.outsize:
                    items[idx[key]] = 1.0
        rows.append((tonnes, -np.inf, e.capacity_t_per_day))
        if items:
            rows.append((items, -np.inf, float(e.outsize_per_day)))
    for n in network.nodes:
        if math.isinf(n.handling_t_per_day):
            continue
        for t in range(T):
            row = {}
            for k, ln in enumerate(lines):
                for e, d in lanes_ok:
                    key = ("x", k, e.id, d)
                    if key not in idx:
                        continue
                    unload = e.destination == n.id and d + e.transit_days == t
                    load = e.origin == n.id and d == t and e.origin == ln.origin
                    coef = ln.unit_mass_t * (int(unload) + int(load))
                    if coef:
                        row[idx[key]] = row.get(idx[key], 0.0) + coef
            if row:
                rows.append((row, -np.inf, n.handling_t_per_day))
    r_i, c_i, v_i, lo, hi = [], [], [], [], []
    for r, (row, low, high) in enumerate(rows):
        for c, v in row.items():
            r_i.append(r)
            c_i.append(c)
            v_i.append(v)
        lo.append(low)
        hi.append(high)
    A = coo_matrix((v_i, (r_i, c_i)), shape=(len(rows), len(cost))).tocsr()
    res = milp(
        np.array(cost),
        constraints=LinearConstraint(A, np.array(lo), np.array(hi)),
        integrality=np.ones(len(cost)),
        bounds=Bounds(0, np.inf),
    )
    assert res.status == 0, res.message
    return float(res.fun)


def random_case(r: random.Random) -> tuple[Network, list[Line]]:
    """A tiny random network (two depots, a hub, two delivery points) and 2–6 lines."""
    names = ["D", "E", "H", "X", "Y"]
    kinds = [NodeKind.DEPOT, NodeKind.DEPOT, NodeKind.HUB, NodeKind.DELIVERY, NodeKind.DELIVERY]
    nodes = tuple(node(n, k, r.choice([2.0, 4.0, 1e9])) for n, k in zip(names, kinds, strict=True))
    pairs = [("D", "H"), ("E", "H"), ("H", "X"), ("H", "Y"), ("D", "X"), ("E", "Y")]
    lanes = tuple(
        lane(
            a,
            b,
            days=r.randint(1, 3),
            cap=r.choice([1.0, 2.0, 3.0, 5.0]),
            cost=float(r.randint(1, 9)),
            outsize=r.randint(0, 2),
        )
        for a, b in pairs
    )
    lines = [
        line(
            f"L{i}",
            r.choice(["D", "E"]),
            r.choice(["X", "Y"]),
            r.randint(1, 4),
            mass=r.choice([0.5, 1.0, 2.0]),
            release=r.randint(0, 2),
            needed=r.randint(2, 6),
            priority=r.choice([1.0, 3.0]),
            outsize=r.random() < 0.5,
        )
        for i in range(r.randint(2, 6))
    ]
    return Network(nodes, lanes), lines


def one_lane(cap: float = 10.0) -> Network:
    """D -> X, one day, `cap` tonnes a day, 1 EUR per tonne."""
    return Network(
        (node("D", NodeKind.DEPOT), node("X", NodeKind.DELIVERY)),
        (lane("D", "X", days=1, cap=cap, cost=1.0),),
    )


def heavy_and_small() -> tuple[Network, list[Line]]:
    """One 10 t lane. H: one 10 t unit needed on day 1; S: ten 1 t units needed on day 2. The
    greedy order (lateness price per tonne) routes S first, on day 0, so H arrives a day late;
    H first is on time for both (cost 20 EUR)."""
    return one_lane(), [
        line("H", "D", "X", 1, 10.0, release=0, needed=1),
        line("S", "D", "X", 10, 1.0, release=0, needed=2),
    ]


def greedy_routing(a: Arrays, lateness_eur: float) -> tuple[Routing, np.ndarray]:
    """The planner's own priority routing at zero prices on the full capacities (not part
    of the independent model: a starting plan for tests of what improves one)."""
    has_path = np.ones(a.origin.size, dtype=bool)
    routing = route(
        a,
        a.qty.copy(),
        Residual.full(a),
        Multipliers.zeros(a),
        has_path,
        lateness_eur=lateness_eur,
        chunk=64,
        deadline=time.monotonic() + 10,
    )
    return routing, has_path
