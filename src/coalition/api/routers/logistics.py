"""Logistics plans: run (as a job), list, show, accept; what-if closures (answered at once).

Thin routes over `services/logistics` and `services/jobs`. Logistics plans name every donor's
offers, so they are staff records (`domain.access.STAFF_ONLY_ENTITIES`, applied by the
repository's filter): admins, coordinators and auditors read them; for everyone else the
list is empty and a plan is a 404. Running, re-planning and accepting are for admins and
coordinators (`services.logistics.check_run`, `_require_staff`): 403 for the others.
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
    MAX_LIMIT,
    JobAccepted,
    LogisticsRunRequest,
    WhatIfRequest,
)
from coalition.services import jobs, logistics

MAX_PLAN_ID = 2**31 - 1
CURSOR_PREFIX = "logistics"
PlanId = Annotated[int, Path(ge=1, le=MAX_PLAN_ID, description="a stored logistics plan's id")]

router = APIRouter(prefix="/logistics", tags=["logistics"], responses=responses(*COMMON))


@router.get("/plans", operation_id="list_logistics_plans")
def list_plans(
    db: Db,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=MAX_CURSOR)] = None,
) -> dict[str, Any]:
    """Stored logistics plans you may see, newest first: each one's headline."""
    offset = offset_of(CURSOR_PREFIX, cursor)
    with db.reading() as uow:
        stored, total = logistics.list_plans(uow, limit, offset)
    return document(
        offset_page(CURSOR_PREFIX, offset, [logistics.plan_row(s) for s in stored], total)
    )


@router.get("/plans/{plan_id}", operation_id="get_logistics_plan")
def get_plan(db: Db, plan_id: PlanId) -> dict[str, Any]:
    """One logistics plan: its headline, the ETA of every line, unrouted lines with the
    reason, the busiest lanes and nodes, the verifier's problems and the planner's notes."""
    with db.reading() as uow:
        stored = logistics.get_plan(uow, plan_id)
    return document(logistics.plan_figures(stored))


@router.post("/plans/{plan_id}/accept", operation_id="accept_logistics_plan")
def accept_plan(db: Db, plan_id: PlanId) -> dict[str, Any]:
    """Accept a proposed logistics plan: its ETAs become the allocation's transit times."""
    with db.writing() as uow:
        stored = logistics.accept(uow, plan_id)
    return document(logistics.plan_row(stored))


@router.post(
    "/plans",
    status_code=202,
    response_model=JobAccepted,
    operation_id="run_logistics",
    responses={202: {"headers": {"Location": {"schema": {"type": "string"}}}}},
)
def run_logistics(
    request: Request, principal: CurrentPrincipal, body: LogisticsRunRequest
) -> JSONResponse:
    """Start routing the allocation in force; follow Location to the job, whose result names
    the logistics plan (`logistics_plan_id`) when done."""
    job_id = jobs.submit_logistics(
        principal, body.horizon, body.time_limit, engine=engine_of(request)
    )
    return job_accepted(job_id)


@router.post("/whatif", operation_id="logistics_whatif")
def whatif(request: Request, principal: CurrentPrincipal, body: WhatIfRequest) -> dict[str, Any]:
    """Close a node or lane from `from` to `to` and re-plan from the plan in force (else the
    newest): the lines delayed, units newly late, lanes and nodes newly saturated, and the
    plan it stored (proposed). Answered at once, within the time limit."""
    report = logistics.whatif(
        principal, body.close, body.first, body.last, body.time_limit, engine_of(request)
    )
    return document(logistics.whatif_figures(report))
