"""Validate a whole spreadsheet before anything is written, collecting every problem.

Checks run in layers, each on every row, and all in one pass: the header (unknown columns get a
"did you mean"); each cell against its column's type and domain; the domain record's own rules;
duplicates inside the file; references to other registries (in the database or earlier in the
same file) and cross-record rules (a requirement's area is its family's); ISO codes and ECB
currencies; and lifecycle moves of existing records. A header problem stops only the layers that
need the missing columns.

A column left out of the file keeps each existing record's stored value; defaults apply only to
new records (and to cells left blank on purpose).
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from coalition.domain import checks
from coalition.domain.donors import DonorKind
from coalition.domain.errors import DomainError, IllegalTransition, InvalidValue
from coalition.domain.lifecycle import check_transition
from coalition.domain.training import record_faults
from coalition.io.ecb_rates import supported_currencies
from coalition.io.spreadsheets import Table, check_writable, csv_cell
from coalition.registries.fields import CODES, CURRENCY, CellError
from coalition.registries.fields import identity as _identity
from coalition.registries.iso_codes import iso_countries, iso_currencies
from coalition.registries.kinds import Kind

# Columns whose codes point at another registry, when the target depends on another column.
_TARGET_BY_KIND_COLUMN = {"family": "families", "platform": "item-types"}
SHOWN_VALUE = 60  # characters of a cell shown in a message


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row else self.file  # row 0: the whole file
        where += f" [{self.column}]" if self.column else ""
        value = self.value
        if len(value) > SHOWN_VALUE:
            value = f"{value[:SHOWN_VALUE]}… ({len(self.value):,} characters)"
        shown = f" {value!r}" if value else ""
        return f"{where}{shown}: {self.reason}"


PROBLEM_COLUMNS = ("file", "row", "column", "value", "reason")


def write_problems(path: Path, problems: Sequence[Problem]) -> Path:
    """Every problem as CSV (formula-neutralised: cell values come from the user's file)."""
    check_writable(path, (".csv",))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(PROBLEM_COLUMNS)
        for p in problems:
            writer.writerow([csv_cell(str(getattr(p, name))) for name in PROBLEM_COLUMNS])
    return path


@dataclass
class Validated:
    rows: list[dict[str, Any]] = field(default_factory=list)  # storage rows, in file order
    row_numbers: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


KnownCodes = Callable[[str], set[str]]  # kind name → keys already stored
StoredRows = Callable[[str], Mapping[str, Mapping[str, Any]]]  # kind name → stored rows by key


def validate(
    kind: Kind,
    table: Table,
    known_codes: KnownCodes,
    existing_status: Mapping[str, str] | None = None,
    on_row: Callable[[int], None] | None = None,
    stored_rows: StoredRows | None = None,
) -> Validated:
    out = Validated()
    file = str(table.path)
    complete = _check_header(kind, table, file, out.problems)
    positions: dict[str, int] = {}
    for index, name in enumerate(table.header):
        if name and name not in positions:  # a repeated column: its first place is read
            positions[name] = index
    plan = _plan(kind, positions)
    existing = stored_rows(kind.name) if stored_rows is not None else {}
    if existing_status is None and kind.lifecycle and existing:
        existing_status = {key: row["status"] for key, row in existing.items()}
    seen: dict[str, int] = {}
    for count, (number, cells) in enumerate(table.rows, start=1):
        row = _read_row(kind, plan, file, number, cells, out.problems, complete, existing)
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
    if stored_rows is not None:
        _check_cross_records(kind, out, file, stored_rows)
    _check_iso_codes(kind, out, file)
    if kind.lifecycle and existing_status:
        _check_lifecycle(kind, out, file, existing_status)
    out.problems.sort()
    return out


def _check_header(kind: Kind, table: Table, file: str, problems: list[Problem]) -> bool:
    """Report every header problem; True when every required column is there."""
    names = [c.name for c in kind.columns]
    for position, name in enumerate(table.header, start=1):
        if name and name not in names:
            close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'? " if close else ""
            problems.append(
                Problem(
                    file,
                    1,
                    name,
                    "",
                    f"unknown column (column {position}); {hint}"
                    f"expected some of: {', '.join(names)}",
                )
            )
    missing = [c.name for c in kind.columns if c.required and c.name not in table.header]
    for name in missing:
        problems.append(Problem(file, 1, name, "", "required column is missing"))
    duplicated = {n for n in table.header if n and table.header.count(n) > 1}
    for name in sorted(duplicated):
        problems.append(Problem(file, 1, name, "", "column appears more than once"))
    return not missing


@dataclass(frozen=True)
class _RowPlan:
    """Per-column work for one file, computed once: the hot loop then does no lookups."""

    cells: list[tuple[str, int, Callable[[Any], Any], bool]]  # name, position, parse, required
    to_db: dict[str, Callable[[Any], Any]]  # only columns whose stored form differs
    defaults: dict[str, Any]  # stored form of each optional column's default
    absent: tuple[str, ...]  # columns the file leaves out


def _plan(kind: Kind, positions: Mapping[str, int]) -> _RowPlan:
    cells = [
        (c.name, positions[c.name], c.type.parse, c.required)
        for c in kind.columns
        if c.name in positions
    ]
    absent = tuple(c.name for c in kind.columns if c.name not in positions)
    to_db = {c.name: c.type.to_db for c in kind.columns if c.type.to_db is not _identity}
    defaults = {}
    for spec in fields(kind.record):
        if spec.default is not MISSING:
            value = spec.default
            defaults[spec.name] = (
                to_db[spec.name](value) if spec.name in to_db and value is not None else value
            )
    return _RowPlan(cells, to_db, defaults, absent)


def _read_row(
    kind: Kind,
    plan: _RowPlan,
    file: str,
    number: int,
    cells: list[Any],
    problems: list[Problem],
    complete: bool,
    existing: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    blank: list[str] = []
    ok = True
    width = len(cells)
    for name, position, parse, required in plan.cells:
        cell = cells[position] if position < width else None
        if cell is None or (cell.__class__ is str and (not cell or cell.isspace())):
            if required:
                problems.append(Problem(file, number, name, "", "required value is empty"))
                ok = False
            blank.append(name)
            continue
        try:
            values[name] = parse(cell)
        except CellError as error:
            problems.append(Problem(file, number, name, _shown(cell), str(error)))
            ok = False
    if not ok or not complete:
        return None
    to_db = plan.to_db
    incoming = {name: to_db[name](v) if name in to_db else v for name, v in values.items()}
    stored = existing.get(kind.key_of(incoming)) if plan.absent and existing else None
    try:
        if stored is None:
            kind.record(**values)
            row = dict(plan.defaults)
            row.update(incoming)
        else:
            # A column the file leaves out keeps the stored value; a blank cell asks for default.
            row = {c.name: stored[c.name] for c in kind.columns}
            row.update({name: plan.defaults.get(name) for name in blank})
            row.update(incoming)
            kind.from_row(row)
    except InvalidValue as error:
        problems.append(Problem(file, number, error.field, _shown(error.value), error.reason))
        return None
    except DomainError as error:
        problems.append(Problem(file, number, "", "", str(error)))
        return None
    return row


def _shown(value: Any) -> str:
    return "" if value is None else str(getattr(value, "value", value))


def _always(target: str) -> Callable[[dict[str, Any]], str]:
    """The referenced registry of a column that always points at the same one."""
    return lambda _row: target


def _check_references(
    kind: Kind, out: Validated, file: str, known_codes: KnownCodes, keys_in_file: set[str]
) -> None:
    targets: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        (column, _always(target)) for column, target in kind.references
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
            # A whole-number key (a report number) is compared as the text keys are written.
            listed = value.split(";") if kind.column(column).type is CODES else [str(value)]
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


def _check_cross_records(kind: Kind, out: Validated, file: str, stored: StoredRows) -> None:
    """Rules between records: a requirement's capability area is the one of its family."""
    if kind.name == "families":
        _check_family_areas(out, file, stored)
        return
    if kind.name == "training-records":
        _check_training_records(kind, out, file, stored)
        return
    if kind.name != "requirements":
        return
    families = stored("families")
    bad: list[int] = []
    for index, row in enumerate(out.rows):
        family = families.get(row["family_code"])
        if family is not None and family["capability_area"] != row["capability_area"]:
            out.problems.append(
                Problem(
                    file,
                    out.row_numbers[index],
                    "capability_area",
                    row["capability_area"],
                    f"family {row['family_code']} belongs to {family['capability_area']}: "
                    f"write {family['capability_area']} or choose a family of "
                    f"{row['capability_area']}",
                )
            )
            bad.append(index)
    _drop(out, bad)


def _check_training_records(kind: Kind, out: Validated, file: str, stored: StoredRows) -> None:
    """A record fits its cohort, and has outcomes only once its intake started."""
    cohorts, intakes = stored("cohorts"), stored("intakes")
    bad: list[int] = []
    for index, row in enumerate(out.rows):
        cohort, intake = cohorts.get(row["cohort_code"]), intakes.get(row["intake_code"])
        faults = record_faults(
            kind.from_row(row),
            None if cohort is None else int(cohort["size"]),
            None if intake is None else _stored_date(intake["start_date"]),
            checks.today(),
        )
        for column, reason in faults:
            out.problems.append(
                Problem(file, out.row_numbers[index], column, str(row[column]), reason)
            )
        if faults:
            bad.append(index)
    _drop(out, bad)


def _stored_date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _check_family_areas(out: Validated, file: str, stored: StoredRows) -> None:
    """A family cannot change area under the requirements that name it in the old one."""
    families = stored("families")
    moved = {
        row["code"]: (index, row["capability_area"])
        for index, row in enumerate(out.rows)
        if row["code"] in families
        and families[row["code"]]["capability_area"] != row["capability_area"]
    }
    if not moved:
        return
    left_behind: dict[str, list[str]] = {}
    for ref, requirement in stored("requirements").items():
        family = requirement["family_code"]
        if family in moved and requirement["capability_area"] != moved[family][1]:
            left_behind.setdefault(family, []).append(ref)
    bad: list[int] = []
    for family, refs in sorted(left_behind.items()):
        index, area = moved[family]
        shown = ", ".join(sorted(refs)[:5]) + (" …" if len(refs) > 5 else "")
        out.problems.append(
            Problem(
                file,
                out.row_numbers[index],
                "capability_area",
                area,
                f"{len(refs)} requirement(s) of family {family} are in "
                f"{families[family]['capability_area']} ({shown}): change them first",
            )
        )
        bad.append(index)
    _drop(out, bad)


def _check_iso_codes(kind: Kind, out: Validated, file: str) -> None:
    currencies = iso_currencies()
    currency_columns = [c.name for c in kind.columns if c.type is CURRENCY]
    convertible = supported_currencies() if currency_columns else frozenset()
    bad: list[int] = []
    for index, row in enumerate(out.rows):
        number = out.row_numbers[index]
        for column in currency_columns:
            if row[column] not in currencies:
                out.problems.append(
                    Problem(file, number, column, row[column], "not an ISO 4217 currency code")
                )
                bad.append(index)
            elif row[column] not in convertible:
                out.problems.append(
                    Problem(
                        file,
                        number,
                        column,
                        row[column],
                        "the ECB publishes no euro reference rate for it, so it cannot be "
                        "valued in EUR: convert the amount to EUR (or to one of "
                        f"{', '.join(sorted(convertible))}) and write that currency",
                    )
                )
                bad.append(index)
        if "country" in row and row["country"] not in iso_countries():
            out.problems.append(
                Problem(file, number, "country", row["country"], "not an ISO 3166 alpha-3 country")
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
