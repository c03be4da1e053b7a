"""Allocation use cases: snapshot the ledger, plan, store the plan as a version, explain, accept.

The planner itself is pure (`planning.allocation`); this module only copies the ledger into its
snapshot and plans back into storage.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from coalition.domain.catalogue import Compatibility
from coalition.domain.errors import IllegalTransition
from coalition.domain.lifecycle import OfferStatus, check_transition
from coalition.domain.requirements import OPEN_REQUIREMENT_STATES
from coalition.planning import allocation as planner
from coalition.planning.allocation.snapshot_io import plan_as_dict
from coalition.registries.kinds import COMPATIBILITY, ITEM_TYPES, OFFERS
from coalition.services.errors import NotFound, ServiceError
from coalition.storage.changelog import Change
from coalition.storage.repository import Repository
from coalition.storage.tables import fleet, offers, plan_assignments, plans, requirements
from coalition.storage.unit_of_work import UnitOfWork

OPEN_REQUIREMENTS = [str(status) for status in OPEN_REQUIREMENT_STATES]
DEFAULT_TRANSIT_DAYS = 14


@dataclass(frozen=True)
class StoredPlan:
    id: int
    plan: planner.Plan
    created_at: datetime
    created_by: str
    accepted_at: datetime | None


def transit_table() -> dict[str, int]:
    """Days from a donor country to Ukraine's depots: a planning table until logistics exists."""
    path = Path(str(resources.files("coalition").joinpath("data", "transit_days.csv")))
    with path.open(encoding="utf-8") as handle:
        return {row["origin_country"]: int(row["days"]) for row in csv.DictReader(handle)}


