"""Logistics use cases: route the allocation in force through the network, store the plan,
re-plan around closures, accept, and feed the accepted plan's ETAs back to the allocation.

The planner (`planning/logistics`) is pure; this module copies the ledger into its inputs
(`prepare`), solves outside any transaction (`run`), and stores what it returned, checked
(the planner's own verifier has run; a plan whose check failed is stored as `error` and can
never be accepted). Lines are the assignments of the accepted allocation plan: one line per
(offer, requirement), from the offer's origin node to the requirement's delivery point.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Engine

from coalition.domain.access import Principal
from coalition.domain.network import delivery_node, origin_node, planned_transit_days
from coalition.domain.plans import plan_state
from coalition.planning import logistics as lx
from coalition.planning.allocation import Parameters as AllocationParameters
from coalition.planning.logistics.model import DEFAULT_HORIZON_DAYS as DEFAULT_HORIZON_DAYS
from coalition.registries.kinds import ITEM_TYPES, LANES, NODES, OFFERS, RECIPIENTS, REQUIREMENTS
from coalition.services.database import reading, writing
from coalition.services.errors import NotFound, ServiceError
from coalition.services.plan_versions import find_plan, mark_in_force, require_staff
from coalition.storage.changelog import Change
from coalition.storage.logistics_plans import LOGISTICS_PLAN_ENTITY
from coalition.storage.unit_of_work import UnitOfWork

LINE_SEPARATOR = ">"
BEYOND_HORIZON = "available only after the horizon"  # a line's id: OFFER_KEY>REQUIREMENT_REF
MAX_HORIZON_DAYS = 730
MAX_TIME_LIMIT_S = 3600.0


@dataclass(frozen=True)
class LineSource:
    """Where a planner line comes from in the ledger."""

    offer: str
    requirement: str
    item_type: str
    donor: str
    release_day: int  # the day the offer can leave (0: it is already available)


@dataclass(frozen=True)
class Basis:
    network: lx.Network
    lines: tuple[lx.Line, ...]
    sources: dict[str, LineSource]
    day_zero: date
    allocation_plan_id: int | None
    # Lines that cannot be planned at all, with the reason (not a node, no mass...).
    unplaceable: tuple[tuple[str, int, str], ...] = ()


@dataclass(frozen=True)
class Summary:
    """The headline of a logistics plan, for people and for `--json`."""

    lines: int
    routed: int  # lines with every unit routed
    late: int  # lines whose last unit arrives after needed-by
    unroutable: int  # lines with units left unrouted or that could not be planned
    units_unrouted: int
    beyond_horizon: int  # lines whose offer becomes available only after the horizon
    busiest_hub: str | None
    busiest_hub_peak: float | None  # its highest daily handling ÷ capacity
    weighted_lateness: float  # Σ priority weight × units × days late
    cost_eur: float
    objective: float  # lateness priced at the planner's EUR per weighted unit-day, plus cost
    lower_bound: float  # proven: no plan of these lines can have a lower objective
    gap: float


@dataclass(frozen=True)
class StoredLogisticsPlan:
    id: int
    status: str
    day_zero: date
    horizon_days: int
    created_at: datetime
    created_by: str
    accepted_at: datetime | None
    superseded_by: int | None
    allocation_plan_id: int | None
    summary: Summary
    document: dict[str, Any] = field(repr=False)


def _check_limits(horizon: int, time_limit: float) -> None:
    if not 1 <= horizon <= MAX_HORIZON_DAYS:
        raise ServiceError(f"--horizon {horizon}: give 1 to {MAX_HORIZON_DAYS} days")
    _check_time_limit(time_limit)


def _check_time_limit(time_limit: float) -> None:
    if not (0 < time_limit <= MAX_TIME_LIMIT_S and math.isfinite(time_limit)):
        raise ServiceError(f"--time-limit {time_limit}: give 0 to {MAX_TIME_LIMIT_S:g} seconds")


def network_of(uow: UnitOfWork) -> lx.Network:
    nodes = [NODES.from_row(r) for r in uow.records(NODES).find()]
    lanes = [LANES.from_row(r) for r in uow.records(LANES).find()]
    return lx.Network(
        nodes=tuple(
            lx.Node(
                n.code,
                lx.NodeKind(n.kind),
                math.inf if n.handling_t_per_day is None else float(n.handling_t_per_day),
            )
            for n in nodes
        ),
        lanes=tuple(
            lx.Lane(
                e.code,
                e.from_node,
                e.to_node,
                lx.Mode(e.mode),
                planned_transit_days(e),
                float(e.capacity_t_per_day),
                e.outsize_per_day,
                float(e.cost_eur_per_t),
            )
            for e in lanes
        ),
    )


def prepare(uow: UnitOfWork, day_zero: date, horizon: int = DEFAULT_HORIZON_DAYS) -> Basis:
    """The planner's inputs: the network and one line per assignment of the plan in force.
    Lines that cannot be planned (origin or destination not in the network, no unit mass, or
    available only after the horizon) are set aside with the reason."""
    network = network_of(uow)
    in_force = uow.plans.in_force()
    if in_force is None:
        return Basis(network, (), {}, day_zero, None)
    node_rows = [NODES.from_row(r) for r in uow.records(NODES).find()]
    places = {r["code"]: r for r in uow.records(RECIPIENTS).find()}
    offers = {OFFERS.key_of(r): r for r in uow.records(OFFERS).find()}
    requirements = {r["ref"]: r for r in uow.records(REQUIREMENTS).find()}
    items = {r["code"]: r for r in uow.records(ITEM_TYPES).find()}
    weights = AllocationParameters()
    lines, sources, unplaceable = [], {}, []
    for a in uow.plans.assignments(int(in_force["id"])):
        line_id = f"{a['offer_key']}{LINE_SEPARATOR}{a['requirement_ref']}"
        units = round(a["quantity"])
        offer, need = offers.get(a["offer_key"]), requirements.get(a["requirement_ref"])
        if offer is None or need is None or units < 1:
            continue  # withdrawn since, or hidden from this principal
        item = items.get(offer["item_type_code"])
        origin = origin_node(offer["origin"], node_rows)
        place = places.get(need["destination_code"])
        destination = None if place is None else delivery_node(
            place["code"], float(place["latitude"]), float(place["longitude"]), node_rows
        )  # fmt: skip
        reason = None
        if origin is None:
            reason = f"origin {offer['origin']}: no node of the network, no depot in its country"
        elif destination is None:
            reason = f"destination {need['destination_code']}: no delivery point to reach it"
        elif item is None or item["mass_kg"] is None or item["mass_kg"] <= 0:
            reason = f"item type {offer['item_type_code']} has no unit mass"
        elif (offer["available_from"] - day_zero).days >= horizon:
            reason = f"{BEYOND_HORIZON} (available from {offer['available_from']})"
        if reason is not None or origin is None or destination is None or item is None:
            unplaceable.append((line_id, units, reason or "cannot be planned"))
            continue
        release = max(0, (offer["available_from"] - day_zero).days)
        lines.append(
            lx.Line(
                id=line_id,
                origin=origin,
                destination=destination,
                quantity=units,
                unit_mass_t=float(item["mass_kg"]) / 1000.0,
                outsize=bool(item.get("outsize")),
                release_day=release,
                needed_by_day=(need["needed_by"] - day_zero).days,
                priority=weights.weight(int(need["priority"])),
            )
        )
        sources[line_id] = LineSource(
            a["offer_key"], a["requirement_ref"], offer["item_type_code"], offer["donor_code"],
            release,
        )  # fmt: skip
    return Basis(network, tuple(lines), sources, day_zero, int(in_force["id"]), tuple(unplaceable))


def _require_staff(principal: Principal, what: str) -> None:
    require_staff(principal, LOGISTICS_PLAN_ENTITY, what)


def check_run(principal: Principal, horizon: int, time_limit: float) -> None:
    """Whether `principal` may run a plan of these bounds (before anything is read or queued:
    the background job checks it on submission, `run` before it reads)."""
    _require_staff(principal, "plan logistics")
    _check_limits(horizon, time_limit)


def solve(basis: Basis, horizon: int, time_limit: float) -> lx.RoutePlan:
    """The planner on the inputs `prepare` read, outside any transaction."""
    return lx.plan_routes(basis.network, basis.lines, horizon=horizon, time_limit=time_limit)


def run(
    principal: Principal,
    horizon: int = DEFAULT_HORIZON_DAYS,
    time_limit: float = 30.0,
    engine: Engine | None = None,
    day_zero: date | None = None,
) -> StoredLogisticsPlan:
    """Read, plan outside any transaction, and store the plan as a new proposed version."""
    check_run(principal, horizon, time_limit)
    start = day_zero or date.today()
    with reading(principal, engine) as uow:
        basis = prepare(uow, start, horizon)
    plan = solve(basis, horizon, time_limit)
    with writing(principal, engine) as uow:
        stored = store(uow, basis, plan, ())
        uow.commit()
    return stored


@dataclass(frozen=True)
class WhatIfReport:
    base_id: int
    plan: StoredLogisticsPlan
    closed: str
    first: date
    last: date
    delayed: list[dict[str, Any]]
    newly_late_units: dict[str, int]
    newly_saturated_lanes: list[tuple[str, str]]  # (lane, date)
    newly_saturated_nodes: list[tuple[str, str]]


def whatif(
    principal: Principal,
    close: str,
    first: date,
    last: date | None = None,
    time_limit: float = 30.0,
    engine: Engine | None = None,
) -> WhatIfReport:
    """Close a node or lane from `first` to `last` (inclusive; open-ended: to the horizon) and
    re-plan from the plan in force (or the newest plan), re-using it; store the result as a
    proposed plan and report the delta."""
    _require_staff(principal, "plan logistics")
    _check_time_limit(time_limit)
    with reading(principal, engine) as uow:
        base_row = uow.logistics_plans.in_force() or next(iter(uow.logistics_plans.newest(1)), None)
        if base_row is None:
            raise NotFound("no logistics plan to compare with: run `coalition logistics plan`")
        base = _stored(base_row)
        basis = prepare(uow, base.day_zero, base.horizon_days)
    known = {n.id for n in basis.network.nodes} | {e.id for e in basis.network.lanes}
    if close not in known:
        raise NotFound(f"--close {close}: no node or lane with that code")
    end = last or base.day_zero + timedelta(days=base.horizon_days)
    if end < first:
        raise ServiceError(f"--to {end} is before --from {first}")
    closure = lx.Closure(close, (first - base.day_zero).days, (end - base.day_zero).days)
    base_plan = _route_plan(base, basis)
    if base_plan is None:
        raise ServiceError(
            f"logistics plan {base.id} was made from other inputs: run "
            "`coalition logistics plan` first"
        )
    result = lx.whatif(basis.network, basis.lines, base_plan, (closure,), time_limit=time_limit)
    with writing(principal, engine) as uow:
        stored = store(uow, basis, result.plan, (closure,))
        uow.commit()

    def day(d: int) -> str:
        return (base.day_zero + timedelta(days=d)).isoformat()

    return WhatIfReport(
        base.id,
        stored,
        close,
        first,
        end,
        [
            {
                "line": d.line,
                "days": d.days,
                "was": _date(base.day_zero, d.old_last_arrival_day),
                "now": _date(base.day_zero, d.new_last_arrival_day),
            }
            for d in result.delayed
        ],
        dict(result.newly_late_units),
        [(lane, day(d)) for lane, d in result.newly_saturated_lanes],
        [(node, day(d)) for node, d in result.newly_saturated_nodes],
    )


def _date(day_zero: date, day: int | None) -> str | None:
    return None if day is None else (day_zero + timedelta(days=day)).isoformat()


def _route_plan(stored: StoredLogisticsPlan, basis: Basis) -> lx.RoutePlan | None:
    """The base plan as the planner's RoutePlan (with its capacity arrays and multipliers, which
    are not stored): re-planned from today's inputs, which must be the base's lines. The
    planner is deterministic for the same inputs and limit, so this is the stored plan."""
    if sorted(stored.document["line_ids"]) != sorted(line.id for line in basis.lines):
        return None
    limit = min(MAX_TIME_LIMIT_S, max(5.0, 2 * float(stored.document.get("seconds", 5.0))))
    return lx.plan_routes(basis.network, basis.lines, horizon=stored.horizon_days,
                          time_limit=limit)  # fmt: skip


def store(
    uow: UnitOfWork, basis: Basis, plan: lx.RoutePlan, closures: tuple[lx.Closure, ...]
) -> StoredLogisticsPlan:
    """Store a plan (never overwriting one); the caller commits."""
    now = datetime.now(UTC)
    document = _document(basis, plan)
    summary = _summary(basis, plan)
    record = {
        "created_at": now,
        "created_by": uow.actor,
        "status": str(plan.status),
        "day_zero": basis.day_zero,
        "horizon_days": plan.horizon_days,
        "objective": plan.objective,
        "weighted_lateness": plan.weighted_lateness,
        "cost": plan.cost,
        "lower_bound": plan.lower_bound,
        "gap": plan.gap,
        "seconds": plan.seconds,
        "allocation_plan_id": basis.allocation_plan_id,
        "closures": json.dumps([c.__dict__ for c in closures]),
        "document": json.dumps({**document, "summary": summary.__dict__}, sort_keys=True),
    }
    plan_id = uow.logistics_plans.insert(record)
    logged = {k: v for k, v in record.items() if k not in ("document", "created_at")}
    logged.update(summary.__dict__)
    logged["day_zero"] = basis.day_zero.isoformat()
    uow.changes.record([Change(LOGISTICS_PLAN_ENTITY, str(plan_id), "create", None, logged)])
    row = uow.logistics_plans.get(plan_id)
    assert row is not None
    return _stored(row)


def _document(basis: Basis, plan: lx.RoutePlan) -> dict[str, Any]:
    return {
        "line_ids": [line.id for line in basis.lines],
        "sources": {k: v.__dict__ for k, v in basis.sources.items()},
        "shipments": [
            {
                "line": s.line,
                "units": s.units,
                "start_day": s.start_day,
                "legs": [[leg.lane, leg.departure_day, leg.arrival_day] for leg in s.legs],
            }
            for s in plan.shipments
        ],
        "etas": [e.__dict__ | {"arrivals": [list(a) for a in e.arrivals]} for e in plan.etas],
        "unrouted": [
            {"line": u.line, "units": u.units, "reason": str(u.reason)} for u in plan.unrouted
        ]
        + [
            {"line": line, "units": units, "reason": reason}
            for line, units, reason in basis.unplaceable
        ],
        "peaks": _peaks(plan),
        "problems": list(plan.problems),
        "notes": list(plan.notes),
        "seconds": plan.seconds,
    }


def _peaks(plan: lx.RoutePlan) -> dict[str, list[list[Any]]]:
    """The ten busiest lanes and hubs: highest daily use ÷ capacity, and on which day."""

    def top(ids: tuple[str, ...], use: np.ndarray) -> list[list[Any]]:
        if not ids or use.size == 0:
            return []
        peak, when = use.max(axis=1), use.argmax(axis=1)
        order = np.argsort(-peak, kind="stable")[:10]
        return [[ids[i], float(peak[i]), int(when[i])] for i in order if peak[i] > 0]

    return {"lanes": top(plan.lane_ids, plan.lane_utilisation()),
            "nodes": top(plan.node_ids, plan.node_utilisation())}  # fmt: skip


def _summary(basis: Basis, plan: lx.RoutePlan) -> Summary:
    unrouted = Counter[str]()
    for u in plan.unrouted:
        unrouted[u.line] += u.units
    for line, units, _ in basis.unplaceable:
        unrouted[line] += units
    hubs = {n.id for n in basis.network.nodes if n.kind is lx.NodeKind.HUB}
    peaks = [p for p in _peaks(plan)["nodes"] if p[0] in hubs]
    return Summary(
        lines=len(basis.lines) + len(basis.unplaceable),
        routed=sum(1 for e in plan.etas if e.unrouted_units == 0),
        late=sum(1 for e in plan.etas if e.days_late > 0),
        unroutable=len(unrouted),
        units_unrouted=sum(unrouted.values()),
        beyond_horizon=sum(1 for _, _, why in basis.unplaceable if why.startswith(BEYOND_HORIZON)),
        busiest_hub=peaks[0][0] if peaks else None,
        busiest_hub_peak=peaks[0][1] if peaks else None,
        weighted_lateness=plan.weighted_lateness,
        cost_eur=plan.cost,
        objective=plan.objective,
        lower_bound=plan.lower_bound,
        gap=plan.gap,
    )


def _stored(row: dict[str, Any]) -> StoredLogisticsPlan:
    document = json.loads(row["document"])
    return StoredLogisticsPlan(
        id=int(row["id"]),
        status=row["status"],
        day_zero=row["day_zero"],
        horizon_days=int(row["horizon_days"]),
        created_at=row["created_at"],
        created_by=row["created_by"],
        accepted_at=row["accepted_at"],
        superseded_by=row["superseded_by"],
        allocation_plan_id=row["allocation_plan_id"],
        summary=Summary(**document["summary"]),
        document=document,
    )


def get_plan(uow: UnitOfWork, plan_id: int) -> StoredLogisticsPlan:
    return _stored(
        find_plan(uow.logistics_plans, plan_id, "logistics plan", "coalition logistics list")
    )


def list_plans(
    uow: UnitOfWork, limit: int = 50, offset: int = 0
) -> tuple[list[StoredLogisticsPlan], int]:
    """The plans this principal may see, newest first, and how many there are."""
    if not 1 <= limit <= 1000:
        raise ServiceError("--limit must be 1 to 1000")
    if offset < 0:
        raise ServiceError("offset must be 0 or more")
    store_ = uow.logistics_plans
    return [_stored(r) for r in store_.newest(limit, offset)], store_.count()


def plan_row(stored: StoredLogisticsPlan) -> dict[str, Any]:
    """A plan's headline, as a list shows it (the CLI's `--json`, the API, the pages)."""
    return {
        "plan_id": stored.id,
        "status": stored.status,
        "state": plan_state(stored.accepted_at is not None, stored.superseded_by is not None).value,
        "superseded_by": stored.superseded_by,
        "day_zero": stored.day_zero.isoformat(),
        "horizon_days": stored.horizon_days,
        "created_at": stored.created_at,
        "created_by": stored.created_by,
        "allocation_plan_id": stored.allocation_plan_id,
        "accepted": stored.accepted_at is not None,
        **asdict(stored.summary),
    }


def plan_figures(stored: StoredLogisticsPlan) -> dict[str, Any]:
    """A whole plan: its headline, then ETAs, unrouted lines, peaks, problems and notes.
    Days are counted from `day_zero`; each ETA also gives its units and the date of its last
    arrival, each peak ([code, use, day]) the date of that day."""
    document, start = stored.document, stored.day_zero
    etas = [
        {
            **e,
            "units": sum(units for _, units in e["arrivals"]) + int(e["unrouted_units"]),
            "last_arrival": _date(start, e["last_arrival_day"]),
        }
        for e in document["etas"]
    ]
    peaks = {
        kind: [[*p, _date(start, int(p[2]))] for p in rows]
        for kind, rows in document["peaks"].items()
    }
    return {
        **plan_row(stored),
        "etas": etas,
        "unrouted": document["unrouted"],
        "peaks": peaks,
        "problems": document["problems"],
        "notes": document["notes"],
    }


def whatif_figures(report: WhatIfReport) -> dict[str, Any]:
    """A what-if's delta and the plan it stored."""
    return {
        "base_plan_id": report.base_id,
        "closed": report.closed,
        "from": report.first.isoformat(),
        "to": report.last.isoformat(),
        "delayed": report.delayed,
        "newly_late_units": report.newly_late_units,
        "newly_saturated_lanes": report.newly_saturated_lanes,
        "newly_saturated_nodes": report.newly_saturated_nodes,
        "plan": plan_figures(report.plan),
    }


