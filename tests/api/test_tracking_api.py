"""The tracking routes: the standard page shape, ETags that move with every event, refusals
as problem+json naming the field or the EPCIS event, and nothing changed by a refusal."""

from __future__ import annotations

import pytest
from api_support import Api, assert_problem, capture_document, seed_shipment

from support_ledger import database_content

V1 = "/api/v1"


@pytest.fixture
def tracked(api: Api) -> Api:
    seed_shipment(api.engine, api.engine_tmp)
    return api


def test_the_list_has_the_standard_page_shape_and_pages_by_cursor(tracked):
    headers = tracked.auth("coord")
    body = {"offer_key": "DEU:DEU-OF-0005", "requirement_ref": "REQ-1", "quantity": 1,
            "origin": "POL-HUB-1", "destination": "POL-BX-MEDYKA"}  # fmt: skip
    made = tracked.client.post(f"{V1}/shipments", headers=headers,
                               json={**body, "shipment_id": "SHP-2"})  # fmt: skip
    assert made.status_code == 201, made.text
    assert made.headers["Location"] == f"{V1}/shipments/SHP-2" and made.headers["ETag"] == '"1"'
    first = tracked.client.get(f"{V1}/shipments", headers=headers, params={"limit": 1}).json()
    assert set(first) == {"items", "next_cursor", "total"} and first["total"] == 2
    assert first["items"][0]["state"] == "departed"
    rest = tracked.client.get(
        f"{V1}/shipments", headers=headers, params={"limit": 1, "cursor": first["next_cursor"]}
    ).json()
    assert [r["shipment_id"] for r in rest["items"]] == ["SHP-2"] and rest["next_cursor"] is None
    bad = tracked.client.get(f"{V1}/shipments", headers=headers, params={"cursor": "nope"})
    assert_problem(bad, 422, "cursor")


def test_an_event_moves_the_etag_on_and_shows_in_the_timeline(tracked):
    headers = tracked.auth("ukraine")
    before = tracked.client.get(f"{V1}/shipments/SHP-1", headers=headers)
    assert before.headers["ETag"] == '"2"'  # created, then departed
    reported = tracked.client.post(
        f"{V1}/shipments/SHP-1/events", headers=headers,
        json={"kind": "received", "time": "2026-03-03T08:00:00+02:00", "place": "POL-BX-MEDYKA",
              "quantity": 90},
    )  # fmt: skip
    assert reported.status_code == 201, reported.text
    assert reported.headers["ETag"] == '"3"'
    timeline = tracked.client.get(f"{V1}/shipments/SHP-1/events", headers=headers).json()
    assert [(e["kind"], e["reported_by"]) for e in timeline["events"]] == [
        ("departed", "admin"), ("received", "ukraine")]  # fmt: skip
    assert timeline["events"][1]["time"] == "2026-03-03T06:00:00+00:00"
    assert (timeline["received"], timeline["discrepancy"]) == (90, 10)
    offer = tracked.client.get(f"{V1}/offers/DEU:DEU-OF-0005", headers=tracked.auth("coord"))
    assert offer.json()["status"] == "shipped"  # 100 of its 500 units shipped and received


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "at_hub", "time": "2026-02-01T08:00:00Z", "place": "POL-HUB-1"}, None),
        ({"kind": "delivered", "time": "2026-03-02T08:00:00Z", "place": "POL-HUB-1"}, None),
        ({"kind": "at_hub", "time": "March", "place": "POL-HUB-1"}, "time"),
        ({"kind": "at_hub", "time": "2026-03-02T08:00:00Z", "place": "NOWHERE"}, "place"),
        ({"kind": "teleported", "time": "2026-03-02T08:00:00Z", "place": "POL-HUB-1"}, "kind"),
        ({"kind": "at_hub", "time": "2026-03-02T08:00:00Z", "place": "POL-HUB-1", "x": 1}, "x"),
    ],
)
def test_a_refused_event_is_a_422_problem_and_changes_nothing(tracked, body, field):
    before = database_content(tracked.engine)
    response = tracked.client.post(
        f"{V1}/shipments/SHP-1/events", headers=tracked.auth("coord"), json=body
    )
    assert_problem(response, 422, field)
    assert database_content(tracked.engine) == before


def test_another_donors_shipment_does_not_exist_for_a_donor(tracked):
    headers = tracked.auth("desk-pol")
    assert_problem(tracked.client.get(f"{V1}/shipments/SHP-1", headers=headers), 404)
    assert_problem(tracked.client.get(f"{V1}/shipments/SHP-1/events", headers=headers), 404)
    listed = tracked.client.get(f"{V1}/shipments", headers=headers).json()
    assert listed == {"items": [], "next_cursor": None, "total": 0}
    exported = tracked.client.get(f"{V1}/epcis/events", headers=headers).json()
    assert exported["epcisBody"]["eventList"] == []
    too_long = tracked.client.get(f"{V1}/shipments/{'X' * 65}", headers=headers)
    assert_problem(too_long, 422)


def test_a_capture_is_all_or_nothing_and_names_the_event(tracked):
    headers = tracked.auth("desk-deu")
    document = capture_document()
    document["epcisBody"]["eventList"].append({**document["epcisBody"]["eventList"][0],
                                               "bizStep": "flying"})  # fmt: skip
    before = database_content(tracked.engine)
    refused = tracked.client.post(f"{V1}/epcis/capture", headers=headers, json=document)
    body = assert_problem(refused, 422, "epcisBody.eventList[1].bizStep")
    assert "flying" in body["detail"]
    assert database_content(tracked.engine) == before
    done = tracked.client.post(f"{V1}/epcis/capture", headers=headers, json=capture_document())
    assert done.status_code == 200 and done.json()["recorded"] == 1
    exported = tracked.client.get(
        f"{V1}/epcis/events", headers=headers, params={"from": "2026-03-02", "to": "2026-03-03"}
    ).json()
    assert [e["bizStep"] for e in exported["epcisBody"]["eventList"]] == ["entering_exiting"]
    assert_problem(
        tracked.client.get(f"{V1}/epcis/events", headers=headers, params={"from": "soon"}), 422
    )
