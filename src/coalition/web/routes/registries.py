"""Registry pages: a list per registry (search, filters, sorting, paging in the URL), a
record with its history, and an edit form that refuses a stale edit."""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from coalition.registries.kinds import KINDS, Kind
from coalition.services import ledger
from coalition.services.errors import (
    Forbidden,
    ImportRejected,
    NotFound,
    ServiceError,
    VersionConflict,
)
from coalition.web import render
from coalition.web.session import CurrentViewer, PostingViewer, Viewer

router = APIRouter()
PER_PAGE = 25
MAX_KEY = 200
# Filters offered as fields above a list, where the registry has the column.
FILTER_COLUMNS = ("status", "donor_code", "capability_area", "family_code", "kind")
KindName = Annotated[str, Path(max_length=40)]
Key = Annotated[str, Path(min_length=1, max_length=MAX_KEY)]


def kind_of(name: str) -> Kind:
    kind = KINDS.get(name)
    if kind is None:
        raise NotFound(f"no registry '{name}'")
    return kind


@router.get("/registries", response_class=HTMLResponse)
def index(request: Request, viewer: CurrentViewer) -> HTMLResponse:
    with viewer.reading() as uow:
        counts = {name: ledger.list_page(uow, name, {}, 1).total for name in KINDS}
    return render.page(request, "registries.html", viewer, viewer.language,
                       kinds=list(KINDS.values()), counts=counts)  # fmt: skip


@router.get("/registries/{kind_name}", response_class=HTMLResponse)
def list_page(
    request: Request,
    viewer: CurrentViewer,
    kind_name: KindName,
    q: Annotated[str, Query(max_length=200)] = "",
    sort: Annotated[str, Query(max_length=60)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    kind = kind_of(kind_name)
    names = {c.name for c in kind.columns}
    filters = {
        name: value[:200]
        for name, value in request.query_params.items()
        if name in names and name in FILTER_COLUMNS and value
    }
    offered = [c for c in kind.columns if c.name in FILTER_COLUMNS]
    error = ""
    with viewer.reading() as uow:
        try:
            shown = ledger.browse(uow, kind.name, filters, q, sort, page, PER_PAGE)
        except ServiceError as refused:
            error = str(refused)
            shown = ledger.browse(uow, kind.name, {}, "", "", 1, PER_PAGE)
    state = {"q": q, "sort": sort, **filters}

    def link(**change: Any) -> str:
        wanted = {k: v for k, v in {**state, **change}.items() if v not in ("", None, 1)}
        return f"/registries/{kind.name}" + (f"?{urlencode(wanted)}" if wanted else "")

    shown_columns = list(kind.list_columns) or [c.name for c in kind.columns]
    columns = [c for c in shown_columns if c not in kind.key][:7]
    return render.page(
        request, "registry_list.html", viewer, viewer.language,
        kind=kind, page=shown, columns=columns, q=q, sort=sort, filters=filters,
        offered=offered, link=link, error=error,
    )  # fmt: skip


def _history(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each change with the fields it touched, before and after (the log keeps JSON)."""
    shown = []
    for entry in reversed(entries):
        before = json.loads(entry["before"]) if entry.get("before") else {}
        after = json.loads(entry["after"]) if entry.get("after") else {}
        fields = [
            (name, before.get(name), after.get(name))
            for name in sorted(set(before) | set(after))
            if before.get(name) != after.get(name)
        ]
        shown.append({**entry, "fields": fields})
    return shown


@router.get("/registries/{kind_name}/{key}", response_class=HTMLResponse)
def record(request: Request, viewer: CurrentViewer, kind_name: KindName, key: Key) -> Response:
    kind = kind_of(kind_name)
    with viewer.reading() as uow:
        cells = ledger.shown_record(uow, kind.name, key)
        history = _history(ledger.history(uow, kind.name, key))
        editable = ledger.may_edit(uow, kind.name, key)
    steps = ledger.next_statuses(kind.name, cells.get("status", "")) if editable else []
    return render.page(request, "record.html", viewer, viewer.language, kind=kind,
                       record=cells, history=history, editable=editable, steps=steps)  # fmt: skip


@router.post("/registries/{kind_name}/{key}/status", response_class=HTMLResponse)
def change_status(
    viewer: PostingViewer,
    kind_name: KindName,
    key: Key,
    status: Annotated[str, Form(min_length=1, max_length=40)],
) -> Response:
    """One lifecycle step (e.g. offered → accepted); a step that has a date stamps today."""
    kind = kind_of(kind_name)
    with viewer.writing() as uow:
        ledger.change_status(uow, kind.name, key, status)
    return RedirectResponse(f"/registries/{kind.name}/{key}?saved=1", status_code=303)


def _edit_page(
    request: Request,
    viewer: Viewer,
    kind: Kind,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    conflict: str = "",
    status: int = 200,
) -> HTMLResponse:
    return render.page(
        request, "record_edit.html", viewer, viewer.language, status=status,
        kind=kind, record=values, errors=errors or {}, conflict=conflict,
    )  # fmt: skip


@router.get("/registries/{kind_name}/{key}/edit", response_class=HTMLResponse)
def edit_form(request: Request, viewer: CurrentViewer, kind_name: KindName, key: Key) -> Response:
    kind = kind_of(kind_name)
    with viewer.reading() as uow:
        cells = ledger.shown_record(uow, kind.name, key)
    return _edit_page(request, viewer, kind, cells)


@router.post("/registries/{kind_name}/{key}/edit", response_class=HTMLResponse)
async def edit(
    request: Request,
    viewer: PostingViewer,
    kind_name: KindName,
    key: Key,
    version: Annotated[int, Form(ge=0, le=2**62)],
) -> Response:
    kind = kind_of(kind_name)
    form = await request.form()
    editable = [c.name for c in kind.columns if c.name not in kind.key]
    changes = {name: str(form.get(name, ""))[:10_000].strip() for name in editable if name in form}
    try:
        with viewer.writing() as uow:
            ledger.update_record(uow, kind.name, key, changes, version)
    except VersionConflict as error:
        with viewer.reading() as uow:
            current = ledger.shown_record(uow, kind.name, key)
        message = viewer.gettext(
            "Someone else changed this record while you were editing it; nothing of your "
            "change was saved. The form now shows the current values: make your change again."
        )
        return _edit_page(request, viewer, kind, current, conflict=f"{message} ({error})",
                          status=409)  # fmt: skip
    except ImportRejected as error:
        errors = {p.column or "record": p.reason for p in error.problems}
        values = {**changes, "_key": key, "_version": str(version)}
        values.update({k: "" for k in kind.key if k not in values})
        return _edit_page(request, viewer, kind, _with_keys(kind, key, values), errors, status=422)
    except ServiceError as error:
        if isinstance(error, NotFound | Forbidden):
            raise  # the error page: 404 or 403
        values = _with_keys(kind, key, {**changes, "_key": key, "_version": str(version)})
        return _edit_page(request, viewer, kind, values, {"record": str(error)}, status=422)
    return RedirectResponse(f"/registries/{kind.name}/{key}?saved=1", status_code=303)


def _with_keys(kind: Kind, key: str, values: dict[str, str]) -> dict[str, str]:
    """The key fields' cells from the key itself (they are not in the edit form)."""
    parts = key.split(":", len(kind.key) - 1)
    return {**values, **dict(zip(kind.key, parts, strict=False))}
