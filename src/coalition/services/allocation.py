"""Allocation use cases: snapshot the ledger, plan, store the plan as a version, explain, accept.

The planner itself is pure (`planning.allocation`). A run reads its snapshot in a reading unit
of work, solves outside any transaction (a long solve never holds the write lock), and stores
the plan in a short writing one. A plan is accepted only while its inputs are unchanged.
"""

from __future__ import annotations

import csv
import json
import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from coalition.domain import matching
from coalition.domain.access import Principal, may_write
from coalition.domain.catalogue import Compatibility
from coalition.domain.errors import IllegalTransition
from coalition.domain.lifecycle import OfferStatus, check_transition, offer_statuses
from coalition.domain.places import country_of
from coalition.domain.plans import InputsDigest, PlanState, input_changes, plan_state
from coalition.domain.requirements import OPEN_REQUIREMENT_STATES
from coalition.planning import allocation as planner
from coalition.planning.allocation.plan import ComponentSummary
from coalition.planning.allocation.snapshot_io import plan_as_dict
from coalition.registries.kinds import COMPATIBILITY, FLEET, ITEM_TYPES, OFFERS, REQUIREMENTS
from coalition.services import logistics
from coalition.services.database import reading, writing
from coalition.services.errors import Forbidden, NotFound, ServiceError
from coalition.storage.changelog import Change
from coalition.storage.plans import PLAN_ENTITY
from coalition.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

OPEN_REQUIREMENTS = [str(status) for status in OPEN_REQUIREMENT_STATES]
PIN_SHAPE = "OFFER@REQUIREMENT=QUANTITY"
FORBID_SHAPE = "OFFER@REQUIREMENT"


@dataclass(frozen=True)
class StoredPlan:
    id: int
    plan: planner.Plan
    created_at: datetime
    created_by: str
    accepted_at: datetime | None
    state: PlanState = PlanState.PROPOSED
    builds_on: int | None = None  # the plan in force it was computed on top of
    carried: tuple[planner.Assignment, ...] = ()  # that plan's assignments it carries on


@dataclass(frozen=True)
class Basis:
    """What a new plan is computed from: the snapshot, its inputs, and the plan in force."""

    snapshot: planner.Snapshot
    inputs_hash: str
    inputs: InputsDigest
    in_force: int | None
    carried: tuple[planner.Assignment, ...]


@dataclass(frozen=True)
class Acceptance:
    plan_id: int
    offers_accepted: list[str]
    superseded: int | None


def parameters(
    time_limit: float = 60.0,
    gap: float = 0.001,
    pins: list[str] | None = None,
    forbids: list[str] | None = None,
) -> planner.Parameters:
    """Planner parameters from what a user typed (`--pin O@R=Q`, `--forbid O@R`)."""
    if not 0 < time_limit <= 24 * 3600:
        raise ServiceError(f"--time-limit must be between 0 and 86400 seconds, not {time_limit}")
    if not 0 <= gap < 1:
        raise ServiceError(f"--gap must be a fraction from 0 up to 1, not {gap}")
    parsed_pins = []
    for text in pins or []:
        pair, sep, quantity = text.rpartition("=")
        offer, at, requirement = pair.partition("@")
        if not (sep and at and offer and requirement and quantity.isdigit()):
            raise ServiceError(f"--pin '{text}' is not {PIN_SHAPE}")
        parsed_pins.append(planner.Pin(offer, requirement, int(quantity)))
    parsed_forbids = set()
    for text in forbids or []:
        offer, at, requirement = text.partition("@")
        if not (at and offer and requirement):
            raise ServiceError(f"--forbid '{text}' is not {FORBID_SHAPE}")
        parsed_forbids.add((offer, requirement))
    return planner.Parameters(
        time_limit_s=time_limit,
        mip_gap=gap,
        pins=tuple(parsed_pins),
        forbids=frozenset(parsed_forbids),
    )


