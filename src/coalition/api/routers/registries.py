"""List, detail, create, update and lifecycle routes for every registry, from its `Kind`.

One declaration drives everything: each kind in `KINDS` gets the same five routes, its
models generated from its columns (`schemas.models_for`). Adding a registry adds its routes.

This module deliberately does not use `from __future__ import annotations`: the route
functions are built in a loop and annotated with that kind's generated models, which FastAPI
must see as classes, not as names to look up.
"""

import json
from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from coalition.api.deps import Db
from coalition.api.pagination import decode, encode
from coalition.api.problems import COMMON, ApiProblem, responses
from coalition.api.schemas import MAX_KEY, KindModels, StatusChange, models_for
from coalition.registries.kinds import KINDS, Kind
from coalition.services import idempotency, ledger
from coalition.services.errors import ServiceError

API_PREFIX = "/api/v1"
Key = Annotated[
    str, Path(min_length=1, max_length=MAX_KEY, description="the record key; A:B for composites")
]
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=100,
        description="the ETag of the version being changed (from GET); required",
    ),
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="repeat a create safely: the same key answers the first result again",
    ),
]


def shown(kind: Kind, row: dict[str, Any]) -> dict[str, Any]:
    """A stored record as the API shows it: each cell as its spreadsheet text, blank as null."""
    texts = ledger.shown_row(kind.name, row)
    record: dict[str, Any] = {
        c.name: None if row[c.name] is None else texts[c.name] for c in kind.columns
    }
    record["version"] = int(row["version"])
    return record


ETAG_HEADER = {"ETag": {"schema": {"type": "string"}, "description": "the row version"}}


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(if_match: str | None) -> int:
    """The version If-Match names; 428 without one. A tag that names no version is stale."""
    if if_match is None or not if_match.strip():
        raise ApiProblem(
            428,
            "send If-Match with the ETag from GET, so a change never overwrites one you "
            "have not seen",
            [("If-Match", "required")],
        )
    tag = if_match.strip().removeprefix("W/").strip('"')
    # A malformed tag matches no version: the service refuses it as stale (412).
    return int(tag) if tag.isdigit() and len(tag) < 19 else -1


def location(kind: Kind, key: str) -> str:
    return f"{API_PREFIX}/{kind.name}/{quote(key, safe=':')}"


def cells(body: BaseModel, only_set: bool) -> dict[str, str]:
    """The body as spreadsheet cells: null clears a cell (written as a blank cell)."""
    values = body.model_dump(exclude_unset=only_set)
    return {name: "" if value is None else str(value) for name, value in values.items()}


def filters_of(kind: Kind, query: BaseModel) -> dict[str, str]:
    columns = {c.name for c in kind.columns}
    given = [f"{k}={v}" for k, v in query.model_dump().items() if k in columns and v is not None]
    try:
        return ledger.parse_filters(kind.name, given)
    except ServiceError as error:
        name = next((n for n in columns if f"'{n}=" in str(error)), "query")
        raise ApiProblem(422, str(error), [(name, str(error))]) from None


