"""`coalition history --verify / --head` and a busy database, as a user meets them.

The ledger is built with the CLI, then tampered with through sqlite3 exactly as someone with
access to the database file would (issue #8's reproductions).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from coalition.cli import app
from coalition.config import get_settings
from coalition.services import database as database_service
from coalition.storage import engine as engine_module
from coalition.storage.errors import BUSY_MESSAGE
from support_ledger import OFFERS_HEADER, SEED

OFFERS = OFFERS_HEADER + "".join(
    f"DEU,DEU-OF-{i:04d},HE155,{i},2026-03-01,DEU,new,{1000 * i},EUR,,offered,\n"
    for i in range(1, 13)
)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A ledger file built through the CLI: seed registries, twelve offers, one status change."""
    path = tmp_path / "t.db"
    monkeypatch.setenv("COALITION_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("COLUMNS", "200")
    get_settings.cache_clear()
    assert cli("init").exit_code == 0
    monkeypatch.setenv("COALITION_USER", "tester")
    get_settings.cache_clear()
    added = CliRunner().invoke(
        app, ["user", "add", "tester", "--role", "admin", "--password-stdin"],
        input="test password 12345\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    for kind, text in [*SEED.items(), ("offers", OFFERS)]:
        source = tmp_path / f"{kind}.csv"
        source.write_text(text, encoding="utf-8")
        imported = cli("import", kind, str(source))
        assert imported.exit_code == 0, imported.output
    assert cli("set-status", "offers", "DEU:DEU-OF-0003", "accepted").exit_code == 0
    yield path
    get_settings.cache_clear()
    database_service.engine_for.cache_clear()


def cli(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def sql(path: Path, script: str) -> None:
    with sqlite3.connect(path) as connection:
        connection.executescript(script)
    connection.close()


def head(path: Path) -> dict:
    shown = cli("history", "--head", "--json")
    assert shown.exit_code == 0, shown.output
    return json.loads(shown.stdout)


def test_a_ledger_built_with_the_cli_verifies_with_no_problem(database):
    verified = cli("history", "--verify")
    assert verified.exit_code == 0, verified.output
    assert verified.stdout.splitlines()[-1] == (
        f"{head(database)['entries']} change-log entries checked, 0 problem(s)"
    )


def test_head_prints_the_last_entrys_hash_and_the_entry_count(database):
    with sqlite3.connect(database) as connection:
        last, count = connection.execute(
            "SELECT (SELECT hash FROM change_log ORDER BY id DESC LIMIT 1), count(*) "
            "FROM change_log"
        ).fetchone()
    connection.close()
    assert head(database) == {"head": last, "entries": count}
    assert cli("history", "--head").stdout.split() == ["head", last, "entries", str(count)]


def test_deleting_the_whole_change_log_fails_verification(database):
    sql(database, "DELETE FROM change_log;")
    verified = cli("history", "--verify")
    assert verified.exit_code == 1
    lines = verified.stdout.splitlines()
    assert lines[0] == "the change log is empty but its head records entries (the log was deleted?)"
    assert "offer DEU:DEU-OF-0002: in the table but never logged" in lines
    assert lines[-1].startswith("0 change-log entries checked, ")


def test_a_registry_row_changed_in_the_database_fails_verification_naming_the_field(database):
    sql(database, "UPDATE offers SET quantity=1 WHERE external_id='DEU-OF-0002';")
    verified = cli("history", "--verify")
    assert verified.exit_code == 1
    assert verified.stdout.splitlines()[0] == (
        "offer DEU:DEU-OF-0002: quantity is 1 in the table, 2 in the change log"
    )
    assert verified.stdout.splitlines()[-1].endswith(", 1 problem(s)")


def test_a_registry_row_inserted_or_deleted_in_the_database_fails_verification(database):
    sql(
        database,
        "DELETE FROM offers WHERE external_id='DEU-OF-0005';"
        "INSERT INTO offers SELECT donor_code, 'DEU-OF-0099', item_type_code, quantity, "
        "available_from, origin, condition, declared_value, currency, only_for_areas, status, "
        "delivered_on, marking, version FROM offers WHERE external_id='DEU-OF-0001';",
    )
    verified = cli("history", "--verify")
    assert verified.exit_code == 1
    assert verified.stdout.splitlines()[:2] == [
        "offer DEU:DEU-OF-0099: in the table but never logged",
        "offer DEU:DEU-OF-0005: logged but missing from the table",
    ]


def test_an_edited_or_removed_entry_fails_verification(database):
    sql(database, "UPDATE change_log SET actor='someone-else' WHERE id=3;")
    edited = cli("history", "--verify")
    assert (edited.exit_code, edited.stdout.splitlines()[0]) == (
        1,
        "entry 3: content does not match its hash",
    )
    sql(database, "UPDATE change_log SET actor=(SELECT actor FROM change_log WHERE id=4) "
                  "WHERE id=3; DELETE FROM change_log WHERE id=5;")  # fmt: skip
    removed = cli("history", "--verify")
    assert removed.exit_code == 1
    assert "entry 6: previous hash does not match entry before it" in removed.stdout


def test_a_truncated_tail_with_its_head_rewritten_is_caught_only_with_expect_head(database):
    recorded = head(database)["head"]
    # Remove the last entry (the status change) and put the record back: only the head
    # recorded elsewhere still knows the log was longer.
    sql(
        database,
        "DELETE FROM change_log WHERE id > (SELECT max(id)-1 FROM change_log);"
        "UPDATE change_log_head SET last_hash="
        "(SELECT hash FROM change_log ORDER BY id DESC LIMIT 1);"
        "UPDATE offers SET status='offered' WHERE external_id='DEU-OF-0003';",
    )
    assert cli("history", "--verify").exit_code == 0
    checked = cli("history", "--verify", "--expect-head", recorded)
    assert checked.exit_code == 1
    assert checked.stdout.splitlines()[0] == (
        f"the expected head {recorded} is not an entry of the change log: "
        "entries were removed or rewritten since it was recorded"
    )


def test_the_tail_truncation_of_the_issue_is_caught_by_the_replay_as_well(database):
    sql(
        database,
        "DELETE FROM change_log WHERE id > (SELECT max(id)-5 FROM change_log);"
        "UPDATE change_log_head SET last_hash="
        "(SELECT hash FROM change_log ORDER BY id DESC LIMIT 1);",
    )
    verified = cli("history", "--verify")
    assert verified.exit_code == 1
    assert "offer DEU:DEU-OF-0012: in the table but never logged" in verified.stdout


def test_an_older_recorded_head_passes_and_says_how_many_entries_came_after_it(database):
    recorded = head(database)
    assert cli("set-status", "offers", "DEU:DEU-OF-0004", "accepted").exit_code == 0
    assert cli("set-status", "offers", "DEU:DEU-OF-0004", "committed").exit_code == 0
    checked = cli("history", "--verify", "--expect-head", recorded["head"])
    assert checked.exit_code == 0, checked.output
    total = recorded["entries"] + 2
    assert (
        f"the expected head is entry {recorded['entries']} of {total}: 2 entries came after it"
        in (checked.stdout)
    )


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("--expect-head", "abc"), "--expect-head needs --verify"),
        (("--head", "--verify"), "give --head or --verify, not both"),
        (("offers",), "give a kind and the record's key, or --verify, or --head"),
    ],
)
def test_history_refuses_options_that_do_not_go_together(database, args, reason):
    refused = cli("history", *args)
    assert refused.exit_code == 2
    assert reason in " ".join(refused.output.replace("│", " ").split())


