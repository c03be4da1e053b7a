import csv
import json
from decimal import Decimal

import pytest
from burden_testkit import LEDGER, small_coalition, usd_rates
from openpyxl import load_workbook

from coalition.planning.burden import BURDEN_COLUMNS, compute_burden, report_as_dict
from coalition.reports.burden_export import burden_table, export_report


@pytest.fixture(scope="module")
def report():
    return compute_burden(small_coalition(**LEDGER), 2024, usd_rates())


def test_table_has_a_row_per_nation_then_per_grouping(report):
    rows = burden_table(report)
    assert [row["code"] for row in rows[:5]] == ["USA", "DEU", "POL", "JPN", "HUN"]
    assert all(tuple(row) == BURDEN_COLUMNS for row in rows)
    assert rows[5]["code"] == "Participating allies"
    assert rows[1]["shortfall_eur"] == Decimal("8500000000.00")


def test_csv_keeps_exact_amounts(report, tmp_path):
    with export_report(report, tmp_path / "b.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["fair_share_eur"] == "20000000000.00"
    assert rows[3]["fair_share_eur"] == ""  # Japan: no fair share


def test_xlsx_has_numbers_and_a_channel_sheet(report, tmp_path):
    workbook = load_workbook(export_report(report, tmp_path / "b.xlsx"))
    assert workbook.sheetnames == ["Burden sharing", "Through channels"]
    assert workbook["Burden sharing"]["G2"].value == 20_000_000_000
    assert workbook["Through channels"]["A2"].value == "NATO-CAP"


def test_json_report_keeps_decimals_as_exact_strings(report):
    data = json.loads(json.dumps(report_as_dict(report)))
    assert data["donors"][0]["fair_share"] == "20000000000.00"
    assert data["lines"][1]["pledged_value"]["rate_date"] == "2024-03-01"
