"""Ledger use cases: import, export, read, history and lifecycle changes of any registry."""

from __future__ import annotations

import difflib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from coalition.domain.access import Principal, may_write
from coalition.domain.donors import Organisation, members_of_all
from coalition.domain.errors import DomainError
from coalition.domain.lifecycle import STAMPED_ON, TRANSITIONS, check_transition
from coalition.io.spreadsheets import Table, UnreadableFile, read_table, write_table
from coalition.io.validation import Problem, validate
from coalition.io.validation import write_problems as io_write_problems
from coalition.registries.fields import CellError
from coalition.registries.kinds import DONORS, KINDS, MEMBERSHIPS, Kind, kind_named
from coalition.services.errors import (
    Forbidden,
    ImportRejected,
    NotFound,
    ServiceError,
    VersionConflict,
)
from coalition.services.progress import NoProgress, Progress
from coalition.storage.changelog import Change
from coalition.storage.unit_of_work import UnitOfWork

WRITE_CHUNK = 5_000
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportResult:
    kind: str
    created: int
    updated: int
    unchanged: int
    batch_id: str


def resolve_kind(name: str) -> Kind:
    try:
        return kind_named(name)
    except KeyError as error:
        raise ServiceError(str(error.args[0])) from None


def import_file(
    uow: UnitOfWork, kind_name: str, path: Path, progress: Progress | None = None
) -> ImportResult:
    """Validate every row, then write all of them or none; idempotent by each row's key."""
    kind = resolve_kind(kind_name)
    return _write_table(uow, kind, _read(path), progress or NoProgress())


def check_file(uow: UnitOfWork, kind_name: str, path: Path) -> ImportResult:
    """What importing `path` would do, writing nothing: ImportRejected with every problem by
    row and column, or the counts it would create, update and leave unchanged."""
    kind = resolve_kind(kind_name)
    return _write_table(uow, kind, _read(path), NoProgress(), dry_run=True)


def _read(path: Path) -> Table:
    try:
        return read_table(path)
    except UnreadableFile as error:
        raise ImportRejected(
            [Problem(str(path), 0, "", "", str(error).split(": ", 1)[-1])]
        ) from None


def _write_table(
    uow: UnitOfWork, kind: Kind, table: Table, progress: Progress, dry_run: bool = False
) -> ImportResult:
    """The one write path of registry records: validate the whole table, check that the
    principal may write every row, then write all rows or none, logging each change.
    A dry run stops before the first write (the import's check, shown before confirming)."""
    repository = uow.records(kind)
    existing = repository.rows_by_key()
    statuses = {key: row["status"] for key, row in existing.items()} if kind.lifecycle else None

    def known(target: str) -> set[str]:
        return set(existing) if target == kind.name else uow.records(KINDS[target]).keys()

    def stored(target: str) -> dict[str, dict[str, Any]]:
        return existing if target == kind.name else uow.records(KINDS[target]).rows_by_key()

    progress.start(f"validating {table.path.name}", table.row_count)
    try:
        validated = validate(kind, table, known, statuses, progress.advance, stored)
    except UnreadableFile as error:  # a row that cannot be read at all (e.g. a broken quote)
        raise ImportRejected(
            [Problem(str(table.path), 0, "", "", str(error).split(": ", 1)[-1])]
        ) from None
    if validated.problems:
        raise ImportRejected(validated.problems)
    refused = _not_writable(uow.principal, kind, validated.rows, str(table.path))
    if refused:
        raise ImportRejected(refused)

    inserts, updates, changes = [], [], []
    for row in validated.rows:
        key = kind.key_of(row)
        before = existing.get(key)
        if before is None:
            inserts.append(row)
            changes.append(Change(kind.entity, key, "create", None, row))
        elif _differs(before, row):
            updates.append(row)
            changes.append(Change(kind.entity, key, "update", _logged(before), row))
    unchanged = len(validated.rows) - len(inserts) - len(updates)
    if dry_run:
        return ImportResult(kind.name, len(inserts), len(updates), unchanged, "")
    progress.start(f"writing {kind.name}", len(inserts) + len(updates))
    for start in range(0, len(inserts), WRITE_CHUNK):
        chunk = inserts[start : start + WRITE_CHUNK]
        repository.insert(chunk)
        progress.advance(len(chunk))
    for start in range(0, len(updates), WRITE_CHUNK):
        chunk = updates[start : start + WRITE_CHUNK]
        repository.update(chunk)
        progress.advance(len(chunk))
    uow.changes.record(changes)
    uow.commit()
    return ImportResult(kind.name, len(inserts), len(updates), unchanged, uow.batch_id)


