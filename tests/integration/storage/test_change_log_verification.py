"""`verify` catches every way of changing history or the registries behind the change log's back.

Each test tampers with the database directly (as someone with database access would), on SQLite
and PostgreSQL, then verifies through the audit service.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, select, text

from coalition.domain.access import Principal
from coalition.services import audit, ledger
from coalition.services.database import reading
from coalition.storage.changelog import GENESIS, Change, LogReport
from coalition.storage.tables import change_log, change_log_head, offers
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import OFFERS_HEADER, SEED, import_text

OFFERS = OFFERS_HEADER + (
    "DEU,OF-1,PZH2000,4,2026-01-01,DEU,used,20000000.50,EUR,artillery,offered,\n"
    "POL,OF-1,KRAB,6,2026-02-01,POL,new,,PLN,,offered,\n"
    "POL,OF-2,HE155,5000,2026-03-01,POL,new,16500000,EUR,,offered,\n"
)


@pytest.fixture
def ledger_db(seeded: Engine, tmp_path) -> Engine:
    """A ledger built only through the services: imports, a re-import, status changes."""
    import_text(seeded, tmp_path, "offers", OFFERS)
    import_text(seeded, tmp_path, "offers", OFFERS.replace("POL,OF-1,KRAB,6,", "POL,OF-1,KRAB,8,"))
    for step in ("accepted", "committed", "shipped"):
        with UnitOfWork(seeded, Principal("logistician")) as uow:
            ledger.change_status(uow, "offers", "DEU:OF-1", step)
    with UnitOfWork(seeded, Principal("logistician")) as uow:
        ledger.change_status(uow, "offers", "DEU:OF-1", "delivered", date(2026, 3, 9))
    return seeded


def verify(engine: Engine, expect_head: str | None = None) -> LogReport:
    with reading(Principal("auditor"), engine) as uow:
        return audit.verify_change_log(uow, expect_head)


def tamper(engine: Engine, *statements) -> None:
    """Rewrite the database behind the application's back. On PostgreSQL the change log refuses
    UPDATE and DELETE (migration 0008), so the tamperer is a superuser who turns triggers off."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        for statement in statements:
            connection.execute(text(statement) if isinstance(statement, str) else statement)


def entry_ids(engine: Engine) -> list[int]:
    with engine.connect() as connection:
        return list(connection.execute(select(change_log.c.id).order_by(change_log.c.id)).scalars())


def current_head(engine: Engine) -> audit.Head:
    with reading(Principal("auditor"), engine) as uow:
        return audit.head(uow)


def registry_rows() -> int:
    """Records of the seed plus the three offers."""
    return sum(len(text.strip().splitlines()) - 1 for text in SEED.values()) + 3


def test_a_ledger_built_through_the_services_verifies_with_no_problem(ledger_db):
    report = verify(ledger_db)
    assert report.problems == []
    assert report.entries == len(entry_ids(ledger_db))
    assert report.records_compared == registry_rows()
    assert report.head == current_head(ledger_db).hash != GENESIS


def test_an_empty_ledger_verifies_with_no_problem(engine):
    report = verify(engine)
    assert (report.entries, report.records_compared, report.problems) == (0, 0, [])
    assert report.head == GENESIS


def test_deleting_the_whole_change_log_is_reported(ledger_db):
    tamper(ledger_db, "DELETE FROM change_log")
    report = verify(ledger_db)
    assert report.entries == 0
    assert report.problems[0] == (
        "the change log is empty but its head records entries (the log was deleted?)"
    )
    assert "offer DEU:OF-1: in the table but never logged" in report.problems
    assert len(report.problems) == 1 + registry_rows()


def test_deleting_the_log_and_its_head_still_fails_while_the_registries_hold_records(ledger_db):
    tamper(ledger_db, "DELETE FROM change_log", "DELETE FROM change_log_head")
    report = verify(ledger_db)
    assert report.entries == 0
    assert len(report.problems) == registry_rows()
    assert "donor DEU: in the table but never logged" in report.problems


def test_editing_one_entrys_content_breaks_its_hash_and_disagrees_with_the_table(ledger_db):
    with ledger_db.connect() as connection:
        entry, after = connection.execute(
            select(change_log.c.id, change_log.c.after).where(
                change_log.c.entity == "offer",
                change_log.c.entity_key == "POL:OF-2",
                change_log.c.action == "create",
            )
        ).one()
    tamper(
        ledger_db,
        change_log.update()
        .where(change_log.c.id == entry)
        .values(after=after.replace('"quantity":5000', '"quantity":50')),
    )
    assert verify(ledger_db).problems == [
        f"entry {entry}: content does not match its hash",
        "offer POL:OF-2: quantity is 5000 in the table, 50 in the change log",
    ]


