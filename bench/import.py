"""Import benchmark: 100,000 offer rows with full validation vs pandas `to_sql` (no validation).

Run: .venv/bin/python bench/import.py [--rows 100000]
Both paths start from the same CSV and write to a fresh SQLite file on the same disk.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from coalition.cli.progress import ProgressBar
from coalition.domain.access import Principal
from coalition.services import ledger
from coalition.storage import migrate
from coalition.storage.engine import make_engine
from coalition.storage.tables import change_log, offers
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import OFFERS_HEADER, SEED

ITEMS = ("PZH2000", "KRAB", "HE155")
DONORS = ("DEU", "POL")


def write_offers(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = date(2026, 1, 1)
    with path.open("w", encoding="utf-8") as handle:
        handle.write(OFFERS_HEADER)
        for i in range(rows):
            donor = DONORS[i % 2]
            value = f"{rng.randint(1, 10**7)}.{rng.randint(0, 99):02d}" if i % 3 else ""
            handle.write(
                f"{donor},OF-{i:06d},{rng.choice(ITEMS)},{rng.randint(1, 5000)},"
                f"{start + timedelta(days=rng.randint(0, 700))},{donor},"
                f"{rng.choice(('new', 'used'))},{value},EUR,,offered,\n"
            )


def seeded_engine(directory: Path, name: str):
    engine = make_engine(f"sqlite:///{directory / name}")
    migrate.upgrade(engine)
    for kind, text in SEED.items():
        path = directory / f"{name}-{kind}.csv"
        path.write_text(text)
        with UnitOfWork(engine, Principal("bench")) as uow:
            ledger.import_file(uow, kind, path)
    return engine


class TimedBar(ProgressBar):
    """The CLI's progress bar, noting when each phase (validate, write) starts."""

    def __init__(self) -> None:
        super().__init__()
        self.phases: list[tuple[str, float]] = []

    def start(self, phase: str, total: int) -> None:
        self.phases.append((phase.split()[0], time.perf_counter()))
        super().start(phase, total)


def count(engine, table) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def run_coalition(directory: Path, csv: Path) -> tuple[float, dict[str, float], int, int]:
    engine = seeded_engine(directory, "coalition.db")
    logged_before = count(engine, change_log)
    started = time.perf_counter()
    with UnitOfWork(engine, Principal("bench")) as uow, TimedBar() as bar:
        ledger.import_file(uow, "offers", csv, bar)
    elapsed = time.perf_counter() - started
    marks = [("reading", started), *bar.phases, ("end", started + elapsed)]
    phases = {name: marks[i + 1][1] - at for i, (name, at) in enumerate(marks[:-1])}
    stored, logged = count(engine, offers), count(engine, change_log) - logged_before
    engine.dispose()
    return elapsed, phases, stored, logged


def run_pandas(directory: Path, csv: Path) -> tuple[float, int]:
    engine = make_engine(f"sqlite:///{directory / 'pandas.db'}")
    started = time.perf_counter()
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    frame.to_sql("offers", engine, index=False, if_exists="append", chunksize=5000)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, len(frame)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        csv = directory / "offers.csv"
        write_offers(csv, args.rows)
        pandas_seconds, pandas_rows = run_pandas(directory, csv)
        ours_seconds, phases, stored, logged = run_coalition(directory, csv)
    assert stored == args.rows == pandas_rows
    table = Table(title=f"Import of {args.rows:,} offer rows into SQLite (WAL)")
    for name in ("method", "validation", "change log", "seconds", "rows/s", "vs baseline"):
        table.add_column(name, justify="right" if name not in ("method",) else "left")
    table.add_row(
        "pandas read_csv + to_sql (baseline)",
        "none",
        "none",
        f"{pandas_seconds:.2f}",
        f"{args.rows / pandas_seconds:,.0f}",
        "1.00×",
    )
    table.add_row(
        "coalition import offers",
        "full",
        f"{logged:,} entries",
        f"{ours_seconds:.2f}",
        f"{args.rows / ours_seconds:,.0f}",
        f"{pandas_seconds / ours_seconds:.2f}×",
    )
    console.print(table)
    console.print(
        "coalition phases: "
        + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in phases.items())
        + " (writing includes the change log and the commit)"
    )
    console.print(
        f"{platform.node()} · {platform.processor() or platform.machine()} · "
        f"Python {platform.python_version()} · {date.today()}"
    )


if __name__ == "__main__":
    main()
