"""Where services get their engine, units of work, and a guard that the schema is up to date."""

from __future__ import annotations

import time
import weakref
from functools import cache

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from coalition.config import get_settings
from coalition.domain.access import Principal
from coalition.services.errors import ServiceError
from coalition.storage import migrate
from coalition.storage.engine import make_engine
from coalition.storage.unit_of_work import UnitOfWork


@cache
def engine_for(url: str) -> Engine:
    try:
        return make_engine(url)
    except (ArgumentError, NoSuchModuleError, ValueError):
        raise ServiceError(
            f"COALITION_DATABASE_URL '{url}' is not a database URL: use e.g. "
            "sqlite:///./coalition.db or postgresql+psycopg://user@host/db"
        ) from None


def default_engine() -> Engine:
    return engine_for(get_settings().database_url)


# When each engine's schema was last found at head. A server opens two units of work per
# request; checking the schema for each cost 4 of its 8 statements. Re-checking after a while
# still catches a database upgraded under a running server.
_SCHEMA_CHECKED: weakref.WeakKeyDictionary[Engine, float] = weakref.WeakKeyDictionary()
SCHEMA_RECHECK_SECONDS = 30.0


def require_schema(engine: Engine) -> None:
    checked = _SCHEMA_CHECKED.get(engine)
    if checked is not None and time.monotonic() - checked < SCHEMA_RECHECK_SECONDS:
        return
    _check_schema(engine)
    _SCHEMA_CHECKED[engine] = time.monotonic()


def _check_schema(engine: Engine) -> None:
    try:
        has_schema = inspect(engine).has_table("alembic_version")
    except OperationalError as error:
        raise ServiceError(
            f"cannot open the database at {shown(engine)}: {_first_line(error)}"
        ) from None
    if not has_schema:
        raise ServiceError(f"no Coalition database at {shown(engine)}: run `coalition init`")
    head = migrate.HEAD_REVISION
    with engine.connect() as connection:
        current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if current != head:
        raise ServiceError(
            f"database schema is at {current}, this version needs {head}: run `coalition init`"
        )


def initialise(engine: Engine | None = None) -> str:
    """Create or upgrade the schema; returns where the database is (password hidden)."""
    engine = engine or default_engine()
    try:
        migrate.upgrade(engine)
    except OperationalError as error:
        raise ServiceError(
            f"cannot open the database at {shown(engine)}: {_first_line(error)}"
        ) from None
    return shown(engine)


def reading(principal: Principal, engine: Engine | None = None) -> UnitOfWork:
    """A unit of work that only reads: it never waits for, nor blocks, a writer."""
    engine = engine or default_engine()
    require_schema(engine)
    return UnitOfWork(engine, principal, write=False)


def writing(principal: Principal, engine: Engine | None = None) -> UnitOfWork:
    """A unit of work that writes: one writer at a time, committed or rolled back whole."""
    engine = engine or default_engine()
    require_schema(engine)
    return UnitOfWork(engine, principal, write=True)


def shown(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _first_line(error: Exception) -> str:
    original = getattr(error, "orig", None) or error
    return str(original).strip().splitlines()[0] if str(original).strip() else type(error).__name__
