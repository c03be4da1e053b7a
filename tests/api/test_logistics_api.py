"""Logistics over the API: a plan run as a job routes the accepted allocation, its ETAs read
back; bad input is a problem naming the field, nothing changed; donors see no plan at all."""

from __future__ import annotations

import time

import pytest
from api_support import ADMIN, ROUTED_LINE, Api, assert_problem, seed_routable

V1 = "/api/v1"
LINE = ROUTED_LINE


@pytest.fixture
def routed(api: Api) -> Api:
    seed_routable(api.engine, api.engine_tmp)
    return api


def _finished(api: Api, where: str) -> dict:
    deadline = time.monotonic() + 60
    while (job := api.client.get(where, headers=api.auth("coord")).json())["finished_at"] is None:
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
    return job


def test_a_plan_run_as_a_job_routes_the_allocation_and_reads_back_with_its_etas(routed):
    api, coord = routed, routed.auth("coord")
    started = api.client.post(f"{V1}/logistics/plans", headers=coord,
                              json={"horizon": 120, "time_limit": 10.0})  # fmt: skip
    assert started.status_code == 202, started.text
    job = _finished(api, started.headers["Location"])
    assert job["status"] == "succeeded" and job["kind"] == "logistics", job
    plan_id = job["result"]["logistics_plan_id"]
    plan = api.client.get(f"{V1}/logistics/plans/{plan_id}", headers=coord).json()
    assert plan["state"] == "proposed" and plan["horizon_days"] == 120
    lines = {e["line"]: e for e in plan["etas"]}
    assert lines[LINE]["unrouted_units"] == 0 and lines[LINE]["last_arrival_day"] is not None
    assert plan["routed"] == plan["lines"] == 1 and plan["unrouted"] == []
    listed = api.client.get(f"{V1}/logistics/plans", headers=coord, params={"limit": 1}).json()
    assert listed["total"] == 1 and listed["items"][0]["plan_id"] == plan_id
    accepted = api.client.post(f"{V1}/logistics/plans/{plan_id}/accept", headers=coord)
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert_problem(api.client.post(f"{V1}/logistics/plans/{plan_id}/accept", headers=coord), 422)
    # Closing the hub for the whole horizon: the routed line cannot get through any more.
    whatif = api.client.post(f"{V1}/logistics/whatif", headers=coord,
                             json={"close": "POL-HUB-1", "from": "2026-12-01"})  # fmt: skip
    assert whatif.status_code == 200, whatif.text
    delta = whatif.json()
    assert delta["base_plan_id"] == plan_id and delta["plan"]["plan_id"] == plan_id + 1
    assert delta["plan"]["unroutable"] == 1 and delta["plan"]["unrouted"][0]["line"] == LINE


def test_donors_see_no_logistics_plan_for_it_names_every_donors_offers(routed):
    from datetime import date

    from coalition.services import logistics

    stored = logistics.run(ADMIN, 60, 5.0, routed.engine, date(2026, 12, 1))
    for user in ("desk-deu", "desk-pol", "ukraine", "analyst"):
        headers = routed.auth(user)
        listed = routed.client.get(f"{V1}/logistics/plans", headers=headers).json()
        assert listed == {"items": [], "next_cursor": None, "total": 0}, user
        assert_problem(routed.client.get(f"{V1}/logistics/plans/{stored.id}", headers=headers), 404)
    audited = routed.client.get(f"{V1}/logistics/plans/{stored.id}", headers=routed.auth("auditor"))
    assert audited.status_code == 200
    assert_problem(
        routed.client.post(f"{V1}/logistics/plans/{stored.id}/accept",
                           headers=routed.auth("auditor")), 403,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"horizon": 731}, "horizon"),
        ({"horizon": 0}, "horizon"),
        ({"time_limit": 3601.0}, "time_limit"),
        ({"time_limit": 0}, "time_limit"),
        ({"horizon": "30"}, "horizon"),
        ({"days": 30}, "days"),
    ],
)
def test_a_run_out_of_the_services_bounds_is_refused_naming_the_field(api, body, field):
    before = api.client.get(f"{V1}/changes/head", headers=api.auth("auditor")).json()
    response = api.client.post(f"{V1}/logistics/plans", headers=api.auth("coord"), json=body)
    assert_problem(response, 422, field)
    assert api.client.get(f"{V1}/changes/head", headers=api.auth("auditor")).json() == before


def test_a_whatif_names_what_is_wrong_and_changes_nothing(routed):
    from datetime import date

    from coalition.services import logistics

    logistics.run(ADMIN, 60, 5.0, routed.engine, date(2026, 12, 1))
    coord = routed.auth("coord")
    before = routed.client.get(f"{V1}/changes/head", headers=coord).json()
    bad = [
        ({"close": "NO-SUCH-NODE", "from": "2026-12-02"}, 404, None),
        ({"close": "POL-HUB-1", "from": "2026-12-10", "to": "2026-12-02"}, 422, None),
        ({"close": "POL-HUB-1", "from": "2026-02-30"}, 422, "from"),
        ({"close": "POL-HUB-1", "from": "2026-12-02", "time_limit": 121.0}, 422, "time_limit"),
        ({"from": "2026-12-02"}, 422, "close"),
    ]
    for body, status, field in bad:
        response = routed.client.post(f"{V1}/logistics/whatif", headers=coord, json=body)
        assert_problem(response, status, field)
    assert routed.client.get(f"{V1}/changes/head", headers=coord).json() == before
    donor = routed.client.post(f"{V1}/logistics/whatif", headers=routed.auth("desk-deu"),
                               json={"close": "POL-HUB-1", "from": "2026-12-02"})  # fmt: skip
    assert_problem(donor, 403)
