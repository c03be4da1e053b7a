"""Fixtures: the API on a seeded ledger with one user of each role and a token for each."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_support import Api, seed
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from coalition.api import create_app


@pytest.fixture
def api(engine: Engine, tmp_path: Path) -> Api:
    """On each backend (SQLite, and PostgreSQL when configured)."""
    tokens = seed(engine, tmp_path)
    return Api(
        TestClient(create_app(engine), raise_server_exceptions=False), engine, tokens, tmp_path
    )


@pytest.fixture
def sqlite_api(sqlite_engine: Engine, tmp_path: Path) -> Api:
    tokens = seed(sqlite_engine, tmp_path)
    return Api(
        TestClient(create_app(sqlite_engine), raise_server_exceptions=False),
        sqlite_engine,
        tokens,
        tmp_path,
    )
