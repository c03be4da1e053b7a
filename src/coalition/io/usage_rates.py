"""Read a usage-rates table (CSV or XLSX): every row checked, every problem named by file, row
and column; the rates are returned only when the whole file is clean."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from coalition.domain.errors import InvalidValue
from coalition.domain.sustainment import Band, UsageRate
from coalition.io.spreadsheets import read_table
from coalition.io.validation import Problem

COLUMNS = ("platform_code", "item_type_code", "band", "per_platform_per_month", "basis")


class RatesRejected(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the usage rates")


def read_usage_rates(path: Path) -> list[UsageRate]:
    """The rates in `path`; RatesRejected lists every problem (UnreadableFile: no table)."""
    table = read_table(path)
    file = str(path)
    problems = [
        Problem(file, 1, name, "", "required column is missing")
        for name in COLUMNS
        if name not in table.header
    ]
    if problems:
        raise RatesRejected(problems)
    position = {name: table.header.index(name) for name in COLUMNS}
    rates: list[UsageRate] = []
    seen: dict[tuple[str, str, str], int] = {}
    for number, cells in table.rows:
        row = {
            n: str(cells[i]).strip() if i < len(cells) and cells[i] is not None else ""
            for n, i in position.items()
        }
        try:
            amount = Decimal(row["per_platform_per_month"])
        except InvalidOperation:
            problems.append(
                Problem(
                    file,
                    number,
                    "per_platform_per_month",
                    row["per_platform_per_month"],
                    "expected a number",
                )
            )
            continue
        try:
            band = Band(row["band"])
        except ValueError:
            problems.append(
                Problem(file, number, "band", row["band"], "expected one of " + ", ".join(Band))
            )
            continue
        try:
            rate = UsageRate(
                row["platform_code"], row["item_type_code"], band, amount, row["basis"]
            )
        except InvalidValue as error:
            problems.append(Problem(file, number, error.field, str(error.value), error.reason))
            continue
        key = (rate.platform_code, rate.item_type_code, rate.band.value)
        if key in seen:
            problems.append(
                Problem(
                    file,
                    number,
                    "item_type_code",
                    rate.item_type_code,
                    f"this platform, item and band are already on row {seen[key]}",
                )
            )
            continue
        seen[key] = number
        rates.append(rate)
    if problems:
        raise RatesRejected(problems)
    return rates