def transit_table() -> dict[str, int]:
    """Days from a donor country to Ukraine's depots: a planning table until logistics exists."""
    path = Path(str(resources.files("coalition").joinpath("data", "transit_days.csv")))
    with path.open(encoding="utf-8") as handle:
        return {row["origin_country"]: int(row["days"]) for row in csv.DictReader(handle)}


def prepare(uow: UnitOfWork, params: planner.Parameters) -> Basis:
    """Copy the ledger into the planner's snapshot, on top of the plan in force."""
    items = [ITEM_TYPES.from_row(r) for r in uow.records(ITEM_TYPES).find()]
    rules = [COMPATIBILITY.from_row(r) for r in uow.records(COMPATIBILITY).find()]
    compatibility = Compatibility.build(items, rules)
    families = {item.code: item.family_code for item in items}

    store = uow.plans
    in_force = store.in_force()
    carried = _carried(uow, in_force["id"]) if in_force else ()
    already: dict[str, float] = defaultdict(float)
    for assignment in carried:
        already[assignment.requirement_id] += assignment.quantity
    reqs = []
    for row in uow.records(REQUIREMENTS).find(within={"status": OPEN_REQUIREMENTS}):
        remaining = row["quantity"] - int(already.get(row["ref"], 0))
        if remaining <= 0:
            continue
        reqs.append(
            planner.Requirement(
                id=row["ref"],
                capability_area=row["capability_area"],
                family=matching.need_key(row["family_code"], row["platform_code"]),
                quantity=remaining,
                priority=row["priority"],
                needed_by=row["needed_by"],
                destination=row["destination_code"],
                already_covered=int(already.get(row["ref"], 0)),
            )
        )
    # A need for one platform's items (e.g. spares for PzH 2000) is its own planning family,
    # served by exactly the item types the catalogue says serve that platform.
    served: dict[str, set[str]] = defaultdict(set)
    for need in {r.family for r in reqs}:
        family, platform = matching.need_parts(need)
        for item in items:
            if compatibility.serves(item.code, family, platform):
                served[item.code].add(need)
    values = {i.code: float(i.reference_value_eur or 0) for i in items}
    transit = transit_table()
    offered = []
    days: dict[tuple[str, str], int] = {}
    destinations = {r.destination for r in reqs}
    for row in uow.records(OFFERS).find(within={"status": offer_statuses(open=True)}):
        offered.append(
            planner.Offer(
                id=OFFERS.key_of(row),
                donor=row["donor_code"],
                item_type=row["item_type_code"],
                quantity=row["quantity"],
                available_from=row["available_from"],
                origin=row["origin"],
                unit_value_eur=values.get(row["item_type_code"], 0.0),
                allowed_capability_areas=frozenset(row["only_for_areas"].split(";"))
                if row["only_for_areas"]
                else None,
            )
        )
        # Origins in a country the table lists get its days; others the parameter's default.
        country = country_of(row["origin"])
        if country in transit:
            for destination in destinations:
                days[(row["origin"], destination)] = transit[country]
    # The accepted logistics plan's ETAs replace the fixed table for the pairs it routed.
    origins = {o.origin for o in offered}
    routed = logistics.transit_days_in_force(uow)
    days.update({pair: d for pair, d in routed.items()
                 if pair[0] in origins and pair[1] in destinations})  # fmt: skip
    in_service = {
        (families[row["item_type_code"]], row["item_type_code"])
        for row in uow.records(FLEET).find()
        if row["quantity"] > 0 and row["item_type_code"] in families
    }
    snapshot = planner.Snapshot(
        requirements=tuple(reqs),
        offers=tuple(offered),
        item_types=tuple(planner.ItemType(i.code, i.family_code, i.is_platform) for i in items),
        compatibility={code: frozenset(needs) for code, needs in served.items()},
        fleet=matching.fleet_by_need(in_service, {r.family for r in reqs}),
        transit_days=days,
        parameters=params,
    )
    # The inputs without the solver's settings: a plan is stale when these change.
    inputs_hash = planner.snapshot_hash(replace(snapshot, parameters=planner.Parameters()))
    return Basis(snapshot, inputs_hash, _digest(snapshot, in_force), _id(in_force), carried)


