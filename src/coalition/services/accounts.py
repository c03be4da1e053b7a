"""Account use cases: add users, issue and check API tokens, sign in, disable.

Only an admin manages accounts, except that the very first account of a fresh database (which
must be an admin) can be added by anyone who can reach the database: that is how a deployment
is bootstrapped. Passwords and tokens are never stored, logged or returned in clear, except the
new token, returned once to the one who asked for it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from coalition.domain.access import Principal, Role
from coalition.domain.accounts import (
    DEFAULT_TOKEN_DAYS,
    Account,
    check_password,
    check_token_days,
    lock_after,
    role_named,
)
from coalition.domain.errors import DomainError
from coalition.registries.kinds import DONORS
from coalition.services import credentials
from coalition.services.errors import Forbidden, NotFound, ServiceError, Unauthenticated
from coalition.storage.accounts import AccountStore
from coalition.storage.changelog import Change
from coalition.storage.sessions import SessionStore
from coalition.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
USER_ENTITY = "user"


@dataclass(frozen=True)
class UserView:
    name: str
    role: str
    donor_code: str | None
    disabled: bool
    created_at: datetime

    @classmethod
    def of(cls, row: dict[str, Any]) -> UserView:
        return cls(
            row["name"], row["role"], row["donor_code"], row["disabled_at"] is not None,
            row["created_at"],
        )  # fmt: skip


def _now() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; they were stored in UTC.
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def require_admin(uow: UnitOfWork, action: str) -> None:
    if uow.principal.role is not Role.ADMIN:
        log.warning("denied", extra={"event": "denied", "user": uow.actor, "action": action})
        raise Forbidden(f"only an admin may {action}")


def add_user(
    uow: UnitOfWork,
    name: str,
    role: str,
    donor_code: str | None,
    password: str,
    *,
    commit: bool = True,
) -> UserView:
    store = AccountStore(uow)
    first = not store.any()
    try:
        account = Account(name, role_named(role), donor_code or None)
        check_password(password)
    except DomainError as error:
        raise ServiceError(str(error)) from None
    if first and account.role is not Role.ADMIN:
        raise ServiceError("the first user of a database must be an admin (--role admin)")
    if not first:
        require_admin(uow, "add users")
    if store.get(name) is not None:
        raise ServiceError(f"user '{name}' already exists")
    if donor_code and not uow.records(DONORS).get(donor_code):
        raise ServiceError(
            f"no donor '{donor_code}': import donors first (`coalition list donors`)"
        )
    now = _now()
    record = {
        "name": account.name,
        "role": account.role.value,
        "donor_code": account.donor_code,
        "password_hash": credentials.hash_password(password),
        "created_at": now,
    }
    store.insert(record)
    logged = {"name": account.name, "role": account.role.value, "donor_code": account.donor_code}
    uow.changes.record([Change(USER_ENTITY, account.name, "create", None, logged)])
    if commit:
        uow.commit()
    return UserView.of({**record, "disabled_at": None})


def list_users(uow: UnitOfWork) -> list[UserView]:
    if uow.principal.role not in (Role.ADMIN, Role.AUDITOR):
        require_admin(uow, "list users")
    return [UserView.of(row) for row in AccountStore(uow).all()]


def issue_token(uow: UnitOfWork, name: str, days: int = DEFAULT_TOKEN_DAYS) -> str:
    """A new API token for `name` (an admin's or the user's own request); shown once."""
    if uow.principal.user != name:
        require_admin(uow, "issue tokens for other users")
    try:
        check_token_days(days)
    except DomainError as error:
        raise ServiceError(str(error)) from None
    store = AccountStore(uow)
    user = store.get(name)
    if user is None:
        raise NotFound(f"no user '{name}' (`coalition user list`)")
    if user["disabled_at"] is not None:
        raise ServiceError(f"user '{name}' is disabled")
    token, now = credentials.new_token(), _now()
    expires = now + timedelta(days=days)
    store.add_token(user["id"], credentials.token_digest(token), now, expires)
    uow.changes.record(
        [Change(USER_ENTITY, name, "update", None, {"token_issued": now.isoformat(),
                                                  "token_expires": expires.isoformat()})]
    )  # fmt: skip
    uow.commit()
    return token


def disable_user(uow: UnitOfWork, name: str) -> int:
    """Disable a user at once: every token stops working. Returns the tokens revoked."""
    require_admin(uow, "disable users")
    store = AccountStore(uow)
    user = store.get(name)
    if user is None:
        raise NotFound(f"no user '{name}' (`coalition user list`)")
    if user["disabled_at"] is not None:
        return 0
    now = _now()
    store.update(user["id"], disabled_at=now)
    revoked = store.revoke_tokens(user["id"], now)
    SessionStore(uow).remove_for_user(user["id"])  # signed out of the web pages at once
    uow.changes.record(
        [Change(USER_ENTITY, name, "update", {"disabled": False},
                {"disabled": True, "tokens_revoked": revoked})]
    )  # fmt: skip
    uow.commit()
    return revoked


def principal_for_token(uow: UnitOfWork, token: str) -> Principal:
    """The principal a bearer token stands for; Unauthenticated if it is not a live token."""
    found = AccountStore(uow).by_token(credentials.token_digest(token)) if token else None
    if found is None:
        raise Unauthenticated("the token is not valid")
    row, user = found
    now = _now()
    if row["revoked_at"] is not None or user["disabled_at"] is not None:
        raise Unauthenticated("the token has been revoked")
    expires = aware(row["expires_at"])
    if expires is None or expires <= now:
        raise Unauthenticated("the token has expired")
    return _account(user).principal()


def principal_named(uow: UnitOfWork, name: str) -> Principal:
    """The principal of an enabled user (the CLI's `--as NAME`)."""
    user = AccountStore(uow).get(name)
    if user is None:
        raise Unauthenticated(
            f"no user '{name}': act as an existing user with --as NAME or COALITION_USER "
            "(`coalition user list`), or add one (`coalition user add`)"
        )
    if user["disabled_at"] is not None:
        raise Unauthenticated(f"user '{name}' is disabled")
    return _account(user).principal()


def has_users(uow: UnitOfWork) -> bool:
    return AccountStore(uow).any()


def sign_in(uow: UnitOfWork, name: str, password: str) -> Principal:
    """Check a password (writing unit of work: failures are counted and lock the account)."""
    store = AccountStore(uow)
    user = store.get(name)
    now = _now()
    if user is None:
        credentials.password_matches(credentials.decoy_hash(), password)
        raise Unauthenticated("wrong user name or password")
    locked = aware(user["locked_until"])
    if locked is not None and locked > now:
        log.warning("sign-in refused: locked", extra={"event": "denied", "user": name})
        raise Unauthenticated(f"too many failed sign-ins: try again after {locked:%H:%M:%S} UTC")
    if user["disabled_at"] is not None or not credentials.password_matches(
        user["password_hash"], password
    ):
        failures = int(user["failed_logins"]) + 1
        lock = lock_after(failures)
        store.update(user["id"], failed_logins=failures, locked_until=now + lock if lock else None)
        uow.commit()
        log.warning("sign-in failed", extra={"event": "denied", "user": name,
                                             "failures": failures})  # fmt: skip
        raise Unauthenticated("wrong user name or password")
    if user["failed_logins"]:
        store.update(user["id"], failed_logins=0, locked_until=None)
        uow.commit()
    return _account(user).principal()


def _account(user: dict[str, Any]) -> Account:
    return Account(user["name"], role_named(user["role"]), user["donor_code"])


def principal_of(user: dict[str, Any]) -> Principal:
    """The principal a stored user row stands for."""
    return _account(user).principal()


def user_row(uow: UnitOfWork, name: str) -> dict[str, Any]:
    user = AccountStore(uow).get(name)
    if user is None:
        raise NotFound(f"no user '{name}'")
    return user


def acting(name: str, engine: Engine | None = None, *, bootstrap: bool = False) -> Principal:
    """The principal a command-line user acts as: an enabled user of the database.

    On a database with no users yet only the bootstrap commands act (`init`, the first
    `user add`, `demo`), as an admin: every other command is refused until an admin exists.
    """
    from coalition.services.database import reading

    provisional = Principal(name or "anonymous")
    with reading(provisional, engine) as uow:
        if not has_users(uow):
            if bootstrap:
                return Principal(provisional.user, Role.ADMIN)
            raise Unauthenticated(
                "this database has no users yet: add the first admin with "
                "`coalition user add NAME --role admin --password-stdin` (or run `coalition demo`)"
            )
        return principal_named(uow, name)


@dataclass(frozen=True)
class NewAccount:
    name: str
    role: str
    donor_code: str | None
    password: str  # shown once to whoever set the system up; stored only as a hash


def add_generated_users(
    uow: UnitOfWork, wanted: list[tuple[str, str, str | None]]
) -> list[NewAccount]:
    """Add users with freshly generated passwords (the demo's accounts), in one transaction."""
    import secrets

    created = []
    for name, role, donor in wanted:
        password = secrets.token_urlsafe(12)
        add_user(uow, name, role, donor, password, commit=False)
        created.append(NewAccount(name, role, donor, password))
    uow.commit()
    return created
