"""The change log: who changed what, when, in which batch, with before and after, hash-chained."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, update

from coalition.storage.bulk import insert_rows
from coalition.storage.tables import change_log, change_log_head

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
        return tip


def verify_chain(connection: Connection) -> tuple[int, list[str]]:
    """Recompute every hash; return the number of entries checked and the problems found."""
    problems: list[str] = []
    prev, count = GENESIS, 0
    for row in connection.execute(select(change_log).order_by(change_log.c.id)).mappings():
        count += 1
        at = row["at"]
        if at.tzinfo is None:  # SQLite hands back naive datetimes; they were stored in UTC
            at = at.replace(tzinfo=UTC)
        expected = entry_hash(
            prev,
            at.isoformat(),
            row["actor"],
            row["batch_id"],
            row["entity"],
            row["entity_key"],
            row["action"],
            row["before"],
            row["after"],
        )
        if row["prev_hash"] != prev:
            problems.append(f"entry {row['id']}: previous hash does not match entry before it")
        if row["hash"] != expected:
            problems.append(f"entry {row['id']}: content does not match its hash")
        prev = row["hash"]
    tip = connection.execute(select(change_log_head.c.last_hash)).scalar_one_or_none()
    if count and tip != prev:
        problems.append("the chain's recorded tip is not its last entry (entries removed?)")
    return count, problems


def entries_for(connection: Connection, entity: str, key: str) -> list[dict[str, Any]]:
    """Every change-log entry of one record, oldest first."""
    query = (
        select(change_log)
        .where(change_log.c.entity == entity, change_log.c.entity_key == key)
        .order_by(change_log.c.id)
    )
    return [dict(r) for r in connection.execute(query).mappings()]
