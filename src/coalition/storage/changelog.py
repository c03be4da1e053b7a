"""The change log: who changed what, when, in which batch, with before and after, hash-chained."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Connection, Numeric, select, update

from coalition.registries.kinds import KINDS, Kind
from coalition.storage.bulk import insert_rows
from coalition.storage.tables import (
    ExactDecimal,
    change_log,
    change_log_head,
    table_of,
)

GENESIS = "0" * 64


def canonical_json(values: Mapping[str, Any] | None) -> str | None:
    if values is None:
        return None
    return json.dumps(
        values, sort_keys=True, default=str, separators=(",", ":"), ensure_ascii=False
    )


def entry_hash(
    prev_hash: str,
    at: str,
    actor: str,
    batch_id: str,
    entity: str,
    key: str,
    action: str,
    before: str | None,
    after: str | None,
) -> str:
    content = "\x1f".join(
        (prev_hash, at, actor, batch_id, entity, key, action, before or "", after or "")
    )
    return hashlib.sha256(content.encode()).hexdigest()


@dataclass(frozen=True)
class Change:
    entity: str
    key: str
    action: str  # create | update | delete
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


class ChangeRecorder:
    """Appends changes inside the caller's transaction, so they commit or vanish with the data."""

    def __init__(self, connection: Connection, actor: str, batch_id: str) -> None:
        self._connection = connection
        self.actor = actor
        self.batch_id = batch_id
        self.count = 0

    def record(self, changes: Iterable[Change]) -> int:
        rows = []
        at = datetime.now(UTC)
        at_text = at.isoformat()
        prev = self._lock_tip()
        for change in changes:
            before, after = canonical_json(change.before), canonical_json(change.after)
            digest = entry_hash(
                prev,
                at_text,
                self.actor,
                self.batch_id,
                change.entity,
                change.key,
                change.action,
                before,
                after,
            )
            rows.append(
                {
                    "at": at,
                    "actor": self.actor,
                    "batch_id": self.batch_id,
                    "entity": change.entity,
                    "entity_key": change.key,
                    "action": change.action,
                    "before": before,
                    "after": after,
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            prev = digest
        if rows:
            insert_rows(self._connection, change_log, rows)
            self._connection.execute(
                update(change_log_head).where(change_log_head.c.id == 1).values(last_hash=prev)
            )
        self.count += len(rows)
        return len(rows)

    def _lock_tip(self) -> str:
        query = select(change_log_head.c.last_hash).where(change_log_head.c.id == 1)
        if self._connection.dialect.name != "sqlite":  # SQLite's BEGIN IMMEDIATE already locks
            query = query.with_for_update()
        tip = self._connection.execute(query).scalar_one_or_none()
        if tip is None:
            self._connection.execute(change_log_head.insert().values(id=1, last_hash=GENESIS))
            return GENESIS
        return str(tip)


def verify_chain(connection: Connection) -> tuple[int, list[str]]:
    """Recompute every hash; return the number of entries checked and the problems found.

    The chain alone: `verify_log` also replays the entries against the registry tables.
    """
    report = verify_log(connection, replay=False)
    return report.entries, report.problems


@dataclass
class LogReport:
    """What `verify_log` found: the chain's size and head, and every problem, by record."""

    entries: int = 0
    head: str = GENESIS  # hash of the last entry; GENESIS for an empty log
    problems: list[str] = field(default_factory=list)
    records_compared: int = 0  # registry records whose table row was compared with the replay
    chain_only: dict[str, int] = field(default_factory=dict)  # entity -> entries not replayed
    expected_head_at: int | None = None  # position (1-based, 0 = empty log) of --expect-head


def verify_log(
    connection: Connection, *, expect_head: str | None = None, replay: bool = True
) -> LogReport:
    """Check the hash chain, then replay it and compare the result with the registry tables.

    The chain catches an edited or removed entry; the head pointer catches a removed tail
    (unless it was rewritten too: only a head recorded elsewhere, `expect_head`, catches that);
    the replay catches a registry row changed, added or removed without going through the
    change log, a log emptied while the registries still hold records, and an entry whose
    `before` is not the state the record's previous entry left (a change made outside the
    log between two logged ones, or a writer recording the wrong `before`).

    Rows are streamed; only the last logged state of each record (its `after`, as stored) is
    kept in memory.
    """
    report = LogReport()
    expected = expect_head.strip().lower() if expect_head else None
    if expected == GENESIS:
        report.expected_head_at = 0
    kinds = {kind.entity: kind for kind in KINDS.values()}
    # entity -> key -> the `after` text of the record's last entry (None once deleted).
    state: dict[str, dict[str, str | None]] = {entity: {} for entity in kinds}
    fields = {entity: _record_fields(kind) for entity, kind in kinds.items()}
    prev = GENESIS
    c = change_log.c
    query = select(
        c.id, c.at, c.actor, c.batch_id, c.entity, c.entity_key, c.action, c.before, c.after,
        c.prev_hash, c.hash,
    ).order_by(c.id)  # fmt: skip
    rows = connection.execution_options(yield_per=_STREAM_ROWS).execute(query)
    problems = report.problems
    for row_id, at, actor, batch, entity, key, action, before, after, prev_hash, digest in rows:
        report.entries += 1
        # SQLite hands back naive datetimes (stored in UTC); PostgreSQL answers in the
        # session's time zone. The hash was taken over the UTC ISO text.
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
        if prev_hash != prev:
            problems.append(f"entry {row_id}: previous hash does not match entry before it")
        # Over the entry's own link, so a removed neighbour is reported as a broken link and
        # not also as this entry's content; together the two checks bind it to the chain.
        recomputed = entry_hash(
            prev_hash, at.isoformat(), actor, batch, entity, key, action, before, after
        )
        if digest != recomputed:
            problems.append(f"entry {row_id}: content does not match its hash")
        if digest == expected:
            report.expected_head_at = report.entries
        prev = digest
        if not replay:
            continue
        records = state.get(entity)
        if records is None:
            report.chain_only[entity] = report.chain_only.get(entity, 0) + 1
            continue
        live = records.get(key) is not None
        if action == "create" and live:
            name = _named(kinds[entity], key)
            problems.append(f"{name}: created again by entry {row_id} while it existed")
        elif action in ("update", "delete") and not live:
            name = _named(kinds[entity], key)
            problems.append(f"{name}: entry {row_id} ({action}) refers to no existing record")
        elif action not in ("create", "update", "delete"):
            problems.append(f"entry {row_id}: unknown action '{action}'")
            continue
        elif live:
            drift = _before_drift(fields[entity], records[key], before)
            if drift:
                name = _named(kinds[entity], key)
                problems.append(
                    f"{name}: entry {row_id} ({action}) starts from another state than the "
                    f"record's last entry left: {'; '.join(drift)}"
                )
        records[key] = None if action == "delete" else after
    report.head = prev
    _check_head(connection, report)
    if expect_head is not None:
        _check_expected_head(report, expect_head)
    if replay:
        for entity, kind in kinds.items():
            _compare_table(connection, kind, state.pop(entity), report)
    return report


_STREAM_ROWS = 10_000
_NEVER = "\x00never logged"  # not JSON, so no logged `after` can equal it


def _check_head(connection: Connection, report: LogReport) -> None:
    tip = connection.execute(select(change_log_head.c.last_hash)).scalar_one_or_none()
    if report.entries == 0:
        if tip is not None and tip != GENESIS:
            report.problems.append(
                "the change log is empty but its head records entries (the log was deleted?)"
            )
    elif tip != report.head:
        report.problems.append("the chain's recorded tip is not its last entry (entries removed?)")


def _check_expected_head(report: LogReport, expect_head: str) -> None:
    if report.expected_head_at is None:
        report.problems.append(
            f"the expected head {expect_head.strip()} is not an entry of the change log: "
            "entries were removed or rewritten since it was recorded"
        )


def _named(kind: Kind, key: str) -> str:
    return f"{kind.entity.replace('_', ' ')} {key}"


def _compare_table(
    connection: Connection, kind: Kind, logged: dict[str, str | None], report: LogReport
) -> None:
    """Compare each row of the kind's table with its replayed state; report by record."""
    table = table_of(kind.table_name)
    # The record's own fields: the row version is bookkeeping the log does not carry.
    columns = [table.c[c.name] for c in kind.columns]
    exact = {c.name for c in columns if isinstance(c.type, Numeric | ExactDecimal)}
    names = [c.name for c in columns]
    key_at = [names.index(k) for k in kind.key]
    added_later = _defaults_of_added_columns(columns)
    query = select(*columns).order_by(*(table.c[k] for k in kind.key))
    result = connection.execution_options(yield_per=_STREAM_ROWS).execute(query)
    for values in result:
        key = ":".join([str(values[i]) for i in key_at])  # as Kind.key_of writes it
        report.records_compared += 1
        after = logged.pop(key, _NEVER)
        if after is _NEVER:
            report.problems.append(f"{_named(kind, key)}: in the table but never logged")
            continue
        if after is None:
            report.problems.append(f"{_named(kind, key)}: in the table but logged as deleted")
            continue
        row = dict(zip(names, values, strict=True))
        # Fast path: the row serialises to exactly the logged text (the usual case on SQLite).
        # Otherwise compare field by field, decimals by value.
        if canonical_json(row) == after:
            continue
        differences = _differences(row, {**added_later, **json.loads(after)}, exact)
        if differences:
            report.problems.append(f"{_named(kind, key)}: " + "; ".join(differences))
    for key, after in logged.items():
        if after is not None:
            report.problems.append(f"{_named(kind, key)}: logged but missing from the table")


def _record_fields(kind: Kind) -> tuple[tuple[str, ...], frozenset[str]]:
    """A kind's own fields as the log carries them, and those compared as numbers."""
    table = table_of(kind.table_name)
    columns = [table.c[c.name] for c in kind.columns]
    exact = frozenset(c.name for c in columns if isinstance(c.type, Numeric | ExactDecimal))
    return tuple(c.name for c in columns), exact


def _before_drift(
    fields: tuple[tuple[str, ...], frozenset[str]], last_after: str | None, before: str | None
) -> list[str]:
    """Fields where an entry's `before` differs from the previous entry's `after`: over the
    record's own fields (a writer may carry bookkeeping such as the row version), decimals by
    value, and a column added by a migration allowed to appear without an entry."""
    if before == last_after:
        return []
    previous = json.loads(last_after) if last_after else {}
    started = json.loads(before) if before else {}
    names, exact = fields
    found = []
    for name in names:
        if name not in started and name not in previous:
            continue
        if name in ADDED_BY_MIGRATION and (name not in previous or name not in started):
            continue
        old, new = previous.get(name), started.get(name)
        number = name in exact
        same = _as_decimal(old) == _as_decimal(new) if number else old == new
        if not same:
            shown = _shown_number if number else _shown
            found.append(f"{name} was {shown(old)}, the entry's before says {shown(new)}")
    return found


def _defaults_of_added_columns(columns: list[Any]) -> dict[str, Any]:
    """Fields a migration added with a default (the marking): a record logged before the
    column existed holds that default without a log entry saying so."""
    defaults = {}
    for column in columns:
        default = getattr(column.server_default, "arg", None)
        if column.name in ADDED_BY_MIGRATION and isinstance(default, str):
            defaults[column.name] = default
    return defaults


# Columns added to existing registries after records were logged, with the default each
# pre-existing record received (see migrations 0006).
ADDED_BY_MIGRATION = frozenset({"marking"})


def _differences(row: Mapping[str, Any], logged: Mapping[str, Any], exact: set[str]) -> list[str]:
    """Fields whose stored value differs from the logged one, in the log's JSON form.

    The log stores values as `canonical_json` wrote them (dates and decimals as text). Decimals
    are compared by value: PostgreSQL hands back 20000000.00 for a logged 20000000.
    """
    found = []
    for name, value in row.items():
        if name not in logged:
            found.append(f"{name} is {_shown(value)} in the table, absent from the change log")
            continue
        stored, wanted = _as_logged(value), logged[name]
        number = name in exact
        same = _as_decimal(stored) == _as_decimal(wanted) if number else stored == wanted
        if not same:
            shown = _shown_number if number else _shown
            found.append(
                f"{name} is {shown(stored)} in the table, {shown(wanted)} in the change log"
            )
    return found


def _as_logged(value: Any) -> Any:
    """A table value as `canonical_json` would have written it (then read back)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)  # canonical_json's default: dates, decimals


def _as_decimal(value: Any) -> Decimal | Any:
    if value is None or isinstance(value, bool):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return value


def _shown(value: Any) -> str:
    """Texts quoted, so that an empty or padded text is visible; numbers as they are."""
    if value is None:
        return "empty"
    return f"'{value}'" if isinstance(value, str) else str(value)


def _shown_number(value: Any) -> str:
    return "empty" if value is None else str(value)


def entries_for(connection: Connection, entity: str, key: str) -> list[dict[str, Any]]:
    """Every change-log entry of one record, oldest first."""
    query = (
        select(change_log)
        .where(change_log.c.entity == entity, change_log.c.entity_key == key)
        .order_by(change_log.c.id)
    )
    return [dict(r) for r in connection.execute(query).mappings()]


def latest_entries(connection: Connection, limit: int) -> list[dict[str, Any]]:
    """The newest change-log entries, newest first."""
    query = select(change_log).order_by(change_log.c.id.desc()).limit(limit)
    return [dict(r) for r in connection.execute(query).mappings()]
