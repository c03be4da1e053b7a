"""Login, logout and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from coalition.services import database, sessions
from coalition.services.errors import Unauthenticated
from coalition.web import i18n, render
from coalition.web.session import (
    LANGUAGE_COOKIE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    SIGN_IN,
    PostingViewer,
    engine_of,
    is_tls,
    language_of,
    local_path,
    new_login_token,
    set_session_cookie,
)

router = APIRouter()
MAX_NAME = 64
MAX_PASSWORD = 1000


def _login_page(request: Request, next_path: str, error: str = "", status: int = 200) -> Response:
    token = new_login_token()
    response = render.page(
        request, "login.html", None, language_of(request), status=status,
        next_path=local_path(next_path), login_token=token, error=error,
    )  # fmt: skip
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True, samesite="strict",
        secure=is_tls(request), path="/login",
    )  # fmt: skip
    return response


@router.get("/login")
def login_form(request: Request, next: Annotated[str, Query(max_length=2000)] = "/") -> Response:
    return _login_page(request, next)


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=MAX_NAME)] = "",
    password: Annotated[str, Form(max_length=MAX_PASSWORD)] = "",
    login_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    language = language_of(request)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not sessions.csrf_matches(expected, login_token):
        message = render.gettext("The login form had expired: try again.", language)
        return _login_page(request, next, message, 403)
    try:
        with database.writing(SIGN_IN, engine_of(request)) as uow:
            started = sessions.start(
                uow, username.strip(), password, request.cookies.get(SESSION_COOKIE)
            )
    except Unauthenticated as error:
        text = str(error)
        message = (
            render.gettext("Wrong user name or password.", language)
            if text == "wrong user name or password"
            else render.gettext("Too many failed sign-ins: wait a few minutes.", language)
        )
        return _login_page(request, next, message, 401)
    response = RedirectResponse(local_path(next), status_code=303)
    set_session_cookie(request, response, started.session_id)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, viewer: PostingViewer) -> Response:
    with database.writing(viewer.principal, engine_of(request)) as uow:
        sessions.end(uow, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/language")
def choose_language(
    lang: Annotated[str, Query(max_length=5)],
    next: Annotated[str, Query(max_length=2000)] = "/",
) -> Response:
    """Remember the reader's language (a cookie, a year) and go back to the page."""
    response = RedirectResponse(local_path(next), status_code=303)
    if lang in i18n.LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True, path="/"
        )
    return response
