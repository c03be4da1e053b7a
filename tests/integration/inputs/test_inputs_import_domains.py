"""Rows that would import and then break or falsify a report are refused at import."""

from __future__ import annotations

import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, insert

from coalition.domain.access import Principal
from coalition.services import burden, coverage, ledger
from coalition.services.errors import ImportRejected
from coalition.storage.tables import metadata
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import OFFERS_HEADER, database_content, import_text

PLEDGES_HEADER = (
    "donor_code,external_id,amount,currency,year,pledged_on,purpose,status,channel_code,"
    "disbursed_on\n"
)


def refused(engine: Engine, tmp_path, kind: str, text: str) -> set[tuple[int, str]]:
    before = database_content(engine)
    with pytest.raises(ImportRejected) as rejected:
        import_text(engine, tmp_path, kind, text, name="bad.csv")
    assert database_content(engine) == before
    assert all(p.file.endswith("bad.csv") for p in rejected.value.problems)
    return {(p.row, p.column) for p in rejected.value.problems}


def reasons(engine: Engine, tmp_path, kind: str, text: str) -> str:
    with pytest.raises(ImportRejected) as rejected:
        import_text(engine, tmp_path, kind, text, name="bad.csv")
    return "\n".join(str(p) for p in rejected.value.problems)


@pytest.mark.parametrize("quantity", ["5000000000000000000", str(2**63), "10000001"])
def test_an_enormous_quantity_is_refused_with_row_and_column(seeded, tmp_path, quantity):
    text = OFFERS_HEADER + f"DEU,OF-1,PZH2000,{quantity},2026-01-01,DEU,new,,EUR,,offered,\n"
    assert refused(seeded, tmp_path, "offers", text) == {(2, "quantity")}
    with UnitOfWork(seeded, Principal("analyst")) as uow:
        assert coverage.coverage_rows(uow)  # status still works


@pytest.mark.parametrize("amount", ["1e30", "1E+400000000", "12.345", "-5"])
def test_an_amount_outside_the_money_domain_is_refused(burden_ledger, tmp_path, amount):
    text = PLEDGES_HEADER + f"POL,P-9,{amount},EUR,2025,2025-02-03,procurement,pledge,,\n"
    assert refused(burden_ledger, tmp_path, "pledges", text) == {(2, "amount")}


@pytest.mark.parametrize("currency", ["UAH", "XAU"])
def test_a_currency_without_an_ecb_rate_is_refused_saying_how_to_fix_it(
    burden_ledger, tmp_path, currency
):
    text = PLEDGES_HEADER + f"POL,P-9,1000,{currency},2025,2025-02-03,procurement,pledge,,\n"
    message = reasons(burden_ledger, tmp_path, "pledges", text)
    assert f"bad.csv:2 [currency] '{currency}'" in message
    assert "no euro reference rate" in message and "convert the amount to EUR" in message


def test_legacy_euro_currencies_on_old_dates_still_import(burden_ledger, tmp_path):
    text = PLEDGES_HEADER + "POL,P-9,1000,HRK,2022,2022-02-03,procurement,pledge,,\n"
    assert import_text(burden_ledger, tmp_path, "pledges", text).created == 1


def test_a_stored_row_in_an_unconvertible_currency_is_excluded_not_fatal(burden_ledger):
    # A legacy row written before the currency rule existed: the report names it and goes on.
    table = metadata.tables["pledges"]
    with burden_ledger.begin() as connection:
        connection.execute(
            insert(table).values(
                donor_code="POL",
                external_id="LEGACY-1",
                amount=Decimal("1000"),
                currency="UAH",
                year=2025,
                pledged_on=date(2025, 2, 3),
                purpose="procurement",
                status="pledge",
                channel_code=None,
                disbursed_on=None,
            )
        )
    with UnitOfWork(burden_ledger, Principal("analyst")) as uow:
        report = burden.report(uow, 2025)
    assert [(e.record_id, "UAH" in e.reason) for e in report.excluded] == [("POL:LEGACY-1", True)]
    assert report.donor("DEU").totals.delivered == Decimal("100000.00")


def test_a_delivered_offer_without_its_date_or_in_2099_is_refused(seeded, tmp_path):
    text = OFFERS_HEADER + (
        "DEU,OF-1,PZH2000,4,2026-01-01,DEU,new,,EUR,,delivered,\n"
        "DEU,OF-2,PZH2000,4,2026-01-01,DEU,new,,EUR,,delivered,2099-01-01\n"
    )
    assert refused(seeded, tmp_path, "offers", text) == {(2, "delivered_on"), (3, "delivered_on")}


