"""Validate a whole spreadsheet before anything is written, collecting every problem.

Checks run in layers, each on every row: the header; each cell against its column's type; the
domain record's own rules; duplicates inside the file; references to other registries (in the
database or earlier in the same file); ISO codes; and lifecycle moves of existing records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from typing import Any

from coalition.domain.donors import DonorKind
from coalition.domain.errors import DomainError, IllegalTransition, InvalidValue
from coalition.domain.lifecycle import check_transition
from coalition.io.spreadsheets import Table
from coalition.registries.fields import CODES, CellError
from coalition.registries.fields import identity as _identity
from coalition.registries.iso_codes import iso_countries, iso_currencies
from coalition.registries.kinds import Kind

# Columns whose codes point at another registry, when the target depends on another column.
_TARGET_BY_KIND_COLUMN = {"family": "families", "platform": "item-types"}
_CURRENCY_COLUMNS = ("currency",)


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" + (f" [{self.column}]" if self.column else "")
        shown = f" {self.value!r}" if self.value else ""
        return f"{where}{shown}: {self.reason}"


@dataclass
class Validated:
    rows: list[dict[str, Any]] = field(default_factory=list)  # storage rows, in file order
    row_numbers: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


KnownCodes = Callable[[str], set[str]]  # kind name → keys already stored


def validate(
    kind: Kind,
    table: Table,
    known_codes: KnownCodes,
    existing_status: Mapping[str, str] | None = None,
    on_row: Callable[[int], None] | None = None,
) -> Validated:
    out = Validated()
    file = str(table.path)
    if not _check_header(kind, table, file, out.problems):
        return out
    positions = {name: table.header.index(name) for name in table.header if name}
    plan = _plan(kind, positions)
    seen: dict[str, int] = {}
    for count, (number, cells) in enumerate(table.rows, start=1):
        row = _read_row(kind, plan, file, number, cells, out.problems)
        if on_row is not None and count % 1000 == 0:
            on_row(1000)
        if row is None:
            continue
        key = kind.key_of(row)
        if key in seen:
            out.problems.append(
                Problem(file, number, kind.key[-1], key, f"duplicate key: also on row {seen[key]}")
            )
            continue
        seen[key] = number
        out.rows.append(row)
        out.row_numbers.append(number)
    _check_references(kind, out, file, known_codes, set(seen))
    _check_iso_codes(kind, out, file)
    if kind.lifecycle and existing_status:
        _check_lifecycle(kind, out, file, existing_status)
    out.problems.sort()
    return out


def _check_header(kind: Kind, table: Table, file: str, problems: list[Problem]) -> bool:
    names = {c.name for c in kind.columns}
    for position, name in enumerate(table.header, start=1):
        if name and name not in names:
            problems.append(
                Problem(
                    file,
                    1,
                    name,
                    "",
                    f"unknown column (column {position}); "
                    f"expected some of: {', '.join(c.name for c in kind.columns)}",
                )
            )
    missing = [c.name for c in kind.columns if c.required and c.name not in table.header]
    for name in missing:
        problems.append(Problem(file, 1, name, "", "required column is missing"))
    duplicated = {n for n in table.header if n and table.header.count(n) > 1}
    for name in sorted(duplicated):
        problems.append(Problem(file, 1, name, "", "column appears more than once"))
    return not problems


@dataclass(frozen=True)
class _RowPlan:
    """Per-column work for one file, computed once: the hot loop then does no lookups."""

    cells: list[tuple[str, int | None, Callable[[Any], Any], bool]]  # name, position, parse, req.
    to_db: dict[str, Callable[[Any], Any]]  # only columns whose stored form differs
    defaults: dict[str, Any]  # stored form of each optional column's default


def _plan(kind: Kind, positions: Mapping[str, int]) -> _RowPlan:
    cells = [(c.name, positions.get(c.name), c.type.parse, c.required) for c in kind.columns]
    to_db = {c.name: c.type.to_db for c in kind.columns if c.type.to_db is not _identity}
    defaults = {}
    for spec in fields(kind.record):
        if spec.default is not MISSING:
            value = spec.default
            defaults[spec.name] = (
                to_db[spec.name](value) if spec.name in to_db and value is not None else value
            )
    return _RowPlan(cells, to_db, defaults)


def _read_row(
    kind: Kind, plan: _RowPlan, file: str, number: int, cells: list[Any], problems: list[Problem]
) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    ok = True
    width = len(cells)
    for name, position, parse, required in plan.cells:
        cell = cells[position] if position is not None and position < width else None
        if cell is None or (cell.__class__ is str and (not cell or cell.isspace())):
            if required:
                problems.append(Problem(file, number, name, "", "required value is empty"))
                ok = False
            continue
        try:
            values[name] = parse(cell)
        except CellError as error:
            problems.append(Problem(file, number, name, str(cell), str(error)))
            ok = False
    if not ok:
        return None
    try:
        kind.record(**values)
    except InvalidValue as error:
        problems.append(Problem(file, number, error.field, _shown(error.value), error.reason))
        return None
    except DomainError as error:
        problems.append(Problem(file, number, "", "", str(error)))
        return None
    row = dict(plan.defaults)
    to_db = plan.to_db
    for name, value in values.items():
        row[name] = to_db[name](value) if name in to_db else value
    return row


def _shown(value: Any) -> str:
    return "" if value is None else str(getattr(value, "value", value))


def _check_references(
    kind: Kind, out: Validated, file: str, known_codes: KnownCodes, keys_in_file: set[str]
) -> None:
    targets: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        (column, (lambda _row, t=target: t)) for column, target in kind.references
    ]
    if kind.name == "compatibility":
        targets.append(("target_code", lambda row: _TARGET_BY_KIND_COLUMN[row["target_kind"]]))
    if not targets:
        return
    cache: dict[str, set[str]] = {}

    def codes(target: str) -> set[str]:
        if target not in cache:
            cache[target] = known_codes(target) | (keys_in_file if target == kind.name else set())
        return cache[target]

    bad: list[int] = []
    for index, row in enumerate(out.rows):
        for column, target_of in targets:
            value = row.get(column)
            if value is None:
                continue
            target = target_of(row)
            # A list column (e.g. excluded donors) holds several codes: check each one.
            listed = value.split(";") if kind.column(column).type is CODES else [value]
            for code in listed:
                if code and code not in codes(target):
                    out.problems.append(
                        Problem(
                            file,
                            out.row_numbers[index],
                            column,
                            code,
                            f"unknown {target[:-1].replace('-', ' ')} code",
                        )
                    )
                    bad.append(index)
    _drop(out, bad)


def _check_iso_codes(kind: Kind, out: Validated, file: str) -> None:
    currencies = iso_currencies()
    currency_columns = [c.name for c in kind.columns if c.name in _CURRENCY_COLUMNS]
    bad: list[int] = []
    for index, row in enumerate(out.rows):
        number = out.row_numbers[index]
        for column in currency_columns:
            if row[column] not in currencies:
                out.problems.append(
                    Problem(file, number, column, row[column], "not an ISO 4217 currency code")
                )
                bad.append(index)
        is_nation = kind.name == "donors" and row["kind"] == DonorKind.NATION.value
        if is_nation and row["code"] not in iso_countries():
            out.problems.append(
                Problem(file, number, "code", row["code"], "not an ISO 3166 alpha-3 country")
            )
            bad.append(index)
    _drop(out, bad)


def _check_lifecycle(kind: Kind, out: Validated, file: str, existing: Mapping[str, str]) -> None:
    assert kind.lifecycle is not None
    bad: list[int] = []
    for index, row in enumerate(out.rows):
        current = existing.get(kind.key_of(row))
        if current is None:
            continue
        try:
            check_transition(kind.lifecycle, current, row["status"], allow_skips=True)
        except IllegalTransition as error:
            out.problems.append(
                Problem(file, out.row_numbers[index], "status", row["status"], str(error))
            )
            bad.append(index)
    _drop(out, bad)


def _drop(out: Validated, indexes: Iterable[int]) -> None:
    doomed = set(indexes)
    if not doomed:
        return
    out.rows = [r for i, r in enumerate(out.rows) if i not in doomed]
    out.row_numbers = [n for i, n in enumerate(out.row_numbers) if i not in doomed]