def _id(row: Mapping[str, Any] | None) -> int | None:
    return None if row is None else int(row["id"])


def _digest(snapshot: planner.Snapshot, in_force: Mapping[str, Any] | None) -> InputsDigest:
    return {
        "requirements": {
            r.id: {
                "quantity": r.quantity,
                "priority": r.priority,
                "needed_by": r.needed_by.isoformat(),
                "destination": r.destination,
                "family": r.family,
            }
            for r in snapshot.requirements
        },
        "offers": {
            o.id: {
                "quantity": o.quantity,
                "item_type": o.item_type,
                "available_from": o.available_from.isoformat(),
                "origin": o.origin,
            }
            for o in snapshot.offers
        },
        "plan_in_force": {"plan": {"id": _id(in_force)}},
    }


def _carried(uow: UnitOfWork, plan_id: int) -> tuple[planner.Assignment, ...]:
    """The assignments of the plan in force whose offers are still alive."""
    alive = set(
        OFFERS.key_of(r)
        for r in uow.records(OFFERS).find(within={"status": offer_statuses(alive=True)})
    )
    return tuple(_assignment(a) for a in uow.plans.assignments(plan_id) if a["offer_key"] in alive)


def _assignment(row: Mapping[str, Any]) -> planner.Assignment:
    return planner.Assignment(
        row["offer_key"],
        row["requirement_ref"],
        row["quantity"],
        row["arrival"],
        row["lateness_factor"],
        row["value"],
    )


def solve(basis: Basis, method: str = "milp") -> planner.Plan:
    """Run the planner on a prepared basis (pure; no database, no transaction)."""
    if method not in ("milp", "greedy"):
        raise ServiceError(f"--method must be milp or greedy, not '{method}'")
    plan = planner.allocate(basis.snapshot, method)  # type: ignore[arg-type]
    log.info(
        "allocation solved",
        extra={
            "event": "solve",
            "method": method,
            "status": plan.status.value,
            "objective": plan.objective,
            "best_bound": plan.best_bound,
            "gap": plan.gap,
            "build_seconds": round(plan.build_seconds, 3),
            "solve_seconds": round(plan.solve_seconds, 3),
            "requirements": len(basis.snapshot.requirements),
            "offers": len(basis.snapshot.offers),
            "assignments": len(plan.assignments),
        },
    )
    if plan.status == planner.PlanStatus.INVALID_INPUT:
        # Nothing was planned, so nothing is stored: the coordinator fixes the pin and re-runs.
        raise ServiceError("cannot plan: " + "; ".join(plan.messages))
    return plan


def run(
    principal: Principal,
    params: planner.Parameters,
    method: str = "milp",
    engine: Engine | None = None,
) -> tuple[StoredPlan, planner.Snapshot]:
    """Read, solve outside any transaction, and store the plan as a new version."""
    if not may_write(principal, PLAN_ENTITY, None):
        raise Forbidden(f"{principal.user} ({principal.role}) may not run allocations")
    with reading(principal, engine) as uow:
        basis = prepare(uow, params)
    plan = solve(basis, method)
    with writing(principal, engine) as uow:
        stored = store(uow, basis, plan)
        uow.commit()
    return stored, basis.snapshot


