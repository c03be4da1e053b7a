"""Bearer tokens: 401 without one or with a bad, expired or revoked one; sign-in issues one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api_support import ADMIN, PASSWORD, assert_problem

from coalition.services import accounts
from coalition.storage.tables import api_tokens
from coalition.storage.unit_of_work import UnitOfWork

OFFERS = "/api/v1/offers"


def test_no_token_or_a_bad_one_is_401_with_a_bearer_challenge(sqlite_api):
    client = sqlite_api.client
    for headers in (
        {},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Basic YWRtaW46cGFzcw=="},
        {"Authorization": "Bearer " + "x" * 5000},
    ):
        response = client.get(OFFERS, headers=headers)
        assert_problem(response, 401)
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_token_works_until_it_expires(sqlite_api):
    client, engine = sqlite_api.client, sqlite_api.engine
    assert client.get(OFFERS, headers=sqlite_api.auth("coord")).status_code == 200
    with engine.begin() as connection:
        connection.execute(
            api_tokens.update().values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert_problem(client.get(OFFERS, headers=sqlite_api.auth("coord")), 401)


def test_a_disabled_users_token_stops_working_at_once(sqlite_api):
    client = sqlite_api.client
    assert client.get(OFFERS, headers=sqlite_api.auth("desk-deu")).status_code == 200
    with UnitOfWork(sqlite_api.engine, ADMIN) as uow:
        accounts.disable_user(uow, "desk-deu")
    assert_problem(client.get(OFFERS, headers=sqlite_api.auth("desk-deu")), 401)
    assert client.get(OFFERS, headers=sqlite_api.auth("coord")).status_code == 200


def test_signing_in_issues_a_token_that_acts_as_that_user(sqlite_api):
    client = sqlite_api.client
    response = client.post(
        "/api/v1/auth/token",
        json={"username": "desk-pol", "password": PASSWORD, "expires_in_days": 3},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in_days"] == 3
    listed = client.get(OFFERS, headers={"Authorization": f"Bearer {body['access_token']}"})
    # desk-pol speaks for POL: it sees POL's offer only (the repository's filter).
    assert [o["donor_code"] for o in listed.json()["items"]] == ["POL"]


def test_wrong_passwords_are_401_and_lock_the_account(sqlite_api):
    client = sqlite_api.client
    wrong = {"username": "analyst", "password": "not the password"}
    for _ in range(5):
        assert_problem(client.post("/api/v1/auth/token", json=wrong), 401)
    right = {"username": "analyst", "password": PASSWORD}
    body = assert_problem(client.post("/api/v1/auth/token", json=right), 401)
    assert "too many" in body["detail"]
    unknown = {"username": "nobody", "password": PASSWORD}
    assert_problem(client.post("/api/v1/auth/token", json=unknown), 401)


def test_the_token_request_is_strict(sqlite_api):
    client = sqlite_api.client
    extra = {"username": "coord", "password": PASSWORD, "admin": True}
    assert_problem(client.post("/api/v1/auth/token", json=extra), 422, "admin")
    typed = {"username": "coord", "password": 12345678901234}
    assert_problem(client.post("/api/v1/auth/token", json=typed), 422, "password")
