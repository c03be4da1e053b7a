"""RFC 9457 problem details: the one shape of every error the API returns.

Service errors map to statuses here and nowhere else, so every route answers the same failure
the same way. Nothing below the services' error types is caught by name: an unexpected
exception becomes a 500 problem carrying a request id, and its traceback goes to the log only.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from coalition.services import errors, idempotency

log = logging.getLogger("coalition.api")

PROBLEM_TYPE = "application/problem+json"
ABOUT_BLANK = "about:blank"  # RFC 9457: the status title says it all
RETRY_AFTER_SECONDS = "1"  # a busy database is busy for the length of one write


class FieldProblem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: str = Field(max_length=2000)
    reason: str = Field(max_length=4000)


class Problem(BaseModel):
    """What went wrong; `errors` names each field and why (validation), `request_id` a 500."""

    model_config = ConfigDict(extra="forbid")
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] = []
    request_id: str | None = None


TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    415: "Unsupported media type",
    422: "Unprocessable content",
    428: "Precondition required",
    500: "Internal server error",
    501: "Not implemented",
    503: "Service unavailable",
}


class ApiProblem(Exception):
    """Raised by routes for an HTTP-level refusal (missing If-Match, bad cursor...)."""

    def __init__(
        self,
        status: int,
        detail: str,
        field_errors: Sequence[tuple[str, str]] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.field_errors = list(field_errors)
        self.headers = headers or {}


def problem_response(
    status: int,
    detail: str,
    field_errors: Sequence[tuple[str, str]] = (),
    headers: dict[str, str] | None = None,
    request_id: str | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": ABOUT_BLANK,
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "errors": [{"field": f, "reason": r} for f, r in field_errors],
    }
    if request_id is not None:
        body["request_id"] = request_id
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_TYPE)


UNAUTHENTICATED_HEADERS = {"WWW-Authenticate": "Bearer"}


def for_service_error(error: errors.ServiceError) -> JSONResponse:
    """The one mapping from a service's refusal to an HTTP status."""
    if isinstance(error, errors.Unauthenticated):
        return problem_response(401, str(error), headers=UNAUTHENTICATED_HEADERS)
    if isinstance(error, errors.NotFound):
        return problem_response(404, str(error))
    if isinstance(error, errors.Forbidden):
        # Only a forbidden *action* reaches here: records a principal may not see are
        # absent for it (the repository's filter), so they raise NotFound, never Forbidden.
        return problem_response(403, str(error))
    if isinstance(error, errors.VersionConflict):
        return problem_response(412, str(error))
    if isinstance(error, idempotency.IdempotencyInProgress):
        return problem_response(409, str(error), headers={"Retry-After": RETRY_AFTER_SECONDS})
    if isinstance(error, idempotency.IdempotencyConflict | idempotency.InvalidIdempotencyKey):
        return problem_response(422, str(error), [("Idempotency-Key", str(error))])
    if isinstance(error, errors.ImportRejected):
        fields = [(p.column or "record", p.reason) for p in error.problems]
        return problem_response(422, str(error), fields)
    if isinstance(error, errors.EpcisRejected):
        located = [
            ("document" if index < 0 else f"epcisBody.eventList[{index}]")
            + (f".{name}" if name else "")
            for index, name, _ in error.problems
        ]
        reasons = [reason for _, _, reason in error.problems]
        return problem_response(422, str(error), list(zip(located, reasons, strict=True)))
    field = field_of(error)
    return problem_response(422, str(error), [(field, str(error))] if field else [])


def field_of(error: Exception) -> str:
    """The field a service message names, if it says (services phrase errors for people)."""
    return str(getattr(error, "field", "") or "")


def _validation_field(location: Sequence[Any]) -> str:
    # FastAPI's locations start with where the value came from (body, query, path, header).
    parts = [str(p) for p in location]
    if parts and parts[0] == "body":
        return ".".join(parts[1:]) or "body"
    return parts[-1] if parts else ""


def install(app: FastAPI) -> None:
    """Every error handler and the last-resort boundary; called once by the app factory."""

    @app.exception_handler(ApiProblem)
    async def _api_problem(request: Request, error: ApiProblem) -> Response:
        return problem_response(error.status, error.detail, error.field_errors, error.headers)

    @app.exception_handler(errors.DatabaseBusy)
    async def _busy(request: Request, error: errors.DatabaseBusy) -> Response:
        return problem_response(
            503,
            "the database is busy with another write; try again",
            headers={"Retry-After": RETRY_AFTER_SECONDS},
        )

    @app.exception_handler(errors.ServiceError)
    async def _service(request: Request, error: errors.ServiceError) -> Response:
        return for_service_error(error)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Response:
        fields = [
            (_validation_field(e.get("loc", ())), str(e.get("msg", ""))) for e in error.errors()
        ]
        shown = ", ".join(sorted({f for f, _ in fields if f})) or "the request"
        return problem_response(422, f"invalid {shown}", fields)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        detail = (
            error.detail if isinstance(error.detail, str) else TITLES.get(error.status_code, "")
        )
        return problem_response(error.status_code, detail, headers=dict(error.headers or {}))

    @app.middleware("http")
    async def _boundary(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        try:
            response = await call_next(request)
        except Exception:
            # The client learns only that it failed and which request to quote; the
            # traceback stays in the server's log.
            log.exception("unhandled error", extra={"event": "api-error", "request_id": request_id})
            response = problem_response(
                500, "an unexpected error occurred; quote the request id", request_id=request_id
            )
        response.headers["X-Request-ID"] = request_id
        return response


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI declarations of the problems a route may answer (schemathesis checks them)."""
    declared: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {
            "description": TITLES.get(status, "Error"),
            "content": {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        if status == 401:
            entry["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
        if status in (409, 503):
            entry["headers"] = {"Retry-After": {"schema": {"type": "string"}}}
        declared[status] = entry
    return declared


# What any authenticated route may answer: a body that is not JSON at all (400), a bad or
# missing token, a forbidden action, a hidden or absent record, invalid input (422: every
# value that was read but is not acceptable), a busy database.
COMMON = (400, 401, 403, 404, 422, 503)
