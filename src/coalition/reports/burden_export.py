"""Write burden tables to CSV or XLSX (numbers stay numbers in XLSX; CSV keeps exact text).

Names come from the ledger, so text cells follow the formula-injection rule of
``coalition.io.spreadsheets`` (the one home of that rule); numbers are left as numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from coalition.io.spreadsheets import csv_cell, looks_like_formula, sheet_title
from coalition.planning.burden import BurdenReport, burden_table, channel_table
from coalition.planning.burden.table import Cell

__all__ = ["burden_table", "channel_table", "export_report", "write_csv", "write_xlsx"]

EXPORT_SUFFIXES = (".csv", ".xlsx")
EUR_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00"


def _text(value: Cell) -> str:
    if isinstance(value, str):
        return str(csv_cell(value))
    return "" if value is None else str(value)


def write_csv(rows: Sequence[Mapping[str, Cell]], path: Path | str) -> Path:
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        columns = list(rows[0]) if rows else []
        writer.writerow([_text(column) for column in columns])
        writer.writerows([_text(row[column]) for column in columns] for row in rows)
    return path


def _add_sheet(workbook: Workbook, title: str, rows: Sequence[Mapping[str, Cell]]) -> None:
    sheet = workbook.create_sheet(sheet_title(title))
    columns = list(rows[0]) if rows else []
    sheet.append(columns)
    for row in rows:
        # Excel has no decimal type; float is exact enough to display cents of EUR billions.
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row.values()])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text is never a formula, whatever it starts with
                cell.quotePrefix = looks_like_formula(cell.value)
    for index, column in enumerate(columns, start=1):
        number_format = EUR_FORMAT if column.endswith("_eur") else PERCENT_FORMAT
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, float):
                cell.number_format = number_format
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(12, len(column) + 2)
    sheet.freeze_panes = "C2"


def write_xlsx(sheets: Mapping[str, Sequence[Mapping[str, Cell]]], path: Path | str) -> Path:
    path = Path(path)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        _add_sheet(workbook, title, rows)
    workbook.save(path)
    return path


def export_report(report: BurdenReport, path: Path | str) -> Path:
    """Burden table (and, in XLSX, the channel flows) to ``path`` by its suffix."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return write_csv(burden_table(report), path)
    if path.suffix.lower() == ".xlsx":
        return write_xlsx(
            {"Burden sharing": burden_table(report), "Through channels": channel_table(report)},
            path,
        )
    raise ValueError(f"{path.name}: choose .csv or .xlsx")
