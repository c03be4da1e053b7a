"""Engines for SQLite (default, WAL) and PostgreSQL, configured for safe concurrent writes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event

# Key in Connection.info: True when the transaction will write (set by the unit of work).
WRITE_INTENT = "coalition_write_intent"
# Key in Connection.info: seconds this transaction's writer may wait for another writer
# (set by a unit of work that overrides the engine's default, e.g. in tests).
BUSY_TIMEOUT = "coalition_busy_timeout"
# How long a writer waits for another writer before the user is told the database is busy.
BUSY_TIMEOUT_SECONDS = 10.0


def make_engine(url: str, *, busy_timeout: float | None = None, **kwargs: Any) -> Engine:
    """An engine whose writers wait at most `busy_timeout` seconds (default 10) for a lock."""
    wait = BUSY_TIMEOUT_SECONDS if busy_timeout is None else busy_timeout
    if url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine, wait)
        return engine
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    _configure_postgresql(engine, wait)
    return engine


def _milliseconds(connection: Any, default: float) -> int:
    seconds = float(connection.info.get(BUSY_TIMEOUT, default))
    return max(1, round(1000 * seconds))


def _configure_sqlite(engine: Engine, busy_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event decide when transactions start (pysqlite would
        # otherwise defer BEGIN until the first write, breaking all-or-nothing reads+writes).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={round(1000 * busy_timeout)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A writer takes the lock at the start (IMMEDIATE), so two writers never both read the
        # change-log tip and then collide when appending to the chain. A reader begins a
        # deferred transaction: in WAL mode it reads a consistent snapshot and never waits.
        # Connections opened outside a unit of work declare no intent: the schema check every
        # command runs first, migrations. They begin deferred, or the schema check of a mere
        # `list` would wait for a long writer (and a migration takes the lock at its first
        # write). Every unit of work declares its intent, so the change log stays serialised.
        if connection.info.get(WRITE_INTENT, False):
            # Set per transaction: a pooled connection may have served a unit of work that
            # asked for a different wait. After the wait SQLite raises "database is locked",
            # which the unit of work reports as DatabaseBusy.
            wait = _milliseconds(connection, busy_timeout)
            connection.exec_driver_sql(f"PRAGMA busy_timeout={wait}")
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def _configure_postgresql(engine: Engine, busy_timeout: float) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # PostgreSQL locks rows, not the database, so a writer only waits when it touches what
        # another holds (the change-log head, a record being updated). Bound that wait for
        # writers; LOCAL ends with the transaction, so a pooled connection keeps no setting.
        if connection.info.get(WRITE_INTENT, False):
            wait = _milliseconds(connection, busy_timeout)
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{wait}ms'")
