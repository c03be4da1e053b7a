"""Rip-up and re-route: a large-neighbourhood search on a routing, after the passes.

Each step takes every shipment of a few lines out of the best plan so far, gives their
capacity back to the plan's residual and places those lines again, in one of two ways drawn
at random (`EXACT_SHARE`): routed in priority order with `primal.route`, or re-packed together
by an integer programme over candidate paths (`repack.repack`, which can give a heavy unit
the room that the greedy order hands to small lines first). The step is kept only if the
objective, recomputed from those lines' new shipments (`line_costs`) against their old
values, is no higher. Which lines go out (the neighbourhood), drawn with a seeded generator so
that a run is repeatable up to the time limit:

* *late lines*: k of the lines with lateness cost (k from `SEED_SIZES`), drawn with
  probability proportional to that cost — re-routed alone, a late line often finds room its
  first route, taken on trees computed before other lines filled them, missed;
* *the lines in a late line's way*: for the first of them, a few of the node-days whose
  handling, or lane-days whose room, is too small for one of its units between its release and
  its needed-by day (the resources that made it late), on the lanes and hubs of its own
  cheapest routes through the empty network (`_Ideal`), and up to n of the lines whose
  shipments use them (n from `CROWD_SIZES`). Placed again together, the late line takes its
  place and those with days to spare move to later days or other lanes.
* *a queue* (`QUEUE_SHARE` of the exact steps): a late line and every line departing on the
  lane it waits longest for, within a window of days up to a few days after its departure
  (`_queue`), re-packed with each one's path shifted by a day or two as candidates: the
  queue moves along so that a heavy unit stuck behind it goes earlier. On bench M, twelve
  seeds paired, without and with: 1.85/2.00, 2.16/2.15, 2.07/1.87, 2.05/1.90, 2.19/2.18,
  1.70/1.64, 1.84/1.89, 2.15/1.79, 2.00/1.82, 1.80/2.03, 2.22/1.83, 2.09/1.88 % (mean 2.01 →
  1.92 %, within 2 % in 4 and 8 of the 12); with the default seeds, six runs 1.66–2.03 % (mean
  1.89 %) against twelve of 1.94–2.16 % (mean 2.03 %); shares of 0.025, 0.1 and 0.15:
  2.27–2.29, 1.92–1.99 and 2.01–2.03 % (three runs each: the runs of one setting follow
  nearly the same path, so the spread between seeds is the better measure).

Measured on bench M from the same first pass (24.70 M), 22 s of steps: greedy re-routes only,
over seeds 1–4, 21.76 M on average; half the steps re-packed exactly, 21.52 M (21.49–21.55 M);
all of them, 22.9 M (each exact step changes little: the greedy's larger moves are needed too).
Once the re-pack priced its candidates by its relaxation's duals (`repack.PRICING_ROUNDS`),
each whole `plan_routes` run on bench M, by share of exact steps: 0.5 → 21.33 M (three runs),
0.7 → 21.33 M, 0.8 → 21.30 M, 0.9 → 21.29–21.35 M (five runs, mean 21.31 M), 1.0 → 21.45 M.
Earlier, with greedy steps: the ten latest lines taken out in turn stopped at 22.16 M; late
lines drawn at random stalled near 21.8 M; the lines in their way helped (21.63 M in 15 s).
Taking out the lines that share a late line's origin or destination, or ordering the re-route
by slack ("apparent tardiness cost"), made every run worse (docs/logistics.md).

A step whose plan is as good is taken as well (a move along the plateau): with greedy steps,
17 s reached 21.60 M that way against 21.75 M keeping strict improvements only; accepting
plans up to 0.2–1 % worse (record-to-record travel) gave 21.8–22.0 M.

The incumbent (`_Incumbent`) keeps per line its objective, and the plan's residual capacity
and flattened legs, updated from each kept step's lines alone rather than recomputed from
every shipment: 1.4 times the steps in the same time on bench M.

The search stops at the deadline, when no line is late, or after `patience` steps in a row
that did not improve.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .lagrange import Multipliers
from .model import FloatArray, IntArray, UnroutedReason
from .network import Arrays
from .primal import LegTable, Residual, Routing, leg_table, line_costs, route
from .repack import cheapest_paths, repack

SEED_SIZES: tuple[int, ...] = (3, 5, 10, 20)
RESOURCE_COUNTS: tuple[int, ...] = (1, 2, 4)
CROWD_SIZES: tuple[int, ...] = (10, 20, 40)
PATIENCE = 60
# the share of steps that re-pack their lines exactly (`repack`) instead of re-routing them
EXACT_SHARE = 0.9
EXACT_SECONDS = 1.0  # the integer programme's time limit per step
# queue steps (`_queue`): their share of the exact steps, the window's length in days, how
# many days after the late line's departure it ends, and at most how many lines it takes
QUEUE_SHARE = 0.05
QUEUE_DAYS: tuple[int, ...] = (15, 25, 35)
QUEUE_AFTER = 5
QUEUE_LINES = 120


def rip_up(
    a: Arrays,
    routing: Routing,
    lam: Multipliers,
    has_path: np.ndarray,
    *,
    lateness_eur: float,
    penalty_days: int,
    chunk: int,
    deadline: float,
    seed: int = 0,
    patience: int = PATIENCE,
    each_step: Callable[[Routing], None] | None = None,
) -> tuple[Routing, int]:
    """The best routing found and the number of steps kept (see the module docstring).
    `each_step`, if given, is shown the incumbent before every step."""
    rng = np.random.default_rng(seed)
    # lines whose units no path can carry pay their penalty whatever the plan does
    movable = has_path & (a.release < a.T)
    best = _Incumbent.of(a, routing, lateness_eur, penalty_days)
    ideal = _Ideal(a, lateness_eur)
    kept = stalled = 0
    while stalled < patience and time.monotonic() < deadline:
        if each_step is not None:
            each_step(best.routing)
        late = np.where(movable, best.late, 0.0)
        cand = np.flatnonzero(late > 0)
        if cand.size == 0:
            break
        exact = rng.random() < EXACT_SHARE
        queue = (
            _queue(a, best, late, cand, movable, rng)
            if exact and (rng.random() < QUEUE_SHARE)
            else None
        )
        out, fresh = queue or (_neighbourhood(a, best, late, cand, movable, rng, ideal), None)
        step = _reroute(
            a, best, out, lam, has_path, lateness_eur, penalty_days, chunk, deadline, exact, fresh
        )
        if step is None:
            break  # out of time: the step is incomplete
        step_late, step_cost = line_costs(a, step.again, penalty_days)
        change = float(
            (lateness_eur * step_late[out] + step_cost[out]).sum() - best.value[out].sum()
        )
        tol = 1e-9 * max(1.0, abs(best.upper))
        if change <= tol:
            # a plan as good is taken too (a move along the plateau: other lines are late
            # then, and the next steps draw from them)
            best = best.moved(out, step, step_late, step_cost, lateness_eur)
        better = change < -tol
        kept += better
        stalled = 0 if better else stalled + 1
    return best.routing, kept


@dataclass
class _Step:
    """A re-route of the lines taken out: their new shipments and unrouted units, the residual
    capacity of the whole plan after it, and the plan merged."""

    again: Routing
    residual: Residual
    merged: Routing


@dataclass
class _Incumbent:
    """The best plan so far with what the steps need of it, kept up to date line by line
    rather than recomputed from every shipment at each step: per line its weighted lateness
    and its objective (EUR), the residual capacity and the flattened legs."""

    routing: Routing
    late: FloatArray
    value: FloatArray
    residual: Residual
    legs: LegTable

    @property
    def upper(self) -> float:
        return float(self.value.sum())

    @classmethod
    def of(cls, a: Arrays, routing: Routing, lateness_eur: float, penalty_days: int) -> _Incumbent:
        late, cost = line_costs(a, routing, penalty_days)
        return cls(
            routing,
            late,
            lateness_eur * late + cost,
            Residual.after(a, routing.shipments),
            leg_table(routing.shipments),
        )

    def moved(
        self,
        out: np.ndarray,
        step: _Step,
        late: FloatArray,
        cost: FloatArray,
        lateness_eur: float,
    ) -> _Incumbent:
        return _Incumbent(
            step.merged,
            np.where(out, late, self.late),
            np.where(out, lateness_eur * late + cost, self.value),
            step.residual,
            self.legs.without(out).plus(leg_table(step.again.shipments)),
        )


def _neighbourhood(
    a: Arrays,
    best: _Incumbent,
    late: FloatArray,
    cand: IntArray,
    movable: np.ndarray,
    rng: np.random.Generator,
    ideal: _Ideal,
) -> np.ndarray:
    """Lines to take out: late lines drawn by lateness cost, and the lines in the way of the
    first of them."""
    k = min(int(rng.choice(SEED_SIZES)), cand.size)
    seeds = rng.choice(cand, size=k, replace=False, p=_by_lateness(late, cand))
    out = np.zeros(a.origin.size, dtype=bool)
    out[seeds] = True
    crowd = _in_the_way(a, best, int(seeds[0]), rng, ideal.of(int(seeds[0])))
    crowd = crowd[movable[crowd] & ~out[crowd]]
    if crowd.size:
        n = min(int(rng.choice(CROWD_SIZES)), crowd.size)
        out[rng.choice(crowd, size=n, replace=False)] = True
    return out


def _by_lateness(late: FloatArray, cand: IntArray) -> FloatArray:
    """The chance of drawing each of the late lines `cand`: proportional to its lateness."""
    p: FloatArray = late[cand] / late[cand].sum()
    return p


class _Ideal:
    """Per line (computed when first asked, then kept), the lanes and the nodes it loads or
    unloads at on its cheapest paths through the empty network (`repack.cheapest_paths`):
    where it would go if nothing else were routed."""

    def __init__(self, a: Arrays, lateness_eur: float) -> None:
        self.a = a
        self.lateness_eur = lateness_eur
        self.empty = Residual.full(a)
        self.known: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def of(self, line: int) -> tuple[np.ndarray, np.ndarray]:
        """(E,) lanes and (V,) nodes on the line's ideal paths, as masks."""
        if line not in self.known:
            a = self.a
            lanes = np.zeros(a.E, dtype=bool)
            nodes = np.zeros(a.V, dtype=bool)
            found = cheapest_paths(
                a, np.array([line]), self.empty, self.lateness_eur, Multipliers.zeros(a)
            )
            for _, legs in found:
                for i, (e, _, _) in enumerate(legs):
                    lanes[e] = True
                    nodes[a.v[e]] = True
                    nodes[a.u[e]] |= i == 0
            self.known[line] = (lanes, nodes)
        return self.known[line]


