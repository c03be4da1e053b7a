"""Allocation plans: run (as a job), list, show, explain, accept; and the jobs themselves."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Any

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
    AllocationRequest,
    JobAccepted,
)
from coalition.services import allocation, jobs

if TYPE_CHECKING:
    from coalition.services.allocation import StoredPlan

MAX_PLAN_ID = 2**31 - 1
PlanId = Annotated[int, Path(ge=1, le=MAX_PLAN_ID, description="a stored plan's id")]
Ref = Annotated[str, Path(min_length=1, max_length=MAX_KEY)]

router = APIRouter(prefix="/plans", tags=["plans"], responses=responses(*COMMON))
jobs_router = APIRouter(prefix="/jobs", tags=["plans"], responses=responses(*COMMON))


def plan_row(stored: StoredPlan) -> dict[str, Any]:
    return allocation.plan_summary(stored)


@router.get("", operation_id="list_plans")
def list_plans(
    db: Db,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=MAX_CURSOR)] = None,
) -> dict[str, Any]:
    """Stored plans, newest first."""
    offset = offset_of("plans", cursor)
    with db.reading() as uow:
        stored, total = allocation.list_plans(uow, limit, offset)
    return offset_page("plans", offset, [plan_row(s) for s in stored], total)


@router.get("/{plan_id}", operation_id="get_plan")
def get_plan(db: Db, plan_id: PlanId) -> dict[str, Any]:
    """One plan: its state, figures, per-component status and assignments."""
    with db.reading() as uow:
        stored = allocation.get_plan(uow, plan_id)
    return document({**plan_row(stored), **allocation.plan_figures(stored.plan)})


@router.get("/{plan_id}/explain/requirement/{ref}", operation_id="explain_requirement")
def explain_requirement(db: Db, plan_id: PlanId, ref: Ref) -> dict[str, Any]:
    """Why a requirement is (not) covered by this plan, against today's ledger."""
    with db.reading() as uow:
        stored = allocation.get_plan(uow, plan_id)
        basis = allocation.prepare(uow, allocation.parameters())
    return document(asdict(allocation.explain_requirement(basis.snapshot, stored.plan, ref)))


@router.get("/{plan_id}/explain/offer/{key}", operation_id="explain_offer")
def explain_offer(db: Db, plan_id: PlanId, key: Ref) -> dict[str, Any]:
    """Why units of an offer stay unused in this plan, against today's ledger."""
    with db.reading() as uow:
        stored = allocation.get_plan(uow, plan_id)
        basis = allocation.prepare(uow, allocation.parameters())
    return document(asdict(allocation.explain_offer(basis.snapshot, stored.plan, key)))


@router.post("/{plan_id}/accept", operation_id="accept_plan")
def accept_plan(db: Db, plan_id: PlanId) -> dict[str, Any]:
    """Accept a proposed plan: its offers become accepted; it supersedes the plan in force."""
    with db.writing() as uow:
        result = allocation.accept(uow, plan_id)
    return document(asdict(result))


@router.post(
    "",
    status_code=202,
    response_model=JobAccepted,
    operation_id="run_allocation",
    responses={
        202: {"headers": {"Location": {"schema": {"type": "string"}}}},
    },
)
def run_allocation(
    request: Request, principal: CurrentPrincipal, body: AllocationRequest
) -> JSONResponse:
    """Start an allocation; follow Location to the job, which names the plan when done."""
    params = allocation.parameters(body.time_limit, body.gap, body.pins, body.forbids)
    job_id = jobs.submit_allocation(principal, params, engine=engine_of(request))
    return job_accepted(job_id)


@jobs_router.get("/{job_id}", operation_id="get_job")
def get_job(db: Db, job_id: Annotated[str, Path(min_length=1, max_length=100)]) -> dict[str, Any]:
    """A job's status and progress; its plan id once done."""
    with db.reading() as uow:
        return document(jobs.status(uow, job_id))