def peaks_svg(stored: StoredLogisticsPlan, titles: dict[str, str]) -> str | None:
    """The busiest nodes and lanes of a plan as an SVG chart (None: nothing was used)."""
    from coalition.reports.burden_charts import chart_svg
    from coalition.reports.logistics_charts import peaks_chart

    chart = peaks_chart(stored.document["peaks"], stored.day_zero, titles)
    return None if chart is None else chart_svg(chart)


def in_force(uow: UnitOfWork) -> StoredLogisticsPlan | None:
    """The accepted logistics plan in force, when the principal may see one."""
    row = uow.logistics_plans.in_force()
    return None if row is None else _stored(row)


def accept(uow: UnitOfWork, plan_id: int) -> StoredLogisticsPlan:
    """Accept a logistics plan: its ETAs become the allocation's transit times."""
    stored = get_plan(uow, plan_id)  # first: a plan the principal may not see is a 404
    _require_staff(uow.principal, "accept logistics plans")
    if stored.accepted_at is not None or stored.superseded_by is not None:
        raise ServiceError(f"logistics plan {plan_id} was already decided")
    if stored.status == str(lx.PlanStatus.ERROR):
        raise ServiceError(f"logistics plan {plan_id} failed its check: it cannot be accepted")
    in_force = uow.plans.in_force()
    if (None if in_force is None else int(in_force["id"])) != stored.allocation_plan_id:
        raise ServiceError(
            f"logistics plan {plan_id} routes another allocation than the one in force: "
            "run `coalition logistics plan` again"
        )
    mark_in_force(uow, uow.logistics_plans, plan_id)
    uow.commit()
    return get_plan(uow, plan_id)


