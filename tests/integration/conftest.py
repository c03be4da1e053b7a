"""The seeded ledger fixture used by the ledger integration tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from support_ledger import SEED, import_text


@pytest.fixture
def seeded(engine: Engine, tmp_path: Path) -> Engine:
    for kind, text in SEED.items():
        import_text(engine, tmp_path, kind, text)
    return engine
