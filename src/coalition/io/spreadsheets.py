"""Read and write CSV and XLSX tables as a header plus numbered rows.

This module is also the one home of the formula-injection rule (OWASP "CSV Injection"): text
that a spreadsheet program would run as a formula is written neutralised, and read back exactly.

- CSV: a text cell starting with ``= + - @``, a tab, a carriage return or ``'`` is written
  with a leading ``'``; on import one leading ``'`` is removed. Plain numbers (``-5``) are
  left alone: they are numbers, not formulas.
- XLSX: every text cell is written as an explicit string (``t="inlineStr"``, and with Excel's
  ``quotePrefix`` style when it would look like a formula), so it is never a formula, and is read
  back unchanged. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUPPORTED = (".csv", ".xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# A cell may hold long free text; the domain checks refuse what is too long, naming row and
# column, instead of the csv module failing the whole file at its 128 KB default.
csv.field_size_limit(16 * 1024 * 1024)


class UnreadableFile(Exception):
    """The file cannot be opened or is not a CSV/XLSX table; the message says how to fix it."""


@dataclass
class Table:
    path: Path
    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (spreadsheet row number, cells); header is row 1
    row_count: int  # data rows, for progress bars


def looks_like_formula(text: str) -> bool:
    """Would a spreadsheet program run this text as a formula (or hide its first character)?"""
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(text)


def neutralise(text: str) -> str:
    """CSV form of a text cell: formula-like text (and text starting with ') gets a leading '."""
    if looks_like_formula(text) or text.startswith(_QUOTE):
        return _QUOTE + text
    return text


def restore(text: str) -> str:
    """The text a CSV cell stands for: the inverse of ``neutralise``."""
    return text[1:] if text.startswith(_QUOTE) else text


def read_table(path: Path) -> Table:
    if path.is_dir():
        raise UnreadableFile(f"{path}: is a directory; give a .csv or .xlsx file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise UnreadableFile(f"{path}: unsupported file type '{suffix}'; use .csv or .xlsx")
    if not path.exists():
        raise UnreadableFile(f"{path}: no such file")
    if suffix == ".csv":
        return _read_csv(path)
    return _read_xlsx(path)


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(f"{path}: cannot be read ({error.strerror or error})") from None
    if b"\x00" in data:
        raise UnreadableFile(f"{path}: is a binary file, not CSV text; save it as CSV (UTF-8)")
    try:
        return data.decode("utf-8-sig")  # Excel writes a BOM into UTF-8 CSV
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        raise UnreadableFile(f"{path}: is not UTF-8 text; save it as CSV UTF-8") from None
    raise UnreadableFile(
        f"{path}: this file is not UTF-8 (looks like Windows-1252): "
        "save it as 'CSV UTF-8 (comma delimited)'"
    )


def _read_csv(path: Path) -> Table:
    text = _decode(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [restore(h.strip()) for h in next(reader)]
    except StopIteration:
        raise UnreadableFile(
            f"{path}: the file is empty; the first row must name the columns"
        ) from None
    except csv.Error as error:
        raise UnreadableFile(f"{path}: not a readable CSV file ({error})") from None
    if len(header) == 1:
        for separator, name in ((";", ";-separated"), ("\t", "tab-separated")):
            if separator in header[0]:
                raise UnreadableFile(
                    f"{path}: this file looks {name}: save it as comma-separated CSV"
                )
    row_count = max(0, text.count("\n") - 1)  # an estimate for the progress bar

    def rows() -> Iterator[tuple[int, list[Any]]]:
        number = 1
        try:
            for cells in reader:
                number += 1
                if any(c.strip() for c in cells):
                    yield number, [restore(c) for c in cells]
        except csv.Error as error:
            raise UnreadableFile(f"{path}: row {number + 1} cannot be read ({error})") from None

    return Table(path, header, rows(), row_count)


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(
            f"{path}: not a readable XLSX workbook ({type(error).__name__}); "
            "save it from Excel as .xlsx, or as CSV UTF-8"
        ) from None
    if not workbook.worksheets:
        raise UnreadableFile(f"{path}: the workbook has no worksheet")
    sheet = workbook.worksheets[0]
    row_count = max(0, (sheet.max_row or 1) - 1)  # from the stored dimension: an estimate only
    # The stored <dimension> may be stale (files written by other tools): read every row.
    sheet.reset_dimensions()
    values = sheet.iter_rows(values_only=True)
    try:
        first = next(values)
    except StopIteration:
        raise UnreadableFile(f"{path}: the sheet is empty; row 1 must name the columns") from None
    header = [str(h).strip() if h is not None else "" for h in first]
    while header and not header[-1]:
        header.pop()

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, cells in enumerate(values, start=2):
            if any(c is not None and str(c).strip() for c in cells):
                yield number, list(cells)
        workbook.close()

    return Table(path, header, rows(), row_count)


def sheet_title(text: str) -> str:
    """A legal worksheet name: at most 31 characters, none of [ ] : * ? / \\."""
    return _SHEET_FORBIDDEN.sub("_", text).strip("'")[:31] or "data"


def csv_cell(value: Any) -> Any:
    """A value as written to CSV: text neutralised, numbers as they are."""
    return neutralise(value) if isinstance(value, str) else value


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """A value as written to a (write-only) XLSX sheet: text always an explicit string."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if looks_like_formula(value):
        cell.quotePrefix = True  # Excel's own mark for "typed as text"
    return cell


def check_writable(path: Path, suffixes: Sequence[str] = SUPPORTED) -> str:
    """The lower-case suffix of a file about to be written, or UnreadableFile saying why not."""
    suffix = path.suffix.lower()
    if suffix not in suffixes:
        raise UnreadableFile(
            f"{path}: unsupported file type '{suffix}'; use {' or '.join(suffixes)}"
        )
    if path.is_dir():
        raise UnreadableFile(f"{path}: is a directory; give a file name")
    if not path.parent.is_dir():
        raise UnreadableFile(f"{path}: the folder {path.parent} does not exist")
    return suffix


def write_table(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    suffix = check_writable(path)
    try:
        if suffix == ".csv":
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow([csv_cell(h) for h in header])
                writer.writerows([csv_cell(c) for c in row] for row in rows)
            return
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(sheet_title(path.stem))
        sheet.append([xlsx_cell(sheet, h) for h in header])
        for row in rows:
            # Cells stay text, so re-import reads exactly what it wrote.
            sheet.append([xlsx_cell(sheet, c) for c in row])
        workbook.save(path)
    except OSError as error:
        raise UnreadableFile(f"{path}: cannot be written ({error.strerror or error})") from None
