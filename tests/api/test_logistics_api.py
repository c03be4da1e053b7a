"""Logistics over the API: a plan run as a job routes the accepted allocation, its ETAs read
back; bad input is a problem naming the field, nothing changed; donors see no plan at all."""

from __future__ import annotations

import time

import pytest
from api_support import ADMIN, Api, assert_problem

from coalition.planning import allocation as planner
from coalition.services import allocation
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import import_text

V1 = "/api/v1"
# The seed's hub and border crossing, joined to a German depot and Ukraine's depot.
NODES = (
    "code,name,kind,country,latitude,longitude,handling_t_per_day\n"
    "DEU-DEPOT-1,Depot,depot,DEU,52.5,13.4,\n"
    "UA-DEP-W1,Western depot 1,delivery,UKR,49.8,24.0,\n"
)
LANES = (
    "code,from_node,to_node,mode,transit_days,capacity_t_per_day,outsize_per_day,"
    "cost_eur_per_t\n"
    "DEU-DEPOT-1_POL-HUB-1_road,DEU-DEPOT-1,POL-HUB-1,road,2,1000,8,50\n"
    "POL-BX-MEDYKA_UA-DEP-W1_road,POL-BX-MEDYKA,UA-DEP-W1,road,1,1000,8,10\n"
)
# The seed's shell, with a mass so that its line can be routed.
SHELL = (
    "code,name,family_code,supply_class,unit_of_issue,nsn,mass_kg,volume_m3,"
    "reference_value_eur,platform_code\nHE155,155mm HE shell,AMMO-155,V,RD,,45,,3300,\n"
)
LINE = "DEU:DEU-OF-0002>REQ-1"


@pytest.fixture
def routed(api: Api) -> Api:
    """The seed's network reaching Ukraine, and its allocation (HE155 shells to REQ-1)
    accepted."""
    import_text(api.engine, api.engine_tmp, "nodes", NODES, name="more-nodes.csv")
    import_text(api.engine, api.engine_tmp, "lanes", LANES, name="more-lanes.csv")
    import_text(api.engine, api.engine_tmp, "item-types", SHELL, name="shell.csv")
    stored, _ = allocation.run(ADMIN, planner.Parameters(time_limit_s=5.0), engine=api.engine)
    with UnitOfWork(api.engine, ADMIN) as uow:
        allocation.accept(uow, stored.id)
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
