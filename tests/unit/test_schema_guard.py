"""The schema guard: a unit of work on a database behind this version's schema is refused,
and a server does not pay for the check on every request (it is re-done after a while)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from coalition.domain.access import Principal
from coalition.services import database
from coalition.services.errors import ServiceError
from coalition.storage import migrate
from coalition.storage.engine import make_engine


def test_a_database_behind_the_schema_is_refused_and_a_current_one_checked_once(
    tmp_path, monkeypatch
):
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    with pytest.raises(ServiceError, match="coalition init"):
        database.reading(Principal("someone"), engine)
    migrate.upgrade(engine)
    with database.reading(Principal("someone"), engine):
        pass
    with engine.begin() as connection:  # as if an older release's schema were put back
        connection.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    with database.reading(Principal("someone"), engine):  # within the re-check interval
        pass
    monkeypatch.setattr(database, "SCHEMA_RECHECK_SECONDS", 0.0)
    with pytest.raises(ServiceError, match="schema is at older"):
        database.reading(Principal("someone"), engine)
    engine.dispose()
