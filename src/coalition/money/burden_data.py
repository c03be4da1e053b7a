"""Read the burden-sharing data files (baselines, GDP) into snapshot values.

Column formats are defined in docs/burden-sharing.md; errors name the file, row and column.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

from coalition.planning.burden import BurdenBaseline, BurdenDataError, GdpFigure

BASELINE_COLUMNS = (
    "year",
    "amount",
    "currency",
    "participants_group",
    "excluded",
    "gdp_measure",
    "gdp_year",
    "counted_categories",
    "membership_date",
    "source",
)
GDP_COLUMNS = ("iso3", "country", "year", "gdp", "currency", "unit", "source")


def _demo_file(name: str) -> Path:
    return Path(str(resources.files("coalition").joinpath("demo_data", name)))


def _rows(path: Path, columns: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in columns if column not in (reader.fieldnames or [])]
        if missing:
            raise BurdenDataError(f"{path.name}: missing columns {', '.join(missing)}")
        return [(number, row) for number, row in enumerate(reader, start=2)]


def _cell(path: Path, number: int, row: dict[str, str], column: str) -> str:
    value = (row.get(column) or "").strip()
    if not value and column not in ("excluded",):
        raise BurdenDataError(f"{path.name} row {number}, column {column}: empty")
    return value


def _decimal(path: Path, number: int, row: dict[str, str], column: str) -> Decimal:
    text = _cell(path, number, row, column)
    try:
        return Decimal(text)
    except InvalidOperation:
        raise BurdenDataError(
            f"{path.name} row {number}, column {column}: {text!r} is not a number"
        ) from None


def _int(path: Path, number: int, row: dict[str, str], column: str) -> int:
    value = _decimal(path, number, row, column)
    if value != value.to_integral_value():
        raise BurdenDataError(f"{path.name} row {number}, column {column}: not a whole number")
    return int(value)


def _codes(text: str) -> frozenset[str]:
    return frozenset(part.strip() for part in text.split(";") if part.strip())


def read_baselines(path: Path | None = None) -> tuple[BurdenBaseline, ...]:
    """Baselines from ``path`` (default: the shipped demo file)."""
    path = path or _demo_file("burden_baselines.csv")
    baselines = []
    for number, row in _rows(path, BASELINE_COLUMNS):
        group = _cell(path, number, row, "participants_group")
        if group not in ("NATO", "EU"):
            raise BurdenDataError(
                f"{path.name} row {number}, column participants_group: {group!r} not NATO or EU"
            )
        try:
            membership_date = date.fromisoformat(_cell(path, number, row, "membership_date"))
        except ValueError:
            raise BurdenDataError(
                f"{path.name} row {number}, column membership_date: not an ISO date"
            ) from None
        baselines.append(
            BurdenBaseline(
                year=_int(path, number, row, "year"),
                amount=_decimal(path, number, row, "amount"),
                currency=_cell(path, number, row, "currency"),
                participants_group=group,  # type: ignore[arg-type]
                excluded=_codes(_cell(path, number, row, "excluded")),
                gdp_measure=_cell(path, number, row, "gdp_measure"),
                gdp_year=_int(path, number, row, "gdp_year"),
                counted_categories=_codes(_cell(path, number, row, "counted_categories")),
                membership_date=membership_date,
                source=_cell(path, number, row, "source"),
            )
        )
    return tuple(baselines)


def read_gdp(path: Path | None = None) -> tuple[GdpFigure, ...]:
    """GDP figures from ``path`` (default: the shipped IMF WEO October 2025 table)."""
    path = path or _demo_file("gdp.csv")
    figures = []
    for number, row in _rows(path, GDP_COLUMNS):
        unit = _cell(path, number, row, "unit")
        if unit != "billion":
            raise BurdenDataError(f"{path.name} row {number}, column unit: {unit!r} not billion")
        figures.append(
            GdpFigure(
                donor_code=_cell(path, number, row, "iso3"),
                year=_int(path, number, row, "year"),
                amount=_decimal(path, number, row, "gdp"),
                currency=_cell(path, number, row, "currency"),
                unit="billion",
                source=_cell(path, number, row, "source"),
            )
        )
    return tuple(figures)