def add_routes(router: APIRouter, kind: Kind) -> None:
    models: KindModels = models_for(kind)
    Record, Page, Create, Update, Filters = (
        models.record,
        models.page,
        models.create,
        models.update,
        models.query,
    )
    slug = kind.name.replace("-", "_")
    path = f"/{kind.name}"
    tags: list[str | Enum] = [kind.name]

    def list_records(db: Db, query: Annotated[Filters, Query()]) -> dict[str, Any]:  # type: ignore[valid-type]
        filters = filters_of(kind, query)
        params: Any = query
        after = None if params.cursor is None else decode(kind, params.sort, params.cursor)
        with db.reading() as uow:
            found = ledger.seek_page(uow, kind.name, filters, params.sort, params.limit, after)
        last = found.rows[-1] if found.more and found.rows else None
        return {
            "items": [shown(kind, r) for r in found.rows],
            "next_cursor": None if last is None else encode(kind, params.sort, last),
            "total": found.total,
        }

    def get_record(db: Db, key: Key, response: Response) -> dict[str, Any]:
        with db.reading() as uow:
            record = shown(kind, ledger.get_record(uow, kind.name, key))
        response.headers["ETag"] = etag(record["version"])
        return record

    def create_record(
        request: Request,
        db: Db,
        body: Create,  # type: ignore[valid-type]
        idempotency_key: IdempotencyKey = None,
    ) -> Response:
        fields = cells(body, only_set=True)

        def run() -> tuple[int, dict[str, Any]]:
            with db.writing() as uow:
                row = ledger.create_record(uow, kind.name, fields)
            return 201, shown(kind, row)

        status, record, replayed = _idempotent(request, db, idempotency_key, fields, run)
        headers = {"Idempotent-Replayed": "true"} if replayed else {}
        if status == 201:
            headers["Location"] = location(kind, ":".join(str(record[k]) for k in kind.key))
            headers["ETag"] = etag(record["version"])
        return JSONResponse(record, status_code=status, headers=headers)

    def update_record(
        db: Db,
        key: Key,
        body: Update,  # type: ignore[valid-type]
        response: Response,
        if_match: IfMatch = None,
    ) -> dict[str, Any]:
        expected = expected_version(if_match)
        changes = cells(body, only_set=True)
        with db.writing() as uow:
            record = shown(kind, ledger.update_record(uow, kind.name, key, changes, expected))
        response.headers["ETag"] = etag(record["version"])
        return record

    def change_status(db: Db, key: Key, body: StatusChange, response: Response) -> dict[str, Any]:
        on = _day(body.on)
        with db.writing() as uow:
            record = shown(kind, ledger.change_status(uow, kind.name, key, body.status, on))
        response.headers["ETag"] = etag(record["version"])
        return record

    title = kind.title or kind.name
    router.add_api_route(
        path,
        list_records,
        methods=["GET"],
        response_model=Page,
        operation_id=f"list_{slug}",
        summary=f"{title}: a page of the records you may see",
        tags=tags,
        responses=responses(*COMMON),
    )
    router.add_api_route(
        f"{path}/{{key}}",
        get_record,
        methods=["GET"],
        response_model=Record,
        operation_id=f"get_{slug}",
        summary=f"{title}: one record, with its version as ETag",
        tags=tags,
        responses={
            200: {"headers": ETAG_HEADER},
            **responses(*COMMON),
        },
    )
    router.add_api_route(
        path,
        create_record,
        methods=["POST"],
        status_code=201,
        response_model=Record,
        operation_id=f"create_{slug}",
        summary=f"{title}: create a record (checked like an imported row)",
        tags=tags,
        responses={
            201: {
                "model": Record,
                "headers": {
                    "Location": {"schema": {"type": "string"}},
                    **ETAG_HEADER,
                    "Idempotent-Replayed": {"schema": {"type": "string"}},
                },
            },
            **responses(*COMMON, 409),
        },
    )
    router.add_api_route(
        f"{path}/{{key}}",
        update_record,
        methods=["PATCH"],
        response_model=Record,
        operation_id=f"update_{slug}",
        summary=f"{title}: change some cells of a record (If-Match required)",
        tags=tags,
        responses={200: {"headers": ETAG_HEADER}, **responses(*COMMON, 412, 428)},
    )
    if kind.lifecycle is not None:
        router.add_api_route(
            f"{path}/{{key}}/status",
            change_status,
            methods=["POST"],
            response_model=Record,
            operation_id=f"change_{slug}_status",
            summary=f"{title}: one legal lifecycle step",
            tags=tags,
            responses=responses(*COMMON),
        )


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ApiProblem(422, f"on: {text!r} is not a date", [("on", "not a date")]) from None


def _idempotent(
    request: Request,
    db: Db,
    key: str | None,
    fields: dict[str, str],
    run: Callable[[], tuple[int, dict[str, Any]]],
) -> tuple[int, dict[str, Any], bool]:
    """Run a create once per Idempotency-Key: a repeat replays the first answer."""
    if key is None:
        status, body = run()
        return status, body, False
    # The body as parsed (canonical JSON), so whitespace or field order is the same request.
    digest = idempotency.body_hash(json.dumps(fields, sort_keys=True).encode())
    status, body, replayed = idempotency.replay_or_run(
        db.engine, db.principal, key, request.method, request.url.path, digest, run
    )
    return int(status), dict(body), replayed


def build_router() -> APIRouter:
    router = APIRouter()
    for kind in KINDS.values():
        add_routes(router, kind)
    return router
