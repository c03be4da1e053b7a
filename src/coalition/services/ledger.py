"""Ledger use cases: import, export, read, history and lifecycle changes of any registry."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from coalition.domain.donors import Organisation, members_of_all
from coalition.domain.errors import DomainError
from coalition.domain.lifecycle import STAMPED_ON, check_transition
from coalition.io.spreadsheets import UnreadableFile, read_table, write_table
from coalition.io.validation import Problem, validate
from coalition.io.validation import write_problems as io_write_problems
from coalition.registries.fields import CellError
from coalition.registries.kinds import DONORS, KINDS, MEMBERSHIPS, Kind, kind_named
from coalition.services.errors import ImportRejected, NotFound, ServiceError
from coalition.services.progress import NoProgress, Progress
from coalition.storage.changelog import Change
from coalition.storage.unit_of_work import UnitOfWork

WRITE_CHUNK = 5_000


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
    progress = progress or NoProgress()
    try:
        table = read_table(path)
    except UnreadableFile as error:
        raise ImportRejected(
            [Problem(str(path), 0, "", "", str(error).split(": ", 1)[-1])]
        ) from None
    repository = uow.records(kind)
    existing = repository.rows_by_key()
    statuses = {key: row["status"] for key, row in existing.items()} if kind.lifecycle else None

    def known(target: str) -> set[str]:
        return set(existing) if target == kind.name else uow.records(KINDS[target]).keys()

    def stored(target: str) -> dict[str, dict[str, Any]]:
        return existing if target == kind.name else uow.records(KINDS[target]).rows_by_key()

    progress.start(f"validating {path.name}", table.row_count)
    try:
        validated = validate(kind, table, known, statuses, progress.advance, stored)
    except UnreadableFile as error:  # a row that cannot be read at all (e.g. a broken quote)
        raise ImportRejected(
            [Problem(str(path), 0, "", "", str(error).split(": ", 1)[-1])]
        ) from None
    if validated.problems:
        raise ImportRejected(validated.problems)

    inserts, updates, changes = [], [], []
    for row in validated.rows:
        key = kind.key_of(row)
        before = existing.get(key)
        if before is None:
            inserts.append(row)
            changes.append(Change(kind.entity, key, "create", None, row))
        elif _differs(before, row):
            updates.append(row)
            changes.append(Change(kind.entity, key, "update", before, row))
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
    unchanged = len(validated.rows) - len(inserts) - len(updates)
    return ImportResult(kind.name, len(inserts), len(updates), unchanged, uow.batch_id)


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
    uow.changes.record([Change(kind.entity, key, "update", before, after)])
    uow.commit()
    return after


def members(uow: UnitOfWork, organisations: list[str], on: date) -> list[dict[str, Any]]:
    """Donors that belong to every one of `organisations` on `on` (membership is dated)."""
    unknown = [o for o in organisations if o not in tuple(Organisation)]
    if unknown or not organisations:
        raise ServiceError("organisations must be NATO and/or EU")
    rows = uow.records(MEMBERSHIPS).find({})
    codes = members_of_all([MEMBERSHIPS.from_row(r) for r in rows], organisations, on)
    names = {r["code"]: r["name"] for r in uow.records(DONORS).find({})}
    return [{"code": code, "name": names.get(code, "")} for code in sorted(codes)]
