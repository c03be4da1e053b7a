"""Logistics: the stored plans, run one (a background job whose progress the job page polls),
a plan's headline, ETAs, unrouted lines and busiest nodes and lanes, accept it, and what-if
closures; and a shipment's tracking timeline. Who sees and does what is the services'."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from coalition.services import jobs, logistics, tracking
from coalition.services.errors import Forbidden, NotFound, ServiceError
from coalition.web import render
from coalition.web.session import CurrentViewer, PostingViewer, Viewer

router = APIRouter()
MAX_PLAN_ID = 2**31 - 1
PlanId = Annotated[int, Path(ge=1, le=MAX_PLAN_ID)]
ShipmentId = Annotated[str, Path(min_length=1, max_length=64)]
DEFAULT_TIME_LIMIT = 30.0
# A what-if answers while the page waits: its limit is kept short (the API's bound too).
MAX_WHATIF_TIME_LIMIT = 120.0
ROWS_SHOWN = 500
SHIPMENTS_SHOWN = 200


def _plans_page(
    request: Request, viewer: Viewer, status: int = 200, **context: Any
) -> HTMLResponse:
    with viewer.reading() as uow:
        stored, total = logistics.list_plans(uow, 50)
    context.setdefault("form", {"horizon": logistics.DEFAULT_HORIZON_DAYS,
                                "time_limit": DEFAULT_TIME_LIMIT})  # fmt: skip
    context.setdefault("whatif_form", {"close": "", "first": "", "last": "",
                                       "time_limit": DEFAULT_TIME_LIMIT})  # fmt: skip
    return render.page(
        request, "logistics.html", viewer, viewer.language, status=status,
        plans=[logistics.plan_row(s) for s in stored], total=total,
        max_horizon=logistics.MAX_HORIZON_DAYS, max_time_limit=logistics.MAX_TIME_LIMIT_S,
        max_whatif_time_limit=MAX_WHATIF_TIME_LIMIT, **context,
    )  # fmt: skip


@router.get("/logistics", response_class=HTMLResponse)
def plans(request: Request, viewer: CurrentViewer) -> HTMLResponse:
    return _plans_page(request, viewer)


@router.post("/logistics/run", response_class=HTMLResponse)
def run(
    request: Request,
    viewer: PostingViewer,
    horizon: Annotated[int, Form(ge=1, le=100_000)] = logistics.DEFAULT_HORIZON_DAYS,
    time_limit: Annotated[float, Form(gt=0, le=86400)] = DEFAULT_TIME_LIMIT,
) -> Response:
    """Start a logistics planning job (the service checks who and the bounds)."""
    try:
        job_id = jobs.submit_logistics(viewer.principal, horizon, time_limit, viewer.engine)
    except ServiceError as error:
        form = {"horizon": horizon, "time_limit": time_limit}
        status = 403 if isinstance(error, Forbidden) else 422
        return _plans_page(request, viewer, status, form=form, run_error=str(error))
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.post("/logistics/whatif", response_class=HTMLResponse)
def whatif(
    request: Request,
    viewer: PostingViewer,
    close: Annotated[str, Form(min_length=1, max_length=64)],
    first: Annotated[date, Form()],
    last: Annotated[str, Form(max_length=10)] = "",
    time_limit: Annotated[float, Form(gt=0, le=MAX_WHATIF_TIME_LIMIT)] = DEFAULT_TIME_LIMIT,
) -> Response:
    """Close a node or lane and re-plan: the delta, at once (the plan is stored, proposed)."""
    form = {"close": close, "first": first.isoformat(), "last": last, "time_limit": time_limit}
    try:
        until = date.fromisoformat(last) if last else None
    except ValueError:
        message = render.gettext("Not a valid value:", viewer.language) + " last"
        return _plans_page(request, viewer, 422, whatif_form=form, whatif_error=message)
    try:
        report = logistics.whatif(viewer.principal, close, first, until, time_limit,
                                  viewer.engine)  # fmt: skip
    except ServiceError as error:
        status = (
            404 if isinstance(error, NotFound) else 403 if isinstance(error, Forbidden) else 422
        )
        return _plans_page(request, viewer, status, whatif_form=form, whatif_error=str(error))
    return render.page(request, "logistics_whatif.html", viewer, viewer.language,
                       report=report, delta=logistics.whatif_figures(report))  # fmt: skip


@router.get("/logistics/plans/{plan_id}", response_class=HTMLResponse)
def plan(request: Request, viewer: CurrentViewer, plan_id: PlanId) -> HTMLResponse:
    with viewer.reading() as uow:
        stored = logistics.get_plan(uow, plan_id)
    figures = logistics.plan_figures(stored)
    etas = sorted(figures["etas"], key=lambda e: (-e["days_late"], e["line"]))
    return render.page(
        request, "logistics_plan.html", viewer, viewer.language,
        stored=stored, plan=figures, etas=etas[:ROWS_SHOWN], eta_count=len(etas),
        unrouted=figures["unrouted"][:ROWS_SHOWN], unrouted_count=len(figures["unrouted"]),
        sources=stored.document["sources"],
    )  # fmt: skip


@router.get("/logistics/plans/{plan_id}/peaks.svg")
def peaks(viewer: CurrentViewer, plan_id: PlanId) -> Response:
    """The busiest nodes and lanes as an image (SVG: codes are XML-escaped text)."""
    with viewer.reading() as uow:
        stored = logistics.get_plan(uow, plan_id)
    titles = {
        "nodes": viewer.gettext("node"),
        "lanes": viewer.gettext("lane"),
        "axis": viewer.gettext("Highest daily use of capacity"),
        "title": viewer.gettext("Busiest nodes and lanes, with the day of the peak"),
    }
    svg = logistics.peaks_svg(stored, titles)
    if svg is None:
        return Response(status_code=204)
    return Response(svg, media_type="image/svg+xml")


@router.post("/logistics/plans/{plan_id}/accept", response_class=HTMLResponse)
def accept(viewer: PostingViewer, plan_id: PlanId) -> Response:
    with viewer.writing() as uow:
        logistics.accept(uow, plan_id)
    return RedirectResponse(f"/logistics/plans/{plan_id}?accepted=1", status_code=303)


@router.get("/shipments", response_class=HTMLResponse)
def shipments(request: Request, viewer: CurrentViewer) -> HTMLResponse:
    with viewer.reading() as uow:
        page = tracking.list_shipments(uow, limit=SHIPMENTS_SHOWN)
    return render.page(request, "shipments.html", viewer, viewer.language,
                       shipments=page.rows, total=page.total)  # fmt: skip


@router.get("/shipments/{shipment_id}", response_class=HTMLResponse)
def shipment(request: Request, viewer: CurrentViewer, shipment_id: ShipmentId) -> HTMLResponse:
    with viewer.reading() as uow:
        found = tracking.timeline(uow, shipment_id)
    return render.page(request, "shipment.html", viewer, viewer.language, timeline=found)
