"""The training, readiness and sustainment commands as a user runs them (CliRunner, in
process): tables and JSON, the funnel opening `status`, user text shown as text, and each
mistake one clear line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coalition.cli import app
from coalition.config import get_settings
from coalition.storage import migrate
from coalition.storage.engine import make_engine
from support_ledger import OFFERS_HEADER, SEED, TRAINING_SEED, add_admin, import_text

cli_app = sys.modules["coalition.cli.app"]

LEDGER = {
    **SEED,
    "offers": OFFERS_HEADER + "DEU,DEU-OF-1,PZH2000,6,2026-02-01,DEU,new,,EUR,,delivered,"
    "2026-03-01\n",
    "fleet": "item_type_code,recipient_code,quantity,as_of\nPZH2000,UA-DEP-W1,4,2026-11-01\n",
    **TRAINING_SEED,
}
RATES = (
    "platform_code,item_type_code,band,per_platform_per_month,basis\nPZH2000,HE155,medium,300,x\n"
)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    engine = make_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    migrate.upgrade(engine)
    for kind, text in LEDGER.items():
        import_text(engine, tmp_path, kind, text)
    monkeypatch.setenv("COALITION_USER", add_admin(engine))
    engine.dispose()
    monkeypatch.setenv("COALITION_DATABASE_URL", f"sqlite:///{tmp_path / 'ledger.db'}")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    (tmp_path / "rates.csv").write_text(RATES, encoding="utf-8")
    yield tmp_path
    get_settings.cache_clear()


def run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_status_opens_with_the_funnel_and_keeps_its_coverage_table(folder):
    shown = run("status")
    assert shown.exit_code == 0, shown.output
    assert shown.output.index("Effective capability") < shown.output.index("Coverage by")
    as_json = json.loads(run("status", "--json").stdout)
    assert as_json[0]["capability_area"] == "artillery"  # --json: the coverage rows, as before


def test_training_need_totals_and_readiness_as_tables_and_json(folder):
    need = json.loads(run("training", "need", "--json", "--reserve", "1.2").stdout)
    assert [(c["course"], c["needed"], c["shortfall"]) for c in need["courses"]] == [
        ("CRS-PZH2000-CREW", 36, 17)
    ]
    table = run("training", "need").output
    # The console's width is fixed when another test created it first: a long code may wrap.
    assert "Training need" in table and "CRS-" in table and "36" in table
    totals = run("training", "totals", "--mission", "EUMAM", "--year", "2026")
    assert totals.exit_code == 0 and "EUMAM" in totals.output
    ready = json.loads(run("readiness", "--json").stdout)
    assert ready["by_family"][0]["readiness_pct"] == 75.0
    assert "Fleet diversity" in run("readiness").output


def test_sustainment_draft_then_approve_once(folder):
    drafts = json.loads(run("sustainment", "draft", "--rates", "rates.csv", "--months", "2",
                            "--start", "2026-12-01", "--json").stdout)  # fmt: skip
    assert [(d["ref"], d["quantity"]) for d in drafts] == [
        ("SUS-202612-PZH2000-HE155-UA-DEP-W1", 2400)
    ]
    args = ("sustainment", "approve", "--rates", "rates.csv", "--months", "2", "--start",
            "2026-12-01")  # fmt: skip
    first = run(*args)
    assert first.exit_code == 0 and "1 requirement(s) created as approved" in first.output
    assert "already in the registry" in run(*args).output
    shown = json.loads(run("show", "requirements", drafts[0]["ref"], "--json").stdout)
    assert (shown["status"], shown["quantity"]) == ("approved", 2400)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("training", "need", "--reserve", "abc"), "reserve"),
        (("training", "need", "--margin", "-3"), "margin_days"),
        (("training", "totals", "--mission", "[bold]x"), "--mission '[bold]x'"),
        (("sustainment", "draft", "--band", "extreme"), "--band"),
        (("sustainment", "draft", "--months", "0"), "months"),
        (("sustainment", "draft", "--rates", "missing.csv"), "missing.csv"),
        (("sustainment", "approve", "--status", "met"), "--status"),
    ],
)
def test_each_mistake_is_one_clear_line(folder, args, says):
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], lines
