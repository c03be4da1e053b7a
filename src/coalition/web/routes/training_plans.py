"""Training plans: the stored plans, run one (a background job the job page follows), a plan's
lines (crews ready against the equipment's arrival), accept it, and why a line's crews are
late. Who sees and does what is the services'."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from coalition.services import jobs, training_plans
from coalition.services.errors import Forbidden, ServiceError
from coalition.web import render
from coalition.web.session import CurrentViewer, PostingViewer, Viewer

router = APIRouter()
MAX_PLAN_ID = 2**31 - 1
PlanId = Annotated[int, Path(ge=1, le=MAX_PLAN_ID)]
LineId = Annotated[str, Path(min_length=1, max_length=400)]
DEFAULT_TIME_LIMIT = 30.0
# The order lines are read in: what needs a decision first.
STATE_ORDER = (training_plans.SHORT, training_plans.LATE, training_plans.NO_COURSE,
               training_plans.ON_TIME)  # fmt: skip


def _plans_page(
    request: Request, viewer: Viewer, status: int = 200, **context: Any
) -> HTMLResponse:
    with viewer.reading() as uow:
        stored, total = training_plans.list_plans(uow, 50)
    context.setdefault("form", {"horizon_weeks": training_plans.DEFAULT_HORIZON_WEEKS,
                                "time_limit": DEFAULT_TIME_LIMIT})  # fmt: skip
    return render.page(
        request, "training_plans.html", viewer, viewer.language, status=status,
        plans=[training_plans.plan_summary(s) for s in stored], total=total,
        max_horizon=training_plans.MAX_HORIZON_WEEKS,
        max_time_limit=training_plans.MAX_TIME_LIMIT_S, **context,
    )  # fmt: skip


@router.get("/training/plans", response_class=HTMLResponse)
def plans(request: Request, viewer: CurrentViewer) -> HTMLResponse:
    return _plans_page(request, viewer)


@router.post("/training/plans/run", response_class=HTMLResponse)
def run(
    request: Request,
    viewer: PostingViewer,
    horizon_weeks: Annotated[int, Form(ge=1, le=100_000)] = training_plans.DEFAULT_HORIZON_WEEKS,
    time_limit: Annotated[float, Form(gt=0, le=86400)] = DEFAULT_TIME_LIMIT,
) -> Response:
    """Start a training planning job (the service checks who and the bounds)."""
    try:
        job_id = jobs.submit_training(viewer.principal, horizon_weeks, time_limit, viewer.engine)
    except ServiceError as error:
        form = {"horizon_weeks": horizon_weeks, "time_limit": time_limit}
        status = 403 if isinstance(error, Forbidden) else 422
        return _plans_page(request, viewer, status, form=form, run_error=str(error))
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/training/plans/{plan_id}", response_class=HTMLResponse)
def plan(request: Request, viewer: CurrentViewer, plan_id: PlanId) -> HTMLResponse:
    with viewer.reading() as uow:
        stored = training_plans.get_plan(uow, plan_id)
    figures = training_plans.plan_figures(stored)
    rank = {state: i for i, state in enumerate(STATE_ORDER)}
    lines = sorted(
        figures["lines"],
        key=lambda ln: (rank.get(ln["state"], len(rank)), -(ln.get("days_late") or 0), ln["line"]),
    )
    return render.page(request, "training_plan.html", viewer, viewer.language,
                       plan=figures, lines=lines)  # fmt: skip


@router.get("/training/plans/{plan_id}/explain/{line}", response_class=HTMLResponse)
def explain(request: Request, viewer: CurrentViewer, plan_id: PlanId, line: LineId) -> HTMLResponse:
    with viewer.reading() as uow:
        why = training_plans.explain(uow, line, plan_id)
    return render.page(request, "training_explain.html", viewer, viewer.language, why=why)


@router.post("/training/plans/{plan_id}/accept", response_class=HTMLResponse)
def accept(viewer: PostingViewer, plan_id: PlanId) -> Response:
    with viewer.writing() as uow:
        training_plans.accept(uow, plan_id)
    return RedirectResponse(f"/training/plans/{plan_id}?accepted=1", status_code=303)
