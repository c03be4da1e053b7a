"""The demo as a user runs it: one command builds the database and prints the summaries."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def run(*args: str, database: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "COALITION_DATABASE_URL": database,
        "COLUMNS": "200",
        "COALITION_USER": "coordinator",  # an account the demo creates
    }
    return subprocess.run(
        [sys.executable, "-m", "coalition", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_the_demo_builds_and_summarises_and_a_second_run_keeps_the_users_work(tmp_path):
    database = f"sqlite:///{tmp_path / 'demo.db'}"
    first = run("demo", database=database)
    assert first.returncode == 0, first.stderr
    for heading in (
        "Coverage by capability area",
        "Plan 1",
        "Burden-sharing 2025",
        "Effective capability",
        "Training need",
        "Training by mission",
        "Readiness by capability area",
        "Fleet diversity",
    ):
        assert heading in first.stdout
    assert "1500" in first.stdout  # offers created
    # The demo accepts its first plan, as its coordinator would, and routes it.
    assert "Logistics plan 1" in first.stdout and "busiest hub" in first.stdout
    # ... accepts that logistics plan, and schedules and accepts a training plan against it.
    assert "Training plan 1 (" in first.stdout and ", accepted) from " in first.stdout
    assert "crewed on time" in first.stdout and "late" in first.stdout
    trained = json.loads(run("training", "show", "1", "--json", database=database).stdout)
    states = {line["state"] for line in trained["lines"]}
    assert {"on time", "late"} <= states, states
    assert trained["logistics_plan_id"] == 1
    assert any(line.get("eta_from") == "logistics plan 1" for line in trained["lines"])
    again = run("plan", "accept", "1", database=database)
    assert again.returncode == 1 and "only a proposed plan" in again.stderr
    # The README tour moves an offer along; the demo then keeps that work.
    moved = run("set-status", "offers", "DEU:DEU-OF-0002", "declined", database=database)
    assert moved.returncode == 0, moved.stderr
    second = run("demo", database=database)
    assert second.returncode == 0, second.stderr
    assert "Plan 2" in second.stdout
    assert "Training plan 2 (" in second.stdout and "proposed" in second.stdout
    assert "kept as they are" in second.stdout
    shown = run("show", "offers", "DEU:DEU-OF-0002", "--json", database=database)
    assert json.loads(shown.stdout)["status"] == "declined"

    chart = tmp_path / "share.svg"
    burden = run(
        "burden",
        "--year",
        "2025",
        "--chart",
        str(chart),
        "--export",
        str(tmp_path / "b.xlsx"),
        "--json",
        database=database,
    )
    assert burden.returncode == 0, burden.stderr
    assert chart.read_text().count("<svg") >= 1
    assert (tmp_path / "b.xlsx").stat().st_size > 0

    verify_dir = tmp_path / "plan"
    exported = run("allocate", "--export-snapshot", str(verify_dir), database=database)
    assert exported.returncode == 0, exported.stderr
    verified = run("plan", "verify", str(verify_dir), database=database)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "0 violation(s)" in verified.stdout

    for day, expected in (("2023-01-10", 21), ("2024-03-07", 23)):
        both = run("members", "--on", day, "--json", database=database)
        assert len(json.loads(both.stdout)) == expected

    refused = run("set-status", "offers", "DEU:DEU-OF-0002", "delivered", database=database)
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: offer: cannot go from 'declined' to 'delivered'")
    assert "Traceback" not in refused.stderr
