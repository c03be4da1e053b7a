"""What every versioned plan (logistics, training) shares: only coordination staff plan and
accept, and accepting one supersedes the one in force, both logged in the change log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from coalition.domain.access import Principal, may_write
from coalition.services.errors import Forbidden, NotFound
from coalition.storage.changelog import Change
from coalition.storage.plan_versions import VersionedPlanStore
from coalition.storage.unit_of_work import UnitOfWork


def require_staff(principal: Principal, entity: str, what: str) -> None:
    """Refuse a principal who may not write plans of `entity` (admins and coordinators may)."""
    if not may_write(principal, entity, None):
        raise Forbidden(f"{principal.user} ({principal.role}) may not {what}")


def mark_in_force(uow: UnitOfWork, store: VersionedPlanStore, plan_id: int) -> int | None:
    """Mark a plan accepted now and the one in force before it superseded, logging both; the
    caller has checked the plan may be accepted, and commits. Returns the superseded id."""
    now = datetime.now(UTC)
    previous = store.in_force()
    store.mark_accepted(plan_id, now, uow.actor)
    changes = [
        Change(store.entity, str(plan_id), "update", {"accepted_at": None},
               {"accepted_at": now.isoformat(), "accepted_by": uow.actor})
    ]  # fmt: skip
    superseded = None if previous is None else int(previous["id"])
    if superseded is not None:
        store.mark_superseded(superseded, plan_id)
        changes.append(Change(store.entity, str(superseded), "update",
                              {"superseded_by": None}, {"superseded_by": plan_id}))  # fmt: skip
    uow.changes.record(changes)
    return superseded


def find_plan(store: VersionedPlanStore, plan_id: int, name: str, listing: str) -> dict[str, Any]:
    """A stored plan's row, or NotFound naming the command that lists them (a plan the
    principal may not see is not found either)."""
    if isinstance(plan_id, bool) or plan_id < 1:
        raise NotFound(f"no {name} {plan_id}: ids start at 1")
    row = store.get(plan_id)
    if row is None:
        raise NotFound(f"no {name} {plan_id} (`{listing}`)")
    return row
