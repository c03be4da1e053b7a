"""Stored accounts and API tokens (hashes only; see storage/tables.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from coalition.storage.tables import api_tokens, users

if TYPE_CHECKING:
    from coalition.storage.unit_of_work import UnitOfWork


class AccountStore:
    def __init__(self, uow: UnitOfWork) -> None:
        self.connection = uow.connection

    def any(self) -> bool:
        return self.connection.execute(select(users.c.id).limit(1)).first() is not None

    def get(self, name: str) -> dict[str, Any] | None:
        row = self.connection.execute(select(users).where(users.c.name == name)).mappings()
        found = row.first()
        return None if found is None else dict(found)

    def all(self) -> list[dict[str, Any]]:
        query = select(users).order_by(users.c.name)
        return [dict(r) for r in self.connection.execute(query).mappings()]

    def insert(self, record: Mapping[str, Any]) -> int:
        inserted = self.connection.execute(users.insert().values(**record)).inserted_primary_key
        assert inserted is not None
        return int(inserted[0])

    def update(self, user_id: int, **values: Any) -> None:
        self.connection.execute(users.update().where(users.c.id == user_id).values(**values))

    def add_token(self, user_id: int, digest: str, at: datetime, expires: datetime) -> None:
        self.connection.execute(
            api_tokens.insert().values(
                user_id=user_id, digest=digest, created_at=at, expires_at=expires
            )
        )

    def by_token(self, digest: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(token row, user row) for a token digest, or None."""
        query = (
            select(api_tokens, users.c.name)
            .join(users, users.c.id == api_tokens.c.user_id)
            .where(api_tokens.c.digest == digest)
        )
        token = self.connection.execute(query).mappings().first()
        if token is None:
            return None
        user = self.connection.execute(select(users).where(users.c.id == token["user_id"]))
        return dict(token), dict(user.mappings().one())

    def revoke_tokens(self, user_id: int, at: datetime) -> int:
        result = self.connection.execute(
            api_tokens.update()
            .where(api_tokens.c.user_id == user_id, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return int(result.rowcount or 0)
