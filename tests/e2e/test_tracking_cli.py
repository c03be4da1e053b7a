"""The tracking commands: a timeline shown in order with who reported each event and any
discrepancy; every mistake one line and exit status 1, no traceback, nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coalition.cli import app, render
from coalition.config import get_settings
from coalition.storage import migrate
from coalition.storage.engine import make_engine
from support_ledger import add_admin, database_content
from support_tracking import seed_tracking

JOURNEY = [
    ("planned", "2026-03-01T08:00:00Z", "DEU-DEPOT-1"),
    ("loaded", "2026-03-01T09:00:00Z", "DEU-DEPOT-1"),
    ("departed", "2026-03-01T10:00:00+01:00", "DEU-DEPOT-1"),
    ("at_hub", "2026-03-02T08:00:00Z", "POL-HUB-RZE"),
    ("departed", "2026-03-02T12:00:00Z", "POL-HUB-RZE"),
    ("crossed-border", "2026-03-03T08:00:00Z", "UKR-BX-SHEHYNI"),
    ("delivered", "2026-03-03T18:00:00Z", "UKR-DP-LVIV"),
]


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "ledger.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    seed_tracking(engine, tmp_path)
    monkeypatch.setenv("COALITION_USER", add_admin(engine))
    engine.dispose()
    monkeypatch.setenv("COALITION_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("COLUMNS", "200")
    # The console was made at import, perhaps narrower: widen it so no cell wraps.
    monkeypatch.setattr(render.console, "width", 200)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


def run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def content(database: Path):
    engine = make_engine(f"sqlite:///{database}")
    try:
        return database_content(engine)
    finally:
        engine.dispose()


def ship(quantity: str = "4"):
    return run(
        *("shipment", "create", "SHP-1", "--offer", "DEU:DEU-OF-0001", "--requirement"),
        *("REQ-1", "--quantity", quantity, "--from", "DEU-DEPOT-1", "--to", "UKR-DP-LVIV"),
    )


def test_track_shows_the_timeline_in_order_with_reporters_and_the_discrepancy(database):
    assert ship().exit_code == 0
    for kind, at, place in JOURNEY:
        done = run("track", "add-event", "SHP-1", kind, "--at", at, "--place", place)
        assert done.exit_code == 0, done.output
    received = run(
        "track",
        "add-event",
        "SHP-1",
        "received",
        "--at",
        "2026-03-04T08:00:00Z",
        "--place",
        "UKR-DP-LVIV",
        "--quantity",
        "3",
    )
    assert received.exit_code == 0 and "discrepancy: 1" in received.output
    shown = run("track", "SHP-1")
    assert shown.exit_code == 0, shown.output
    lines = shown.output
    order = [
        "planned",
        "loaded",
        "departed",
        "at hub",
        "departed",
        "crossed border",
        "delivered",
        "received",
    ]
    positions = [
        lines.index(f" {k} ", lines.index(order[i - 1]) if i else 0) for i, k in enumerate(order)
    ]
    assert positions == sorted(positions)
    assert "2026-03-01T09:00:00+00:00" in lines  # 10:00+01:00 shown in UTC
    assert "tester" in lines and "UKR-BX-SHEHYNI" in lines
    assert "discrepancy: 3 of 4 units received, 1 missing" in lines
    data = json.loads(run("track", "SHP-1", "--json").output)
    assert [e["kind"] for e in data["events"]][-1] == "received" and data["discrepancy"] == 1
    listed = json.loads(run("shipment", "list", "--json").output)
    assert listed[0]["state"] == "received" and listed[0]["received"] == 3
    status = json.loads(run("status", "--json").output)
    artillery = next(r for r in status if r["capability_area"] == "artillery")
    assert artillery["delivered_eur"] == str(3 * 7_800_000)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["track", "SHP-404"], "no shipment 'SHP-404'"),
        (
            [
                "track",
                "add-event",
                "SHP-1",
                "flying",
                "--at",
                "2026-03-01T08:00Z",
                "--place",
                "DEU-DEPOT-1",
            ],
            "kind 'flying'",
        ),
        (
            [
                "track",
                "add-event",
                "SHP-1",
                "departed",
                "--at",
                "yesterday",
                "--place",
                "DEU-DEPOT-1",
            ],
            "expected an ISO 8601 time",
        ),
        (
            [
                "track",
                "add-event",
                "SHP-1",
                "departed",
                "--at",
                "2026-03-01T08:00",
                "--place",
                "DEU-DEPOT-1",
            ],
            "with its offset",
        ),
        (
            [
                "track",
                "add-event",
                "SHP-1",
                "received",
                "--at",
                "2026-03-01T08:00Z",
                "--place",
                "UKR-DP-LVIV",
                "--quantity",
                "4",
            ],
            "allowed next: planned, loaded, departed",
        ),
        (
            [
                "track",
                "add-event",
                "SHP-1",
                "departed",
                "--at",
                "2026-03-01T08:00Z",
                "--place",
                "[bold]X",
            ],
            "place",
        ),
        (
            [
                "track",
                "add-event",
                "SHP-1",
                "departed",
                "--at",
                "2999-03-01T08:00Z",
                "--place",
                "DEU-DEPOT-1",
            ],
            "time",
        ),
        (["shipment", "list", "-w", "colour=red"], "cannot be filtered by colour"),
        (["shipment", "list", "-w", "nonsense"], "COLUMN=VALUE"),
        (["epcis", "import", "missing.jsonld"], "no such file"),
        (["epcis", "export", "out.jsonld", "--from", "March"], "--from 'March'"),
    ],
)
def test_a_mistake_is_one_line_without_traceback_and_changes_nothing(database, args, message):
    assert ship().exit_code == 0
    before = content(database)
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert content(database) == before


def test_creating_a_shipment_beyond_the_offer_is_refused(database):
    result = ship("9")
    assert result.exit_code == 1 and "at most 4" in result.output


def test_epcis_export_then_import_on_a_partners_side(database, tmp_path):
    assert ship().exit_code == 0
    for kind, at, place in JOURNEY[:3]:
        assert run("track", "add-event", "SHP-1", kind, "--at", at, "--place", place).exit_code == 0
    out = tmp_path / "events.jsonld"
    exported = run("epcis", "export", str(out), "--from", "2026-03-01", "--to", "2026-03-02")
    assert exported.exit_code == 0 and "3 event(s)" in exported.output
    again = run("epcis", "import", str(out))
    assert again.exit_code == 0 and "0 event(s) recorded" in again.output
    document = json.loads(out.read_text())
    document["epcisBody"]["eventList"][1]["bizStep"] = "flying"
    out.write_text(json.dumps(document))
    refused = run("epcis", "import", str(out))
    assert refused.exit_code == 1 and "event 1 [bizStep]" in refused.output
    assert "nothing was recorded" in refused.output and "Traceback" not in refused.output
