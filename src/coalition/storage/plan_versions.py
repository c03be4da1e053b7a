"""A store of versioned plans (logistics, training): rows never overwritten, one accepted plan
in force that nothing has superseded, every read through the principal's filter (these plans
are for coordination staff only, `domain/access.STAFF_ONLY_ENTITIES`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import Select, Table, func, select

from coalition.storage.visibility import visible

if TYPE_CHECKING:
    from coalition.storage.unit_of_work import UnitOfWork


class VersionedPlanStore:
    """Subclasses name their `table` and change-log `entity`."""

    table: ClassVar[Table]
    entity: ClassVar[str]

    def __init__(self, uow: UnitOfWork) -> None:
        self.connection = uow.connection
        self.principal = uow.principal

    def _plans(self) -> Select[Any]:
        return select(self.table).where(visible(self.principal, self.entity, self.table))

    def insert(self, record: Mapping[str, Any]) -> int:
        result = self.connection.execute(self.table.insert().values(**record))
        inserted = result.inserted_primary_key
        assert inserted is not None  # an INSERT with an autoincrement key always returns it
        return int(inserted[0])

    def get(self, plan_id: int) -> dict[str, Any] | None:
        found = self.connection.execute(self._plans().where(self.table.c.id == plan_id))
        row = found.mappings().first()
        return None if row is None else dict(row)

    def in_force(self) -> dict[str, Any] | None:
        """The accepted plan nothing has superseded."""
        c = self.table.c
        query = self._plans().where(c.accepted_at.is_not(None), c.superseded_by.is_(None))
        found = self.connection.execute(query.order_by(c.id.desc()).limit(1))
        row = found.mappings().first()
        return None if row is None else dict(row)

    def newest(self, limit: int, offset: int = 0) -> list[dict[str, Any]]:
        query = self._plans().order_by(self.table.c.id.desc()).limit(limit).offset(offset)
        return [dict(r) for r in self.connection.execute(query).mappings()]

    def count(self) -> int:
        query = self._plans().with_only_columns(func.count()).select_from(self.table)
        return int(self.connection.execute(query).scalar_one())

    def mark_accepted(self, plan_id: int, at: datetime, by: str) -> None:
        self.connection.execute(
            self.table.update()
            .where(self.table.c.id == plan_id)
            .values(accepted_at=at, accepted_by=by)
        )

    def mark_superseded(self, plan_id: int, by_plan: int) -> None:
        self.connection.execute(
            self.table.update().where(self.table.c.id == plan_id).values(superseded_by=by_plan)
        )
