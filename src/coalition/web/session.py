"""Who is looking: the session cookie, the CSRF check of every form, and the language.

The cookie holds only a random session id (HttpOnly, SameSite=Lax, Secure over TLS); the
services keep its digest. Every POST carries the session's CSRF token, in a hidden field or
the X-CSRF-Token header htmx sends; the login form, which has no session yet, checks a
double-submit token against a cookie of its own.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated
from urllib.parse import quote

from fastapi import Depends, Request, Response

from coalition.domain.access import Principal
from coalition.services import database, sessions
from coalition.services.errors import Unauthenticated
from coalition.web import i18n

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from coalition.storage.unit_of_work import UnitOfWork

SESSION_COOKIE = "coalition_session"
LOGIN_CSRF_COOKIE = "coalition_login_csrf"
LANGUAGE_COOKIE = "coalition_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SESSION_CHECK = Principal("web-session-check")
SIGN_IN = Principal("web-sign-in")


class LoginRequired(Exception):
    """No live session: the reader is sent to the login page, then back to `next`."""

    def __init__(self, next_path: str, reason: str = "") -> None:
        super().__init__(reason)
        self.next_path = next_path


class CsrfRefused(Exception):
    """A form without this session's CSRF token: refused, nothing done."""


def engine_of(request: Request) -> Engine | None:
    engine: Engine | None = request.app.state.engine
    return engine


def language_of(request: Request) -> str:
    return i18n.chosen(request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language"))


@dataclass(frozen=True)
class Viewer:
    """The signed-in reader: their principal, the session's CSRF token, their language."""

    principal: Principal
    csrf_token: str
    language: str
    engine: Engine | None

    def reading(self) -> UnitOfWork:
        return database.reading(self.principal, self.engine)

    def writing(self) -> UnitOfWork:
        return database.writing(self.principal, self.engine)

    def gettext(self, message: str) -> str:
        return i18n.translations(self.language).gettext(message)


def local_path(target: str | None) -> str:
    """Only a path on this site: a `next` that names another site goes to the dashboard."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def current_viewer(request: Request) -> Viewer:
    session_id = request.cookies.get(SESSION_COOKIE, "")
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if not session_id:
        raise LoginRequired(here)
    try:
        with database.reading(SESSION_CHECK, engine_of(request)) as uow:
            found = sessions.principal_for_session(uow, session_id)
    except Unauthenticated as error:
        raise LoginRequired(here, str(error)) from None
    return Viewer(found.principal, found.csrf_token, language_of(request), engine_of(request))


CurrentViewer = Annotated[Viewer, Depends(current_viewer)]


async def posting_viewer(request: Request, viewer: CurrentViewer) -> Viewer:
    """The viewer of a POST whose CSRF token matches the session's (else CsrfRefused)."""
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not sessions.csrf_matches(viewer.csrf_token, given):
        raise CsrfRefused()
    return viewer


PostingViewer = Annotated[Viewer, Depends(posting_viewer)]


def is_tls(request: Request) -> bool:
    return request.url.scheme == "https"


def set_session_cookie(request: Request, response: Response, session_id: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=sessions.SESSION_HOURS * 3600,
        httponly=True,
        samesite="lax",
        secure=is_tls(request),
        path="/",
    )


def new_login_token() -> str:
    return secrets.token_urlsafe(24)


def login_url(next_path: str) -> str:
    return "/login" + ("" if next_path in ("", "/") else f"?next={quote(next_path, safe='')}")