def test_deleting_an_entry_in_the_middle_breaks_the_chain_and_the_replay(ledger_db):
    # POL:OF-1 was created by the first offers import and updated by the second.
    with ledger_db.connect() as connection:
        created, updated = connection.execute(
            select(change_log.c.id)
            .where(change_log.c.entity_key == "POL:OF-1")
            .order_by(change_log.c.id)
        ).scalars()
    ids = entry_ids(ledger_db)
    assert ids[0] < created < ids[-1]
    following = ids[ids.index(created) + 1]
    tamper(ledger_db, change_log.delete().where(change_log.c.id == created))
    assert verify(ledger_db).problems == [
        f"entry {following}: previous hash does not match entry before it",
        f"offer POL:OF-1: entry {updated} (update) refers to no existing record",
    ]


def test_an_entry_copied_to_the_end_of_the_log_is_reported_even_with_a_valid_hash(ledger_db):
    """Someone who can append rows and compute SHA-256 replays an old create at the end."""
    with ledger_db.connect() as connection:
        first = (
            connection.execute(select(change_log).where(change_log.c.entity_key == "POL:OF-2"))
            .mappings()
            .one()
        )
    with UnitOfWork(ledger_db, Principal("intruder")) as uow:
        uow.changes.record(
            [Change("offer", "POL:OF-2", "create", None, json.loads(first["after"]))]
        )
        uow.commit()
    assert verify(ledger_db).problems == [
        f"offer POL:OF-2: created again by entry {entry_ids(ledger_db)[-1]} while it existed"
    ]


def test_a_truncated_tail_with_a_rewritten_head_is_caught_only_against_a_head_recorded_elsewhere(
    ledger_db,
):
    recorded = current_head(ledger_db)
    # The last four entries are DEU:OF-1's status steps. Someone removes them, points the head
    # at the new last entry and puts the record back as it was: chain and tables agree again.
    ids = entry_ids(ledger_db)
    tamper(
        ledger_db,
        change_log.delete().where(change_log.c.id > ids[-5]),
        change_log_head.update().values(
            last_hash=select(change_log.c.hash).where(change_log.c.id == ids[-5]).scalar_subquery()
        ),
        offers.update()
        .where(offers.c.donor_code == "DEU", offers.c.external_id == "OF-1")
        .values(status="offered", delivered_on=None),
    )
    assert verify(ledger_db).problems == []  # the limit of a self-contained check
    report = verify(ledger_db, expect_head=recorded.hash)
    assert report.problems == [
        f"the expected head {recorded.hash} is not an entry of the change log: "
        "entries were removed or rewritten since it was recorded"
    ]


def test_an_older_recorded_head_passes_and_counts_the_entries_made_since(ledger_db, tmp_path):
    recorded = current_head(ledger_db)
    with UnitOfWork(ledger_db, Principal("coordinator")) as uow:
        ledger.change_status(uow, "offers", "POL:OF-2", "accepted")
    report = verify(ledger_db, expect_head=recorded.hash)
    assert report.problems == []
    assert report.expected_head_at == recorded.entries
    assert report.entries - report.expected_head_at == 1


def test_the_head_of_an_empty_log_is_accepted_as_the_start_of_the_chain(ledger_db):
    report = verify(ledger_db, expect_head=GENESIS)
    assert (report.problems, report.expected_head_at) == ([], 0)


def test_a_registry_row_updated_directly_is_reported_with_both_values(ledger_db):
    tamper(
        ledger_db,
        offers.update()
        .where(offers.c.donor_code == "POL", offers.c.external_id == "OF-1")
        .values(quantity=1, currency="EUR"),
    )
    assert verify(ledger_db).problems == [
        "offer POL:OF-1: quantity is 1 in the table, 8 in the change log; "
        "currency is 'EUR' in the table, 'PLN' in the change log"
    ]


