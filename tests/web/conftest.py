"""Fixtures of the web tests: a seeded ledger (a user of each role) and browsers on it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine
from web_support import Browser, browser

from api.api_support import seed
from support_ledger import BURDEN_SEED, import_text


@pytest.fixture
def seeded(sqlite_engine: Engine, tmp_path: Path) -> Engine:
    seed(sqlite_engine, tmp_path)
    for kind, text in BURDEN_SEED.items():  # so the burden pages have a year to show
        import_text(sqlite_engine, tmp_path, kind, text)
    return sqlite_engine


@pytest.fixture
def new_browser(seeded: Engine) -> Callable[[], Browser]:
    return lambda: browser(seeded)


@pytest.fixture
def signed_in(new_browser: Callable[[], Browser]) -> Callable[[str], Browser]:
    """A browser with `user` logged in."""

    def make(user: str) -> Browser:
        b = new_browser()
        assert b.log_in(user).status_code == 303
        return b

    return make
