"""The dashboard: where the coalition stands, as the signed-in reader may see it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from coalition.services import burden, coverage, dashboard, logistics, training, training_plans
from coalition.services.errors import ServiceError
from coalition.web import render
from coalition.web.session import CurrentViewer

router = APIRouter()
BURDEN_DONORS_SHOWN = 12


@router.get("/", response_class=HTMLResponse)
def home(request: Request, viewer: CurrentViewer) -> HTMLResponse:
    return _dashboard(request, viewer, printable=False)


@router.get("/print", response_class=HTMLResponse)
def printable(request: Request, viewer: CurrentViewer) -> HTMLResponse:
    """The dashboard without navigation, laid out for paper."""
    return _dashboard(request, viewer, printable=True)


def _dashboard(request: Request, viewer: CurrentViewer, printable: bool) -> HTMLResponse:
    with viewer.reading() as uow:
        areas = coverage.coverage_rows(uow)
        needs = dashboard.critical_needs(uow)
        deliveries = dashboard.deliveries_by_month(uow)
        changes = dashboard.recent_changes(uow)
        in_force = logistics.in_force(uow)  # None too for those who may not see plans
        training_in_force = training_plans.in_force(uow)
        funnel = training.funnel(uow)
        years = burden.baseline_years(uow)
        shares, burden_error = [], ""
        if years:
            try:
                rows = burden.table_rows(burden.report(uow, years[0]))
                shares = [r for r in rows if r["row_type"] == "donor"][:BURDEN_DONORS_SHOWN]
            except ServiceError as error:
                burden_error = str(error)
    return render.page(
        request, "dashboard.html", viewer, viewer.language,
        printable=printable, areas=areas, needs=needs, deliveries=deliveries, changes=changes,
        burden_year=years[0] if years else None, shares=shares, burden_error=burden_error,
        most_delivered=max((d.units for d in deliveries), default=0),
        logistics_plan=None if in_force is None else logistics.plan_row(in_force),
        training_plan=None if training_in_force is None
        else training_plans.plan_summary(training_in_force),
        capability=funnel[-1] if funnel else None,
    )  # fmt: skip
