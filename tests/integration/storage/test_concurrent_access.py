"""Reads go on while someone writes; a second writer waits a bounded time, then is told why.

A writer thread holds its transaction open (rows written, change log appended, not committed)
while the test reads and tries a second write, on SQLite and PostgreSQL. Waits are shortened
to half a second; only outcomes are asserted, never timings.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from coalition.domain.access import Principal
from coalition.registries.kinds import OFFERS
from coalition.services import ledger
from coalition.services.database import reading
from coalition.storage.changelog import Change
from coalition.storage.errors import BUSY_MESSAGE, DatabaseBusy
from coalition.storage.repository import Repository
from coalition.storage.tables import change_log
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import OFFERS_HEADER, import_text

SHORT_WAIT = 0.5  # seconds a second writer waits in these tests (10 s in real use)
# Generous bounds for a loaded machine: they only stop a broken test from hanging.
HANG = 30

EXISTING = OFFERS_HEADER + "DEU,OF-1,PZH2000,4,2026-01-01,DEU,used,20000000,EUR,,offered,\n"


def new_offer(external_id: str) -> dict:
    return {
        "donor_code": "POL",
        "external_id": external_id,
        "item_type_code": "KRAB",
        "quantity": 6,
        "available_from": date(2026, 2, 1),
        "origin": "POL",
        "condition": "new",
        "declared_value": None,
        "currency": "PLN",
        "only_for_areas": "",
        "status": "offered",
        "delivered_on": None,
    }


@pytest.fixture
def ledger_db(seeded: Engine, tmp_path) -> Engine:
    import_text(seeded, tmp_path, "offers", EXISTING)
    return seeded


@contextmanager
def writer_holding_its_transaction(engine: Engine) -> Iterator[Future[None]]:
    """A writer thread that has written two offers (and logged them) but not yet committed.

    The block runs while it waits; on leaving the block the writer commits.
    """
    written, release = threading.Event(), threading.Event()

    def write() -> None:
        with UnitOfWork(engine, Principal("long-writer")) as uow:
            rows = [new_offer("OF-1"), new_offer("OF-2")]
            Repository(uow, OFFERS).insert(rows)
            uow.changes.record(
                [Change("offer", OFFERS.key_of(row), "create", None, row) for row in rows]
            )
            written.set()
            if not release.wait(HANG):
                raise TimeoutError("the test never released the writer")
            uow.commit()

    with ThreadPoolExecutor(1) as pool:
        writer = pool.submit(write)
        try:
            if not written.wait(HANG):
                writer.result(0)  # re-raise the writer's own error, if it failed
                raise TimeoutError("the writer never wrote")
            yield writer
        finally:
            release.set()
        writer.result(HANG)


def offer_keys(engine: Engine) -> list[str]:
    with reading(Principal("reader"), engine) as uow:
        rows = ledger.list_records(uow, "offers", {})
    return [OFFERS.key_of(row) for row in rows]


def entries(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(change_log)).scalar_one()


def test_a_reader_sees_the_committed_state_while_a_writer_holds_its_transaction(ledger_db):
    with writer_holding_its_transaction(ledger_db), ThreadPoolExecutor(1) as pool:
        # In a thread of its own, so a reader that waited for the writer fails, not hangs.
        assert pool.submit(offer_keys, ledger_db).result(HANG) == ["DEU:OF-1"]
    assert offer_keys(ledger_db) == ["DEU:OF-1", "POL:OF-1", "POL:OF-2"]


def test_a_second_writer_gives_up_as_busy_after_its_wait_and_writes_nothing(ledger_db):
    logged = entries(ledger_db)
    with writer_holding_its_transaction(ledger_db):
        second = UnitOfWork(ledger_db, Principal("second-writer"), busy_timeout=SHORT_WAIT)
        with pytest.raises(DatabaseBusy) as busy, second as uow:
            # SQLite refuses at BEGIN IMMEDIATE; PostgreSQL at the change-log head's row lock.
            ledger.change_status(uow, "offers", "DEU:OF-1", "accepted")
        assert str(busy.value) == BUSY_MESSAGE
    assert entries(ledger_db) == logged + 2  # the first writer's two offers, nothing else
    with reading(Principal("reader"), ledger_db) as uow:
        assert ledger.get_record(uow, "offers", "DEU:OF-1")["status"] == "offered"


def test_a_writer_that_waits_less_than_its_timeout_goes_ahead_after_the_first_commits(ledger_db):
    logged = entries(ledger_db)
    with ThreadPoolExecutor(1) as pool:
        with writer_holding_its_transaction(ledger_db):
            patient = UnitOfWork(ledger_db, Principal("patient"), busy_timeout=HANG)

            def accept() -> None:
                with patient as uow:
                    ledger.change_status(uow, "offers", "DEU:OF-1", "accepted")

            # The patient writer may start before or after the release: both must succeed.
            second = pool.submit(accept)
        second.result(HANG)
    assert entries(ledger_db) == logged + 3
    with reading(Principal("reader"), ledger_db) as uow:
        assert ledger.get_record(uow, "offers", "DEU:OF-1")["status"] == "accepted"