def transit_days_in_force(uow: UnitOfWork) -> dict[tuple[str, str], int]:
    """(offer origin, requirement destination) → the days the accepted logistics plan's
    journey takes, from the day the offer can leave to its last unit's arrival (waiting for
    capacity included): the allocation's transit times for the pairs that plan routed."""
    row = uow.logistics_plans.in_force()
    if row is None:
        return {}
    offers = {OFFERS.key_of(r): r for r in uow.records(OFFERS).find()}
    requirements = {r["ref"]: r for r in uow.records(REQUIREMENTS).find()}
    days: dict[tuple[str, str], int] = {}
    for eta, source in _routed_in_full(json.loads(row["document"])):
        offer, need = offers.get(source["offer"]), requirements.get(source["requirement"])
        if offer is None or need is None:
            continue
        pair = (offer["origin"], need["destination_code"])
        took = max(0, int(eta["last_arrival_day"]) - int(source["release_day"]))
        days[pair] = max(days.get(pair, 0), took)
    return days


def _routed_in_full(document: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(ETA, line source) of each line a stored plan routed in full."""
    out = []
    for eta in document["etas"]:
        source = document["sources"].get(eta["line"])
        if source is None or eta["last_arrival_day"] is None or eta["unrouted_units"]:
            continue
        out.append((eta, source))
    return out


def etas_in_force(uow: UnitOfWork) -> tuple[int | None, dict[str, date]]:
    """The accepted logistics plan's id and, per line it routed in full (OFFER_KEY>REQUIREMENT_REF),
    the date its last unit arrives; (None, {}) when no logistics plan is in force."""
    row = uow.logistics_plans.in_force()
    if row is None:
        return None, {}
    day_zero = row["day_zero"]
    return int(row["id"]), {
        eta["line"]: day_zero + timedelta(days=int(eta["last_arrival_day"]))
        for eta, _ in _routed_in_full(json.loads(row["document"]))
    }
