"""Training plans: run (as a job), list, show, accept, and why a line's crews are late.

Thin routes over `services/training_plans` and `services/jobs`. Training plans name every
donor's platform lines, so they are staff records (`domain.access.STAFF_ONLY_ENTITIES`, the
repository's filter): admins, coordinators and auditors read them; for everyone else the list
is empty and a plan is a 404. Running and accepting are for admins and coordinators
(`services.training_plans.check_run`): 403 for the others. The service holds the bounds of
the horizon and the time limit; a value outside them is a 422 naming it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse

from coalition.api.deps import CurrentPrincipal, Db, engine_of
from coalition.api.encode import document, job_accepted
from coalition.api.pagination import offset_of, offset_page
from coalition.api.problems import COMMON, responses
from coalition.api.schemas import (
    DEFAULT_LIMIT,
    MAX_CURSOR,
    MAX_KEY,
    MAX_LIMIT,
    JobAccepted,
    TrainingRunRequest,
)
from coalition.services import jobs, training_plans

MAX_PLAN_ID = 2**31 - 1
CURSOR_PREFIX = "training"
PlanId = Annotated[int, Path(ge=1, le=MAX_PLAN_ID, description="a stored training plan's id")]
Line = Annotated[str, Path(min_length=1, max_length=MAX_KEY, description="a plan's line id")]

router = APIRouter(prefix="/training/plans", tags=["training"], responses=responses(*COMMON))


@router.get("", operation_id="list_training_plans")
def list_plans(
    db: Db,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=MAX_CURSOR)] = None,
) -> dict[str, Any]:
    """Stored training plans you may see, newest first: each one's headline."""
    offset = offset_of(CURSOR_PREFIX, cursor)
    with db.reading() as uow:
        stored, total = training_plans.list_plans(uow, limit, offset)
    return document(
        offset_page(CURSOR_PREFIX, offset, [training_plans.plan_summary(s) for s in stored], total)
    )


@router.get("/{plan_id}", operation_id="get_training_plan")
def get_plan(db: Db, plan_id: PlanId) -> dict[str, Any]:
    """One training plan: its headline, every platform line (crew-ready date against the
    equipment's ETA, idle platform- and crew-weeks, unmet need and why), every cohort's
    schedule."""
    with db.reading() as uow:
        stored = training_plans.get_plan(uow, plan_id)
    return document(training_plans.plan_figures(stored))


@router.get("/{plan_id}/explain/{line}", operation_id="explain_training_line")
def explain_line(db: Db, plan_id: PlanId, line: Line) -> dict[str, Any]:
    """Why a line's crews are ready when they are, per cohort: the binding course and
    intake, or the higher-priority lines holding its seats."""
    with db.reading() as uow:
        return document(training_plans.explain(uow, line, plan_id))


@router.post("/{plan_id}/accept", operation_id="accept_training_plan")
def accept_plan(db: Db, plan_id: PlanId) -> dict[str, Any]:
    """Accept a proposed training plan: it supersedes the plan in force."""
    with db.writing() as uow:
        stored = training_plans.accept(uow, plan_id)
    return document(training_plans.plan_summary(stored))


@router.post(
    "",
    status_code=202,
    response_model=JobAccepted,
    operation_id="run_training",
    responses={202: {"headers": {"Location": {"schema": {"type": "string"}}}}},
)
def run_training(
    request: Request, principal: CurrentPrincipal, body: TrainingRunRequest
) -> JSONResponse:
    """Start scheduling cohorts to intakes; follow Location to the job, whose result names
    the training plan (`training_plan_id`) when done."""
    job_id = jobs.submit_training(
        principal, body.horizon_weeks, body.time_limit, engine=engine_of(request)
    )
    return job_accepted(job_id)
