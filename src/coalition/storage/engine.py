"""Engines for SQLite (default, WAL) and PostgreSQL, configured for safe concurrent writes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event

# Key in Connection.info: True when the transaction will write (set by the unit of work).
WRITE_INTENT = "coalition_write_intent"
# How long a writer waits for another writer before the user is told the database is busy.
BUSY_TIMEOUT_MS = 10_000


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event decide when transactions start (pysqlite would
        # otherwise defer BEGIN until the first write, breaking all-or-nothing reads+writes).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A writer takes the lock at the start (IMMEDIATE), so two writers never both read the
        # change-log tip and then collide when appending to the chain. A reader begins a
        # deferred transaction: in WAL mode it reads a consistent snapshot and never waits.
        if connection.info.get(WRITE_INTENT, True):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")
