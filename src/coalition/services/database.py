"""Where services get their engine, and a guard that the schema is up to date."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Engine, inspect, text

from coalition.config import get_settings
from coalition.services.errors import ServiceError
from coalition.storage import migrate
from coalition.storage.engine import make_engine
from coalition.storage.unit_of_work import UnitOfWork


@cache
def engine_for(url: str) -> Engine:
    return make_engine(url)


def default_engine() -> Engine:
    return engine_for(get_settings().database_url)


def require_schema(engine: Engine) -> None:
    if not inspect(engine).has_table("alembic_version"):
        raise ServiceError(f"no Coalition database at {_shown(engine)}: run `coalition init`")
    head = migrate.head_revision()
    with engine.connect() as connection:
        current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if current != head:
        raise ServiceError(
            f"database schema is at {current}, this version needs {head}: run `coalition init`"
        )


def unit_of_work(actor: str, engine: Engine | None = None) -> UnitOfWork:
    engine = engine or default_engine()
    require_schema(engine)
    return UnitOfWork(engine, actor)


def _shown(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)
