"""Burden-sharing: each donor against its fair share for a baseline year, the chart, exports."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response

from coalition.services import burden
from coalition.services.errors import NotFound
from coalition.web import render
from coalition.web.session import CurrentViewer

router = APIRouter()
Year = Annotated[int | None, Query(ge=1990, le=2100)]
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/burden", response_class=HTMLResponse)
def page(request: Request, viewer: CurrentViewer, year: Year = None) -> HTMLResponse:
    with viewer.reading() as uow:
        years = burden.baseline_years(uow)
        chosen = year if year is not None else (years[0] if years else None)
        rows = burden.table_rows(burden.report(uow, chosen)) if chosen is not None else []
    return render.page(
        request, "burden.html", viewer, viewer.language,
        years=years, year=chosen,
        donors=[r for r in rows if r["row_type"] == "donor"],
        groups=[r for r in rows if r["row_type"] != "donor"],
    )  # fmt: skip


@router.get("/burden/{year}/chart.svg")
def chart(viewer: CurrentViewer, year: Annotated[int, PathParam(ge=1990, le=2100)]) -> Response:
    """The fair-share chart as an image (SVG: donor names are XML-escaped text)."""
    with viewer.reading() as uow:
        svg = burden.fair_share_svg(burden.report(uow, year))
    return Response(svg, media_type="image/svg+xml")


@router.get("/burden/{year}/export.{suffix}")
def export(
    viewer: CurrentViewer,
    year: Annotated[int, PathParam(ge=1990, le=2100)],
    suffix: Annotated[str, PathParam(max_length=5)],
) -> Response:
    if suffix not in EXPORT_TYPES:
        raise NotFound("export as .csv or .xlsx")
    with viewer.reading() as uow:
        report = burden.report(uow, year)
    with tempfile.TemporaryDirectory() as folder:
        path = burden.export_table(report, Path(folder) / f"burden-{year}.{suffix}")
        body = path.read_bytes()
    return Response(
        body,
        media_type=EXPORT_TYPES[suffix],
        headers={"Content-Disposition": f'attachment; filename="burden-{year}.{suffix}"'},
    )
