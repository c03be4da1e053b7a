"""The web pages' authorization matrix, generated from the route table.

Every web route must have an entry in EXPECTED (a new route without one fails). Without a
session every page sends the reader to the login page; with one, each role gets what the
visibility rule decides: a record it may not see, or a staff-only plan, is a 404 page (as in
the API), never a 403 that would confirm it exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from fastapi.routing import APIRoute
from web_support import assert_page

from api.api_support import TRAINING_LINE, USERS, seed_training_plan
from coalition.domain.access import Principal
from coalition.services import allocation, logistics
from coalition.web.app import create_app as create_web

ALL = {user: 200 for user, _, _ in USERS}
STAFF = ("admin", "coord", "auditor")
STAFF_ONLY = {user: 200 if user in STAFF else 404 for user, _, _ in USERS}
# Logistics plan 1 routes nothing (the seed's network reaches no delivery point): no chart.
STAFF_ONLY_CHART = {user: 204 if user in STAFF else 404 for user, _, _ in USERS}
DEU_OFFER = {**ALL, "desk-pol": 404, "analyst": 404}  # released to all, but money/owned


@dataclass(frozen=True)
class Expect:
    sample: str
    session: bool = True  # a session is required (else: a redirect to the login page)
    roles: dict[str, int] = field(default_factory=dict)  # user -> status of a GET


EXPECTED: dict[tuple[str, str], Expect] = {
    ("GET", "/login"): Expect("/login", session=False),
    ("POST", "/login"): Expect("/login", session=False),
    ("POST", "/logout"): Expect("/logout"),
    ("GET", "/language"): Expect("/language?lang=uk", session=False),
    ("GET", "/"): Expect("/", roles=ALL),
    ("GET", "/print"): Expect("/print", roles=ALL),
    ("GET", "/registries"): Expect("/registries", roles=ALL),
    ("GET", "/registries/{kind_name}"): Expect("/registries/offers?sort=-quantity", roles=ALL),
    ("GET", "/registries/{kind_name}/{key}"): Expect(
        "/registries/offers/DEU:DEU-OF-0001", roles=DEU_OFFER
    ),
    ("GET", "/registries/{kind_name}/{key}/edit"): Expect(
        "/registries/offers/DEU:DEU-OF-0001/edit", roles=DEU_OFFER
    ),
    ("POST", "/registries/{kind_name}/{key}/edit"): Expect(
        "/registries/offers/DEU:DEU-OF-0001/edit"
    ),
    ("POST", "/registries/{kind_name}/{key}/status"): Expect(
        "/registries/offers/DEU:DEU-OF-0001/status"
    ),
    ("GET", "/import"): Expect("/import", roles=ALL),
    ("POST", "/import/check"): Expect("/import/check"),
    ("POST", "/import/confirm"): Expect("/import/confirm"),
    ("GET", "/import/template/{kind_name}"): Expect("/import/template/offers", roles=ALL),
    ("GET", "/import/problems/{token}"): Expect(
        "/import/problems/AAAAAAAAAAAAAAAAAAAAAAAA?kind=offers",
        roles={u: 404 for u, _, _ in USERS},
    ),
    ("GET", "/plans"): Expect("/plans", roles=ALL),
    ("POST", "/plans/run"): Expect("/plans/run"),
    ("GET", "/jobs/{job_id}"): Expect("/jobs/no-such-job", roles={u: 404 for u, _, _ in USERS}),
    ("GET", "/jobs/{job_id}/status"): Expect(
        "/jobs/no-such-job/status", roles={u: 404 for u, _, _ in USERS}
    ),
    ("GET", "/plans/compare"): Expect("/plans/compare?a=1&b=1", roles=STAFF_ONLY),
    ("GET", "/plans/{plan_id}"): Expect("/plans/1", roles=STAFF_ONLY),
    ("POST", "/plans/{plan_id}/accept"): Expect("/plans/1/accept"),
    ("GET", "/capability"): Expect("/capability", roles=ALL),
    ("GET", "/training"): Expect("/training?year=2026", roles=ALL),
    ("GET", "/sustainment"): Expect("/sustainment?band=high&months=6", roles=ALL),
    ("GET", "/training/plans"): Expect("/training/plans", roles=ALL),  # empty for non-staff
    ("POST", "/training/plans/run"): Expect("/training/plans/run"),
    ("GET", "/training/plans/{plan_id}"): Expect("/training/plans/1", roles=STAFF_ONLY),
    ("GET", "/training/plans/{plan_id}/explain/{line}"): Expect(
        f"/training/plans/1/explain/{TRAINING_LINE}", roles=STAFF_ONLY
    ),
    ("POST", "/training/plans/{plan_id}/accept"): Expect("/training/plans/1/accept"),
    ("POST", "/sustainment/approve"): Expect("/sustainment/approve"),
    ("GET", "/logistics"): Expect("/logistics", roles=ALL),  # the list: empty for non-staff
    ("POST", "/logistics/run"): Expect("/logistics/run"),
    ("POST", "/logistics/whatif"): Expect("/logistics/whatif"),
    ("GET", "/logistics/plans/{plan_id}"): Expect("/logistics/plans/1", roles=STAFF_ONLY),
    ("GET", "/logistics/plans/{plan_id}/peaks.svg"): Expect(
        "/logistics/plans/1/peaks.svg", roles=STAFF_ONLY_CHART
    ),
    ("POST", "/logistics/plans/{plan_id}/accept"): Expect("/logistics/plans/1/accept"),
    ("GET", "/shipments"): Expect("/shipments", roles=ALL),  # those each may see
    ("GET", "/shipments/{shipment_id}"): Expect(
        "/shipments/no-such-shipment", roles={u: 404 for u, _, _ in USERS}
    ),
    ("GET", "/burden"): Expect("/burden", roles=ALL),
    ("GET", "/burden/{year}/chart.svg"): Expect("/burden/2025/chart.svg", roles=ALL),
    ("GET", "/burden/{year}/export.{suffix}"): Expect("/burden/2025/export.xlsx", roles=ALL),
}


def web_routes() -> set[tuple[str, str]]:
    """Every (method, path) of the web app (FastAPI keeps included routers nested)."""
    table: set[tuple[str, str]] = set()

    def walk(routes: list) -> None:
        for route in routes:
            if isinstance(route, APIRoute):
                table.update((m, route.path) for m in route.methods if m != "HEAD")
            elif hasattr(route, "original_router"):
                walk(route.original_router.routes)

    walk(create_web().routes)
    return table


def test_every_web_route_has_an_expectation_and_every_expectation_a_route():
    assert web_routes() == set(EXPECTED)


@pytest.mark.parametrize("route", sorted(EXPECTED), ids=" ".join)
def test_without_a_session_every_page_sends_the_reader_to_log_in(new_browser, route):
    method, _ = route
    expect = EXPECTED[route]
    response = new_browser().client.request(method, expect.sample)
    if expect.session:
        assert response.status_code == 303, response.text[:500]
        assert response.headers["location"].startswith("/login")
    else:
        assert response.status_code in (200, 303, 403)  # the login form, its refusal


@pytest.fixture
def with_a_plan(seeded, tmp_path):
    allocation.run(Principal("coord"), allocation.parameters(time_limit=10), engine=seeded)
    logistics.run(Principal("coord"), 30, 5.0, engine=seeded)
    seed_training_plan(seeded, tmp_path)
    return seeded


@pytest.mark.parametrize("user", [u for u, _, _ in USERS])
def test_each_role_gets_what_the_visibility_rule_decides(with_a_plan, signed_in, user):
    b = signed_in(user)
    for route, expect in EXPECTED.items():
        if route[0] != "GET" or user not in expect.roles:
            continue
        response = b.client.get(expect.sample)
        assert response.status_code == expect.roles[user], (user, route, response.text[:800])
        if response.headers.get("content-type", "").startswith("text/html"):
            assert_page(response, expect.roles[user])