def build_snapshot(uow: UnitOfWork, parameters: planner.Parameters) -> planner.Snapshot:
    connection = uow.connection
    items = [ITEM_TYPES.from_row(r) for r in Repository(uow, ITEM_TYPES).list({})]
    rules = [COMPATIBILITY.from_row(r) for r in Repository(uow, COMPATIBILITY).list({})]
    compatibility = Compatibility.build(items, rules)
    families = {item.code: item.family_code for item in items}

    already = _accepted_quantities(uow)
    reqs = []
    for row in connection.execute(
        select(requirements).where(requirements.c.status.in_(OPEN_REQUIREMENTS))
    ).mappings():
        remaining = row["quantity"] - int(already.get(row["ref"], 0))
        if remaining <= 0:
            continue
        reqs.append(
            planner.Requirement(
                id=row["ref"],
                capability_area=row["capability_area"],
                family=_need_family(row["family_code"], row["platform_code"]),
                quantity=remaining,
                priority=row["priority"],
                needed_by=row["needed_by"],
                destination=row["destination_code"],
            )
        )
    # A need for one platform's items (e.g. spares for PzH 2000) is its own planning family,
    # served by exactly the item types the catalogue says serve that platform.
    served: dict[str, set[str]] = defaultdict(set)
    for need in {r.family for r in reqs}:
        family, _, platform = need.partition("@")
        for item in items:
            if compatibility.serves(item.code, family, platform or None):
                served[item.code].add(need)
    values = {i.code: float(i.reference_value_eur or 0) for i in items}
    transit = transit_table()
    offer_rows = connection.execute(
        select(offers).where(offers.c.status == OfferStatus.OFFERED.value)
    ).mappings()
    offered = []
    days: dict[tuple[str, str], int] = {}
    destinations = {r.destination for r in reqs}
    for row in offer_rows:
        offered.append(
            planner.Offer(
                id=f"{row['donor_code']}:{row['external_id']}",
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
        country = row["origin"][:3]
        for destination in destinations:
            days[(row["origin"], destination)] = transit.get(country, DEFAULT_TRANSIT_DAYS)
    in_service = {
        (families[code], code)
        for code, quantity in connection.execute(select(fleet.c.item_type_code, fleet.c.quantity))
        if quantity > 0 and code in families
    }
    return planner.Snapshot(
        requirements=tuple(reqs),
        offers=tuple(offered),
        item_types=tuple(planner.ItemType(i.code, i.family_code, i.is_platform) for i in items),
        compatibility={code: frozenset(needs) for code, needs in served.items()},
        fleet=frozenset(in_service),
        transit_days=days,
        parameters=parameters,
    )


def _need_family(family: str, platform: str | None) -> str:
    return f"{family}@{platform}" if platform else family


def _accepted_quantities(uow: UnitOfWork) -> dict[str, float]:
    """Units already promised to each requirement by accepted plans (offers still alive)."""
    alive = (OfferStatus.DECLINED.value, OfferStatus.WITHDRAWN.value)
    key = offers.c.donor_code + ":" + offers.c.external_id
    query = (
        select(plan_assignments.c.requirement_ref, func.sum(plan_assignments.c.quantity))
        .join(plans, plans.c.id == plan_assignments.c.plan_id)
        .join(offers, key == plan_assignments.c.offer_key)
        .where(plans.c.accepted_at.is_not(None), offers.c.status.not_in(alive))
        .group_by(plan_assignments.c.requirement_ref)
    )
    return {ref: float(total) for ref, total in uow.connection.execute(query)}


def run(
    uow: UnitOfWork, parameters: planner.Parameters, method: str = "milp"
) -> tuple[StoredPlan, planner.Snapshot]:
    """Solve and store the plan as a new version (plans are never overwritten)."""
    snapshot = build_snapshot(uow, parameters)
    plan = planner.allocate(snapshot, method)  # type: ignore[arg-type]
    if plan.status == planner.PlanStatus.INVALID_INPUT:
        # Nothing was planned, so nothing is stored: the coordinator fixes the pin and re-runs.
        raise ServiceError("cannot plan: " + "; ".join(plan.messages))
    stored = _store(uow, plan)
    uow.commit()
    return stored, snapshot


def _store(uow: UnitOfWork, plan: planner.Plan) -> StoredPlan:
    now = datetime.now(UTC)
    summary = {
        "new_types": [list(t) for t in plan.new_types],
        "messages": list(plan.messages),
        "area_coverage": [a.__dict__ for a in plan.area_coverage],
        "components": len(plan.components),
    }
    plan_id = uow.connection.execute(
        plans.insert().values(
            created_at=now,
            created_by=uow.actor,
            method=plan.method,
            status=str(plan.status),
            objective=plan.objective,
            best_bound=plan.best_bound,
            gap=plan.gap,
            build_seconds=plan.build_seconds,
            solve_seconds=plan.solve_seconds,
            solver=plan.solver,
            snapshot_hash=plan.snapshot_hash,
            parameters=json.dumps(plan.parameters, sort_keys=True, default=str),
            summary=json.dumps(summary, sort_keys=True, default=str),
        )
    ).inserted_primary_key[0]
    if plan.assignments:
        uow.connection.execute(
            plan_assignments.insert(),
            [
                {
                    "plan_id": plan_id,
                    "offer_key": a.offer_id,
                    "requirement_ref": a.requirement_id,
                    "quantity": a.quantity,
                    "arrival": a.arrival,
                    "lateness_factor": a.lateness_factor,
                    "value": a.value,
                }
                for a in plan.assignments
            ],
        )
    record = {k: v for k, v in plan_as_dict(plan).items() if k != "assignments"}
    record["assignments"] = len(plan.assignments)
    uow.changes.record([Change("plan", str(plan_id), "create", None, record)])
    return StoredPlan(plan_id, plan, now, uow.actor, None)


def get_plan(uow: UnitOfWork, plan_id: int | None = None) -> StoredPlan:
    """A stored plan (the latest when no id is given), rebuilt as the planner's Plan."""
    query = select(plans)
    query = query.where(plans.c.id == plan_id) if plan_id else query.order_by(plans.c.id.desc())
    row = uow.connection.execute(query.limit(1)).mappings().first()
    if row is None:
        raise NotFound(f"no plan {plan_id}" if plan_id else "no plan yet: run `coalition allocate`")
    assignments = tuple(
        planner.Assignment(
            a["offer_key"],
            a["requirement_ref"],
            a["quantity"],
            a["arrival"],
            a["lateness_factor"],
            a["value"],
        )
        for a in uow.connection.execute(
            select(plan_assignments)
            .where(plan_assignments.c.plan_id == row["id"])
            .order_by(plan_assignments.c.offer_key, plan_assignments.c.requirement_ref)
        ).mappings()
    )
    summary = json.loads(row["summary"])
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
        assignments=assignments,
        new_types=tuple(tuple(t) for t in summary["new_types"]),  # type: ignore[misc]
        messages=tuple(summary["messages"]),
    )
    return StoredPlan(row["id"], plan, row["created_at"], row["created_by"], row["accepted_at"])


def current_plan(
    uow: UnitOfWork, parameters: planner.Parameters
) -> tuple[StoredPlan, planner.Snapshot, bool]:
    """The latest plan if it was made from today's ledger, else a fresh one (stored)."""
    snapshot = build_snapshot(uow, parameters)
    try:
        latest = get_plan(uow)
        if latest.plan.snapshot_hash == planner.snapshot_hash(snapshot):
            return latest, snapshot, False
    except NotFound:
        pass
    stored, snapshot = run(uow, parameters)
    return stored, snapshot, True


def accept(uow: UnitOfWork, plan_id: int) -> list[str]:
    """Accept a plan: each offer it uses moves offered → accepted, with change-log entries."""
    stored = get_plan(uow, plan_id)
    if stored.accepted_at is not None:
        raise ServiceError(f"plan {plan_id} was already accepted on {stored.accepted_at:%Y-%m-%d}")
    if not stored.plan.is_usable:
        raise ServiceError(f"plan {plan_id} is {stored.plan.status.value}: nothing to accept")
    repository = Repository(uow, OFFERS)
    keys = sorted({a.offer_id for a in stored.plan.assignments})
    changes, updates = [], []
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
        changes.append(Change("offer", key, "update", before, after))
    repository.update(updates)
    now = datetime.now(UTC)
    uow.connection.execute(
        plans.update().where(plans.c.id == plan_id).values(accepted_at=now, accepted_by=uow.actor)
    )
    changes.append(
        Change(
            "plan",
            str(plan_id),
            "update",
            {"accepted_at": None},
            {"accepted_at": now.isoformat(), "accepted_by": uow.actor},
        )
    )
    uow.changes.record(changes)
    uow.commit()
    return keys


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
