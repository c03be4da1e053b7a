"""Training plans over the API: a job schedules and stores a plan, which reads back with its
lines and explains them; accept supersedes; donors see none; bad bounds are refused by name."""

from __future__ import annotations

import time

import pytest
from api_support import TRAINING_LINE, assert_problem, seed_training_plan

from support_ledger import database_content

V1 = "/api/v1"


@pytest.fixture
def planned(sqlite_api):
    seed_training_plan(sqlite_api.engine, sqlite_api.engine_tmp)
    return sqlite_api


def _finish(api, started) -> dict:
    assert started.status_code == 202, started.text
    where, deadline = started.headers["Location"], time.monotonic() + 90
    while (job := api.client.get(where, headers=api.auth("coord")).json())["finished_at"] is None:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    return job


def test_the_seeded_plan_reads_back_with_its_line_and_explains_it(planned):
    headers = planned.auth("coord")
    listed = planned.client.get(f"{V1}/training/plans", headers=headers).json()
    assert listed["total"] == 1 and listed["items"][0]["state"] == "proposed"
    plan = planned.client.get(f"{V1}/training/plans/1", headers=headers)
    assert plan.status_code == 200, plan.text
    lines = {ln["line"]: ln for ln in plan.json()["lines"]}
    assert TRAINING_LINE in lines
    why = planned.client.get(f"{V1}/training/plans/1/explain/{TRAINING_LINE}", headers=headers)
    assert why.status_code == 200, why.text
    assert why.json()["line"] == TRAINING_LINE and why.json()["summary"]
    unknown = planned.client.get(f"{V1}/training/plans/1/explain/NO-SUCH", headers=headers)
    assert_problem(unknown, 404)
    assert "NO-SUCH" in unknown.json()["detail"]


def test_a_job_stores_a_new_plan_and_accepting_it_supersedes_the_one_in_force(planned):
    headers = planned.auth("coord")
    assert planned.client.post(f"{V1}/training/plans/1/accept", headers=headers).status_code == 200
    job = _finish(planned, planned.client.post(
        f"{V1}/training/plans", headers=headers, json={"time_limit": 5.0}
    ))  # fmt: skip
    assert job["status"] == "succeeded", job
    new_id = job["result"]["training_plan_id"]
    assert new_id == 2
    accepted = planned.client.post(f"{V1}/training/plans/{new_id}/accept", headers=headers)
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    first = planned.client.get(f"{V1}/training/plans/1", headers=headers).json()
    assert first["state"] == "superseded" and first["superseded_by"] == new_id
    again = planned.client.post(f"{V1}/training/plans/{new_id}/accept", headers=headers)
    assert_problem(again, 422)


def test_donors_see_no_training_plan_and_cannot_run_one(planned):
    desk = planned.auth("desk-deu")
    assert planned.client.get(f"{V1}/training/plans", headers=desk).json()["items"] == []
    assert_problem(planned.client.get(f"{V1}/training/plans/1", headers=desk), 404)
    before = database_content(planned.engine)
    refused = planned.client.post(f"{V1}/training/plans", headers=desk, json={"time_limit": 5.0})
    assert_problem(refused, 403)
    assert database_content(planned.engine) == before


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"horizon_weeks": 0}, "horizon"),
        ({"horizon_weeks": 261}, "horizon"),
        ({"time_limit": 3601.0}, "time-limit"),
        ({"time_limit": 0}, "time_limit"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_bounds_are_refused_by_name_with_nothing_queued(planned, body, named):
    before = database_content(planned.engine)
    response = planned.client.post(f"{V1}/training/plans", headers=planned.auth("coord"), json=body)
    assert_problem(response, 422)
    assert named in response.text
    assert database_content(planned.engine) == before
