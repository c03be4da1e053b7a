"""Login, sessions and CSRF: cookies are HttpOnly and SameSite=Lax, the id rotates at login,
logout and disabling a user end the session at once, and a form without the session's CSRF
token changes nothing."""

from __future__ import annotations

from web_support import assert_page

from api.api_support import ADMIN
from coalition.services import accounts, ledger
from coalition.storage.unit_of_work import UnitOfWork


def test_a_page_without_a_session_sends_the_reader_to_log_in(new_browser):
    response = new_browser().client.get("/registries/offers?q=PZH")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fregistries%2Foffers%3Fq%3DPZH"


def test_logging_in_sets_an_httponly_samesite_cookie_and_goes_back_to_the_page(new_browser):
    b = new_browser()
    form = b.client.get("/login?next=/plans")
    token = form.text.split('name="login_token" value="')[1].split('"')[0]
    response = b.client.post("/login", data={"username": "coord", "password":
                             "correct horse battery staple", "login_token": token,
                             "next": "/plans"})  # fmt: skip
    assert response.status_code == 303 and response.headers["location"] == "/plans"
    cookie = next(c for c in response.headers.get_list("set-cookie")
                  if c.startswith("coalition_session="))  # fmt: skip
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    assert_page(b.client.get("/plans"))


def test_next_never_leaves_the_site(new_browser):
    b = new_browser()
    form = b.client.get("/login")
    token = form.text.split('name="login_token" value="')[1].split('"')[0]
    response = b.client.post("/login", data={"username": "coord", "password":
                             "correct horse battery staple", "login_token": token,
                             "next": "//evil.example/"})  # fmt: skip
    assert response.headers["location"] == "/"


def test_a_wrong_password_is_refused_with_one_message_and_no_session(new_browser):
    b = new_browser()
    response = b.log_in("coord", "not the password")
    assert "Wrong user name or password." in assert_page(response, 401)
    assert "coalition_session" not in b.client.cookies
    assert b.client.get("/").status_code == 303


def test_repeated_failures_lock_the_account(new_browser):
    b = new_browser()
    for _ in range(10):
        b.log_in("coord", "not the password")
    response = b.log_in("coord")
    assert "Too many failed sign-ins" in assert_page(response, 401)


def test_the_session_id_rotates_at_login_and_the_old_one_stops_working(new_browser):
    b = new_browser()
    b.log_in("coord")
    old = b.client.cookies["coalition_session"]
    b.log_in("coord")
    new = b.client.cookies["coalition_session"]
    assert new != old
    stale = new_browser()
    stale.client.cookies.set("coalition_session", old)
    assert stale.client.get("/").status_code == 303


def test_logout_ends_the_session(signed_in, new_browser):
    b = signed_in("coord")
    session_id = b.client.cookies["coalition_session"]
    assert b.post("/logout", {}).status_code == 303
    again = new_browser()
    again.client.cookies.set("coalition_session", session_id)
    assert again.client.get("/").status_code == 303


def test_a_disabled_users_session_stops_at_once(signed_in, seeded):
    b = signed_in("desk-deu")
    assert_page(b.client.get("/"))
    with UnitOfWork(seeded, ADMIN) as uow:
        accounts.disable_user(uow, "desk-deu")
    assert b.client.get("/").status_code == 303


def test_a_form_without_the_csrf_token_is_refused_and_changes_nothing(signed_in, seeded):
    b = signed_in("coord")
    response = b.client.post(
        "/registries/donors/DEU/edit", data={"version": "1", "name": "Changed"}
    )
    assert "nothing was changed" in assert_page(response, 403)
    wrong = b.client.post(
        "/registries/donors/DEU/edit",
        data={"version": "1", "name": "Changed", "csrf_token": "not-the-token"},
    )
    assert wrong.status_code == 403
    with UnitOfWork(seeded, ADMIN) as uow:
        assert ledger.get_record(uow, "donors", "DEU")["name"] == "Germany"


def test_the_login_form_itself_needs_its_token(new_browser):
    b = new_browser()
    response = b.client.post("/login", data={"username": "coord",
                             "password": "correct horse battery staple"})  # fmt: skip
    assert_page(response, 403)
    assert "coalition_session" not in b.client.cookies


def test_htmx_requests_may_carry_the_token_in_a_header(signed_in, seeded):
    b = signed_in("coord")
    token = b.csrf("/")
    response = b.client.post("/logout", headers={"X-CSRF-Token": token})
    assert response.status_code == 303
    assert b.client.get("/").status_code == 303  # signed out


def test_an_htmx_poll_without_a_session_is_told_where_to_log_in(new_browser):
    headers = {"HX-Request": "true", "HX-Current-URL": "http://testserver/jobs/x"}
    response = new_browser().client.get("/jobs/x/status", headers=headers)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/login?next=%2Fjobs%2Fx"


def test_an_expired_session_is_refused_and_only_its_digest_is_stored(seeded):
    from datetime import UTC, datetime, timedelta

    import pytest
    from sqlalchemy import select, update

    from coalition.domain.access import Principal
    from coalition.services import sessions
    from coalition.services.errors import Unauthenticated
    from coalition.storage.tables import web_sessions

    with UnitOfWork(seeded, Principal("web-sign-in")) as uow:
        started = sessions.start(uow, "coord", "correct horse battery staple")
    with seeded.begin() as connection:
        stored = connection.execute(select(web_sessions.c.digest)).scalars().all()
        assert started.session_id not in stored and len(stored) == 1
        past = datetime.now(UTC) - timedelta(minutes=1)
        connection.execute(update(web_sessions).values(expires_at=past))
    checking = UnitOfWork(seeded, Principal("web-session-check"))
    with checking as uow, pytest.raises(Unauthenticated, match="expired"):
        sessions.principal_for_session(uow, started.session_id)
