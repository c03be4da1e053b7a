"""Stored responses of requests sent with an idempotency key (see services/idempotency.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from coalition.storage.jobs import aware
from coalition.storage.tables import idempotency_keys

if TYPE_CHECKING:
    from coalition.storage.unit_of_work import UnitOfWork


class IdempotencyStore:
    def __init__(self, uow: UnitOfWork) -> None:
        self.connection = uow.connection

    def get(self, user: str, key: str) -> dict[str, Any] | None:
        query = select(idempotency_keys).where(
            idempotency_keys.c.user_name == user, idempotency_keys.c.key == key
        )
        found = self.connection.execute(query).mappings().first()
        if found is None:
            return None
        row: dict[str, Any] = dict(found)
        row["created_at"] = aware(row["created_at"])
        return row

    def claim(self, record: Mapping[str, Any]) -> int:
        """Insert a claim (no response yet); IntegrityError when the user already holds the key."""
        inserted = self.connection.execute(
            idempotency_keys.insert().values(**record)
        ).inserted_primary_key
        assert inserted is not None
        return int(inserted[0])

    def complete(self, row_id: int, status: int, body: str) -> None:
        self.connection.execute(
            idempotency_keys.update()
            .where(idempotency_keys.c.id == row_id)
            .values(response_status=status, response_body=body)
        )

    def delete(self, row_id: int) -> None:
        self.connection.execute(idempotency_keys.delete().where(idempotency_keys.c.id == row_id))

    def purge(self, created_before: datetime) -> int:
        result = self.connection.execute(
            idempotency_keys.delete().where(idempotency_keys.c.created_at < created_before)
        )
        return int(result.rowcount or 0)
