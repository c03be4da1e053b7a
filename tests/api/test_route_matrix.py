"""The authorization matrix, generated from the route table.

Every route of the app must have an entry in EXPECTED (a new route without one fails), and
every registry a sample key in SAMPLE_KEYS. What is asserted is what the rules decided so far
say: a token is required everywhere except sign-in and the schema; no role gets a server error
from any read; a donor never reads or changes another donor's offers or pledges, which do not
exist for it (404, not 403). The full role × operation expectations from the lead's
visibility and write rules are to be filled into EXPECTED's `roles` column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from api_support import USERS, assert_problem
from fastapi.routing import APIRoute
from starlette.routing import Route

from coalition.api import create_app
from coalition.registries.kinds import KINDS

V1 = "/api/v1"


@dataclass(frozen=True)
class Expect:
    sample: str  # a concrete path to call, for the path template
    body: dict | None = None
    token: bool = True  # a bearer token is required
    roles: dict[str, int] = field(default_factory=dict)  # user -> status, where decided


# A key per registry: one the seed holds where it has one (else the call is a 404).
SAMPLE_KEYS = {
    "donors": "DEU",
    "memberships": "DEU:NATO:2000-01-01",
    "gdp": "DEU:2024",
    "recipients": "UA-DEP-W1",
    "families": "SPH-155",
    "item-types": "PZH2000",
    "compatibility": "HE155:family:AMMO-155",
    "requirements": "REQ-1",
    "offers": "DEU:DEU-OF-0001",
    "pledges": "DEU:DEU-FIN-2025-01",
    "fleet": "PZH2000:UA-DEP-W1",
    "baselines": "2025",
}

EXPECTED: dict[tuple[str, str], Expect] = {
    ("POST", f"{V1}/auth/token"): Expect(
        f"{V1}/auth/token", {"username": "coord", "password": "wrong password!"}, token=False
    ),
    ("GET", f"{V1}/openapi.json"): Expect(f"{V1}/openapi.json", token=False),
    ("GET", f"{V1}/docs"): Expect(f"{V1}/docs", token=False),
    ("GET", f"{V1}/status"): Expect(f"{V1}/status"),
    ("GET", f"{V1}/burden"): Expect(f"{V1}/burden?year=2025"),
    ("GET", f"{V1}/members"): Expect(f"{V1}/members?org=NATO&org=EU"),
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
}
for _name, _kind in KINDS.items():
    _key = SAMPLE_KEYS[_name]
    EXPECTED[("GET", f"{V1}/{_name}")] = Expect(f"{V1}/{_name}")
    EXPECTED[("GET", f"{V1}/{_name}/{{key}}")] = Expect(f"{V1}/{_name}/{_key}")
    EXPECTED[("POST", f"{V1}/{_name}")] = Expect(f"{V1}/{_name}", {})
    EXPECTED[("PATCH", f"{V1}/{_name}/{{key}}")] = Expect(f"{V1}/{_name}/{_key}", {})
    if _kind.lifecycle:
        EXPECTED[("POST", f"{V1}/{_name}/{{key}}/status")] = Expect(
            f"{V1}/{_name}/{_key}/status", {"status": "withdrawn"}
        )


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
        wanted = expect.roles.get(user)
        if wanted is not None:
            assert response.status_code == wanted, (route, response.text)
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
