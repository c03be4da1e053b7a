"""Import a spreadsheet: upload, see every problem by row and column before anything is
written, then confirm; download a registry's template and a check's problems as CSV.

The uploaded file waits in a private folder until it is confirmed, under a random name bound
to the user who uploaded it; confirming imports exactly the file that was checked, and the
import checks it again (the ledger may have changed in between).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response

from coalition.registries.kinds import KINDS
from coalition.services import ledger
from coalition.services.errors import ImportRejected, NotFound
from coalition.web import render
from coalition.web.routes.registries import kind_of
from coalition.web.session import CurrentViewer, PostingViewer, Viewer

router = APIRouter()
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
SUFFIXES = (".csv", ".xlsx")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,40}$")
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
PROBLEMS_SHOWN = 500


KEPT_SECONDS = 24 * 3600  # an upload never confirmed is removed after a day


def uploads() -> Path:
    folder = Path(tempfile.gettempdir()) / "coalition-web-uploads"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _remove_abandoned() -> None:
    cutoff = time.time() - KEPT_SECONDS
    for folder in uploads().iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def _folder(viewer: Viewer, token: str) -> Path:
    if not TOKEN.match(token):
        raise NotFound("no such upload")
    owner = hashlib.sha256(viewer.principal.user.encode()).hexdigest()[:16]
    return uploads() / f"{owner}-{token}"


def _uploaded(viewer: Viewer, token: str) -> Path:
    files = sorted(_folder(viewer, token).glob("*")) if _folder(viewer, token).is_dir() else []
    if not files:
        raise NotFound("that upload is no longer here: upload the file again")
    return files[0]


def _page(request: Request, viewer: Viewer, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("chosen", "")
    return render.page(request, "import.html", viewer, viewer.language, status=status,
                       kinds=list(KINDS.values()), **context)  # fmt: skip


@router.get("/import", response_class=HTMLResponse)
def form(
    request: Request, viewer: CurrentViewer, kind: Annotated[str, Query(max_length=40)] = ""
) -> HTMLResponse:
    return _page(request, viewer, chosen=kind if kind in KINDS else "")


@router.post("/import/check", response_class=HTMLResponse)
async def check(
    request: Request,
    viewer: PostingViewer,
    kind: Annotated[str, Form(max_length=40)],
    file: UploadFile,
) -> HTMLResponse:
    chosen = kind_of(kind)
    name = Path(file.filename or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        message = viewer.gettext("Choose a .csv or .xlsx file.")
        return _page(request, viewer, 422, chosen=chosen.name, file_error=message)
    _remove_abandoned()
    token = secrets.token_urlsafe(18)
    folder = _folder(viewer, token)
    folder.mkdir(mode=0o700)
    path = folder / (SAFE_NAME.sub("_", Path(name).stem)[:80] + suffix)
    with path.open("wb") as handle:
        shutil.copyfileobj(file.file, handle, length=1024 * 1024)
    if path.stat().st_size > MAX_UPLOAD_BYTES:
        shutil.rmtree(folder)
        message = viewer.gettext("The file is larger than 50 MB.")
        return _page(request, viewer, 422, chosen=chosen.name, file_error=message)
    try:
        with viewer.reading() as uow:
            result = ledger.check_file(uow, chosen.name, path)
    except ImportRejected as error:
        return _page(request, viewer, 422, chosen=chosen.name, token=token, filename=name,
                     problems=error.problems[:PROBLEMS_SHOWN],
                     problem_count=len(error.problems))  # fmt: skip
    return _page(request, viewer, chosen=chosen.name, token=token, filename=name, checked=result)


@router.post("/import/confirm", response_class=HTMLResponse)
def confirm(
    request: Request,
    viewer: PostingViewer,
    kind: Annotated[str, Form(max_length=40)],
    token: Annotated[str, Form(max_length=40)],
) -> HTMLResponse:
    chosen = kind_of(kind)
    path = _uploaded(viewer, token)
    try:
        with viewer.writing() as uow:
            result = ledger.import_file(uow, chosen.name, path)
    except ImportRejected as error:
        return _page(request, viewer, 422, chosen=chosen.name, token=token, filename=path.name,
                     problems=error.problems[:PROBLEMS_SHOWN],
                     problem_count=len(error.problems))  # fmt: skip
    shutil.rmtree(path.parent, ignore_errors=True)
    return _page(request, viewer, chosen=chosen.name, imported=result, filename=path.name)


@router.get("/import/template/{kind_name}")
def template(
    viewer: CurrentViewer, kind_name: Annotated[str, PathParam(max_length=40)]
) -> Response:
    chosen = kind_of(kind_name)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{chosen.name}.csv"
        ledger.write_template(chosen.name, path)
        body = path.read_bytes()
    return _download(body, f"{chosen.name}-template.csv")


@router.get("/import/problems/{token}")
def problems(
    viewer: CurrentViewer,
    token: Annotated[str, PathParam(max_length=40)],
    kind: Annotated[str, Query(max_length=40)],
) -> Response:
    """The problems of an upload as CSV (checked again: the file is still waiting)."""
    chosen = kind_of(kind)
    path = _uploaded(viewer, token)
    found: list[Any] = []
    try:
        with viewer.reading() as uow:
            ledger.check_file(uow, chosen.name, path)
    except ImportRejected as error:
        found = [replace(p, file=path.name) for p in error.problems]
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "problems.csv"
        ledger.write_problems(target, found)
        body = target.read_bytes()
    return _download(body, f"{path.stem}-problems.csv")


def _download(body: bytes, name: str) -> Response:
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
