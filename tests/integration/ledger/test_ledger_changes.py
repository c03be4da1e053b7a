"""Every change is recorded once; illegal changes are refused and leave no trace."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from coalition.domain.access import Principal
from coalition.services import ledger
from coalition.services.errors import ServiceError
from coalition.storage.changelog import verify_chain
from coalition.storage.tables import change_log
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import OFFERS_HEADER, database_content, import_text

OFFERS = OFFERS_HEADER + (
    "DEU,OF-1,PZH2000,4,2026-01-01,DEU,used,20000000,EUR,artillery,offered,\n"
    "POL,OF-1,KRAB,6,2026-02-01,POL,new,,PLN,,offered,\n"
)


def log_count(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(change_log)).scalar_one()


def test_an_illegal_transition_is_refused_with_a_clear_error_and_no_log_entry(seeded, tmp_path):
    import_text(seeded, tmp_path, "offers", OFFERS)
    before, entries = database_content(seeded), log_count(seeded)
    with UnitOfWork(seeded, Principal("desk-officer")) as uow, pytest.raises(ServiceError) as error:
        ledger.change_status(uow, "offers", "DEU:OF-1", "delivered")
    assert str(error.value) == (
        "offer: cannot go from 'offered' to 'delivered'; "
        "allowed next: accepted, declined, withdrawn"
    )
    assert log_count(seeded) == entries
    assert database_content(seeded) == before


def test_a_legal_step_is_logged_with_who_before_and_after(seeded, tmp_path):
    import_text(seeded, tmp_path, "offers", OFFERS)
    with UnitOfWork(seeded, Principal("coordinator")) as uow:
        ledger.change_status(uow, "offers", "DEU:OF-1", "accepted")
    with UnitOfWork(seeded, Principal("auditor")) as uow:
        entries = ledger.history(uow, "offers", "DEU:OF-1")
    assert [e["action"] for e in entries] == ["create", "update"]
    assert [e["actor"] for e in entries] == ["tester", "coordinator"]
    assert json.loads(entries[1]["before"])["status"] == "offered"
    assert json.loads(entries[1]["after"])["status"] == "accepted"


def test_delivering_an_offer_stamps_its_delivery_date(seeded, tmp_path):
    import_text(seeded, tmp_path, "offers", OFFERS)
    for step in ("accepted", "committed", "shipped"):
        with UnitOfWork(seeded, Principal("logistician")) as uow:
            ledger.change_status(uow, "offers", "POL:OF-1", step)
    with UnitOfWork(seeded, Principal("logistician")) as uow:
        after = ledger.change_status(uow, "offers", "POL:OF-1", "delivered", date(2026, 3, 9))
    assert after["delivered_on"] == date(2026, 3, 9)


def test_importing_the_same_file_twice_changes_nothing(seeded, tmp_path):
    first = import_text(seeded, tmp_path, "offers", OFFERS)
    entries, content = log_count(seeded), database_content(seeded)
    second = import_text(seeded, tmp_path, "offers", OFFERS)
    assert (first.created, second.created, second.updated, second.unchanged) == (2, 0, 0, 2)
    assert log_count(seeded) == entries
    assert database_content(seeded) == content


def test_a_changed_row_updates_the_record_and_logs_before_and_after(seeded, tmp_path):
    import_text(seeded, tmp_path, "offers", OFFERS)
    changed = OFFERS.replace("POL,OF-1,KRAB,6,", "POL,OF-1,KRAB,8,")
    result = import_text(seeded, tmp_path, "offers", changed, actor="pol-desk")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    with UnitOfWork(seeded, Principal("auditor")) as uow:
        last = ledger.history(uow, "offers", "POL:OF-1")[-1]
        assert ledger.get_record(uow, "offers", "POL:OF-1")["quantity"] == 8
    assert (last["actor"], last["action"], last["batch_id"]) == (
        "pol-desk",
        "update",
        result.batch_id,
    )
    assert json.loads(last["before"])["quantity"] == 6
    assert json.loads(last["after"])["quantity"] == 8


def test_an_import_cannot_move_a_record_backwards(seeded, tmp_path):
    import_text(seeded, tmp_path, "offers", OFFERS.replace("offered,\n", "shipped,\n", 1))
    with pytest.raises(Exception) as error:
        import_text(seeded, tmp_path, "offers", OFFERS)
    problems = error.value.problems
    assert [(p.row, p.column) for p in problems] == [(2, "status")]
    assert "cannot go from 'shipped' to 'offered'" in problems[0].reason


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_export_reimports_as_no_change_and_exports_identically(seeded, tmp_path, suffix):
    import_text(seeded, tmp_path, "offers", OFFERS)
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    with UnitOfWork(seeded, Principal("analyst")) as uow:
        assert ledger.export_file(uow, "offers", first) == 2
    with UnitOfWork(seeded, Principal("analyst")) as uow:
        result = ledger.import_file(uow, "offers", first)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    with UnitOfWork(seeded, Principal("analyst")) as uow:
        ledger.export_file(uow, "offers", second)
    if suffix == ".csv":
        assert first.read_bytes() == second.read_bytes()
    else:
        from openpyxl import load_workbook

        rows = [list(load_workbook(p).active.values) for p in (first, second)]
        assert rows[0] == rows[1]


def test_the_change_log_chain_verifies_and_detects_tampering(seeded, tmp_path):
    import_text(seeded, tmp_path, "offers", OFFERS)
    with seeded.connect() as connection:
        count, problems = verify_chain(connection)
    assert count > 5 and problems == []
    with seeded.begin() as connection:
        if seeded.dialect.name == "postgresql":  # a superuser past the append-only trigger
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        first = connection.execute(select(change_log.c.id).order_by(change_log.c.id)).first()[0]
        connection.execute(
            change_log.update().where(change_log.c.id == first).values(actor="someone-else")
        )
    with seeded.connect() as connection:
        _, problems = verify_chain(connection)
    assert problems == [f"entry {first}: content does not match its hash"]