def _in_the_way(
    a: Arrays,
    best: _Incumbent,
    line: int,
    rng: np.random.Generator,
    ideal: tuple[np.ndarray, np.ndarray],
) -> IntArray:
    """Lines whose shipments use a few of the node-days or lane-days too full for one unit of
    `line` between its release and its needed-by day, on the lanes and nodes of its ideal
    paths (`_Ideal`; anywhere if none of those is too full)."""
    first, last = int(a.release[line]), min(a.T - 1, int(a.needed[line]))
    if last < first:
        return np.zeros(0, dtype=np.int64)
    m = float(a.mass[line])
    res = best.residual
    nodes = np.isfinite(a.cap_h[:, first : last + 1]) & (res.handled[:, first : last + 1] < m)
    lanes = a.available[:, first : last + 1] & (res.tonnes[:, first : last + 1] < m)
    if a.outsize[line]:
        lanes |= a.available[:, first : last + 1] & (res.outsize[:, first : last + 1] < 1.0)
    on_lanes, on_nodes = ideal
    if (lanes & on_lanes[:, None]).any() or (nodes & on_nodes[:, None]).any():
        lanes &= on_lanes[:, None]
        nodes &= on_nodes[:, None]
    node_days = np.argwhere(nodes)
    lane_days = np.argwhere(lanes)
    use_nodes = node_days.shape[0] > 0 and (lane_days.shape[0] == 0 or rng.random() < 0.5)
    full = node_days if use_nodes else lane_days
    if full.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    pick = full[
        rng.choice(
            full.shape[0], size=min(int(rng.choice(RESOURCE_COUNTS)), full.shape[0]), replace=False
        )
    ]
    keys = pick[:, 0] * a.T + pick[:, 1] + first
    legs = best.legs
    if use_nodes:
        # a node-day is used by the legs that unload there and the first legs that load there
        hit = np.isin(a.v[legs.lane] * a.T + legs.arrival, keys)
        hit |= legs.first & np.isin(a.u[legs.lane] * a.T + legs.departure, keys)
    else:
        hit = np.isin(legs.lane * a.T + legs.departure, keys)
    users: IntArray = np.unique(legs.line[hit])
    return users


