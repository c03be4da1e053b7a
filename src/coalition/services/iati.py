"""`coalition iati export`: the pledges a principal may see, as IATI 2.03 activities."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from coalition.domain.access import Principal
from coalition.io import iati
from coalition.registries.kinds import DONORS, PLEDGES
from coalition.services.errors import ServiceError
from coalition.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class IatiExport:
    activities: int
    transactions: int
    validated: bool


def records(uow: UnitOfWork, donor: str | None = None) -> list[iati.PledgeRecord]:
    """The pledges the principal may see (a donor's desk officer: its own), optionally one
    donor's."""
    rows = uow.records(PLEDGES).find()
    if donor is not None:
        rows = [r for r in rows if r["donor_code"] == donor]
    return [
        iati.PledgeRecord(
            r["donor_code"],
            r["external_id"],
            r["amount"],
            r["currency"],
            int(r["year"]),
            r["pledged_on"],
            str(r["purpose"]),
            str(r["status"]),
            r["channel_code"] or None,
            r["disbursed_on"],
        )
        for r in rows
    ]


def funders(uow: UnitOfWork) -> dict[str, iati.Funder]:
    return {
        r["code"]: iati.Funder(r["code"], r["name"], str(r["kind"]) != "nation")
        for r in uow.records(DONORS).find()
    }


def document(uow: UnitOfWork, donor: str | None = None, generated: datetime | None = None) -> bytes:
    found = records(uow, donor)
    if not found:
        whose = f"of donor {donor} " if donor else ""
        raise ServiceError(
            f"no pledge {whose}is visible to {uow.principal.user}: nothing to export"
        )
    try:
        return iati.build(found, funders(uow), generated or datetime.now(UTC))
    except iati.IatiRefused as error:
        raise ServiceError(str(error)) from None


def export(
    principal: Principal, file: Path, donor: str | None = None, schema: Path | None = None
) -> IatiExport:
    from coalition.services.database import reading

    if file.suffix.lower() != ".xml":
        raise ServiceError(f"{file}: an IATI activity file is XML: give a name ending in .xml")
    if not file.parent.is_dir():
        raise ServiceError(f"{file}: the folder {file.parent} does not exist")
    if schema is not None and not schema.is_file():
        raise ServiceError(f"--schema {schema}: no such file")
    with reading(principal) as uow:
        xml = document(uow, donor)
    validated = False
    if schema is not None:
        errors = iati.validate(xml, schema)
        if errors:
            raise ServiceError(f"the export is not valid IATI {iati.IATI_VERSION}: {errors[0]}")
        validated = True
    file.write_bytes(xml)
    activities = xml.count(b"<iati-activity ")
    return IatiExport(activities, xml.count(b"<transaction "), validated)
