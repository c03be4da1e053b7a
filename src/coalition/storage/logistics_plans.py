"""Stored logistics plans, read through the principal's filter (coordination staff only)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, select

from coalition.storage.tables import logistics_plans
from coalition.storage.visibility import visible

if TYPE_CHECKING:
    from coalition.storage.unit_of_work import UnitOfWork

LOGISTICS_PLAN_ENTITY = "logistics_plan"


class LogisticsPlanStore:
    def __init__(self, uow: UnitOfWork) -> None:
        self.connection = uow.connection
        self.principal = uow.principal

    def _plans(self) -> Select[Any]:
        condition = visible(self.principal, LOGISTICS_PLAN_ENTITY, logistics_plans)
        return select(logistics_plans).where(condition)

    def insert(self, record: Mapping[str, Any]) -> int:
        result = self.connection.execute(logistics_plans.insert().values(**record))
        inserted = result.inserted_primary_key
        assert inserted is not None  # an INSERT with an autoincrement key always returns it
        return int(inserted[0])

    def get(self, plan_id: int) -> dict[str, Any] | None:
        found = self.connection.execute(self._plans().where(logistics_plans.c.id == plan_id))
        row = found.mappings().first()
        return None if row is None else dict(row)

    def in_force(self) -> dict[str, Any] | None:
        """The accepted logistics plan nothing has superseded."""
        query = self._plans().where(
            logistics_plans.c.accepted_at.is_not(None), logistics_plans.c.superseded_by.is_(None)
        )
        found = self.connection.execute(query.order_by(logistics_plans.c.id.desc()).limit(1))
        row = found.mappings().first()
        return None if row is None else dict(row)

    def newest(self, limit: int, offset: int = 0) -> list[dict[str, Any]]:
        query = self._plans().order_by(logistics_plans.c.id.desc()).limit(limit).offset(offset)
        return [dict(r) for r in self.connection.execute(query).mappings()]

    def count(self) -> int:
        query = self._plans().with_only_columns(func.count()).select_from(logistics_plans)
        return int(self.connection.execute(query).scalar_one())

    def mark_accepted(self, plan_id: int, at: datetime, by: str) -> None:
        self.connection.execute(
            logistics_plans.update()
            .where(logistics_plans.c.id == plan_id)
            .values(accepted_at=at, accepted_by=by)
        )

    def mark_superseded(self, plan_id: int, by_plan: int) -> None:
        self.connection.execute(
            logistics_plans.update()
            .where(logistics_plans.c.id == plan_id)
            .values(superseded_by=by_plan)
        )