def _queue(
    a: Arrays,
    best: _Incumbent,
    late: FloatArray,
    cand: IntArray,
    movable: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, IntArray] | None:
    """A late line drawn by lateness cost and the lane it waits longest for (the leg of its
    shipments with the most days between arriving at the lane's start and departing on it),
    with the other lines departing on that lane within a window of `QUEUE_DAYS` days that
    ends `QUEUE_AFTER` days after it (at most `QUEUE_LINES`): the lines taken out, and the
    late line. Re-packed with each user's own path shifted by a day or two as candidates
    (`repack.SHIFTS`), the queue can move along the window to make room for a heavy unit,
    which re-packing the users of a few lane-days does not find (bench M: heavy outsize
    units waiting weeks at one ring link, docs/logistics.md, seventh round). None if the
    line waits nowhere."""
    line = int(rng.choice(cand, p=_by_lateness(late, cand)))
    legs = best.legs
    mine = np.flatnonzero(legs.line == line)
    if mine.size == 0:
        return None
    ready = np.where(legs.first[mine], a.release[line], np.roll(legs.arrival[mine], 1))
    wait = legs.departure[mine] - ready
    if wait.max() < 2:
        return None
    longest = int(np.argmax(wait))
    k = mine[longest]
    lane, hi = int(legs.lane[k]), int(legs.departure[k]) + QUEUE_AFTER
    lo = max(int(ready[longest]), hi - int(rng.choice(QUEUE_DAYS)))
    on = (legs.lane == lane) & (legs.departure >= lo) & (legs.departure <= hi)
    users = np.unique(legs.line[on])
    users = users[movable[users]]
    if users.size > QUEUE_LINES:
        users = rng.choice(users, size=QUEUE_LINES, replace=False)
    out = np.zeros(a.origin.size, dtype=bool)
    out[users] = True
    out[line] = True
    return out, np.array([line])


