"""An in-memory unit of work with the interface services use, so service tests need no database.

`tests/unit/services/test_fake_unit_of_work.py` runs the same checks against this fake and the
real SQLite repository, so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

import copy
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from coalition.domain.access import Principal
from coalition.registries.kinds import KINDS, Kind
from coalition.storage.changelog import Change, canonical_json


class FakeRepository:
    def __init__(self, kind: Kind, rows: dict[str, dict[str, Any]]) -> None:
        self.kind = kind
        self._rows = rows

    def keys(self) -> set[str]:
        return set(self._rows)

    def rows_by_key(self) -> dict[str, dict[str, Any]]:
        return {key: dict(row) for key, row in self._rows.items()}

    def get(self, key: str) -> dict[str, Any] | None:
        row = self._rows.get(key)
        return None if row is None else dict(row)

    def _matching(
        self, filters: Mapping[str, Any] | None, within: Mapping[str, Sequence[Any]] | None
    ) -> list[dict[str, Any]]:
        rows = [self._rows[key] for key in sorted(self._rows, key=self._order)]
        for name, value in (filters or {}).items():
            rows = [r for r in rows if r[name] == value]
        for name, values in (within or {}).items():
            rows = [r for r in rows if r[name] in list(values)]
        return [dict(r) for r in rows]

    def _order(self, key: str) -> tuple[Any, ...]:
        row = self._rows[key]
        return tuple(row[k] for k in self.kind.key)

    def find(
        self,
        filters: Mapping[str, Any] | None = None,
        limit: int | None = None,
        offset: int = 0,
        within: Mapping[str, Sequence[Any]] | None = None,
    ) -> list[dict[str, Any]]:
        rows = self._matching(filters, within)[offset:]
        return rows if limit is None else rows[:limit]

    def count(
        self,
        filters: Mapping[str, Any] | None = None,
        within: Mapping[str, Sequence[Any]] | None = None,
    ) -> int:
        return len(self._matching(filters, within))

    def totals(
        self,
        group_by: Sequence[str],
        sum_of: str,
        within: Mapping[str, Sequence[Any]] | None = None,
    ) -> list[tuple[Any, ...]]:
        sums: dict[tuple[Any, ...], list[Any]] = defaultdict(lambda: [0, 0])
        for row in self._matching(None, within):
            group = tuple(row[name] for name in group_by)
            sums[group][0] += row[sum_of]
            sums[group][1] += 1
        return [(*group, total, count) for group, (total, count) in sums.items()]

    def find_for_aggregate(self) -> list[dict[str, Any]]:
        return self._matching(None, None)

    def totals_across_owners(self, group_by: Sequence[str], sum_of: str) -> list[tuple[Any, ...]]:
        sums: dict[tuple[Any, ...], list[Any]] = defaultdict(lambda: [0, 0, set()])
        for row in self._rows.values():
            group = tuple(row[name] for name in group_by)
            sums[group][0] += row[sum_of]
            sums[group][1] += 1
            if self.kind.owner:
                sums[group][2].add(row[self.kind.owner])
        return [(*g, t, c, frozenset(o)) for g, (t, c, o) in sums.items()]

    def insert(self, rows: Sequence[Mapping[str, Any]]) -> None:
        for row in rows:
            key = self.kind.key_of(dict(row))
            assert key not in self._rows, f"duplicate key {key}"
            self._rows[key] = {**dict(row), "version": 1}

    def update(self, rows: Sequence[Mapping[str, Any]]) -> None:
        for row in rows:
            key = self.kind.key_of(dict(row))
            assert key in self._rows, f"update of a missing key {key}"
            version = self._rows[key]["version"] + 1
            self._rows[key] = {**dict(row), "version": version}

    def update_if_version(self, row: Mapping[str, Any], expected_version: int) -> bool:
        key = self.kind.key_of(dict(row))
        if key not in self._rows or self._rows[key]["version"] != expected_version:
            return False
        self.update([row])
        return True


class FakePlanStore:
    def __init__(self, plans: dict[int, dict[str, Any]], assignments: dict[int, list]) -> None:
        self._plans = plans
        self._assignments = assignments

    def insert(self, record: Mapping[str, Any], assignments: Sequence[Mapping[str, Any]]) -> int:
        plan_id = max(self._plans, default=0) + 1
        self._plans[plan_id] = {
            "accepted_at": None,
            "accepted_by": None,
            "superseded_by": None,
            "superseded_at": None,
            **record,
            "id": plan_id,
        }
        self._assignments[plan_id] = sorted(
            ({**a, "plan_id": plan_id} for a in assignments),
            key=lambda a: (a["offer_key"], a["requirement_ref"]),
        )
        return plan_id

    def get(self, plan_id: int) -> dict[str, Any] | None:
        row = self._plans.get(plan_id)
        return None if row is None else dict(row)

    def latest(self) -> dict[str, Any] | None:
        return self.get(max(self._plans)) if self._plans else None

    def in_force(self) -> dict[str, Any] | None:
        ids = [
            i
            for i, p in self._plans.items()
            if p["accepted_at"] is not None and p["superseded_by"] is None
        ]
        return self.get(max(ids)) if ids else None

    def newest(self, limit: int, offset: int = 0) -> list[dict[str, Any]]:
        ids = sorted(self._plans, reverse=True)[offset : offset + limit]
        return [dict(self._plans[i]) for i in ids]

    def count(self) -> int:
        return len(self._plans)

    def assignments(self, plan_id: int) -> list[dict[str, Any]]:
        return [dict(a) for a in self._assignments.get(plan_id, [])]

    def mark_accepted(self, plan_id: int, at: datetime, by: str) -> None:
        self._plans[plan_id].update(accepted_at=at, accepted_by=by)

    def mark_superseded(self, plan_id: int, by_plan: int, at: datetime) -> None:
        self._plans[plan_id].update(superseded_by=by_plan, superseded_at=at)


class FakeLogisticsPlanStore:
    """Versioned plans (logistics, training) in memory: newest first, the accepted one not
    superseded in force."""

    def __init__(self, plans: dict[int, dict[str, Any]], entity: str = "logistics_plan") -> None:
        self.plans = plans
        self.entity = entity

    def insert(self, record: Mapping[str, Any]) -> int:
        plan_id = max(self.plans, default=0) + 1
        self.plans[plan_id] = {"accepted_at": None, "accepted_by": None,
                               "superseded_by": None, **record, "id": plan_id}  # fmt: skip
        return plan_id

    def get(self, plan_id: int) -> dict[str, Any] | None:
        found = self.plans.get(plan_id)
        return None if found is None else dict(found)

    def in_force(self) -> dict[str, Any] | None:
        decided = [p for p in self.plans.values()
                   if p["accepted_at"] is not None and p["superseded_by"] is None]  # fmt: skip
        return dict(max(decided, key=lambda p: p["id"])) if decided else None

    def newest(self, limit: int, offset: int = 0) -> list[dict[str, Any]]:
        ids = sorted(self.plans, reverse=True)[offset : offset + limit]
        return [dict(self.plans[i]) for i in ids]

    def count(self) -> int:
        return len(self.plans)

    def mark_accepted(self, plan_id: int, at: datetime, by: str) -> None:
        self.plans[plan_id].update(accepted_at=at, accepted_by=by)

    def mark_superseded(self, plan_id: int, by_plan: int) -> None:
        self.plans[plan_id]["superseded_by"] = by_plan


class FakeChanges:
    def __init__(self, log: list[dict[str, Any]], actor: str, batch_id: str) -> None:
        self._log = log
        self.actor = actor
        self.batch_id = batch_id

    def record(self, changes: Sequence[Change]) -> int:
        for change in changes:
            self._log.append(
                {
                    "actor": self.actor,
                    "batch_id": self.batch_id,
                    "entity": change.entity,
                    "entity_key": change.key,
                    "action": change.action,
                    "before": canonical_json(change.before),
                    "after": canonical_json(change.after),
                }
            )
        return len(changes)


class FakeShipmentStore:
    """No shipments: the in-memory ledger holds registries and plans only (the shipment
    store is tested on SQLite and PostgreSQL)."""

    def tracked_offers_across_owners(self) -> list[dict[str, Any]]:
        return []


class FakeLedger:
    """The whole in-memory database: registries, plans and the change log."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in KINDS}
        self.plans: dict[int, dict[str, Any]] = {}
        self.assignments: dict[int, list] = {}
        self.logistics_plans: dict[int, dict[str, Any]] = {}
        self.training_plans: dict[int, dict[str, Any]] = {}
        self.log: list[dict[str, Any]] = []

    def unit_of_work(self, user: str = "tester", *, write: bool = True) -> FakeUnitOfWork:
        return FakeUnitOfWork(self, Principal(user), write=write)


