"""Fixtures shared by all tests: databases on SQLite and, when available, PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine, text

from coalition.storage import migrate
from coalition.storage.engine import make_engine

POSTGRES_URL = os.environ.get("COALITION_TEST_DATABASE_URL")

# Property tests are deterministic in CI and under `make test` (same examples every run, no
# example database), so a green run never depends on luck; `HYPOTHESIS_PROFILE=explore` lets a
# developer search new examples on purpose.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True, scope="session")
def _log_to_a_temporary_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Commands run by tests (in process or as subprocesses) log here, not in the home folder."""
    wanted = os.environ.get("COALITION_LOG_FILE")
    os.environ["COALITION_LOG_FILE"] = str(tmp_path_factory.mktemp("log") / "coalition.log")
    yield
    if wanted is None:
        os.environ.pop("COALITION_LOG_FILE", None)
    else:
        os.environ["COALITION_LOG_FILE"] = wanted


def _postgres_engine() -> Iterator[Engine]:
    """A fresh schema per test on the shared server, so parallel workers never collide."""
    assert POSTGRES_URL
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(
                not POSTGRES_URL, reason="COALITION_TEST_DATABASE_URL not set: PostgreSQL skipped"
            ),
        ],
    ),
]


@pytest.fixture(params=BACKENDS)
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database (no schema), on each backend."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'coalition.db'}")
        yield engine
        engine.dispose()
    else:
        yield from _postgres_engine()


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    """An engine on a migrated, empty ledger, on each backend."""
    migrate.upgrade(empty_engine)
    return empty_engine


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'coalition.db'}")
    migrate.upgrade(engine)
    yield engine
    engine.dispose()