def _reroute(
    a: Arrays,
    best: _Incumbent,
    out: np.ndarray,
    lam: Multipliers,
    has_path: np.ndarray,
    lateness_eur: float,
    penalty_days: int,
    chunk: int,
    deadline: float,
    exact: bool = False,
    fresh: IntArray | None = None,
) -> _Step | None:
    """The lines in `out` routed again on what the others leave (the incumbent's residual
    with their shipments given back); None if the re-route ran out of time. With `fresh`
    (a queue step, `_queue`), the re-pack's candidates are the lines' paths shifted by a
    few days and the cheapest paths of the `fresh` lines alone."""
    plan = best.routing
    taken = {key: u for key, u in plan.shipments.items() if out[key[0]]}
    res = best.residual.shifted(a, taken, +1.0)
    again = None
    if exact:
        again = repack(
            a,
            np.flatnonzero(out),
            taken,
            res,
            has_path,
            lateness_eur=lateness_eur,
            penalty_days=penalty_days,
            time_limit=min(EXACT_SECONDS, deadline - time.monotonic()),
            fresh=fresh,
        )
        if again is not None:
            res = res.shifted(a, again.shipments, -1.0)
    if again is None:
        again = route(
            a,
            np.where(out, a.qty, 0),
            res,
            lam,
            has_path,
            lateness_eur=lateness_eur,
            chunk=chunk,
            deadline=deadline,
        )
    if any(r is UnroutedReason.TIME_LIMIT for _, r in again.unrouted.values()):
        return None
    merged = Routing(
        shipments={key: u for key, u in plan.shipments.items() if not out[key[0]]},
        unrouted={ln: v for ln, v in plan.unrouted.items() if not out[ln]},
        rounds=plan.rounds + again.rounds,
    )
    merged.shipments.update(again.shipments)  # the keys are the taken lines': no overlap
    merged.unrouted.update(again.unrouted)
    return _Step(again, res, merged)
