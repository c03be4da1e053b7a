"""Effective capability and readiness, and training: the funnel from pledge to working
equipment, readiness and fleet diversity, the training need and what was trained."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from coalition.domain.capability import STAGES
from coalition.services import readiness, training
from coalition.web import render
from coalition.web.session import CurrentViewer

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