def test_a_write_to_a_busy_database_fails_in_one_line_while_reads_go_on(database, monkeypatch):
    # Writers of this process wait a quarter of a second instead of ten: the next command
    # builds its engine afresh with that default.
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_SECONDS", 0.25)
    database_service.engine_for.cache_clear()
    other = sqlite3.connect(database, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        listed = cli("list", "offers", "--json")
        assert listed.exit_code == 0, listed.output
        assert len(json.loads(listed.stdout)) == 12
        refused = cli("set-status", "offers", "DEU:DEU-OF-0004", "accepted")
        assert refused.exit_code == 1
        assert refused.stderr == f"error: {BUSY_MESSAGE}\n"
        assert "Traceback" not in refused.output
    finally:
        other.rollback()
        other.close()
    assert json.loads(cli("show", "offers", "DEU:DEU-OF-0004", "--json").stdout)["status"] == (
        "offered"
    )


def test_a_stored_plans_history_shows_its_acceptance_and_is_hidden_from_donors(database):
    """Plans are records too: `history plans ID` shows it stored, then accepted."""
    assert cli("allocate", "--time-limit", "5").exit_code == 0
    assert cli("plan", "accept", "1").exit_code == 0
    shown = cli("history", "plans", "1", "--json")
    assert shown.exit_code == 0, shown.output
    assert [e["action"] for e in json.loads(shown.stdout)] == ["create", "update"]
    for args, message in (
        (("history", "plans", "2"), "no plan 2"),
        (("history", "training-plans", "one"), "a plan's id is a whole number"),
    ):
        refused = cli(*args)
        assert refused.exit_code == 1 and message in refused.output, refused.output
    added = CliRunner().invoke(
        app, ["user", "add", "desk", "--role", "donor", "--donor", "DEU", "--password-stdin"],
        input="test password 12345\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    hidden = cli("--as", "desk", "history", "plans", "1")
    assert hidden.exit_code == 1 and "no plan 1" in hidden.output
