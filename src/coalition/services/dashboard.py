"""The dashboard's figures: the most critical open needs and the offers that could close them,
deliveries by month, and the latest changes — each computed over what the reader may see.

Every read goes through the repository, so a donor's desk officer finds only its own offers
among the candidates and only changes to records it may see; nothing here is invented: a
figure with no data behind it is empty, and the page says so.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from coalition.domain.access import read_scope
from coalition.domain.catalogue import Compatibility
from coalition.domain.lifecycle import offer_statuses
from coalition.domain.requirements import OPEN_REQUIREMENT_STATES
from coalition.registries.kinds import COMPATIBILITY, ITEM_TYPES, KINDS, OFFERS, REQUIREMENTS
from coalition.storage.plans import PLAN_ENTITY
from coalition.storage.unit_of_work import UnitOfWork

KIND_OF_ENTITY = {kind.entity: kind for kind in KINDS.values()}
MOST_CRITICAL = 10
CANDIDATES_SHOWN = 5
# How far back the recent-changes list looks for entries the reader may see.
CHANGES_SCANNED = 300


@dataclass(frozen=True)
class Candidate:
    offer: str  # donor:external id
    donor: str
    item_type: str
    quantity: int
    available_from: str


@dataclass(frozen=True)
class CriticalNeed:
    ref: str
    capability_area: str
    family: str
    platform: str | None
    quantity: int
    priority: int
    needed_by: str
    destination: str
    candidates: tuple[Candidate, ...]
    candidate_units: int  # all open units that could serve it, shown or not


@dataclass(frozen=True)
class MonthDeliveries:
    month: str  # YYYY-MM
    offers: int
    units: int


@dataclass(frozen=True)
class RecentChange:
    at: datetime
    actor: str
    entity: str
    key: str
    kind: str | None  # the registry it belongs to, for a link; None for plans, users, jobs
    action: str
    fields: tuple[str, ...]  # the fields the change touched


def critical_needs(uow: UnitOfWork, limit: int = MOST_CRITICAL) -> list[CriticalNeed]:
    """Open requirements, highest priority and soonest needed first, each with the open offers
    whose item type serves it (largest first)."""
    items = [ITEM_TYPES.from_row(r) for r in uow.records(ITEM_TYPES).find()]
    rules = [COMPATIBILITY.from_row(r) for r in uow.records(COMPATIBILITY).find()]
    compatibility = Compatibility.build(items, rules)
    open_states = [str(s) for s in OPEN_REQUIREMENT_STATES]
    needs = uow.records(REQUIREMENTS).find(within={"status": open_states})
    needs.sort(key=lambda r: (r["priority"], r["needed_by"], r["ref"]))
    offers = uow.records(OFFERS).find(within={"status": offer_statuses(open=True)})
    offers.sort(key=lambda r: (-r["quantity"], OFFERS.key_of(r)))
    critical = []
    for need in needs[:limit]:
        serving = [
            o
            for o in offers
            if compatibility.serves(o["item_type_code"], need["family_code"], need["platform_code"])
        ]
        critical.append(
            CriticalNeed(
                need["ref"],
                str(need["capability_area"]),
                need["family_code"],
                need["platform_code"],
                int(need["quantity"]),
                int(need["priority"]),
                need["needed_by"].isoformat(),
                need["destination_code"],
                tuple(
                    Candidate(
                        OFFERS.key_of(o),
                        o["donor_code"],
                        o["item_type_code"],
                        int(o["quantity"]),
                        o["available_from"].isoformat(),
                    )
                    for o in serving[:CANDIDATES_SHOWN]
                ),
                sum(int(o["quantity"]) for o in serving),
            )
        )
    return critical


def deliveries_by_month(uow: UnitOfWork) -> list[MonthDeliveries]:
    """Delivered offers the reader may see, by month of delivery, oldest first."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in uow.records(OFFERS).find({"status": "delivered"}):
        if row["delivered_on"] is None:
            continue
        month = counts[row["delivered_on"].strftime("%Y-%m")]
        month[0] += 1
        month[1] += int(row["quantity"])
    return [MonthDeliveries(m, c[0], c[1]) for m, c in sorted(counts.items())]


def recent_changes(uow: UnitOfWork, limit: int = 10) -> list[RecentChange]:
    """The newest changes to records and plans the reader may see now (a record it may not
    see, a staff-only plan, or an account's sign-in, is left out, so its key never shows)."""
    shown: list[RecentChange] = []
    for entry in uow.latest_changes(CHANGES_SCANNED):
        if len(shown) == limit:
            break
        entity, key = entry["entity"], entry["entity_key"]
        kind = KIND_OF_ENTITY.get(entity)
        if kind is None:
            # Plans are news to whoever may see them; accounts and sign-ins are not.
            if entity == PLAN_ENTITY and read_scope(uow.principal, entity, False).everything:
                shown.append(_change(entry, None))
            continue
        try:
            visible = uow.records(kind).get(key) is not None
        except ValueError:
            visible = False
        if visible:
            shown.append(_change(entry, kind.name))
    return shown


def _change(entry: dict[str, Any], kind: str | None) -> RecentChange:
    after = entry.get("after")
    values = json.loads(after) if isinstance(after, str) else after or {}
    before_text = entry.get("before")
    before = json.loads(before_text) if isinstance(before_text, str) else before_text or {}
    touched = tuple(sorted(k for k in values if before.get(k) != values.get(k)))
    return RecentChange(
        entry["at"], entry["actor"], entry["entity"], entry["entity_key"], kind,
        entry["action"], touched if before else (),
    )  # fmt: skip
