"""Effective capability, readiness, training and sustainment over the API: the same figures
the services give the same reader, need-to-know on aggregates, and bad parameters refused by
name with nothing changed."""

from __future__ import annotations

from api_support import assert_problem

from coalition.api.encode import plain
from coalition.domain.access import Principal, Role
from coalition.services import readiness, training
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import database_content

V1 = "/api/v1"
COORD = Principal("coord", Role.COORDINATOR)
APPROVE = {"band": "high", "months": 6, "start": "2026-06-01"}


def test_the_funnel_is_the_services_for_the_same_reader(sqlite_api):
    response = sqlite_api.client.get(f"{V1}/capability", headers=sqlite_api.auth("coord"))
    assert response.status_code == 200, response.text
    with UnitOfWork(sqlite_api.engine, COORD) as uow:
        expected = [r.as_dict() for r in training.funnel(uow)]
    assert response.json()["items"] == expected
    areas = [r["capability_area"] for r in expected]
    assert "artillery" in areas and not expected[0]["withheld"]


def test_a_donor_gets_areas_drawn_on_other_donors_withheld_not_zero(sqlite_api):
    staff = sqlite_api.client.get(f"{V1}/capability", headers=sqlite_api.auth("coord")).json()
    mine = sqlite_api.client.get(f"{V1}/capability", headers=sqlite_api.auth("desk-deu")).json()
    shown = {r["capability_area"]: r for r in staff["items"]}
    for row in mine["items"]:
        if row["withheld"]:
            assert row["offered_eur"] is None and row["operational_eur"] is None
        else:
            assert row == shown[row["capability_area"]]
    assert any(r["withheld"] for r in mine["items"])  # the seed's artillery has DEU and POL


def test_readiness_counts_the_latest_fleet_status_report(sqlite_api):
    response = sqlite_api.client.get(f"{V1}/readiness", headers=sqlite_api.auth("analyst"))
    assert response.status_code == 200, response.text
    body = response.json()
    with UnitOfWork(sqlite_api.engine, Principal("analyst", Role.ANALYST)) as uow:
        assert body == plain(readiness.report(uow).as_dict())
    family = {r["group"]: r for r in body["by_family"]}["SPH-155"]
    assert (family["operational"], family["in_maintenance"]) == (3, 1)  # 3 of 4 ready


def test_training_totals_and_need_answer_with_the_seeded_figures(sqlite_api):
    headers = sqlite_api.auth("ukraine")
    totals = sqlite_api.client.get(f"{V1}/training/totals?mission=EUMAM", headers=headers)
    assert totals.status_code == 200, totals.text
    assert [(r["mission"], r["graduated"]) for r in totals.json()["items"]] == [("EUMAM", 19)]
    need = sqlite_api.client.get(f"{V1}/training/need?reserve=1.5", headers=headers)
    assert need.status_code == 200, need.text
    assert need.json()["reserve_factor"] == "1.5"


def test_bad_parameters_are_refused_by_name(sqlite_api):
    headers = sqlite_api.auth("coord")
    for path, named in (
        ("training/need?reserve=lots", "reserve"),
        ("training/need?reserve=0.5", "reserve"),
        ("training/need?margin=-4", "margin"),
        ("training/totals?mission=ACME", "mission"),
        ("sustainment/drafts?band=frantic", "band"),
        ("sustainment/drafts?months=0", "months"),
    ):
        response = sqlite_api.client.get(f"{V1}/{path}", headers=headers)
        assert_problem(response, 422)
        assert named in response.json()["detail"], (path, response.text)


def test_approving_drafts_writes_them_once_and_only_for_the_staff(sqlite_api):
    client = sqlite_api.client
    drafts = client.get(
        f"{V1}/sustainment/drafts",
        headers=sqlite_api.auth("ukraine"),
        params={"band": "high", "months": 6, "start": "2026-06-01"},
    ).json()["items"]
    assert {d["family_code"] for d in drafts} == {"AMMO-155", "SPARES-SPH-155"}
    before = database_content(sqlite_api.engine)
    refused = client.post(
        f"{V1}/sustainment/approve", json=APPROVE, headers=sqlite_api.auth("ukraine")
    )
    assert_problem(refused, 403)
    assert database_content(sqlite_api.engine) == before
    done = client.post(f"{V1}/sustainment/approve", json=APPROVE, headers=sqlite_api.auth("coord"))
    assert done.status_code == 200, done.text
    assert sorted(done.json()["created"]) == sorted(d["ref"] for d in drafts)
    again = client.post(f"{V1}/sustainment/approve", json=APPROVE, headers=sqlite_api.auth("coord"))
    assert again.json()["created"] == [] and sorted(again.json()["already"]) == sorted(
        d["ref"] for d in drafts
    )
    ref = drafts[0]["ref"]
    stored = client.get(f"{V1}/requirements/{ref}", headers=sqlite_api.auth("coord"))
    assert stored.status_code == 200 and stored.json()["status"] == "approved"


def test_an_unknown_draft_or_a_bad_date_changes_nothing(sqlite_api):
    before = database_content(sqlite_api.engine)
    headers = sqlite_api.auth("coord")
    unknown = sqlite_api.client.post(
        f"{V1}/sustainment/approve", json={**APPROVE, "refs": ["SUS-NOPE"]}, headers=headers
    )
    assert_problem(unknown, 422)
    assert "SUS-NOPE" in unknown.json()["detail"]
    bad_day = sqlite_api.client.post(
        f"{V1}/sustainment/approve", json={**APPROVE, "start": "2026-02-30"}, headers=headers
    )
    assert_problem(bad_day, 422)
    assert database_content(sqlite_api.engine) == before
