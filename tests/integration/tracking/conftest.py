"""Fixtures: a tracking ledger on each backend, and principals of every role."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from support_tracking import seed_tracking


@pytest.fixture
def ledger(engine: Engine, tmp_path: Path) -> Engine:
    return seed_tracking(engine, tmp_path)