def store(uow: UnitOfWork, basis: Basis, plan: planner.Plan) -> StoredPlan:
    """Store a plan (never overwriting one); the caller commits."""
    now = datetime.now(UTC)
    summary = {
        "new_types": [list(t) for t in plan.new_types],
        "messages": list(plan.messages),
        "area_coverage": [a.__dict__ for a in plan.area_coverage],
        "components": [c.__dict__ for c in plan.components],
        "builds_on": basis.in_force,
    }
    record = {
        "created_at": now,
        "created_by": uow.actor,
        "method": plan.method,
        "status": str(plan.status),
        "objective": plan.objective,
        "best_bound": plan.best_bound,
        "gap": plan.gap,
        "build_seconds": plan.build_seconds,
        "solve_seconds": plan.solve_seconds,
        "solver": plan.solver,
        "snapshot_hash": plan.snapshot_hash,
        "parameters": json.dumps(plan.parameters, sort_keys=True, default=str),
        "summary": json.dumps(summary, sort_keys=True, default=str),
        "inputs_hash": basis.inputs_hash,
        "inputs": json.dumps(basis.inputs, sort_keys=True),
    }
    rows = [_assignment_row(a, carried=False) for a in plan.assignments]
    rows += [_assignment_row(a, carried=True) for a in basis.carried]
    plan_id = uow.plans.insert(record, _merge_rows(rows))
    logged = {k: v for k, v in plan_as_dict(plan).items() if k != "assignments"}
    logged["assignments"] = len(plan.assignments)
    logged["carried_assignments"] = len(basis.carried)
    logged["builds_on"] = basis.in_force
    uow.changes.record([Change(PLAN_ENTITY, str(plan_id), "create", None, logged)])
    return StoredPlan(
        plan_id, plan, now, uow.actor, None, PlanState.PROPOSED, basis.in_force, basis.carried
    )


def _assignment_row(a: planner.Assignment, carried: bool) -> dict[str, Any]:
    return {
        "offer_key": a.offer_id,
        "requirement_ref": a.requirement_id,
        "quantity": a.quantity,
        "arrival": a.arrival,
        "lateness_factor": a.lateness_factor,
        "value": a.value,
        "carried": carried,
    }


def _merge_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (offer, requirement): a new assignment adds to a carried one of the pair."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        pair = (row["offer_key"], row["requirement_ref"])
        if pair in merged:
            merged[pair]["quantity"] += row["quantity"]
            merged[pair]["value"] += row["value"]
            merged[pair]["carried"] = False
        else:
            merged[pair] = dict(row)
    return list(merged.values())


def get_plan(uow: UnitOfWork, plan_id: int) -> StoredPlan:
    """A stored plan by id, rebuilt as the planner's Plan (only its own new assignments)."""
    if isinstance(plan_id, bool) or plan_id < 1:
        raise NotFound(f"no plan {plan_id}: plan ids start at 1 (`coalition plan list`)")
    row = uow.plans.get(plan_id)
    if row is None:
        raise NotFound(f"no plan {plan_id} (`coalition plan list` shows the stored plans)")
    return _stored(uow, row)


def latest_plan(uow: UnitOfWork) -> StoredPlan:
    row = uow.plans.latest()
    if row is None:
        raise NotFound("no plan yet: run `coalition allocate`")
    return _stored(uow, row)


def _stored(uow: UnitOfWork, row: Mapping[str, Any]) -> StoredPlan:
    rows = uow.plans.assignments(row["id"])
    own = tuple(_assignment(a) for a in rows if not a["carried"])
    carried = tuple(_assignment(a) for a in rows if a["carried"])
    summary = json.loads(row["summary"])
    components = _components(summary.get("components"))
    plan = planner.Plan(
        status=planner.PlanStatus(row["status"]),
        method=row["method"],
        objective=row["objective"],
        best_bound=row["best_bound"],
        gap=row["gap"],
        build_seconds=row["build_seconds"],
        solve_seconds=row["solve_seconds"],
        parameters=json.loads(row["parameters"]),
        solver=row["solver"],
        snapshot_hash=row["snapshot_hash"],
        assignments=own,
        new_types=tuple((str(f), str(t)) for f, t in summary["new_types"]),
        components=components,
        messages=tuple(summary["messages"]),
    )
    return StoredPlan(
        row["id"],
        plan,
        row["created_at"],
        row["created_by"],
        row["accepted_at"],
        plan_state(row["accepted_at"] is not None, row["superseded_by"] is not None),
        summary.get("builds_on"),
        carried,
    )


