"""`coalition allocate --json --export-snapshot DIR` keeps stdout a single JSON document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coalition.cli.app import app
from coalition.config import get_settings


def test_json_with_export_prints_json_only_on_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("COALITION_DATABASE_URL", f"sqlite:///{tmp_path / 'c.db'}")
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    monkeypatch.setenv("COALITION_USER", "planner")
    get_settings.cache_clear()
    added = runner.invoke(
        app, ["user", "add", "planner", "--role", "coordinator", "--password-stdin"],
        input="test password 12345\n",
    )  # fmt: skip
    assert added.exit_code == 1 and "must be an admin" in added.output
    runner.invoke(
        app, ["user", "add", "planner", "--role", "admin", "--password-stdin"],
        input="test password 12345\n",
    )  # fmt: skip
    out = tmp_path / "plan"
    result = runner.invoke(app, ["allocate", "--json", "--export-snapshot", str(out)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)  # fails if the export message lands on stdout
    assert document["status"] == "empty"
    assert "coalition plan verify" in result.stderr
    assert (out / "plan.json").is_file()
