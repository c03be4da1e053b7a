"""Effective capability and readiness, training, sustainment: the funnel from pledge to
working equipment, readiness and fleet diversity, the training need and what was trained, and
the ammunition and spares the fleet consumes (drafts a coordinator approves)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from coalition.domain.access import may_approve_drafts
from coalition.domain.capability import STAGES
from coalition.services import readiness, sustainment, training
from coalition.web import render
from coalition.web.session import CurrentViewer, PostingViewer

router = APIRouter()


@router.get("/capability", response_class=HTMLResponse)
def capability(request: Request, viewer: CurrentViewer) -> HTMLResponse:
    with viewer.reading() as uow:
        funnel = training.funnel(uow)
        report = readiness.report(uow)
    return render.page(
        request, "capability.html", viewer, viewer.language,
        funnel=funnel, stages=STAGES, readiness=report,
        diversity=[d for d in report.diversity if d.withheld or d.new_types or d.types_before > 1],
    )  # fmt: skip


@router.get("/training", response_class=HTMLResponse)
def training_page(
    request: Request,
    viewer: CurrentViewer,
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
) -> HTMLResponse:
    with viewer.reading() as uow:
        need = training.need(uow)
        totals = training.training_totals(uow, None, year)
    return render.page(
        request, "training.html", viewer, viewer.language,
        need=need, courses=need.by_shortfall(), totals=totals, year=year,
    )  # fmt: skip


Band = Annotated[str, Query(max_length=20)]
Months = Annotated[int, Query(ge=1, le=60)]


@router.get("/sustainment", response_class=HTMLResponse)
def sustainment_page(
    request: Request, viewer: CurrentViewer, band: Band = "medium", months: Months = 3
) -> HTMLResponse:
    params = sustainment.parameters(band, months)
    with viewer.reading() as uow:
        drafts = sustainment.draft(uow, params)
    return render.page(
        request, "sustainment.html", viewer, viewer.language,
        drafts=drafts, band=params.band.value, months=params.months, start=params.start,
        bands=("low", "medium", "high"), may_approve=may_approve_drafts(viewer.principal),
    )  # fmt: skip


@router.post("/sustainment/approve", response_class=HTMLResponse)
def approve(
    viewer: PostingViewer,
    band: Annotated[str, Form(max_length=20)] = "medium",
    months: Annotated[int, Form(ge=1, le=60)] = 3,
    start: Annotated[date | None, Form()] = None,
) -> Response:
    """Approve every draft of the horizon shown (the page's first day, so a page left open
    overnight approves what it showed; logged, all or none)."""
    params = sustainment.parameters(band, months, start)
    with viewer.writing() as uow:
        result = sustainment.approve(uow, params)
    return RedirectResponse(
        f"/sustainment?band={params.band.value}&months={params.months}"
        f"&created={len(result.created)}&already={len(result.already)}",
        status_code=303,
    )
