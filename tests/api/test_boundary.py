"""The error boundary (500 with a request id, the traceback only in the log; 503 when busy),
the change-log routes, and `coalition serve`."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest
from api_support import assert_problem

from coalition.services import coverage, ledger
from coalition.services.errors import DatabaseBusy

V1 = "/api/v1"


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_an_unexpected_error_is_a_500_problem_and_its_traceback_only_in_the_log(
    sqlite_api, monkeypatch
):
    def broken(uow):
        raise RuntimeError("secret internals: /srv/db password=hunter2")

    monkeypatch.setattr(coverage, "coverage_rows", broken)
    handler = Collect()
    logger = logging.getLogger("coalition.api")
    logger.addHandler(handler)
    try:
        response = sqlite_api.client.get(f"{V1}/status", headers=sqlite_api.auth("coord"))
    finally:
        logger.removeHandler(handler)
    body = assert_problem(response, 500)
    assert "hunter2" not in response.text and "RuntimeError" not in response.text
    assert body["request_id"] == response.headers["X-Request-ID"]
    logged = [r for r in handler.records if r.exc_info]
    assert logged and logged[0].exc_info[0] is RuntimeError
    assert getattr(logged[0], "request_id", None) == body["request_id"]


def test_a_busy_database_is_a_503_problem_with_retry_after(sqlite_api, monkeypatch):
    def busy(*args, **kwargs):
        raise DatabaseBusy()

    monkeypatch.setattr(ledger, "change_status", busy)
    response = sqlite_api.client.post(
        f"{V1}/offers/DEU:DEU-OF-0001/status",
        headers=sqlite_api.auth("coord"),
        json={"status": "accepted"},
    )
    assert_problem(response, 503)
    assert int(response.headers["Retry-After"]) >= 1


def test_the_change_log_head_moves_with_each_change_and_verifies(sqlite_api):
    client, headers = sqlite_api.client, sqlite_api.auth("auditor")
    before = client.get(f"{V1}/changes/head", headers=headers).json()
    client.post(f"{V1}/offers/DEU:DEU-OF-0001/status", headers=sqlite_api.auth("coord"),
                json={"status": "accepted"})  # fmt: skip
    after = client.get(f"{V1}/changes/head", headers=headers).json()
    assert after["entries"] == before["entries"] + 1 and after["hash"] != before["hash"]
    report = client.get(
        f"{V1}/changes/verify", headers=headers, params={"expect_head": before["hash"]}
    ).json()
    assert report["problems"] == [] and report["head"] == after["hash"]
    assert report["expected_head_at"] == before["entries"]


def test_the_schema_and_docs_page_need_no_network(sqlite_api):
    document = sqlite_api.client.get(f"{V1}/openapi.json").json()
    assert document["components"]["schemas"]["Problem"]["required"]
    page = sqlite_api.client.get(f"{V1}/docs")
    assert page.status_code == 200 and "/api/v1/offers/{key}" in page.text
    assert "<script" not in page.text and "cdn" not in page.text.lower()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_coalition_serve_answers_on_localhost(tmp_path):
    database = f"sqlite:///{tmp_path / 'coalition.db'}"
    env = {**os.environ, "COALITION_DATABASE_URL": database}
    cli = [sys.executable, "-m", "coalition"]
    subprocess.run([*cli, "init"], env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                schema = httpx.get(f"http://127.0.0.1:{port}{V1}/openapi.json", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "coalition serve did not answer in 30 s"
                time.sleep(0.2)
        assert schema.status_code == 200 and schema.json()["info"]["title"] == "Coalition"
        refused = httpx.get(f"http://127.0.0.1:{port}{V1}/offers", timeout=5)
        assert refused.status_code == 401
        login = httpx.get(f"http://127.0.0.1:{port}/login", timeout=5)  # the pages beside it
        assert (
            login.status_code == 200
            and "script-src 'self'" in login.headers["content-security-policy"]
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_refuses_a_bad_port_before_starting(tmp_path):
    env = {**os.environ, "COALITION_DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}"}
    done = subprocess.run([sys.executable, "-m", "coalition", "serve", "--port", "70000"],
                          env=env, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode != 0 and "--port 70000" in done.stderr
