"""Generative: any cell in any registry's template either imports, after which every report
and export still works, or is refused with file, row and column and nothing written."""

from __future__ import annotations

import csv
import shutil
import uuid
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from coalition.domain import checks
from coalition.domain.access import Principal
from coalition.planning import allocation as planner
from coalition.registries.kinds import KINDS
from coalition.services import (
    allocation,
    brief,
    burden,
    cooperation,
    coverage,
    ledger,
    readiness,
    training,
)
from coalition.services.errors import ImportRejected
from coalition.storage.engine import make_engine
from coalition.storage.tables import metadata
from coalition.storage.unit_of_work import UnitOfWork

# One valid row per registry, against the seeded ledger plus the burden data (conftest).
VALID = {
    "donors": {"code": "FRA", "name": "France", "kind": "nation", "parent_code": ""},
    "memberships": {"donor_code": "POL", "organisation": "EU", "joined": "2004-05-01"},
    "gdp": {
        "donor_code": "POL",
        "year": "2023",
        "amount": "800",
        "currency": "USD",
        "unit": "billion",
        "source": "test",
    },
    "recipients": {
        "code": "UA-X",
        "name": "Depot",
        "kind": "depot",
        "location": "Lviv",
        "latitude": "49.8",
        "longitude": "24.0",
    },
    "families": {"code": "FAM-X", "name": "Family", "capability_area": "artillery"},
    "item-types": {
        "code": "ITEM-X",
        "name": "Item",
        "family_code": "SPH-155",
        "supply_class": "II",
        "unit_of_issue": "EA",
        "mass_kg": "100",
        "volume_m3": "1.5",
        "reference_value_eur": "1000",
        "platform_code": "PZH2000",
    },
    "compatibility": {"item_type_code": "HE155", "target_kind": "family", "target_code": "SPH-155"},
    "requirements": {
        "ref": "REQ-X",
        "capability_area": "artillery",
        "family_code": "SPH-155",
        "quantity": "3",
        "priority": "2",
        "needed_by": "2027-01-01",
        "destination_code": "UA-DEP-W1",
        "status": "approved",
        "description": "a need",
    },
    "offers": {
        "donor_code": "DEU",
        "external_id": "OF-X",
        "item_type_code": "PZH2000",
        "quantity": "2",
        "available_from": "2025-03-01",
        "origin": "DEU",
        "declared_value": "1000",
        "currency": "EUR",
        "status": "offered",
    },
    "pledges": {
        "donor_code": "POL",
        "external_id": "P-X",
        "amount": "1000",
        "currency": "EUR",
        "year": "2025",
        "pledged_on": "2025-02-03",
        "purpose": "procurement",
        "status": "pledge",
    },
    "fleet": {
        "item_type_code": "PZH2000",
        "recipient_code": "UA-DEP-W1",
        "quantity": "3",
        "as_of": "2026-01-01",
    },
    "baselines": {
        "year": "2025",
        "amount": "1000000.00",
        "currency": "EUR",
        "participants_group": "NATO",
        "gdp_measure": "test GDP",
        "gdp_year": "2024",
        "counted_categories": "procurement;equipment",
        "membership_date": "2025-12-31",
        "source": "test rule",
    },
    "nodes": {
        "code": "POL-HUB-9",
        "name": "Hub",
        "kind": "hub",
        "country": "POL",
        "latitude": "50.1",
        "longitude": "22.0",
        "handling_t_per_day": "100",
    },
    "lanes": {  # between the two nodes of the input tests' ledger (conftest.BURDEN)
        "code": "L-X",
        "from_node": "POL-HUB-1",
        "to_node": "POL-BX-MEDYKA",
        "mode": "road",
        "transit_days": "0.5",
        "capacity_t_per_day": "400",
        "outsize_per_day": "8",
        "cost_eur_per_t": "45",
    },
    "proposals": {
        "id": "2017-CYB-1",
        "set_year": "2017",
        "strand": "cyber",
        "text": "Open cyber courses",
        "illustrative": "true",
        "eu_lead": "EEAS",
        "nato_lead": "NATO IS",
        "source": "test",
    },
    "progress-reports": {
        "number": "9",
        "period_from": "2023-06-01",
        "period_to": "2024-05-31",
        "presented_on": "2024-06-17",
        "title": "Ninth",
        "dates_note": "",
        "source": "test",
    },
    "proposal-progress": {  # of the proposal and report in the input tests' ledger
        "proposal_id": "2016-HYB-a",
        "report_number": "8",
        "status": "advanced",
        "narrative": "test",
        "evidence": "",
        "next_steps": "",
    },
    "meetings": {
        "code": "DEFMIN-1",
        "format": "nato_defmin",
        "held_on": "2026-02-12",
        "title": "Defence ministers",
        "chairs": "",
        "participants": "",
        "location": "",
    },
    "taskings": {
        "meeting_code": "UDCG-1",
        "number": "1",
        "decision": "Pool offers",
        "owner": "Artillery coalition",
        "due_on": "2026-05-15",
        "status": "done",
        "done_on": "2026-05-10",
        "follow_up": "",
    },
    "courses": {
        "code": "CRS-X",
        "name": "Krab crew",
        "skill": "crew",
        "duration_weeks": "6",
        "provider_code": "POL",
        "mission": "EUMAM",
        "platform_code": "KRAB",
        "per_platform": "5",
        "prerequisites": "",
    },
    "sites": {"code": "SITE-X", "name": "Site", "country": "POL", "provider_code": "POL"},
    "intakes": {  # the input tests' ledger holds one course and site (conftest.BURDEN)
        "code": "INTAKE-X",
        "course_code": "CRS-PZH2000-CREW",
        "site_code": "DEU-SITE-IDAR",
        "start_date": "2026-01-12",
        "seats": "20",
    },
    "cohorts": {
        "code": "COHORT-X",
        "unit_code": "UA-DEP-W1",
        "language_group": "uk",
        "size": "20",
        "platform_code": "PZH2000",
    },
    "training-records": {
        "intake_code": "PZH2000-CREW-01",
        "cohort_code": "UA-DEP-W1-C01",
        "enrolled": "20",
        "graduated": "18",
        "failed": "1",
    },
    "fleet-status": {
        "item_type_code": "PZH2000",
        "recipient_code": "UA-DEP-W1",
        "as_of": "2026-01-01",
        "operational": "3",
        "in_maintenance": "1",
        "awaiting_parts": "0",
        "lost": "1",
    },
}