def test_a_requirement_whose_area_contradicts_its_family_is_refused(seeded, tmp_path):
    text = (
        "ref,capability_area,family_code,quantity,priority,needed_by,destination_code\n"
        "REQ-9,air_defence,SPH-155,1,1,2027-01-01,UA-DEP-W1\n"
    )
    message = reasons(seeded, tmp_path, "requirements", text)
    assert "bad.csv:2 [capability_area] 'air_defence'" in message
    assert "family SPH-155 belongs to artillery" in message


def test_a_family_cannot_move_area_under_its_requirements(seeded, tmp_path):
    text = "code,name,capability_area\nSPH-155,155mm self-propelled howitzer,armour\n"
    message = reasons(seeded, tmp_path, "families", text)
    assert "bad.csv:2 [capability_area] 'armour'" in message
    assert "requirement(s) of family SPH-155 are in artillery (REQ-1)" in message


def test_a_column_left_out_keeps_the_stored_values(seeded, tmp_path):
    full = OFFERS_HEADER + "DEU,OF-1,PZH2000,4,2026-01-01,DEU,used,581000,EUR,artillery,accepted,\n"
    import_text(seeded, tmp_path, "offers", full)
    short = (
        "donor_code,external_id,item_type_code,quantity,available_from,origin\n"
        "DEU,OF-1,PZH2000,6,2026-01-01,DEU\n"
    )
    result = import_text(seeded, tmp_path, "offers", short, name="short.csv")
    assert result.updated == 1
    with UnitOfWork(seeded, Principal("analyst")) as uow:
        row = ledger.get_record(uow, "offers", "DEU:OF-1")
    assert row["quantity"] == 6
    assert row["declared_value"] == Decimal("581000")
    assert (row["condition"], row["status"], row["only_for_areas"]) == (
        "used",
        "accepted",
        "artillery",
    )


def test_a_blank_cell_in_a_present_column_asks_for_the_default(seeded, tmp_path):
    import_text(
        seeded,
        tmp_path,
        "offers",
        OFFERS_HEADER + "DEU,OF-1,PZH2000,4,2026-01-01,DEU,used,581000,EUR,,offered,\n",
    )
    import_text(
        seeded,
        tmp_path,
        "offers",
        OFFERS_HEADER + "DEU,OF-1,PZH2000,4,2026-01-01,DEU,used,,EUR,,offered,\n",
        name="blank.csv",
    )
    with UnitOfWork(seeded, Principal("analyst")) as uow:
        assert ledger.get_record(uow, "offers", "DEU:OF-1")["declared_value"] is None


def test_header_and_cell_problems_are_reported_in_one_pass(seeded, tmp_path):
    text = (
        "donor_code,external_id,item_type_code,quantity,available_from,origin,delivered_onn\n"
        "DEU,OF-1,PZH2000,lots,2026-01-01,DEU,\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        import_text(seeded, tmp_path, "offers", text, name="bad.csv")
    found = {(p.row, p.column): p.reason for p in rejected.value.problems}
    assert (2, "quantity") in found
    assert "did you mean 'delivered_on'?" in found[(1, "delivered_onn")]


def test_cell_problems_are_reported_even_when_a_required_column_is_missing(seeded, tmp_path):
    text = "donor_code,external_id,quantity,available_from,origin\nDEU,OF-1,0,2026-01-01,DEU\n"
    found = refused(seeded, tmp_path, "offers", text)
    assert found == {(1, "item_type_code"), (2, "quantity")}


def test_a_workbook_with_a_stale_dimension_imports_every_row(seeded, tmp_path):
    path = tmp_path / "families.xlsx"
    workbook = Workbook()
    workbook.active.append(["code", "name", "capability_area"])
    for number in range(5):
        workbook.active.append([f"FAM-{number}", f"family {number}", "artillery"])
    workbook.save(path)
    rewrite_dimension(path, "A1:C2")  # as some tools leave it: claims one data row
    with UnitOfWork(seeded, Principal("tester")) as uow:
        assert ledger.import_file(uow, "families", path).created == 5


def test_an_xlsx_export_of_formula_like_names_imports_back_unchanged(seeded, tmp_path):
    names = "code,name,kind,parent_code\nFRA,=1+1,nation,\nITA,@cmd,nation,\nESP,-2+3,nation,\n"
    import_text(seeded, tmp_path, "donors", names)
    path = tmp_path / "donors.xlsx"
    before = database_content(seeded)
    with UnitOfWork(seeded, Principal("tester")) as uow:
        ledger.export_file(uow, "donors", path)
    with UnitOfWork(seeded, Principal("tester")) as uow:
        result = ledger.import_file(uow, "donors", path)
    assert (result.created, result.updated) == (0, 0)
    assert database_content(seeded) == before


def rewrite_dimension(path: Path, ref: str) -> None:
    with zipfile.ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    start = sheet.index('<dimension ref="') + len('<dimension ref="')
    end = sheet.index('"', start)
    members["xl/worksheets/sheet1.xml"] = (sheet[:start] + ref + sheet[end:]).encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
