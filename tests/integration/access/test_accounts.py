"""Accounts: bootstrap admin, tokens shown once and stored hashed, throttled sign-ins, disable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from coalition.domain.access import Principal, Role
from coalition.services import accounts
from coalition.services.errors import Forbidden, ServiceError, Unauthenticated
from coalition.storage.tables import api_tokens, change_log, users
from coalition.storage.unit_of_work import UnitOfWork

PASSWORD = "correct horse battery"
ANYONE = Principal("bootstrap")
ADMIN = Principal("root-admin", Role.ADMIN)


def uow(engine, principal=ADMIN):
    return UnitOfWork(engine, principal)


@pytest.fixture
def admin(seeded):
    with uow(seeded, ANYONE) as work:
        accounts.add_user(work, "root-admin", "admin", None, PASSWORD)
    return seeded


def test_the_first_user_must_be_an_admin(seeded):
    with uow(seeded, ANYONE) as work, pytest.raises(ServiceError, match="must be an admin"):
        accounts.add_user(work, "desk", "donor", "DEU", PASSWORD)


def test_after_the_first_user_only_an_admin_adds_users(admin):
    with uow(admin, Principal("someone")) as work, pytest.raises(Forbidden):
        accounts.add_user(work, "desk", "donor", "DEU", PASSWORD)
    with uow(admin) as work:
        view = accounts.add_user(work, "desk", "donor", "DEU", PASSWORD)
    assert (view.role, view.donor_code) == ("donor", "DEU")


@pytest.mark.parametrize(
    ("name", "role", "donor", "password", "message"),
    [
        ("desk", "donor", None, PASSWORD, "needs --donor"),
        ("desk", "coordinator", "DEU", PASSWORD, "other roles take none"),
        ("desk", "general", None, PASSWORD, "must be one of"),
        ("desk", "donor", "XXX", PASSWORD, "no donor 'XXX'"),
        ("desk", "analyst", None, "short", "12 to 1024 characters"),
        ("bad name", "analyst", None, PASSWORD, "letters, digits"),
    ],
)
def test_an_account_with_a_bad_field_is_refused_by_name(admin, name, role, donor, password,
                                                        message):  # fmt: skip
    with uow(admin) as work, pytest.raises(ServiceError, match=message):
        accounts.add_user(work, name, role, donor, password)


def test_passwords_and_tokens_are_stored_only_as_hashes_and_never_logged(admin):
    with uow(admin) as work:
        token = accounts.issue_token(work, "root-admin", 7)
    with admin.connect() as connection:
        stored = [tuple(map(str, r)) for r in connection.execute(select(users))]
        digests = [r.digest for r in connection.execute(select(api_tokens))]
        logged = " ".join(f"{r.before} {r.after}" for r in connection.execute(select(change_log)))
    assert all(PASSWORD not in cell for row in stored for cell in row)
    assert any(cell.startswith("$argon2id$") for row in stored for cell in row)
    assert token not in digests and len(digests[0]) == 64
    assert PASSWORD not in logged and token not in logged and "$argon2" not in logged


def test_a_token_stands_for_its_user_until_the_user_is_disabled(admin):
    with uow(admin) as work:
        accounts.add_user(work, "desk", "donor", "DEU", PASSWORD)
        token = accounts.issue_token(work, "desk")
    with uow(admin) as work:
        assert accounts.principal_for_token(work, token) == Principal("desk", Role.DONOR, "DEU")
    with uow(admin) as work:
        assert accounts.disable_user(work, "desk") == 1
    with uow(admin) as work, pytest.raises(Unauthenticated, match="revoked"):
        accounts.principal_for_token(work, token)


def test_an_expired_or_unknown_token_is_refused(admin):
    with uow(admin) as work:
        token = accounts.issue_token(work, "root-admin", 1)
    with admin.begin() as connection:
        connection.execute(
            api_tokens.update().values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    with uow(admin) as work, pytest.raises(Unauthenticated, match="expired"):
        accounts.principal_for_token(work, token)
    with uow(admin) as work, pytest.raises(Unauthenticated, match="not valid"):
        accounts.principal_for_token(work, token + "x")


def test_repeated_failed_sign_ins_lock_the_account_even_for_the_right_password(admin):
    for _ in range(5):
        with uow(admin, ANYONE) as work, pytest.raises(Unauthenticated, match="wrong"):
            accounts.sign_in(work, "root-admin", "not the password")
    with uow(admin, ANYONE) as work, pytest.raises(Unauthenticated, match="too many"):
        accounts.sign_in(work, "root-admin", PASSWORD)


def test_a_good_sign_in_resets_the_failure_count(admin):
    for _ in range(3):
        with uow(admin, ANYONE) as work, pytest.raises(Unauthenticated):
            accounts.sign_in(work, "root-admin", "nope nope nope")
    with uow(admin, ANYONE) as work:
        assert accounts.sign_in(work, "root-admin", PASSWORD).role is Role.ADMIN
    with admin.connect() as connection:
        assert connection.execute(select(users.c.failed_logins)).scalar_one() == 0


def test_only_an_admin_issues_tokens_for_others(admin):
    with uow(admin) as work:
        accounts.add_user(work, "desk", "donor", "DEU", PASSWORD)
    desk = Principal("desk", Role.DONOR, "DEU")
    with uow(admin, desk) as work:
        assert accounts.issue_token(work, "desk").startswith("coa_")
    with uow(admin, desk) as work, pytest.raises(Forbidden):
        accounts.issue_token(work, "root-admin")


def test_the_structured_log_never_holds_a_password_or_a_token(admin, tmp_path):
    from coalition.structured_log import configure

    log_file = tmp_path / "coalition.log"
    configure(str(log_file), "INFO")
    try:
        with uow(admin, ANYONE) as work, pytest.raises(Unauthenticated):
            accounts.sign_in(work, "root-admin", "a wrong password that is long")
        with uow(admin, ANYONE) as work:
            accounts.sign_in(work, "root-admin", PASSWORD)
        with uow(admin) as work:
            token = accounts.issue_token(work, "root-admin")
        with uow(admin) as work:
            accounts.principal_for_token(work, token)
    finally:
        configure("-", "WARNING")
    logged = log_file.read_text(encoding="utf-8")
    assert "sign-in failed" in logged  # the denial is logged ...
    for secret in (PASSWORD, "a wrong password that is long", token):
        assert secret not in logged  # ... without what was typed