HOSTILE = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "[/]",
            "[bold]x",
            "=1+1",
            "@SUM(A1)",
            "-1+1",
            "'",
            "</script><script>alert(1)</script>",
            "5000000000000000000",
            str(2**63),
            "1e30",
            "1E+400000000",
            "-0",
            "NaN",
            "Infinity",
            "0.001",
            "9" * 50,
            "9999-12-31",
            "0001-01-01",
            "1899-12-31",
            "2099-01-01",
            "2024-02-30",
            "UAH",
            "XAU",
            "delivered",
            "disbursed",
            "air_defence",
            "DEU:X",
            "x" * 300,
            "Ünïcødé ☃",
        ]
    ),
    st.text(max_size=12),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
)


def every_report_and_export_works(engine, folder: Path, imported: str) -> None:
    with UnitOfWork(engine, Principal("analyst")) as uow:
        coverage.coverage_rows(uow)
        burden.report(uow, 2025)
        # The brief's figures and the tracker's report draw on every registry.
        brief.figures(uow, date(2026, 1, 1), date(2026, 6, 1), 2025)
        cooperation.overdue_taskings(uow)
        cooperation.progress_report(uow, date(2022, 6, 1), date(2023, 5, 31))
        training.need(uow)
        training.training_totals(uow)
        training.funnel(uow)
        readiness.report(uow)
        for name, kind in KINDS.items():
            for row in ledger.list_records(uow, name, {}, None):
                ledger.get_record(uow, name, kind.key_of(row))
        ledger.export_file(uow, imported, folder / f"{imported}.csv")
        ledger.export_file(uow, imported, folder / f"{imported}.xlsx")
    for suffix in (".csv", ".xlsx"):  # and an export imports back unchanged
        with UnitOfWork(engine, Principal("analyst")) as uow:
            again = ledger.import_file(uow, imported, folder / f"{imported}{suffix}")
        assert (again.created, again.updated) == (0, 0), suffix
    allocation.run(Principal("planner"), planner.Parameters(time_limit_s=5.0), engine=engine)


def database_content(engine) -> dict[str, list[tuple]]:
    """Every row of every declared table (cheaper than reflecting the schema each time)."""
    with engine.connect() as connection:
        return {
            table.name: sorted(map(tuple, connection.execute(table.select())), key=repr)
            for table in metadata.sorted_tables
        }


@st.composite
def hostile_files(draw: st.DrawFn) -> tuple[str, str, list[str]]:
    """A registry, a file type, and for each column one hostile value (one file per column)."""
    name = draw(st.sampled_from(sorted(KINDS)))
    suffix = draw(st.sampled_from([".csv", ".xlsx"]))
    width = len(KINDS[name].columns)
    return name, suffix, draw(st.lists(HOSTILE, min_size=width, max_size=width))


def write_file(path: Path, header: list[str], cells: list[str]) -> None:
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerow(cells)
        return
    workbook = Workbook()
    workbook.active.append(header)
    # As a user's workbook holds them: "=1+1" becomes a formula cell, XML-illegal text is dropped.
    workbook.active.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in cells])
    workbook.save(path)


def import_one_hostile_cell(
    engine, folder: Path, name: str, suffix: str, column: str, value: str
) -> None:
    header = [c.name for c in KINDS[name].columns]
    row = {**VALID[name], column: value}
    path = folder / f"hostile-{name}-{column}{suffix}"
    write_file(path, header, [row.get(c, "") for c in header])
    before = database_content(engine)
    try:
        with UnitOfWork(engine, Principal("t")) as uow:
            ledger.import_file(uow, name, path)
    except ImportRejected as rejected:
        assert database_content(engine) == before
        for problem in rejected.problems:
            assert problem.file == str(path)
            if problem.row >= 2:  # a cell: named by row and column
                assert problem.column, problem
            else:  # the header, or a file that cannot be read at all
                assert problem.row in (0, 1), problem


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=hostile_files())
def test_any_cell_imports_and_every_report_works_or_is_refused_by_row_and_column(
    burden_ledger, tmp_path, case
):
    if burden_ledger.dialect.name != "sqlite":
        return  # one backend is enough for a generative search
    name, suffix, values = case
    # Each example starts from a copy of the same ledger, so examples are independent.
    burden_ledger.dispose()
    folder = tmp_path / uuid.uuid4().hex
    folder.mkdir()
    shutil.copy(burden_ledger.url.database, folder / "ledger.db")
    engine = make_engine(f"sqlite:///{folder / 'ledger.db'}")
    try:
        with checks.today_is(date(2026, 6, 1)):
            for column, value in zip(KINDS[name].columns, values, strict=True):
                import_one_hostile_cell(engine, folder, name, suffix, column.name, value)
            every_report_and_export_works(engine, folder, name)
    finally:
        engine.dispose()
