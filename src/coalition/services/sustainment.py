"""Sustainment use cases: draft the requirements the fleet's usage implies, and approve them
into the requirements registry (through the ledger's create path: validated, logged, all or
none). The quantities are `domain/sustainment.py`'s."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from coalition import demo
from coalition.domain.access import may_approve_drafts
from coalition.domain.catalogue import capability_area
from coalition.domain.errors import DomainError
from coalition.domain.lifecycle import RequirementStatus
from coalition.domain.readiness import latest_reports
from coalition.domain.sustainment import (
    Band,
    DraftRequirement,
    SupplyItem,
    SustainmentParameters,
    UsageRate,
    drafts,
)
from coalition.io.usage_rates import RatesRejected, read_usage_rates
from coalition.registries.kinds import FAMILIES, FLEET, FLEET_STATUS, ITEM_TYPES, REQUIREMENTS
from coalition.services import ledger
from coalition.services.errors import Forbidden, ImportRejected, ServiceError
from coalition.services.training import records_of
from coalition.storage.unit_of_work import UnitOfWork


def default_rates() -> Path:
    """The demo's usage rates (cited or marked as demo assumptions, demo_data/SOURCES.md)."""
    return demo.data_dir() / demo.USAGE_RATES


def parameters(
    band: str = Band.MEDIUM.value, months: int = 3, start: date | None = None, priority: int = 2
) -> SustainmentParameters:
    try:
        return SustainmentParameters(Band(band), months, start or date.today(), priority)
    except ValueError:
        raise ServiceError(f"--band {band!r}: one of {', '.join(Band)}") from None
    except DomainError as error:
        raise ServiceError(f"sustainment parameters: {error}") from None


def rates(path: Path | None = None) -> list[UsageRate]:
    try:
        return read_usage_rates(path or default_rates())
    except RatesRejected as error:
        raise ImportRejected(error.problems) from None


def in_service(uow: UnitOfWork) -> list[tuple[str, str, int]]:
    """(platform, recipient, units in service): the latest fleet-status report's units not
    lost where one exists, else the fleet registry's count."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in uow.records(FLEET).find():
        counts[(row["item_type_code"], row["recipient_code"])] += row["quantity"]
    for report in latest_reports(records_of(uow, FLEET_STATUS)):
        counts[(report.item_type_code, report.recipient_code)] = report.total - report.lost
    return [(item, recipient, units) for (item, recipient), units in sorted(counts.items())]


def draft(
    uow: UnitOfWork, params: SustainmentParameters, rates_path: Path | None = None
) -> list[DraftRequirement]:
    """Draft requirements for ammunition and spares over the horizon (nothing is written)."""
    areas = {row["code"]: row["capability_area"] for row in uow.records(FAMILIES).find()}
    supplies = {
        row["code"]: SupplyItem(
            row["code"],
            row["family_code"],
            capability_area("capability_area", areas[row["family_code"]]),
            row["platform_code"],
        )
        for row in uow.records(ITEM_TYPES).find()
        if row["family_code"] in areas
    }
    try:
        return drafts(in_service(uow), rates(rates_path), supplies, params)
    except DomainError as error:
        raise ServiceError(f"sustainment: {error}") from None


@dataclass(frozen=True)
class Approval:
    created: list[str]
    already: list[str]  # drafts whose reference the registry already holds (left as they are)
    batch_id: str | None


def approve(
    uow: UnitOfWork,
    params: SustainmentParameters,
    rates_path: Path | None = None,
    refs: list[str] | None = None,
    status: str = RequirementStatus.APPROVED.value,
) -> Approval:
    """Write the drafts (all, or those named) into the requirements registry as `status`."""
    if not may_approve_drafts(uow.principal):
        raise Forbidden(
            f"{uow.actor} ({uow.principal.role}) may not approve sustainment drafts: "
            "coordinators and admins do"
        )
    allowed = (RequirementStatus.DRAFT, RequirementStatus.SUBMITTED, RequirementStatus.APPROVED)
    if status not in allowed:
        raise ServiceError(f"--status {status!r}: one of {', '.join(allowed)}")
    found = draft(uow, params, rates_path)
    if refs:
        unknown = sorted(set(refs) - {d.ref for d in found})
        if unknown:
            raise ServiceError(f"no sustainment draft {', '.join(unknown)} in this horizon")
        found = [d for d in found if d.ref in set(refs)]
    known = uow.records(REQUIREMENTS).keys()
    already = [d.ref for d in found if d.ref in known]
    new = [d for d in found if d.ref not in known]
    if not new:
        return Approval([], already, None)
    result = ledger.create_records(uow, "requirements", [d.cells(status) for d in new])
    return Approval([d.ref for d in new], already, result.batch_id)
