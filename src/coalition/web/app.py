"""The web application: `create_app(engine)` builds the pages, mounted beside the API.

It is its own ASGI app (mounted at /) so its errors are pages, not the API's JSON problems:
a service's refusal is shown as one clear message, an unexpected error as a page with a
request id and never a traceback. Every response carries a Content-Security-Policy that
allows no inline script or style: the pages need none.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from coalition.services import errors
from coalition.web import render
from coalition.web.routes import (
    auth,
    burden,
    capability,
    dashboard,
    imports,
    logistics,
    plans,
    registries,
    training_plans,
)
from coalition.web.session import CsrfRefused, LoginRequired, language_of, login_url

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger("coalition.web")
STATIC = Path(__file__).resolve().parent / "static"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def create_app(engine: Engine | None = None) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.state.engine = engine
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (
        auth,
        dashboard,
        registries,
        imports,
        plans,
        logistics,
        burden,
        capability,
        training_plans,
    ):
        app.include_router(module.router)
    _install_error_pages(app)

    @app.middleware("http")
    async def _headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        try:
            response = await call_next(request)
        except Exception:
            request_id = uuid.uuid4().hex
            log.exception("unhandled error", extra={"event": "web-error", "request_id": request_id})
            response = _error_page(request, 500, "", request_id)
        response.headers.update(SECURITY_HEADERS)
        if request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "public, max-age=3600")
        else:
            response.headers["Cache-Control"] = "no-store"  # pages show what one user may see
        return response

    return app


def _error_page(request: Request, status: int, detail: str, request_id: str = "") -> Response:
    return render.page(
        request, "error.html", None, language_of(request), status=status,
        status_code=status, detail=detail, request_id=request_id,
    )  # fmt: skip


def _install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, error: LoginRequired) -> Response:
        target = login_url(error.next_path if request.method == "GET" else "/")
        if request.headers.get("HX-Request"):
            # A fragment's own address is no page to come back to: the page that asked is.
            shown = urlsplit(request.headers.get("HX-Current-URL", ""))
            back = shown.path + (f"?{shown.query}" if shown.query else "")
            return Response(status_code=204, headers={"HX-Redirect": login_url(back or "/")})
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, error: CsrfRefused) -> Response:
        message = render.gettext(
            "The form had expired or did not come from this site: "
            "nothing was changed. Reload the page and try again.",
            language_of(request),
        )
        return _error_page(request, 403, message)

    @app.exception_handler(errors.DatabaseBusy)
    async def _busy(request: Request, error: errors.DatabaseBusy) -> Response:
        message = render.gettext(
            "The database is busy with another change; try again.", language_of(request)
        )
        return _error_page(request, 503, message)

    @app.exception_handler(errors.ServiceError)
    async def _service(request: Request, error: errors.ServiceError) -> Response:
        if isinstance(error, errors.NotFound):
            return _error_page(request, 404, str(error))
        if isinstance(error, errors.Forbidden):
            return _error_page(request, 403, str(error))
        if isinstance(error, errors.Unauthenticated):
            return RedirectResponse(login_url(request.url.path), status_code=303)
        return _error_page(request, 400, str(error))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Response:
        fields = sorted({str(e.get("loc", ("", ""))[-1]) for e in error.errors()})
        message = (
            render.gettext("Not a valid value:", language_of(request)) + " " + ", ".join(fields)
        )
        return _error_page(request, 400, message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        return _error_page(request, error.status_code, "")
