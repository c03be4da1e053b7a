"""Effective capability: the funnel from pledge to working equipment, readiness and fleet
diversity, the training need and totals, and the sustainment drafts — as `coalition status`,
`readiness`, `training need|totals` and `sustainment draft|approve` give them. The domain
holds the bounds of every parameter; a bad one is a 422 naming it."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from coalition.api.deps import Db
from coalition.api.encode import document, plain
from coalition.api.problems import COMMON, responses
from coalition.api.schemas import SustainmentApproval
from coalition.services import readiness, sustainment, training

router = APIRouter(tags=["capability"], responses=responses(*COMMON))

Band = Annotated[str, Query(max_length=20, description="operating band: low, medium or high")]
Months = Annotated[int, Query(description="months the horizon covers (1–60)")]
Start = Annotated[date | None, Query(description="first day of the horizon (default today)")]


@router.get("/capability", operation_id="effective_capability")
def effective_capability(db: Db) -> dict[str, Any]:
    """Per capability area (the last row is the total): EUR of requirements met by equipment
    offered, accepted, delivered, crewed and operational. An area drawn on fewer donors than
    the reader may see aggregated is withheld, never shown as zero."""
    with db.reading() as uow:
        rows = training.funnel(uow)
    return {"items": [r.as_dict() for r in rows]}


@router.get("/readiness", operation_id="readiness")
def fleet_readiness(db: Db) -> dict[str, Any]:
    """Readiness per capability area and family from the latest fleet-status reports, and each
    family's fleet diversity (types, Herfindahl index) before and after accepted offers."""
    with db.reading() as uow:
        report = readiness.report(uow)
    return document(report.as_dict())


@router.get("/training/need", operation_id="training_need")
def training_need(
    db: Db,
    reserve: Annotated[
        str | None, Query(max_length=20, description="trainees per seat, e.g. 1.2")
    ] = None,
    margin: Annotated[
        int | None, Query(description="days crews graduate before their equipment")
    ] = None,
) -> dict[str, Any]:
    """Trainees needed per course, derived from the platforms accepted or delivered."""
    params = training.parameters(reserve, margin)
    with db.reading() as uow:
        result = training.need(uow, params)
    return document(result.as_dict())


@router.get("/training/totals", operation_id="training_totals")
def training_totals(
    db: Db,
    mission: Annotated[
        str | None, Query(max_length=20, description="EUMAM, NSATU or bilateral")
    ] = None,
    year: Annotated[int | None, Query(ge=1990, le=2100, description="year of graduation")] = None,
) -> dict[str, Any]:
    """Trainees enrolled, graduated and failed per mission and year of graduation."""
    with db.reading() as uow:
        rows = training.training_totals(uow, mission, year)
    return {"items": [plain(r.as_dict()) for r in rows]}


@router.get("/sustainment/drafts", operation_id="sustainment_drafts")
def sustainment_drafts(
    db: Db, band: Band = "medium", months: Months = 3, start: Start = None
) -> dict[str, Any]:
    """Draft requirements for the ammunition and spares the fleet uses (nothing written)."""
    params = sustainment.parameters(band, months, start)
    with db.reading() as uow:
        drafts = sustainment.draft(uow, params)
    return {"items": [plain(d.as_dict()) for d in drafts]}


@router.post("/sustainment/approve", operation_id="approve_sustainment")
def approve_sustainment(db: Db, body: SustainmentApproval) -> dict[str, Any]:
    """Write sustainment drafts (all, or those named) into the requirements registry as
    `status` (logged; all or none). Drafts already in the registry are left as they are."""
    params = sustainment.parameters(body.band, body.months, body.start)
    with db.writing() as uow:
        result = sustainment.approve(uow, params, None, body.refs or None, body.status)
    return document(asdict(result))