def test_a_direct_change_later_covered_by_a_logged_one_is_caught_by_the_entrys_before(ledger_db):
    """The table agrees with the last entry, so the replay alone would pass: the update that
    followed the direct change logged a `before` the previous entry never left."""
    tamper(
        ledger_db,
        offers.update()
        .where(offers.c.donor_code == "POL", offers.c.external_id == "OF-1")
        .values(quantity=1),
    )
    with UnitOfWork(ledger_db, Principal("logistician")) as uow:
        ledger.change_status(uow, "offers", "POL:OF-1", "withdrawn")
    problems = verify(ledger_db).problems
    assert len(problems) == 1, problems
    assert problems[0].startswith("offer POL:OF-1: entry ")
    assert problems[0].endswith(
        "(update) starts from another state than the record's last entry left: "
        "quantity was 8, the entry's before says 1"
    )


def test_a_money_amount_changed_directly_is_reported_and_equal_amounts_are_not(ledger_db):
    tamper(
        ledger_db,
        offers.update()
        .where(offers.c.donor_code == "POL", offers.c.external_id == "OF-2")
        .values(declared_value=Decimal("16500000.00")),  # the same amount, written differently
        offers.update()
        .where(offers.c.donor_code == "DEU", offers.c.external_id == "OF-1")
        .values(declared_value=Decimal("20000000.05")),
    )
    problems = verify(ledger_db).problems
    assert len(problems) == 1
    assert problems[0].startswith("offer DEU:OF-1: declared_value is 20000000.05 in the table")
    assert problems[0].endswith("20000000.50 in the change log")


def test_a_registry_row_inserted_directly_is_reported_as_never_logged(ledger_db):
    tamper(
        ledger_db,
        offers.insert().values(
            donor_code="DEU",
            external_id="OF-9",
            item_type_code="HE155",
            quantity=100,
            available_from=date(2026, 5, 1),
            origin="DEU",
            condition="new",
            currency="EUR",
            only_for_areas="",
            status="offered",
        ),
    )
    assert verify(ledger_db).problems == ["offer DEU:OF-9: in the table but never logged"]


def test_a_registry_row_deleted_directly_is_reported_as_missing_from_the_table(ledger_db):
    tamper(ledger_db, "DELETE FROM offers WHERE donor_code = 'POL' AND external_id = 'OF-2'")
    assert verify(ledger_db).problems == ["offer POL:OF-2: logged but missing from the table"]


def test_a_record_logged_as_deleted_must_be_gone_from_the_table(ledger_db):
    with UnitOfWork(ledger_db, Principal("coordinator")) as uow:
        before = ledger.get_record(uow, "offers", "POL:OF-2")
        uow.changes.record([Change("offer", "POL:OF-2", "delete", before, None)])
        uow.commit()
    assert verify(ledger_db).problems == ["offer POL:OF-2: in the table but logged as deleted"]
    tamper(ledger_db, "DELETE FROM offers WHERE donor_code = 'POL' AND external_id = 'OF-2'")
    assert verify(ledger_db).problems == []


def test_entries_of_non_registry_records_are_chained_but_not_replayed(ledger_db):
    with UnitOfWork(ledger_db, Principal("planner")) as uow:
        uow.changes.record([Change("plan", "1", "create", None, {"objective": 1.5})])
        uow.commit()
    report = verify(ledger_db)
    assert (report.problems, report.chain_only) == ([], {"plan": 1})
    with ledger_db.connect() as connection:
        last = connection.execute(select(func.max(change_log.c.id))).scalar_one()
    tamper(ledger_db, change_log.update().where(change_log.c.id == last).values(actor="x"))
    assert verify(ledger_db).problems == [f"entry {last}: content does not match its hash"]


def test_the_chain_verifies_whatever_time_zone_the_database_session_uses(ledger_db):
    with reading(Principal("auditor"), ledger_db) as uow:
        if ledger_db.dialect.name == "postgresql":  # SQLite stores and returns naive UTC
            uow.connection.exec_driver_sql("SET LOCAL TIME ZONE 'Europe/Kyiv'")
        report = audit.verify_change_log(uow)
    assert report.problems == []


def test_on_postgresql_the_change_log_refuses_update_delete_and_truncate(ledger_db):
    if ledger_db.dialect.name != "postgresql":
        pytest.skip("SQLite has no triggers bound to roles; the hash chain is its defence")
    from sqlalchemy.exc import DBAPIError

    for statement in (
        "UPDATE change_log SET actor = 'someone else'",
        "DELETE FROM change_log",
        "TRUNCATE change_log",
    ):
        with pytest.raises(DBAPIError, match="append-only"), ledger_db.begin() as connection:
            connection.execute(text(statement))
    assert verify(ledger_db).problems == []
