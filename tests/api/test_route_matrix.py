"""The authorization matrix, generated from the route table.

Every route of the API must have an entry in EXPECTED (a new route without one fails), and
every registry a sample key and a new record to create. `MATRIX` states, for every user of
every role (a donor both as the owner of the sample offer and pledge and as another donor),
the status each operation must answer. It is written from the roles as the access-control
issue defines them, not computed from `domain/access.py`, so a change to the rules that the
table does not share fails here. What a principal may not see does not exist for it: 404,
never 403; 403 is for what it sees but may not do.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
from api_support import (
    TRAINING_LINE,
    USERS,
    Api,
    assert_problem,
    capture_document,
    seed_logistics_plan,
    seed_shipment,
    seed_training_plan,
)
from fastapi.routing import APIRoute
from starlette.routing import Route

from coalition.api import create_app
from coalition.registries.kinds import KINDS
from support_ledger import database_content

V1 = "/api/v1"


@dataclass(frozen=True)
class Expect:
    sample: str  # a concrete path to call, for the path template
    body: dict | None = None
    token: bool = True  # a bearer token is required


# A key per registry: one the seed holds where it has one (else the call is a 404).
SAMPLE_KEYS = {
    "donors": "DEU",
    "memberships": "DEU:NATO:1955-05-06",
    "gdp": "DEU:2024",
    "recipients": "UA-DEP-W1",
    "families": "SPH-155",
    "item-types": "PZH2000",
    "compatibility": "HE155:family:SPH-155",
    "requirements": "REQ-1",
    "offers": "DEU:DEU-OF-0001",
    "pledges": "DEU:DEU-FIN-2025-01",
    "fleet": "PZH2000:UA-DEP-W1",
    "baselines": "2025",
    "nodes": "POL-HUB-1",
    "lanes": "POL-HUB-1_POL-BX-MEDYKA_road",
    "proposals": "2016-HYB-a",
    "progress-reports": "8",
    "proposal-progress": "2016-HYB-a:8",
    "meetings": "UDCG-1",
    "taskings": "UDCG-1:1",
    "courses": "CRS-PZH2000-CREW",
    "sites": "DEU-SITE-IDAR",
    "intakes": "PZH2000-CREW-01",
    "cohorts": "UA-DEP-W1-C01",
    "training-records": "PZH2000-CREW-01:UA-DEP-W1-C01",
    "fleet-status": "PZH2000:UA-DEP-W1:2026-05-01",
}

# A record each registry does not hold yet (offers and pledges of DEU, the sample's donor).
NEW_RECORDS: dict[str, dict[str, str]] = {
    "donors": {"code": "FRA", "name": "France", "kind": "nation"},
    "memberships": {"donor_code": "DEU", "organisation": "EU", "joined": "1958-01-01"},
    "gdp": {"donor_code": "DEU", "year": "2023", "amount": "4100", "currency": "USD",
            "unit": "billion", "source": "test"},
    "recipients": {"code": "UA-DEP-E1", "name": "Eastern depot 1", "kind": "depot",
                   "location": "Kharkiv oblast", "latitude": "50.0", "longitude": "36.2"},
    "families": {"code": "MLRS", "name": "Rocket launcher", "capability_area": "artillery"},
    "item-types": {"code": "M777", "name": "M777 howitzer", "family_code": "SPH-155",
                   "supply_class": "II", "unit_of_issue": "EA"},
    "compatibility": {"item_type_code": "HE155", "target_kind": "platform",
                      "target_code": "PZH2000"},
    "requirements": {"ref": "REQ-2", "capability_area": "artillery", "family_code": "SPH-155",
                     "quantity": "3", "priority": "2", "needed_by": "2027-03-01",
                     "destination_code": "UA-DEP-W1", "status": "approved"},
    "offers": {"donor_code": "DEU", "external_id": "DEU-OF-0100", "item_type_code": "HE155",
               "quantity": "3", "available_from": "2026-02-01", "origin": "DEU",
               "condition": "new", "currency": "EUR", "status": "offered"},
    "pledges": {"donor_code": "DEU", "external_id": "DEU-FIN-2025-09", "amount": "1000000",
                "currency": "EUR", "year": "2025", "pledged_on": "2025-05-01",
                "purpose": "procurement", "status": "pledge"},
    "fleet": {"item_type_code": "KRAB", "recipient_code": "UA-DEP-W1", "quantity": "2",
              "as_of": "2026-11-01"},
    "nodes": {"code": "SVK-HUB-1", "name": "Kosice hub", "kind": "hub", "country": "SVK",
              "latitude": "48.72", "longitude": "21.26", "handling_t_per_day": "500"},
    "lanes": {"code": "POL-BX-MEDYKA_POL-HUB-1_road", "from_node": "POL-BX-MEDYKA",
              "to_node": "POL-HUB-1", "mode": "road", "transit_days": "1",
              "capacity_t_per_day": "300", "outsize_per_day": "4", "cost_eur_per_t": "20"},
    "courses": {"code": "CRS-KRAB-CREW", "name": "Krab crew", "skill": "crew",
                "duration_weeks": "6", "provider_code": "POL", "mission": "EUMAM",
                "platform_code": "KRAB", "per_platform": "5"},
    "sites": {"code": "POL-SITE-1", "name": "Polish training area", "country": "POL",
              "provider_code": "POL"},
    "intakes": {"code": "PZH2000-CREW-02", "course_code": "CRS-PZH2000-CREW",
                "site_code": "DEU-SITE-IDAR", "start_date": "2026-03-02", "seats": "20"},
    "cohorts": {"code": "UA-DEP-W1-C02", "unit_code": "UA-DEP-W1", "language_group": "uk",
                "size": "20", "platform_code": "PZH2000"},
    "training-records": {"intake_code": "PZH2000-CREW-01", "cohort_code": "UA-DEP-W1-C02",
                         "enrolled": "20", "graduated": "18", "failed": "2"},
    "fleet-status": {"item_type_code": "PZH2000", "recipient_code": "UA-DEP-W1",
                     "as_of": "2026-11-15", "operational": "3", "in_maintenance": "1"},
    "baselines": {"year": "2026", "amount": "1000000.00", "currency": "EUR",
                  "participants_group": "NATO", "gdp_measure": "test GDP", "gdp_year": "2024",
                  "counted_categories": "procurement", "membership_date": "2026-12-31",
                  "source": "test rule"},
    "proposals": {"id": "2017-HYB-1", "set_year": "2017", "strand": "hybrid",
                  "text": "Deepen staff ties", "illustrative": "false"},
    "progress-reports": {"number": "9", "period_from": "2023-06-01",
                         "period_to": "2024-05-31", "presented_on": "2024-06-17"},
    "proposal-progress": {"proposal_id": "2016-HYB-a", "report_number": "7",
                          "status": "advanced"},
    "meetings": {"code": "PSCNAC-1", "format": "psc_nac", "held_on": "2026-05-20",
                 "title": "PSC-NAC"},
    "taskings": {"meeting_code": "UDCG-1", "number": "2", "decision": "Report",
                 "owner": "NSATU", "due_on": "2026-06-01", "status": "open"},
}  # fmt: skip
# A legal lifecycle step from each sample record's status.
LEGAL_STEP = {"requirements": "cancelled", "offers": "withdrawn", "pledges": "commitment"}

EXPECTED: dict[tuple[str, str], Expect] = {
    ("POST", f"{V1}/auth/token"): Expect(
        f"{V1}/auth/token", {"username": "coord", "password": "wrong password!"}, token=False
    ),
    ("GET", f"{V1}/openapi.json"): Expect(f"{V1}/openapi.json", token=False),
    ("GET", f"{V1}/docs"): Expect(f"{V1}/docs", token=False),
    ("GET", f"{V1}/status"): Expect(f"{V1}/status"),
    ("GET", f"{V1}/burden"): Expect(f"{V1}/burden?year=2025"),
    ("GET", f"{V1}/members"): Expect(f"{V1}/members?org=NATO&org=EU"),
    ("GET", f"{V1}/brief"): Expect(f"{V1}/brief?from=2026-01-01&to=2026-06-30&year=2025"),
    ("GET", f"{V1}/capability"): Expect(f"{V1}/capability"),
    ("GET", f"{V1}/readiness"): Expect(f"{V1}/readiness"),
    ("GET", f"{V1}/training/need"): Expect(f"{V1}/training/need?reserve=1.2&margin=30"),
    ("GET", f"{V1}/training/totals"): Expect(f"{V1}/training/totals?mission=EUMAM"),
    ("GET", f"{V1}/sustainment/drafts"): Expect(
        f"{V1}/sustainment/drafts?band=high&months=6&start=2026-06-01"
    ),
    ("POST", f"{V1}/sustainment/approve"): Expect(
        f"{V1}/sustainment/approve", {"band": "high", "months": 6, "start": "2026-06-01"}
    ),
    ("GET", f"{V1}/plans"): Expect(f"{V1}/plans"),
    ("POST", f"{V1}/plans"): Expect(f"{V1}/plans", {"time_limit": 5.0}),
    ("GET", f"{V1}/plans/{{plan_id}}"): Expect(f"{V1}/plans/1"),
    ("GET", f"{V1}/plans/{{plan_id}}/explain/requirement/{{ref}}"): Expect(
        f"{V1}/plans/1/explain/requirement/REQ-1"
    ),
    ("GET", f"{V1}/plans/{{plan_id}}/explain/offer/{{key}}"): Expect(
        f"{V1}/plans/1/explain/offer/DEU:DEU-OF-0001"
    ),
    ("POST", f"{V1}/plans/{{plan_id}}/accept"): Expect(f"{V1}/plans/1/accept"),
    ("GET", f"{V1}/jobs/{{job_id}}"): Expect(f"{V1}/jobs/1"),
    ("GET", f"{V1}/changes"): Expect(f"{V1}/changes?entity=offer&key=DEU:DEU-OF-0001"),
    ("GET", f"{V1}/changes/verify"): Expect(f"{V1}/changes/verify"),
    ("GET", f"{V1}/changes/head"): Expect(f"{V1}/changes/head"),
    # Tracking: SHP-1 is DEU's (seeded, departed); SHP-2 a new one of the same offer. The
    # capture (run first) reports SHP-1 crossing the border, the event route its delivery.
    ("GET", f"{V1}/shipments"): Expect(f"{V1}/shipments"),
    ("GET", f"{V1}/shipments/{{shipment_id}}"): Expect(f"{V1}/shipments/SHP-1"),
    ("POST", f"{V1}/shipments"): Expect(
        f"{V1}/shipments",
        {
            "shipment_id": "SHP-2",
            "offer_key": "DEU:DEU-OF-0005",
            "requirement_ref": "REQ-1",
            "quantity": 1,
            "origin": "POL-HUB-1",
            "destination": "POL-BX-MEDYKA",
        },
    ),
    ("GET", f"{V1}/shipments/{{shipment_id}}/events"): Expect(f"{V1}/shipments/SHP-1/events"),
    ("POST", f"{V1}/shipments/{{shipment_id}}/events"): Expect(
        f"{V1}/shipments/SHP-1/events",
        {"kind": "delivered", "time": "2026-03-03T08:00:00Z", "place": "POL-BX-MEDYKA"},
    ),
    ("GET", f"{V1}/epcis/events"): Expect(f"{V1}/epcis/events?from=2026-01-01"),
    ("POST", f"{V1}/epcis/capture"): Expect(f"{V1}/epcis/capture", capture_document()),
    # Logistics: plan 1 is seeded (proposed, from 2026-02-01); the what-if closes the hub.
    ("GET", f"{V1}/training/plans"): Expect(f"{V1}/training/plans"),
    ("GET", f"{V1}/training/plans/{{plan_id}}"): Expect(f"{V1}/training/plans/1"),
    ("GET", f"{V1}/training/plans/{{plan_id}}/explain/{{line}}"): Expect(
        f"{V1}/training/plans/1/explain/{TRAINING_LINE}"
    ),
    ("POST", f"{V1}/training/plans/{{plan_id}}/accept"): Expect(f"{V1}/training/plans/1/accept"),
    ("POST", f"{V1}/training/plans"): Expect(f"{V1}/training/plans", {"time_limit": 5.0}),
    ("GET", f"{V1}/logistics/plans"): Expect(f"{V1}/logistics/plans"),
    ("GET", f"{V1}/logistics/plans/{{plan_id}}"): Expect(f"{V1}/logistics/plans/1"),
    ("POST", f"{V1}/logistics/plans/{{plan_id}}/accept"): Expect(f"{V1}/logistics/plans/1/accept"),
    ("POST", f"{V1}/logistics/plans"): Expect(
        f"{V1}/logistics/plans", {"horizon": 30, "time_limit": 5.0}
    ),
    ("POST", f"{V1}/logistics/whatif"): Expect(
        f"{V1}/logistics/whatif",
        {"close": "POL-HUB-1", "from": "2026-02-10", "to": "2026-02-20", "time_limit": 5.0},
    ),
}
for _name, _kind in KINDS.items():
    _key = SAMPLE_KEYS[_name]
    EXPECTED[("GET", f"{V1}/{_name}")] = Expect(f"{V1}/{_name}")
    EXPECTED[("GET", f"{V1}/{_name}/{{key}}")] = Expect(f"{V1}/{_name}/{_key}")
    EXPECTED[("POST", f"{V1}/{_name}")] = Expect(f"{V1}/{_name}", NEW_RECORDS[_name])
    EXPECTED[("PATCH", f"{V1}/{_name}/{{key}}")] = Expect(
        f"{V1}/{_name}/{_key}", {"marking": "REL TO UKR"}
    )
    if _kind.lifecycle:
        EXPECTED[("POST", f"{V1}/{_name}/{{key}}/status")] = Expect(
            f"{V1}/{_name}/{_key}/status", {"status": LEGAL_STEP[_name]}
        )


@pytest.fixture
def sqlite_api(sqlite_api: Api) -> Api:
    """The seeded API with a shipment (SHP-1, DEU's, departed) for the tracking routes and
    logistics plan 1 for the logistics routes, training plan 1 for the training routes."""
    seed_shipment(sqlite_api.engine, sqlite_api.engine_tmp)
    seed_logistics_plan(sqlite_api.engine)
    seed_training_plan(sqlite_api.engine, sqlite_api.engine_tmp)
    return sqlite_api


def route_table() -> set[tuple[str, str]]:
    """Every (method, path) the API serves under /api/v1: the routes FastAPI documents (it
    keeps included routers nested, so the document is its public flat view) and the top-level
    routes kept out of the document (schema, docs page). The web pages, mounted beside it by
    `coalition.asgi`, have their own matrix (tests/web/test_web_route_matrix.py)."""
    app = create_app()
    table = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    for route in app.routes:
        if isinstance(route, APIRoute | Route):
            table |= {(m, route.path) for m in route.methods or () if m != "HEAD"}
    return {(method, path) for method, path in table if path.startswith(f"{V1}/")}


def test_the_served_app_keeps_the_api_prefix_for_the_api_and_the_rest_for_the_pages():
    from fastapi.testclient import TestClient

    from coalition.asgi import create_app as create_served_app

    client = TestClient(create_served_app(), follow_redirects=False)
    assert_problem(client.get(f"{V1}/no-such-route"), 404)
    assert_problem(client.delete(f"{V1}/auth/token"), 405)
    assert client.get(f"{V1}/openapi.json").status_code == 200
    page = client.get("/")
    assert page.status_code == 303 and page.headers["location"] == "/login"


def test_every_route_has_an_expectation_and_every_expectation_a_route():
    assert route_table() == set(EXPECTED)
    assert set(SAMPLE_KEYS) == set(KINDS)


@pytest.mark.parametrize("route", sorted(EXPECTED), ids=" ".join)
def test_without_a_token_only_sign_in_and_the_schema_answer(sqlite_api, route):
    method, _ = route
    expect = EXPECTED[route]
    response = sqlite_api.client.request(method, expect.sample, json=expect.body)
    if expect.token:
        assert_problem(response, 401)
        assert response.headers["WWW-Authenticate"] == "Bearer"
    else:
        assert response.status_code != 401 or route == ("POST", f"{V1}/auth/token")
        if route[1] != f"{V1}/auth/token":
            assert response.status_code == 200


READS = sorted(r for r in EXPECTED if r[0] == "GET" and EXPECTED[r].token)


@pytest.mark.parametrize("user", [u for u, _, _ in USERS])
def test_no_role_gets_a_server_error_from_any_read(sqlite_api, user):
    for route in READS:
        expect = EXPECTED[route]
        response = sqlite_api.client.get(expect.sample, headers=sqlite_api.auth(user))
        assert response.status_code < 500, (user, route, response.text)
        if response.status_code >= 400:
            assert_problem(response, response.status_code)


OTHERS = {"desk-deu": "POL", "desk-pol": "DEU"}
OWNED = {"offers": "{d}:{d}-OF-0001", "pledges": "{d}:{d}-FIN-2025-01"}


@pytest.mark.parametrize("user", sorted(OTHERS))
@pytest.mark.parametrize("kind_name", sorted(OWNED))
def test_a_donor_never_reads_or_changes_another_donors_records(api, user, kind_name):
    headers, other = api.auth(user), OTHERS[user]
    own_donor = "DEU" if other == "POL" else "POL"
    theirs = OWNED[kind_name].format(d=other)
    mine = OWNED[kind_name].format(d=own_donor)
    client = api.client
    assert client.get(f"{V1}/{kind_name}/{mine}", headers=headers).status_code == 200
    assert_problem(client.get(f"{V1}/{kind_name}/{theirs}", headers=headers), 404)
    listed = client.get(f"{V1}/{kind_name}", headers=headers, params={"limit": 500}).json()
    assert {r["donor_code"] for r in listed["items"]} == {own_donor}
    assert listed["total"] == len(listed["items"])
    filtered = client.get(f"{V1}/{kind_name}", headers=headers, params={"donor_code": other})
    assert filtered.json() == {"items": [], "next_cursor": None, "total": 0}
    history = client.get(
        f"{V1}/changes", headers=headers, params={"entity": kind_name[:-1], "key": theirs}
    )
    assert_problem(history, 404)
    step = {"offers": "withdrawn", "pledges": "commitment"}[kind_name]
    changed = client.post(f"{V1}/{kind_name}/{theirs}/status", headers=headers,
                          json={"status": step})  # fmt: skip
    assert_problem(changed, 404)
    patched = client.patch(f"{V1}/{kind_name}/{theirs}", headers={**headers, "If-Match": '"1"'},
                           json={"marking": "NATO UNCLASSIFIED"})  # fmt: skip
    assert_problem(patched, 404)
    coordinator = client.get(f"{V1}/{kind_name}/{theirs}", headers=api.auth("coord")).json()
    assert (coordinator["version"] == 1 and coordinator["status"] == "offered") or (
        kind_name == "pledges" and coordinator["status"] == "pledge"
    )


# ---- The matrix: every user of every role × every operation --------------------------------

ALL = frozenset(u for u, _, _ in USERS)
STAFF = frozenset({"admin", "coord"})  # change anything, run and accept plans
SEE_ALL = STAFF | {"auditor"}  # read every record
REFERENCE = ("donors", "memberships", "gdp", "recipients", "families", "item-types",
             "compatibility", "baselines", "nodes", "lanes",
             # The EU–NATO cooperation tracker and the meetings register: shared reference
             # records of the coalition (no donor owns them), released to every account and
             # kept by the coordination staff.
             "proposals", "progress-reports", "proposal-progress", "meetings",
             "taskings")  # fmt: skip
# Training: the courses, sites, intakes and records of who trained are coordination data that
# every role reads and staff write; Ukraine reports its own cohorts and its fleet's status.
TRAINING = ("courses", "sites", "intakes", "training-records")
UKRAINE_REPORTS = ("requirements", "fleet", "fleet-status", "cohorts")
# Who sees the sample record of each registry: reference data and needs are released to all;
# the DEU offer (NATO UNCLASSIFIED) to its donor and to Ukraine; DEU's money to DEU alone.
SEES = {
    **{name: ALL for name in (*REFERENCE, *TRAINING, *UKRAINE_REPORTS)},
    "offers": SEE_ALL | {"desk-deu", "ukraine"},
    "pledges": SEE_ALL | {"desk-deu"},
}
# Who may change each registry's sample record (and create one like NEW_RECORDS).
WRITES = {
    **{name: STAFF for name in (*REFERENCE, *TRAINING)},
    **{name: STAFF | {"ukraine"} for name in UKRAINE_REPORTS},
    "offers": STAFF | {"desk-deu"},
    "pledges": STAFF | {"desk-deu"},
}


SHIPMENT_SEEN = SEE_ALL | {"desk-deu", "ukraine"}


def answers(ok: int, allowed: frozenset[str], seen: frozenset[str] = ALL) -> dict[str, int]:
    """`ok` for the allowed; 404 for whoever may not see the thing; 403 for the rest."""
    return {u: ok if u in allowed else 404 if u not in seen else 403 for u in ALL}


MATRIX: dict[tuple[str, str], dict[str, int]] = {
    ("GET", f"{V1}/openapi.json"): answers(200, ALL),
    ("GET", f"{V1}/docs"): answers(200, ALL),
    ("GET", f"{V1}/status"): answers(200, ALL),  # aggregates, withheld below 3 donors
    ("GET", f"{V1}/burden"): answers(200, ALL),  # each donor's row redacted for the others
    ("GET", f"{V1}/members"): answers(200, ALL),
    ("GET", f"{V1}/brief"): answers(200, ALL),  # each reader's own view (need-to-know)
    # Effective capability, readiness, training and sustainment: aggregates (an area or
    # family drawn on too few donors is withheld) and Ukraine's own fleet reports, released
    # to all; only the staff write sustainment drafts into the requirements.
    ("GET", f"{V1}/capability"): answers(200, ALL),
    ("GET", f"{V1}/readiness"): answers(200, ALL),
    ("GET", f"{V1}/training/need"): answers(200, ALL),
    ("GET", f"{V1}/training/totals"): answers(200, ALL),
    ("GET", f"{V1}/sustainment/drafts"): answers(200, ALL),
    ("POST", f"{V1}/sustainment/approve"): answers(200, STAFF),
    ("GET", f"{V1}/plans"): answers(200, ALL),  # empty for those who may not see plans
    ("GET", f"{V1}/plans/{{plan_id}}"): answers(200, SEE_ALL, SEE_ALL),
    ("GET", f"{V1}/plans/{{plan_id}}/explain/requirement/{{ref}}"): answers(200, SEE_ALL, SEE_ALL),
    ("GET", f"{V1}/plans/{{plan_id}}/explain/offer/{{key}}"): answers(200, SEE_ALL, SEE_ALL),
    ("POST", f"{V1}/plans/{{plan_id}}/accept"): answers(200, STAFF, SEE_ALL),
    ("POST", f"{V1}/plans"): answers(202, STAFF),
    ("GET", f"{V1}/jobs/{{job_id}}"): answers(200, SEE_ALL, SEE_ALL),
    ("GET", f"{V1}/changes"): answers(200, SEES["offers"], SEES["offers"]),
    ("GET", f"{V1}/changes/verify"): answers(200, SEE_ALL),  # it names every record
    ("GET", f"{V1}/changes/head"): answers(200, ALL),  # a hash and a count, to check later
    # Shipments are owned by their offer's donor: SHP-1 (DEU, NATO UNCLASSIFIED) is seen by
    # the staff, the auditor, DEU and Ukraine; DEU and the staff create shipments of DEU's
    # offers; Ukraine reports what it sees on arrival (crossing the border, delivery,
    # receipt), the auditor nothing; the others do not see SHP-1 (404).
    ("GET", f"{V1}/shipments"): answers(200, ALL),  # empty for those who see none
    ("GET", f"{V1}/shipments/{{shipment_id}}"): answers(200, SHIPMENT_SEEN, SHIPMENT_SEEN),
    ("POST", f"{V1}/shipments"): answers(201, STAFF | {"desk-deu"}),
    ("GET", f"{V1}/shipments/{{shipment_id}}/events"): answers(200, SHIPMENT_SEEN, SHIPMENT_SEEN),
    ("POST", f"{V1}/shipments/{{shipment_id}}/events"): answers(
        201, STAFF | {"desk-deu", "ukraine"}, SHIPMENT_SEEN
    ),
    ("GET", f"{V1}/epcis/events"): answers(200, ALL),  # only the events each may see
    # A capture names SHP-1, unknown to those who do not see it: the document is refused
    # (422, naming the event); the auditor and the analyst never report (403).
    ("POST", f"{V1}/epcis/capture"): {
        **answers(200, STAFF | {"desk-deu", "ukraine"}),
        "desk-pol": 422,
    },
    # Logistics plans name every donor's offers: staff records (read by the staff and the
    # auditor; an empty list and a 404 for the others), run, re-planned and accepted by the
    # staff alone.
    # Training plans name every donor's platform lines: staff records, as logistics plans.
    ("GET", f"{V1}/training/plans"): answers(200, ALL),  # empty for those who may not see
    ("GET", f"{V1}/training/plans/{{plan_id}}"): answers(200, SEE_ALL, SEE_ALL),
    ("GET", f"{V1}/training/plans/{{plan_id}}/explain/{{line}}"): answers(200, SEE_ALL, SEE_ALL),
    ("POST", f"{V1}/training/plans/{{plan_id}}/accept"): answers(200, STAFF, SEE_ALL),
    ("POST", f"{V1}/training/plans"): answers(202, STAFF),
    ("GET", f"{V1}/logistics/plans"): answers(200, ALL),  # empty for those who may not see
    ("GET", f"{V1}/logistics/plans/{{plan_id}}"): answers(200, SEE_ALL, SEE_ALL),
    ("POST", f"{V1}/logistics/plans/{{plan_id}}/accept"): answers(200, STAFF, SEE_ALL),
    ("POST", f"{V1}/logistics/plans"): answers(202, STAFF),
    ("POST", f"{V1}/logistics/whatif"): answers(200, STAFF),
}
for _name, _kind in KINDS.items():
    _seen, _writers = SEES[_name], WRITES[_name]
    MATRIX[("GET", f"{V1}/{_name}")] = answers(200, ALL)
    MATRIX[("GET", f"{V1}/{_name}/{{key}}")] = answers(200, _seen, _seen)
    MATRIX[("PATCH", f"{V1}/{_name}/{{key}}")] = answers(200, _writers, _seen)
    MATRIX[("POST", f"{V1}/{_name}")] = answers(201, _writers)  # nothing to hide yet: 403
    if _kind.lifecycle:
        MATRIX[("POST", f"{V1}/{_name}/{{key}}/status")] = answers(200, _writers, _seen)
# Whose records each user's lists may hold, for the registries a donor owns.
LISTED_OWNERS = {
    "offers": {u: {"DEU", "POL"} if u in SEES["offers"] - {"desk-deu"} else set() for u in ALL}
    | {"desk-deu": {"DEU"}, "desk-pol": {"POL"}},
    "pledges": {u: {"DEU", "POL"} if u in SEE_ALL else set() for u in ALL}
    | {"desk-deu": {"DEU"}, "desk-pol": {"POL"}},
}
UNTOKENED = {("POST", f"{V1}/auth/token")}  # sign-in has its own tests (test_auth.py)


def test_the_matrix_covers_every_route_and_every_user():
    assert set(MATRIX) | UNTOKENED == set(EXPECTED)
    assert all(set(statuses) == ALL for statuses in MATRIX.values())


def _order(route: tuple[str, str]) -> tuple[int, str, str]:
    """Reads first, then the plan's accept (before any write makes it stale), then writes."""
    method, path = route
    rank = 0 if method == "GET" else 1 if path.endswith("/accept") else 2
    return (rank, method, path)


def _finished_job(api: Api) -> str:
    """Plan 1, run by the coordinator as a job: the plan and job routes have something. The
    job's path, for the sample of the job route."""
    headers = api.auth("coord")
    started = api.client.post(f"{V1}/plans", headers=headers, json={"time_limit": 5.0})
    assert started.status_code == 202, started.text
    where, deadline = started.headers["Location"], time.monotonic() + 60
    while api.client.get(where, headers=headers).json()["finished_at"] is None:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    plan = api.client.get(f"{V1}/plans/1", headers=headers).json()
    assert plan["state"] == "proposed" and plan["assignments"], plan
    return where


@pytest.mark.parametrize("user", sorted(ALL))
def test_each_user_gets_what_its_role_allows_and_nothing_else(sqlite_api, user):
    api = sqlite_api
    job = _finished_job(api)
    headers = api.auth(user)
    for route in sorted(MATRIX, key=_order):
        method, _ = route
        expect, wanted = EXPECTED[route], MATRIX[route][user]
        before = api.client.get(f"{V1}/changes/head", headers=api.auth("auditor")).json()
        sample = job if route == ("GET", f"{V1}/jobs/{{job_id}}") else expect.sample
        response = api.client.request(
            method, sample, json=expect.body, headers={**headers, "If-Match": '"1"'}
        )
        assert response.status_code == wanted, (user, route, response.text)
        after = api.client.get(f"{V1}/changes/head", headers=api.auth("auditor")).json()
        if wanted >= 400:
            assert_problem(response, wanted)
            assert after == before, (user, route, "a refused request changed the ledger")
        elif method in ("PATCH", "POST") and route[1] != f"{V1}/plans":
            assert after["entries"] > before["entries"], (user, route, "nothing was logged")
    for kind_name, owners in LISTED_OWNERS.items():
        listed = api.client.get(f"{V1}/{kind_name}", headers=headers, params={"limit": 500})
        body = listed.json()
        assert {r["donor_code"] for r in body["items"]} == owners[user], (user, kind_name)
        assert body["total"] == len(body["items"])


@pytest.mark.parametrize("kind_name", sorted(LISTED_OWNERS))
def test_a_donor_cannot_create_a_record_for_another_donor(sqlite_api, kind_name):
    body = {**NEW_RECORDS[kind_name], "donor_code": "POL"}
    if kind_name == "offers":
        body["origin"] = "POL"
    before = database_content(sqlite_api.engine)
    response = sqlite_api.client.post(
        f"{V1}/{kind_name}", headers=sqlite_api.auth("desk-deu"), json=body
    )
    assert_problem(response, 403)
    assert database_content(sqlite_api.engine) == before