class FakeUnitOfWork:
    """Rolls back unless committed, like the real one, by restoring a copy of the ledger."""

    def __init__(self, ledger: FakeLedger, principal: Principal, *, write: bool = True) -> None:
        self.ledger = ledger
        self.principal = principal
        self.write = write
        self.batch_id = uuid.uuid4().hex
        self.committed = False

    @property
    def actor(self) -> str:
        return self.principal.user

    def __enter__(self) -> FakeUnitOfWork:
        self._saved = copy.deepcopy(
            (self.ledger.tables, self.ledger.plans, self.ledger.assignments, self.ledger.log,
             self.ledger.logistics_plans, self.ledger.training_plans)
        )  # fmt: skip
        self.changes = FakeChanges(self.ledger.log, self.actor, self.batch_id)
        return self

    def records(self, kind: Kind) -> FakeRepository:
        return FakeRepository(kind, self.ledger.tables[kind.name])

    @property
    def plans(self) -> FakePlanStore:
        return FakePlanStore(self.ledger.plans, self.ledger.assignments)

    @property
    def logistics_plans(self) -> FakeLogisticsPlanStore:
        return FakeLogisticsPlanStore(self.ledger.logistics_plans)

    @property
    def training_plans(self) -> FakeLogisticsPlanStore:
        return FakeLogisticsPlanStore(self.ledger.training_plans, "training_plan")

    @property
    def shipments(self) -> FakeShipmentStore:
        return FakeShipmentStore()

    def history(self, entity: str, key: str) -> list[dict[str, Any]]:
        return [e for e in self.ledger.log if e["entity"] == entity and e["entity_key"] == key]

    def commit(self) -> None:
        if not self.write:
            raise RuntimeError("a reading unit of work cannot commit changes")
        self.committed = True

    def __exit__(self, *exc: object) -> None:
        if not self.committed:
            tables, plans, assignments, log, logistics_plans, training_plans = self._saved
            self.ledger.tables.clear()
            self.ledger.tables.update(tables)
            self.ledger.plans.clear()
            self.ledger.plans.update(plans)
            self.ledger.assignments.clear()
            self.ledger.assignments.update(assignments)
            self.ledger.log[:] = log
            self.ledger.logistics_plans.clear()
            self.ledger.logistics_plans.update(logistics_plans)
            self.ledger.training_plans.clear()
            self.ledger.training_plans.update(training_plans)
