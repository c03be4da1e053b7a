"""Aggregates: coverage by capability area, burden-sharing, and who belongs to NATO/EU."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from coalition.api.deps import Db
from coalition.api.encode import document, plain
from coalition.api.problems import COMMON, responses
from coalition.services import brief, burden, coverage, ledger

router = APIRouter(tags=["figures"], responses=responses(*COMMON))


@router.get("/status", operation_id="coverage_status")
def status(db: Db) -> dict[str, Any]:
    """Coverage by capability area (the last row is the total), as `coalition status`."""
    with db.reading() as uow:
        rows = coverage.coverage_rows(uow)
    return {"items": [plain(asdict(r)) for r in rows]}


@router.get("/burden", operation_id="burden_report")
def burden_report(
    db: Db, year: Annotated[int, Query(ge=1990, le=2100, description="baseline year")]
) -> dict[str, Any]:
    """Burden-sharing against the year's baseline: fair shares, counted flows, gaps."""
    with db.reading() as uow:
        report = burden.report(uow, year)
    return document(burden.as_dict(report))


@router.get("/brief", operation_id="ministerial_brief")
def ministerial_brief(
    db: Db,
    start: Annotated[
        date | None, Query(alias="from", description="first day (default: 6 months ago)")
    ] = None,
    end: Annotated[date | None, Query(alias="to", description="last day (default: today)")] = None,
    year: Annotated[
        int | None, Query(ge=1990, le=2100, description="burden-sharing baseline year")
    ] = None,
) -> dict[str, Any]:
    """The ministerial brief's figures for the caller (need-to-know), as `coalition report
    brief --json`; not stored (the CLI's brief is)."""
    first, last = brief.default_period()
    with db.reading() as uow:
        return document(brief.figures(uow, start or first, end or last, year))


@router.get("/members", operation_id="members")
def members(
    db: Db,
    org: Annotated[
        list[str], Query(min_length=1, max_length=2, description="NATO and/or EU (repeat)")
    ],
    on: Annotated[date | None, Query(description="membership on this date; default today")] = None,
) -> dict[str, Any]:
    """Donors that belong to every organisation named, on a date."""
    with db.reading() as uow:
        rows = ledger.members(uow, org, on or date.today())
    return {"items": rows}
