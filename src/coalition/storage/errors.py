"""Errors the storage layer raises for interfaces to report in one line."""

from __future__ import annotations

import sqlite3

BUSY_MESSAGE = "the database is busy with another write; try again in a moment"

# PostgreSQL's SQLSTATE for "lock_timeout expired" (lock_not_available).
_PG_LOCK_NOT_AVAILABLE = "55P03"


class DatabaseBusy(Exception):
    """Another writer held the database for longer than a writer is allowed to wait.

    Nothing of the waiting unit of work was written; trying again later is safe.
    """

    def __init__(self, message: str = BUSY_MESSAGE) -> None:
        super().__init__(message)


def is_busy(error: BaseException) -> bool:
    """Whether a driver error means "another transaction holds the lock we waited for"."""
    from sqlalchemy.exc import DBAPIError  # here, so the CLI can catch DatabaseBusy cheaply

    if not isinstance(error, DBAPIError):
        return False
    original = error.orig
    if isinstance(original, sqlite3.OperationalError):
        # SQLITE_BUSY (5) after busy_timeout; SQLITE_BUSY_SNAPSHOT etc. share the low byte.
        code = getattr(original, "sqlite_errorcode", None)
        return (code is not None and code & 0xFF == sqlite3.SQLITE_BUSY) or (
            "database is locked" in str(original)
        )
    return getattr(original, "sqlstate", None) == _PG_LOCK_NOT_AVAILABLE
