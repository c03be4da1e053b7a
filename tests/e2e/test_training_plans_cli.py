"""`coalition training plan|plans|show|accept|explain` as a user runs them (CliRunner, in
process) on the ledger worked by hand in support_ledger (TRAINING_PLAN_SEED): dates, never
week numbers; JSON; an unknown line and a reader outside the staff each get one clear line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coalition.cli import app, render
from coalition.config import get_settings
from coalition.domain.access import Principal, Role
from coalition.services import accounts
from coalition.storage import migrate
from coalition.storage.engine import make_engine
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import (
    SEED,
    TEST_PASSWORD,
    TRAINING_PLAN_DAY_ZERO,
    TRAINING_PLAN_SEED,
    add_admin,
    import_text,
)

cli_app = sys.modules["coalition.cli.app"]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    engine = make_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    migrate.upgrade(engine)
    for kind, text in {**SEED, **TRAINING_PLAN_SEED}.items():
        import_text(engine, tmp_path, kind, text)
    admin = add_admin(engine)
    monkeypatch.setenv("COALITION_USER", admin)
    with UnitOfWork(engine, Principal(admin, Role.ADMIN)) as uow:
        accounts.add_user(uow, "reader", "analyst", None, TEST_PASSWORD)
    engine.dispose()
    monkeypatch.setenv("COALITION_DATABASE_URL", f"sqlite:///{tmp_path / 'ledger.db'}")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(render.console, "width", 200)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def plan(*extra: str):
    return run("training", "plan", "--from", TRAINING_PLAN_DAY_ZERO, "--time-limit", "10", *extra)


def test_the_plan_shows_each_line_with_dates_and_the_headline(folder):
    shown = plan()
    assert shown.exit_code == 0, shown.output
    out = shown.output
    assert "Training plan 1 (" in out
    assert "2 platform lines, 1 crewed on time, 1 late, 0 short of crews" in out
    assert "objective 16.0" in out and "gap" in out
    assert "DEU:DEU-OF-1" in out and "2027-02-22" in out and "2027-03-08" in out
    assert "POL:POL-OF-1" in out and "2027-05-04" in out and "2027-04-12" in out
    assert "week 9" not in out and "week 7" not in out
    assert "Equipment idle waiting for crews: 4 platform-weeks" in out


def test_json_list_show_and_accept(folder):
    figures = json.loads(plan("--json").stdout)
    assert figures["id"] == 1 and figures["state"] == "proposed"
    lines = {ln["line"]: ln for ln in figures["lines"]}
    assert lines["DEU:DEU-OF-1"]["days_late"] == 14
    assert lines["POL:POL-OF-1"]["state"] == "on time"
    accepted = run("training", "accept", "1")
    assert accepted.exit_code == 0 and "Training plan 1 accepted" in accepted.output
    listed = json.loads(run("training", "plans", "--json").stdout)
    assert listed["total"] == 1 and listed["items"][0]["state"] == "accepted"
    shown = json.loads(run("training", "show", "1", "--json").stdout)
    assert shown["lines"] == figures["lines"]
    again = run("training", "accept", "1")
    assert again.exit_code == 1 and "already decided" in again.stderr
    assert "Traceback" not in again.stderr


def test_explain_says_why_a_line_is_late_and_names_an_unknown_line(folder):
    plan()
    why = run("training", "explain", "DEU:DEU-OF-1")
    assert why.exit_code == 0, why.output
    assert "platforms arrive 2027-02-22, crews ready 2027-03-08 (late)" in why.output
    assert "PZH-1" in why.output and "2027-01-25" in why.output and "week" not in why.output
    as_json = json.loads(run("training", "explain", "DEU:DEU-OF-1", "--plan", "1", "--json").stdout)
    assert as_json["cohorts"][0]["code"] == "intake_dates"
    unknown = run("training", "explain", "NO-SUCH-LINE")
    assert unknown.exit_code == 1
    assert unknown.stderr.strip().splitlines() == [
        "error: line 'NO-SUCH-LINE' is not in training plan 1 (`coalition training show 1` "
        "lists its lines)"
    ]
    missing = run("training", "show", "7")
    assert missing.exit_code == 1 and "no training plan 7" in missing.stderr


def test_a_reader_outside_the_staff_is_refused_in_one_line(folder):
    refused = run("--as", "reader", "training", "plan", "--from", TRAINING_PLAN_DAY_ZERO)
    assert refused.exit_code == 1
    assert refused.stderr.strip() == "error: reader (analyst) may not plan training"
    plan()
    assert "No training plans you may see" in run("--as", "reader", "training", "plans").output
    hidden = run("--as", "reader", "training", "show", "1")
    assert hidden.exit_code == 1 and "no training plan 1" in hidden.stderr
    bad = run("training", "plan", "--from", "soon")
    assert bad.exit_code != 0 and "Traceback" not in bad.output
