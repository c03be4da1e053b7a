"""Plans: run an allocation (a background job whose progress the page polls), review a plan's
figures, assignments and the explanation of every shortfall, pin or forbid a pair and run
again, compare two plans, accept one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from coalition.services import allocation, jobs
from coalition.services.errors import ServiceError
from coalition.web import render
from coalition.web.session import CurrentViewer, PostingViewer, Viewer

router = APIRouter()
MAX_PLAN_ID = 2**31 - 1
PlanId = Annotated[int, Path(ge=1, le=MAX_PLAN_ID)]
JobId = Annotated[str, Path(min_length=1, max_length=100)]
SHORTFALLS_SHOWN = 200
DEFAULT_TIME_LIMIT = 30.0


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


def _plans_page(
    request: Request, viewer: Viewer, status: int = 200, **context: Any
) -> HTMLResponse:
    with viewer.reading() as uow:
        stored, total = allocation.list_plans(uow, 50, 0)
    context.setdefault("form", {"time_limit": DEFAULT_TIME_LIMIT, "method": "milp",
                                "pins": "", "forbids": ""})  # fmt: skip
    return render.page(
        request, "plans.html", viewer, viewer.language, status=status,
        plans=[allocation.plan_summary(s) for s in stored], total=total, **context,
    )  # fmt: skip


@router.get("/plans", response_class=HTMLResponse)
def plans(request: Request, viewer: CurrentViewer) -> HTMLResponse:
    return _plans_page(request, viewer)


@router.post("/plans/run", response_class=HTMLResponse)
def run(
    request: Request,
    viewer: PostingViewer,
    time_limit: Annotated[float, Form(gt=0, le=86400)] = DEFAULT_TIME_LIMIT,
    method: Annotated[str, Form(max_length=10)] = "milp",
    pins: Annotated[str, Form(max_length=20_000)] = "",
    forbids: Annotated[str, Form(max_length=20_000)] = "",
    add_pin: Annotated[str, Form(max_length=500)] = "",
    add_forbid: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Start an allocation job; a plan page's Pin or Forbid button adds one pair to the
    parameters the plan was run with."""
    pinned, forbidden = _lines(pins) + _lines(add_pin), _lines(forbids) + _lines(add_forbid)
    try:
        params = allocation.parameters(time_limit, 0.001, pinned, forbidden)
        job_id = jobs.submit_allocation(viewer.principal, params, method, engine=viewer.engine)
    except ServiceError as error:
        form = {"time_limit": time_limit, "method": method, "pins": pins, "forbids": forbids}
        return _plans_page(request, viewer, 422, form=form, run_error=str(error))
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


def _job(viewer: Viewer, job_id: str) -> dict[str, Any]:
    with viewer.reading() as uow:
        return jobs.status(uow, job_id)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job(request: Request, viewer: CurrentViewer, job_id: JobId) -> HTMLResponse:
    return render.page(request, "job.html", viewer, viewer.language, job=_job(viewer, job_id))


@router.get("/jobs/{job_id}/status", response_class=HTMLResponse)
def job_status(request: Request, viewer: CurrentViewer, job_id: JobId) -> HTMLResponse:
    """The progress fragment htmx polls; once the plan (allocation, logistics or training) is
    stored,
    the page goes to it."""
    found = _job(viewer, job_id)
    headers = {}
    result = found.get("result") or {}
    plan_id, logistics_plan_id = result.get("plan_id"), result.get("logistics_plan_id")
    training_plan_id = result.get("training_plan_id")
    if request.headers.get("HX-Request"):
        if plan_id:
            headers["HX-Redirect"] = f"/plans/{int(plan_id)}"
        elif logistics_plan_id:
            headers["HX-Redirect"] = f"/logistics/plans/{int(logistics_plan_id)}"
        elif training_plan_id:
            headers["HX-Redirect"] = f"/training/plans/{int(training_plan_id)}"
    return render.page(request, "job_status.html", viewer, viewer.language,
                       headers=headers, job=found)  # fmt: skip


@router.get("/plans/compare", response_class=HTMLResponse)
def compare(
    request: Request,
    viewer: CurrentViewer,
    a: Annotated[int, Query(ge=1, le=MAX_PLAN_ID)],
    b: Annotated[int, Query(ge=1, le=MAX_PLAN_ID)],
) -> HTMLResponse:
    with viewer.reading() as uow:
        first, second = allocation.get_plan(uow, a), allocation.get_plan(uow, b)
        difference = allocation.diff(uow, a, b)
    return render.page(
        request, "plan_compare.html", viewer, viewer.language,
        a=allocation.plan_summary(first), b=allocation.plan_summary(second),
        first=first, second=second, diff=difference,
    )  # fmt: skip


@router.get("/plans/{plan_id}", response_class=HTMLResponse)
def plan(request: Request, viewer: CurrentViewer, plan_id: PlanId) -> HTMLResponse:
    with viewer.reading() as uow:
        stored = allocation.get_plan(uow, plan_id)
        basis = allocation.prepare(uow, allocation.parameters())
    open_ids = {r.id for r in basis.snapshot.requirements}
    served = {a.requirement_id for a in stored.plan.assignments}
    explanations = [
        allocation.explain_requirement(basis.snapshot, stored.plan, r.id)
        for r in basis.snapshot.requirements
    ]
    shortfalls = [e for e in explanations if e.shortfall > 0]
    shortfalls.sort(key=lambda e: -e.shortfall)
    parameters = stored.plan.parameters
    return render.page(
        request, "plan.html", viewer, viewer.language,
        stored=stored, summary=allocation.plan_summary(stored), plan=stored.plan,
        shortfalls=shortfalls[:SHORTFALLS_SHOWN], shortfall_count=len(shortfalls),
        open_count=len(open_ids), served_count=len(served & open_ids),
        pins=",".join(f"{o}@{r}={q}" for o, r, q in parameters.get("pins", [])),
        forbids=",".join(f"{o}@{r}" for o, r in parameters.get("forbids", [])),
        time_limit=parameters.get("time_limit_s", DEFAULT_TIME_LIMIT),
    )  # fmt: skip


@router.post("/plans/{plan_id}/accept", response_class=HTMLResponse)
def accept(request: Request, viewer: PostingViewer, plan_id: PlanId) -> Response:
    with viewer.writing() as uow:
        allocation.accept(uow, plan_id)
    return RedirectResponse(f"/plans/{plan_id}?accepted=1", status_code=303)
