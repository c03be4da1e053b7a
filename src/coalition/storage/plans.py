"""Stored allocation plans and their assignments, read through the principal's filter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, select

from coalition.storage.tables import plan_assignments, plans
from coalition.storage.visibility import visible

if TYPE_CHECKING:
    from coalition.storage.unit_of_work import UnitOfWork

PLAN_ENTITY = "plan"


class PlanStore:
    def __init__(self, uow: UnitOfWork) -> None:
        self.connection = uow.connection
        self.principal = uow.principal

    def _plans(self) -> Select[Any]:
        return select(plans).where(visible(self.principal, PLAN_ENTITY, plans))

    def insert(self, record: Mapping[str, Any], assignments: Sequence[Mapping[str, Any]]) -> int:
        inserted = self.connection.execute(plans.insert().values(**record)).inserted_primary_key
        assert inserted is not None  # an INSERT with an autoincrement key always returns it
        plan_id = int(inserted[0])
        if assignments:
            self.connection.execute(
                plan_assignments.insert(), [{**a, "plan_id": plan_id} for a in assignments]
            )
        return plan_id

    def get(self, plan_id: int) -> dict[str, Any] | None:
        row = self.connection.execute(self._plans().where(plans.c.id == plan_id)).mappings()
        found = row.first()
        return None if found is None else dict(found)

    def latest(self) -> dict[str, Any] | None:
        row = self.connection.execute(self._plans().order_by(plans.c.id.desc()).limit(1))
        found = row.mappings().first()
        return None if found is None else dict(found)

    def in_force(self) -> dict[str, Any] | None:
        """The accepted plan nothing has superseded: it holds the allocation in force."""
        query = self._plans().where(
            plans.c.accepted_at.is_not(None), plans.c.superseded_by.is_(None)
        )
        found = self.connection.execute(query.order_by(plans.c.id.desc()).limit(1)).mappings()
        row = found.first()
        return None if row is None else dict(row)

    def newest(self, limit: int, offset: int = 0) -> list[dict[str, Any]]:
        query = self._plans().order_by(plans.c.id.desc()).limit(limit).offset(offset)
        return [dict(r) for r in self.connection.execute(query).mappings()]

    def count(self) -> int:
        query = self._plans().with_only_columns(func.count()).select_from(plans)
        return int(self.connection.execute(query).scalar_one())

    def assignments(self, plan_id: int) -> list[dict[str, Any]]:
        query = (
            select(plan_assignments)
            .where(plan_assignments.c.plan_id == plan_id)
            .order_by(plan_assignments.c.offer_key, plan_assignments.c.requirement_ref)
        )
        return [dict(r) for r in self.connection.execute(query).mappings()]

    def mark_accepted(self, plan_id: int, at: datetime, by: str) -> None:
        self.connection.execute(
            plans.update().where(plans.c.id == plan_id).values(accepted_at=at, accepted_by=by)
        )

    def mark_superseded(self, plan_id: int, by_plan: int, at: datetime) -> None:
        self.connection.execute(
            plans.update()
            .where(plans.c.id == plan_id)
            .values(superseded_by=by_plan, superseded_at=at)
        )