def _components(stored: Any) -> tuple[ComponentSummary, ...]:
    """Per-component figures as stored (plans stored before they were kept have none)."""
    if not isinstance(stored, list):
        return ()
    names = {f.name for f in fields(ComponentSummary)}
    rows = [c for c in stored if isinstance(c, dict) and set(c) == names]
    return tuple(ComponentSummary(**c) for c in rows)


def list_plans(uow: UnitOfWork, limit: int = 50, offset: int = 0) -> tuple[list[StoredPlan], int]:
    """Stored plans, newest first, and how many there are in all."""
    if not 1 <= limit <= 1000 or offset < 0:
        raise ServiceError("--limit must be 1 to 1000 and --offset zero or more")
    store = uow.plans
    return [_stored(uow, row) for row in store.newest(limit, offset)], store.count()


def current_plan(
    principal: Principal, params: planner.Parameters, engine: Engine | None = None
) -> tuple[StoredPlan, planner.Snapshot, bool]:
    """The latest plan if it was made from today's ledger, else a fresh one (stored)."""
    with reading(principal, engine) as uow:
        basis = prepare(uow, params)
        try:
            latest = latest_plan(uow)
            if latest.plan.snapshot_hash == planner.snapshot_hash(basis.snapshot):
                return latest, basis.snapshot, False
        except NotFound:
            pass
    stored, snapshot = run(principal, params, engine=engine)
    return stored, snapshot, True


def explain_requirement(
    snapshot: planner.Snapshot, plan: planner.Plan, ref: str
) -> planner.RequirementExplanation:
    if ref not in {r.id for r in snapshot.requirements}:
        raise ServiceError(f"requirement '{ref}' is not open for planning (approved, not yet met)")
    return planner.explain_requirement(snapshot, plan, ref)


def explain_offer(
    snapshot: planner.Snapshot, plan: planner.Plan, key: str
) -> planner.OfferExplanation:
    if key not in {o.id for o in snapshot.offers}:
        raise ServiceError(f"offer '{key}' is not open for planning (status offered)")
    return planner.explain_offer(snapshot, plan, key)


def accept(uow: UnitOfWork, plan_id: int) -> Acceptance:
    """Accept a plan: its offers move offered → accepted, and it supersedes the plan in force.

    Refused when the plan is unusable, already decided, or stale: computed from inputs that
    have changed since (an offer shrank, a requirement closed, another plan was accepted).
    """
    stored = get_plan(uow, plan_id)  # first: a plan the principal may not see is a 404
    if not may_write(uow.principal, PLAN_ENTITY, None):
        raise Forbidden(f"{uow.actor} ({uow.principal.role}) may not accept plans")
    if stored.state is not PlanState.PROPOSED:
        raise ServiceError(
            f"plan {plan_id} is {stored.state.value}: only a proposed plan can be accepted"
        )
    if not stored.plan.is_usable:
        raise ServiceError(f"plan {plan_id} is {stored.plan.status.value}: nothing to accept")
    row = uow.plans.get(plan_id) or {}
    basis = prepare(uow, planner.Parameters())
    if row.get("inputs_hash") != basis.inputs_hash:
        then = json.loads(row["inputs"]) if row.get("inputs") else {}
        changes = input_changes(then, basis.inputs) or [
            "the catalogue, compatibility rules, fleet or transit table changed"
        ]
        shown = changes[:20] + ([f"... and {len(changes) - 20} more"] if len(changes) > 20 else [])
        raise ServiceError(
            f"plan {plan_id} is out of date: its inputs changed since it was computed "
            f"({len(changes)} change(s)); run `coalition allocate` again.\n  " + "\n  ".join(shown)
        )
    repository = uow.records(OFFERS)
    keys = sorted({a.offer_id for a in stored.plan.assignments})
    changes_logged, updates = [], []
    for key in keys:
        before = repository.get(key)
        if before is None:
            raise ServiceError(f"plan {plan_id} uses offer {key}, which no longer exists")
        try:
            check_transition("offer", before["status"], OfferStatus.ACCEPTED.value)
        except IllegalTransition as error:
            raise ServiceError(f"plan {plan_id} is out of date: {error}") from None
        after = {**before, "status": OfferStatus.ACCEPTED.value}
        updates.append(after)
        changes_logged.append(Change(OFFERS.entity, key, "update", before, after))
    repository.update(updates)
    now = datetime.now(UTC)
    plans = uow.plans
    plans.mark_accepted(plan_id, now, uow.actor)
    changes_logged.append(
        Change(
            PLAN_ENTITY,
            str(plan_id),
            "update",
            {"state": PlanState.PROPOSED.value},
            {
                "state": PlanState.ACCEPTED.value,
                "accepted_at": now.isoformat(),
                "accepted_by": uow.actor,
            },
        )
    )
    superseded = basis.in_force
    if superseded is not None:
        plans.mark_superseded(superseded, plan_id, now)
        changes_logged.append(
            Change(
                PLAN_ENTITY,
                str(superseded),
                "update",
                {"state": PlanState.ACCEPTED.value},
                {"state": PlanState.SUPERSEDED.value, "superseded_by": plan_id},
            )
        )
    uow.changes.record(changes_logged)
    uow.commit()
    return Acceptance(plan_id, keys, superseded)