def _not_writable(
    principal: Principal, kind: Kind, rows: Sequence[Mapping[str, Any]], file: str
) -> list[Problem]:
    """A problem for every row the principal may not write (the denial is logged)."""
    problems = []
    for number, row in enumerate(rows, start=2):
        owner = row[kind.owner] if kind.owner else None
        if not may_write(principal, kind.entity, owner):
            column = kind.owner or ""
            problems.append(
                Problem(file, number, column, str(owner or ""),
                        f"{principal.user} ({principal.role}) may not write {kind.name}"
                        + (f" of donor {owner}" if owner else ""))
            )  # fmt: skip
    if problems:
        _log_denied(principal, f"write {kind.name}", len(problems))
    return problems


def _log_denied(principal: Principal, action: str, rows: int = 1) -> None:
    denial = {"event": "denied", "user": principal.user, "action": action}
    log.warning("denied", extra={**denial, "rows": rows})


def _logged(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored row as the change log records it: the record's fields, not the row version."""
    return {name: value for name, value in row.items() if name != "version"}


def create_record(uow: UnitOfWork, kind_name: str, fields: Mapping[str, str]) -> dict[str, Any]:
    """Create one record from its cells (as text, as in a spreadsheet): the import's rules."""
    kind = resolve_kind(kind_name)
    owner = (fields.get(kind.owner) or None) if kind.owner else None
    if not may_write(uow.principal, kind.entity, owner):
        # One record asked for by name: a refusal (403), not a row problem as in an import.
        whose = f" of donor {owner}" if owner else ""
        _log_denied(uow.principal, f"create {kind.name}{whose}")
        raise Forbidden(f"{uow.actor} ({uow.principal.role}) may not create {kind.name}{whose}")
    table = _one_row_table(kind, fields)
    key = _key_of_cells(kind, fields)
    if key is not None and uow.records(kind).get(key) is not None:
        raise ServiceError(f"{kind.entity.replace('_', ' ')} '{key}' already exists")
    _write_table(uow, kind, table, NoProgress())
    return _reread(uow, kind, key)


def create_records(
    uow: UnitOfWork, kind_name: str, rows: Sequence[Mapping[str, str]]
) -> ImportResult:
    """Create several records from their cells at once, by the import's rules: all or none,
    each logged. Refused whole if the principal may not create them or any key exists."""
    kind = resolve_kind(kind_name)
    if not rows:
        raise ServiceError(f"no {kind.name} to create")
    for cells in rows:
        owner = (cells.get(kind.owner) or None) if kind.owner else None
        if not may_write(uow.principal, kind.entity, owner):
            _log_denied(uow.principal, f"create {kind.name}", len(rows))
            raise Forbidden(f"{uow.actor} ({uow.principal.role}) may not create {kind.name}")
    existing = uow.records(kind).keys()
    taken = sorted(k for k in (_key_of_cells(kind, c) for c in rows) if k in existing)
    if taken:
        raise ServiceError(f"{kind.name} already exist: {', '.join(taken)}")
    header = sorted({name for cells in rows for name in cells})
    numbered = [(n, [cells.get(name, "") for name in header]) for n, cells in
                enumerate(rows, start=2)]  # fmt: skip
    table = Table(Path(kind.name), header, iter(numbered), len(numbered))
    return _write_table(uow, kind, table, NoProgress())


def update_record(
    uow: UnitOfWork,
    kind_name: str,
    key: str,
    changes: Mapping[str, str],
    expected_version: int,
) -> dict[str, Any]:
    """Change some fields of one record if it is still at `expected_version`.

    The loser of two concurrent edits gets VersionConflict and nothing of its change is kept.
    """
    kind = resolve_kind(kind_name)
    before = get_record(uow, kind_name, key)
    if not may_write(uow.principal, kind.entity, before.get(kind.owner) if kind.owner else None):
        raise Forbidden(f"{uow.actor} may not change {kind.name} {key}")
    unknown = sorted(set(changes) - {c.name for c in kind.columns})
    if unknown:
        raise ServiceError(f"{kind.name} have no field {', '.join(unknown)}")
    if any(name in kind.key and changes[name] != shown_row(kind.name, before)[name]
           for name in changes):  # fmt: skip
        raise ServiceError(f"the key of a record cannot change ({', '.join(kind.key)})")
    if before["version"] != expected_version:
        raise VersionConflict(kind.name, key, before["version"])
    cells = {**shown_row(kind.name, before), **changes}
    table = _one_row_table(kind, cells)
    repository = uow.records(kind)
    statuses = {key: before["status"]} if kind.lifecycle else None
    validated = validate(
        kind, table, lambda target: uow.records(KINDS[target]).keys(), statuses,
        None, lambda target: {key: before} if target == kind.name else uow.records(
            KINDS[target]).rows_by_key(),
    )  # fmt: skip
    if validated.problems:
        raise ImportRejected(validated.problems)
    after = validated.rows[0]
    if not _differs(before, after):
        return before
    if not repository.update_if_version(after, expected_version):
        current = repository.get(key)
        raise VersionConflict(kind.name, key, current["version"] if current else None)
    uow.changes.record([Change(kind.entity, key, "update", _logged(before), after)])
    uow.commit()
    return _reread(uow, kind, key)


def _one_row_table(kind: Kind, cells: Mapping[str, str]) -> Table:
    header = list(cells)
    row = [cells[name] for name in header]
    return Table(Path(f"{kind.name}"), header, iter([(2, row)]), 1)


def _key_of_cells(kind: Kind, cells: Mapping[str, str]) -> str | None:
    if not all(cells.get(k) for k in kind.key):
        return None
    return ":".join(str(cells[k]).strip() for k in kind.key)


def _reread(uow: UnitOfWork, kind: Kind, key: str | None) -> dict[str, Any]:
    """The stored record after a write (committed; read in the same connection)."""
    if key is None:
        raise ServiceError(f"give every key field: {', '.join(kind.key)}")
    row = uow.records(kind).get(key)
    if row is None:
        raise NotFound(f"no {kind.entity.replace('_', ' ')} '{key}'")
    return row


def _differs(stored: Mapping[str, Any], incoming: Mapping[str, Any]) -> bool:
    return any(stored.get(name) != value for name, value in incoming.items())


def export_file(uow: UnitOfWork, kind_name: str, path: Path) -> int:
    """Write every record of a registry in its import template's columns (round-trips)."""
    kind = resolve_kind(kind_name)
    rows = uow.records(kind).find({})
    header = [c.name for c in kind.columns]
    write_table(path, header, (render_row(kind, row) for row in rows))
    return len(rows)


def render_row(kind: Kind, row: Mapping[str, Any]) -> list[str]:
    cells = []
    for column in kind.columns:
        value = row[column.name]
        cells.append("" if value is None else column.type.render(column.type.from_db(value)))
    return cells


def write_template(kind_name: str, path: Path) -> None:
    kind = resolve_kind(kind_name)
    write_table(path, [c.name for c in kind.columns], [])


def list_records(
    uow: UnitOfWork, kind_name: str, filters: Mapping[str, str], limit: int | None = None
) -> list[dict[str, Any]]:
    kind = resolve_kind(kind_name)
    return uow.records(kind).find(_typed_filters(kind, filters), limit)


def _typed_filters(kind: Kind, filters: Mapping[str, str]) -> dict[str, Any]:
    typed = {}
    for name, text in filters.items():
        if name not in {c.name for c in kind.columns}:
            raise ServiceError(f"{kind.name} has no column '{name}'")
        try:
            typed[name] = kind.column(name).type.to_db(kind.column(name).type.parse(text))
        except CellError as error:
            raise ServiceError(f"{kind.name} filter {name}={text!r}: {error}") from None
    return typed


def parse_filters(kind_name: str, where: Sequence[str]) -> dict[str, str]:
    """`COLUMN=VALUE` filters as typed, each checked against its column's type."""
    kind = resolve_kind(kind_name)
    names = [c.name for c in kind.columns]
    filters = {}
    for item in where:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep:
            raise ServiceError(f"--where {item!r}: write COLUMN=VALUE, e.g. -w status=approved")
        if name not in names:
            close = difflib.get_close_matches(name, names, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise ServiceError(
                f"--where {item!r}: {kind.name} have no column '{name}'; {hint}"
                f"columns: {', '.join(names)}"
            )
        try:
            kind.column(name).type.parse(value)
        except CellError as error:
            raise ServiceError(f"--where {item!r}: {error}") from None
        filters[name] = value
    return filters


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    total: int  # records matching the filters, however many are on this page
    more: bool = False  # records follow this page (keyset pages only)


def list_page(
    uow: UnitOfWork, kind_name: str, filters: Mapping[str, str], limit: int | None = None
) -> Page:
    """The first `limit` matching records (all when None) and how many match in all."""
    if limit is not None and limit < 1:
        raise ServiceError(f"--limit {limit}: give a number of rows, or 0 for all")
    kind = resolve_kind(kind_name)
    typed = _typed_filters(kind, filters)
    records = uow.records(kind)
    rows = records.find(typed, limit)
    total = len(rows) if limit is None or len(rows) < limit else records.count(typed)
    return Page(rows, total)


def seek_page(
    uow: UnitOfWork,
    kind_name: str,
    filters: Mapping[str, str],
    sort: str | None,
    limit: int,
    after: Sequence[Any] | None = None,
) -> Page:
    """One page in `sort` order ('column' or '-column'; key order when None) strictly after
    the position `after` (the last row's sort value then key values, as stored), and how many
    records match in all. The database seeks to the position, so page 1,000 costs what page 1
    does."""
    kind = resolve_kind(kind_name)
    if limit < 1:
        raise ServiceError(f"limit {limit}: give a page size of at least 1")
    sort_column = sort.removeprefix("-") if sort else None
    if sort_column is not None and sort_column not in {c.name for c in kind.columns}:
        raise ServiceError(f"{kind.name} cannot be sorted by '{sort_column}': no such column")
    typed = _typed_filters(kind, filters)
    records = uow.records(kind)
    rows = records.find_page(typed, sort_column, bool(sort and sort.startswith("-")), after,
                             limit + 1)  # fmt: skip
    return Page(rows[:limit], records.count(typed), more=len(rows) > limit)


def shown_row(kind_name: str, row: Mapping[str, Any]) -> dict[str, str]:
    """A record as the text its spreadsheet column would hold, by column name."""
    kind = resolve_kind(kind_name)
    return dict(zip([c.name for c in kind.columns], render_row(kind, row), strict=True))


def write_problems(path: Path, problems: Sequence[Problem]) -> None:
    """Every problem of a refused import to a CSV (formula-neutralised)."""
    try:
        io_write_problems(path, problems)
    except UnreadableFile as error:
        raise ServiceError(f"--errors {error}") from None


def get_record(uow: UnitOfWork, kind_name: str, key: str) -> dict[str, Any]:
    kind = resolve_kind(kind_name)
    try:
        row = uow.records(kind).get(key)
    except ValueError:
        row = None
    if row is None:
        shape = ":".join(kind.key)
        raise NotFound(f"no {kind.entity.replace('_', ' ')} '{key}' (key: {shape})")
    return row


def history(uow: UnitOfWork, kind_name: str, key: str) -> list[dict[str, Any]]:
    kind = resolve_kind(kind_name)
    get_record(uow, kind_name, key)  # "not found" for a record absent or hidden from the reader
    return uow.history(kind.entity, key)


def change_status(
    uow: UnitOfWork, kind_name: str, key: str, status: str, on: date | None = None
) -> dict[str, Any]:
    """One legal lifecycle step (e.g. offered → accepted), recorded in the change log.

    Steps that have a date (delivered, disbursed) stamp it: `on`, or today.
    """
    kind = resolve_kind(kind_name)
    if kind.lifecycle is None:
        raise ServiceError(f"{kind.name} have no lifecycle")
    before = get_record(uow, kind_name, key)
    if not may_write(uow.principal, kind.entity, before.get(kind.owner) if kind.owner else None):
        raise Forbidden(f"{uow.actor} may not change {kind.name} {key}")
    try:
        check_transition(kind.lifecycle, before["status"], status)
        after = {**before, "status": status}
        stamped = STAMPED_ON.get((kind.lifecycle, status))
        if stamped:
            after[stamped] = on or date.today()
        kind.from_row(after)  # the record's own rules still hold (e.g. delivered_on)
    except DomainError as error:
        raise ServiceError(str(error)) from None
    if after == before:
        return before
    uow.records(kind).update([after])
    uow.changes.record([Change(kind.entity, key, "update", _logged(before), _logged(after))])
    uow.commit()
    return _reread(uow, kind, key)  # with the version the update gave it (the new ETag)


def members(uow: UnitOfWork, organisations: list[str], on: date) -> list[dict[str, Any]]:
    """Donors that belong to every one of `organisations` on `on` (membership is dated)."""
    unknown = [o for o in organisations if o not in tuple(Organisation)]
    if unknown or not organisations:
        raise ServiceError("organisations must be NATO and/or EU")
    rows = uow.records(MEMBERSHIPS).find({})
    codes = members_of_all([MEMBERSHIPS.from_row(r) for r in rows], organisations, on)
    names = {r["code"]: r["name"] for r in uow.records(DONORS).find({})}
    return [{"code": code, "name": names.get(code, "")} for code in sorted(codes)]


@dataclass(frozen=True)
class Browse:
    """One page of a registry as a list page shows it (cells as spreadsheet text)."""

    kind: str
    columns: list[str]
    rows: list[dict[str, str]]  # shown cells, plus "_key" and "_version"
    total: int  # records matching the filters and search
    page: int
    pages: int


MAX_PER_PAGE = 200


def browse(
    uow: UnitOfWork,
    kind_name: str,
    filters: Mapping[str, str],
    search: str = "",
    sort: str = "",
    page: int = 1,
    per_page: int = 25,
) -> Browse:
    """A list page: the records the principal may see that match `filters` (exact, typed as
    the column) and contain `search` in any cell (case-insensitive), ordered by `sort`
    ('-column' descending; the key breaks ties), `per_page` at a time."""
    kind = resolve_kind(kind_name)
    names = [c.name for c in kind.columns]
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise ServiceError(f"per_page: give 1 to {MAX_PER_PAGE} rows a page")
    column = sort.removeprefix("-")
    if column and column not in names:
        raise ServiceError(f"sort: {kind.name} have no column '{column}'")
    rows = list_records(uow, kind_name, {k: v for k, v in filters.items() if v})
    needle = search.strip().casefold()
    shown = []
    for row in rows:
        cells = shown_row(kind_name, row)
        if needle and not any(needle in text.casefold() for text in cells.values()):
            continue
        shown.append((row, cells))
    if column:
        present = [(r, c) for r, c in shown if r[column] is not None]
        blank = [(r, c) for r, c in shown if r[column] is None]
        present.sort(key=lambda pair: (pair[0][column], kind.key_of(pair[0])),
                     reverse=sort.startswith("-"))  # fmt: skip
        shown = present + blank  # blank cells last, whichever the direction
    pages = max(1, -(-len(shown) // per_page))
    page = min(max(page, 1), pages)
    chosen = shown[(page - 1) * per_page : page * per_page]
    return Browse(
        kind.name,
        names,
        [{**cells, "_key": kind.key_of(row), "_version": str(row["version"])}
         for row, cells in chosen],
        len(shown),
        page,
        pages,
    )  # fmt: skip


def shown_record(uow: UnitOfWork, kind_name: str, key: str) -> dict[str, str]:
    """One record's cells as text, with its key and version (a detail or edit page)."""
    kind = resolve_kind(kind_name)
    row = get_record(uow, kind_name, key)
    return {**shown_row(kind_name, row), "_key": kind.key_of(row), "_version": str(row["version"])}


def may_edit(uow: UnitOfWork, kind_name: str, key: str) -> bool:
    """Whether the principal may change this record (so a page offers the edit form)."""
    kind = resolve_kind(kind_name)
    row = get_record(uow, kind_name, key)
    return may_write(uow.principal, kind.entity, row.get(kind.owner) if kind.owner else None)


def next_statuses(kind_name: str, current: str) -> list[str]:
    """The lifecycle steps a record at `current` may take next (none for a final state or a
    registry without a lifecycle), so a page offers exactly the legal ones."""
    kind = resolve_kind(kind_name)
    if kind.lifecycle is None:
        return []
    table = TRANSITIONS[kind.lifecycle]
    state = next((s for s in table if s.value == current), None)
    return [s.value for s in table.get(state, ())] if state is not None else []
