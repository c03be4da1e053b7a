"""Web session use cases: sign in to a new session, find who a session is, sign out.

A session id is a 256-bit random secret held only in the browser's cookie; the database keeps
its SHA-256 digest (as for API tokens), so a copy of the database opens no session. Signing in
always makes a new session (the id rotates at login), and a disabled user's sessions stop
working at once: `principal_for_session` checks the account on every request.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from coalition.domain.access import Principal
from coalition.services import accounts, credentials
from coalition.services.errors import Unauthenticated
from coalition.storage.changelog import Change
from coalition.storage.sessions import SessionStore
from coalition.storage.unit_of_work import UnitOfWork

# A working day and then some: a desk officer signs in once a day.
SESSION_HOURS = 12
MAX_SESSION_ID = 100  # issued ids are 43 characters; anything longer is not one of ours


@dataclass(frozen=True)
class WebSession:
    principal: Principal
    csrf_token: str


@dataclass(frozen=True)
class NewSession:
    session_id: str  # for the cookie only; never stored
    csrf_token: str
    principal: Principal


def _now() -> datetime:
    return datetime.now(UTC)


def start(uow: UnitOfWork, name: str, password: str, replacing: str | None = None) -> NewSession:
    """Check the password (failures count and lock the account, as for tokens) and open a new
    session; the session the browser had before, if any, ends."""
    principal = accounts.sign_in(uow, name, password)
    store = SessionStore(uow)
    if replacing:
        store.remove(credentials.token_digest(replacing))
    now = _now()
    store.remove_expired(now)
    user = accounts.user_row(uow, principal.user)
    session_id, csrf_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = now + timedelta(hours=SESSION_HOURS)
    store.add(user["id"], credentials.token_digest(session_id), csrf_token, now, expires)
    uow.changes.record(
        [Change(accounts.USER_ENTITY, principal.user, "update", None,
                {"web_session_started": now.isoformat(), "expires": expires.isoformat()})]
    )  # fmt: skip
    uow.commit()
    return NewSession(session_id, csrf_token, principal)


def principal_for_session(uow: UnitOfWork, session_id: str) -> WebSession:
    """Who a live session is; Unauthenticated for an unknown, expired or disabled one."""
    if not session_id or len(session_id) > MAX_SESSION_ID:
        raise Unauthenticated("sign in")
    found = SessionStore(uow).by_digest(credentials.token_digest(session_id))
    if found is None:
        raise Unauthenticated("sign in")
    session, user = found
    if user["disabled_at"] is not None:
        raise Unauthenticated("this account is disabled")
    expires = accounts.aware(session["expires_at"])
    if expires is None or expires <= _now():
        raise Unauthenticated("the session has expired: sign in again")
    return WebSession(accounts.principal_of(user), str(session["csrf_token"]))


def end(uow: UnitOfWork, session_id: str) -> None:
    """Sign out: the session is deleted, so its cookie opens nothing any more."""
    if session_id and len(session_id) <= MAX_SESSION_ID:
        SessionStore(uow).remove(credentials.token_digest(session_id))
        uow.commit()


def csrf_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison of a form's CSRF token with the session's."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())
