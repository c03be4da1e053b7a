"""A process killed in the middle of an import leaves no partial rows."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from coalition.storage.engine import make_engine
from coalition.storage.tables import offers
from support_ledger import OFFERS_HEADER, SEED, add_admin, database_content, import_text

ROWS = 60_000


def test_sigkill_during_an_import_leaves_no_partial_rows(sqlite_engine, tmp_path: Path):
    for kind, text in SEED.items():
        import_text(sqlite_engine, tmp_path, kind, text)
    user = add_admin(sqlite_engine)
    big = tmp_path / "offers.csv"
    with big.open("w") as handle:
        handle.write(OFFERS_HEADER)
        for i in range(ROWS):
            handle.write(f"DEU,OF-{i},HE155,{1000 + i},2026-01-01,DEU,new,,EUR,,offered,\n")
    before = database_content(sqlite_engine)
    sqlite_engine.dispose()
    database = Path(sqlite_engine.url.database)
    wal = database.with_name(database.name + "-wal")
    wal_size_at_rest = wal.stat().st_size if wal.exists() else 0

    process = subprocess.Popen(
        [sys.executable, "-m", "coalition", "import", "offers", str(big)],
        env={
            **os.environ,
            "COALITION_DATABASE_URL": str(sqlite_engine.url),
            "COALITION_USER": user,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Wait until the import is writing rows (its uncommitted pages spill into the WAL), then kill.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if wal.exists() and wal.stat().st_size > wal_size_at_rest + 2_000_000:
            break
        time.sleep(0.005)
    assert process.poll() is None, "the import finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    engine = make_engine(str(sqlite_engine.url))
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(offers)).scalar_one() == 0
    assert database_content(engine) == before
    engine.dispose()
