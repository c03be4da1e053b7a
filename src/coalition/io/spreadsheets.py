"""Read and write CSV and XLSX tables as a header plus numbered rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUPPORTED = (".csv", ".xlsx")


class UnreadableFile(Exception):
    """The file cannot be opened or is not a CSV/XLSX table."""


@dataclass
class Table:
    path: Path
    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (spreadsheet row number, cells); header is row 1
    row_count: int  # data rows, for progress bars


def read_table(path: Path) -> Table:
    if not path.exists():
        raise UnreadableFile(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    raise UnreadableFile(f"{path}: unsupported file type '{suffix}'; use .csv or .xlsx")


def _read_csv(path: Path) -> Table:
    try:
        text = path.read_text(encoding="utf-8-sig")  # Excel writes a BOM into UTF-8 CSV
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"{path}: not UTF-8 text ({error.reason})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise UnreadableFile(
            f"{path}: the file is empty; the first row must name the columns"
        ) from None
    row_count = max(0, text.count("\n") - 1)  # an estimate for the progress bar

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, cells in enumerate(reader, start=2):
            if any(c.strip() for c in cells):
                yield number, cells

    return Table(path, header, rows(), row_count)


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(f"{path}: not a readable XLSX workbook ({error})") from None
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    try:
        first = next(values)
    except StopIteration:
        raise UnreadableFile(f"{path}: the sheet is empty; row 1 must name the columns") from None
    header = [str(h).strip() if h is not None else "" for h in first]
    while header and not header[-1]:
        header.pop()
    row_count = max(0, (sheet.max_row or 1) - 1)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, cells in enumerate(values, start=2):
            if any(c is not None and str(c).strip() for c in cells):
                yield number, list(cells)
        workbook.close()

    return Table(path, header, rows(), row_count)


def write_table(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
    elif suffix == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(path.stem[:31] or "data")
        sheet.append(list(header))
        for row in rows:
            sheet.append(list(row))  # cells stay text, so re-import reads exactly what it wrote
        workbook.save(path)
    else:
        raise UnreadableFile(f"{path}: unsupported file type '{suffix}'; use .csv or .xlsx")
