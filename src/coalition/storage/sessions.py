"""Stored web sessions: the digest of each session id, its CSRF token, user and expiry."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select

from coalition.storage.tables import users, web_sessions

if TYPE_CHECKING:
    from coalition.storage.unit_of_work import UnitOfWork


class SessionStore:
    def __init__(self, uow: UnitOfWork) -> None:
        self.connection = uow.connection

    def add(
        self, user_id: int, digest: str, csrf_token: str, at: datetime, expires: datetime
    ) -> None:
        self.connection.execute(
            web_sessions.insert().values(
                user_id=user_id,
                digest=digest,
                csrf_token=csrf_token,
                created_at=at,
                expires_at=expires,
            )
        )

    def by_digest(self, digest: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(session row, user row) for a session digest, or None."""
        session = (
            self.connection.execute(select(web_sessions).where(web_sessions.c.digest == digest))
            .mappings()
            .first()
        )
        if session is None:
            return None
        user = self.connection.execute(select(users).where(users.c.id == session["user_id"]))
        return dict(session), dict(user.mappings().one())

    def remove(self, digest: str) -> int:
        result = self.connection.execute(
            delete(web_sessions).where(web_sessions.c.digest == digest)
        )
        return int(result.rowcount or 0)

    def remove_for_user(self, user_id: int) -> int:
        result = self.connection.execute(
            delete(web_sessions).where(web_sessions.c.user_id == user_id)
        )
        return int(result.rowcount or 0)

    def remove_expired(self, now: datetime) -> int:
        result = self.connection.execute(
            delete(web_sessions).where(web_sessions.c.expires_at <= now)
        )
        return int(result.rowcount or 0)