def diff(uow: UnitOfWork, first: int, second: int) -> dict[str, Any]:
    a, b = get_plan(uow, first).plan, get_plan(uow, second).plan
    qa = {(x.offer_id, x.requirement_id): x.quantity for x in a.assignments}
    qb = {(x.offer_id, x.requirement_id): x.quantity for x in b.assignments}
    rows = []
    for pair in sorted(set(qa) | set(qb)):
        before, after = qa.get(pair, 0.0), qb.get(pair, 0.0)
        if before != after:
            change = "added" if not before else "removed" if not after else "changed"
            rows.append(
                {
                    "offer": pair[0],
                    "requirement": pair[1],
                    "change": change,
                    f"plan {first}": before,
                    f"plan {second}": after,
                }
            )
    return {
        "objective": {str(first): a.objective, str(second): b.objective},
        "new_types": {
            str(first): [list(t) for t in a.new_types],
            str(second): [list(t) for t in b.new_types],
        },
        "assignments": rows,
    }


def export_snapshot(snapshot: planner.Snapshot, plan: planner.Plan, directory: Path) -> None:
    """Write a plan with its inputs, for anyone to re-check with `verify_export`."""
    planner.export_snapshot(snapshot, plan, directory)


def verify_export(directory: Path) -> planner.VerificationReport:
    """Re-check an exported plan from its files alone: inputs hash, every rule, objective,
    bound and gap."""
    if not directory.is_dir():
        raise ServiceError(f"{directory}: not a directory written by --export-snapshot")
    return planner.verify_plan(directory)


def plan_figures(plan: planner.Plan) -> dict[str, Any]:
    """A plan as JSON-ready data (what `--json` prints and exports carry)."""
    return {
        **plan_as_dict(plan),
        "area_coverage": [a.__dict__ for a in plan.area_coverage],
        "components": [c.__dict__ for c in plan.components],
    }


def is_empty(plan: planner.Plan) -> bool:
    return plan.status == planner.PlanStatus.EMPTY


def plan_summary(stored: StoredPlan) -> dict[str, Any]:
    """A stored plan's record as data: what `plan list` and the API show for each plan."""
    plan = stored.plan
    return {
        "id": stored.id,
        "state": stored.state.value,
        "status": plan.status.value,
        "method": plan.method,
        "objective": plan.objective,
        "gap": plan.gap,
        "assignments": len(plan.assignments),
        "carried": len(stored.carried),
        "builds_on": stored.builds_on,
        "created_at": stored.created_at.isoformat(),
        "created_by": stored.created_by,
        "accepted_at": None if stored.accepted_at is None else stored.accepted_at.isoformat(),
    }
