"""Allocation as a job (202, Location, progress, then the plan), and idempotency keys."""

from __future__ import annotations

import time

from api_support import assert_problem

V1 = "/api/v1"


def test_an_allocation_runs_as_a_job_that_names_its_plan(sqlite_api):
    client, headers = sqlite_api.client, sqlite_api.auth("coord")
    started = client.post(f"{V1}/plans", headers=headers, json={"time_limit": 20.0})
    assert started.status_code == 202, started.text
    where = started.headers["Location"]
    assert where == started.json()["location"] == f"{V1}/jobs/{started.json()['job_id']}"
    deadline = time.monotonic() + 60
    while True:
        job = client.get(where, headers=headers).json()
        assert 0.0 <= job["progress"] <= 1.0
        if job["finished_at"] is not None:
            break
        assert time.monotonic() < deadline, job
        time.sleep(0.2)
    assert job["error"] is None, job
    plan_id = job["result"]["plan_id"]
    plan = client.get(f"{V1}/plans/{plan_id}", headers=headers).json()
    assert plan["id"] == plan_id and plan["state"] == "proposed"
    listed = client.get(f"{V1}/plans", headers=headers).json()
    assert [p["id"] for p in listed["items"]] == [plan_id] and listed["total"] == 1
    explained = client.get(f"{V1}/plans/{plan_id}/explain/requirement/REQ-1", headers=headers)
    assert explained.status_code == 200 and explained.json()["requirement_id"] == "REQ-1"


def test_only_staff_run_allocations(sqlite_api):
    response = sqlite_api.client.post(
        f"{V1}/plans", headers=sqlite_api.auth("desk-deu"), json={"time_limit": 5.0}
    )
    assert_problem(response, 403)


def test_a_create_repeated_with_its_key_is_done_once_and_replayed(sqlite_api):
    client = sqlite_api.client
    headers = {**sqlite_api.auth("coord"), "Idempotency-Key": "create-swe-1"}
    body = {"code": "SWE", "name": "Sweden", "kind": "nation"}
    first = client.post(f"{V1}/donors", headers=headers, json=body)
    again = client.post(f"{V1}/donors", headers=headers, json=body)
    assert first.status_code == again.status_code == 201, (first.text, again.text)
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"] == f"{V1}/donors/SWE"
    other = client.post(f"{V1}/donors", headers=headers, json={**body, "name": "Suède"})
    assert_problem(other, 422, "Idempotency-Key")
    without = client.post(f"{V1}/donors", headers=sqlite_api.auth("coord"), json=body)
    assert_problem(without, 422)  # a second create without the key: already exists
