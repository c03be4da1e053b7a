"""The CLI, the API and an export give a principal the same answer: one filter behind all."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from coalition.api import create_app
from coalition.cli.app import app
from coalition.config import get_settings
from coalition.services import accounts, database
from coalition.services import demo as demo_service
from coalition.services.progress import NoProgress
from coalition.storage.engine import make_engine
from coalition.storage.unit_of_work import UnitOfWork


@pytest.mark.parametrize("user", ["desk-pol", "logistician", "coordinator"])
def test_a_users_offer_count_is_the_same_in_the_cli_the_api_and_an_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, user: str
):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    engine = make_engine(url)
    loaded = demo_service.load(NoProgress(), engine)
    with UnitOfWork(engine, loaded.acting) as uow:
        admin = accounts.principal_named(uow, "demo-admin")
    with UnitOfWork(engine, admin) as uow:
        token = accounts.issue_token(uow, user)

    monkeypatch.setenv("COALITION_DATABASE_URL", url)
    monkeypatch.setenv("COALITION_USER", user)
    get_settings.cache_clear()
    database.engine_for.cache_clear()
    try:
        listed = CliRunner().invoke(app, ["list", "offers", "--json"])
        assert listed.exit_code == 0, listed.output
        exported = CliRunner().invoke(app, ["export", "offers", str(tmp_path / "o.csv")])
        assert exported.exit_code == 0, exported.output
    finally:
        get_settings.cache_clear()
        database.engine_for.cache_clear()
    cli_count = len(json.loads(listed.stdout))
    with (tmp_path / "o.csv").open(encoding="utf-8") as handle:
        export_count = sum(1 for _ in csv.DictReader(handle))
    client = TestClient(create_app(engine))
    answer = client.get("/api/v1/offers?limit=1", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    api_count = answer.json()["total"]
    assert cli_count == export_count == api_count
    if user == "desk-pol":  # and it is the donor's own offers, not the coalition's
        assert {row["donor_code"] for row in json.loads(listed.stdout)} == {"POL"}
    engine.dispose()
