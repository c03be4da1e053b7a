"""Audit use cases: check that the change log is intact and accounts for every record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import func, select

from coalition.domain.access import may_verify_log
from coalition.services.errors import Forbidden, NotFound, ServiceError
from coalition.storage.changelog import GENESIS, LogReport, verify_log
from coalition.storage.tables import change_log
from coalition.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Head:
    """The last entry's hash and the number of entries: record both elsewhere to check later."""

    hash: str
    entries: int


def verify_change_log(uow: UnitOfWork, expect_head: str | None = None) -> LogReport:
    """Check the hash chain, replay it against the registry tables, and find `expect_head`.

    `expect_head` is a head hash recorded earlier (`coalition history --head`): if it is no
    longer an entry of the chain, the log was truncated or rewritten since.
    """
    if not may_verify_log(uow.principal):
        raise Forbidden(
            f"{uow.actor} ({uow.principal.role}) may not verify the change log: it names "
            "every record; ask an auditor (anyone may read the head to check it later)"
        )
    _snapshot(uow)
    return verify_log(uow.connection, expect_head=expect_head)


# Stored plans are records too: their history (stored, accepted, superseded) is in the change
# log under these entities. The name a reader gives → (entity, the store that says whether
# the reader may see the plan at all).
PLAN_HISTORIES = {
    "plans": "plan",
    "logistics-plans": "logistics_plan",
    "training-plans": "training_plan",
}


class PlanLookup(Protocol):
    def get(self, plan_id: int) -> dict[str, Any] | None: ...


def plan_history(uow: UnitOfWork, which: str, plan_id: str) -> list[dict[str, Any]]:
    """Every change-log entry of one stored plan, oldest first; not found for a plan the
    reader may not see (plans are staff records), as for any record."""
    stores: dict[str, PlanLookup] = {"plans": uow.plans, "logistics-plans": uow.logistics_plans,
                                     "training-plans": uow.training_plans}  # fmt: skip
    if which not in stores:
        raise ServiceError(f"unknown kind of plan {which!r}; one of: {', '.join(stores)}")
    if not plan_id.isdigit() or not 1 <= int(plan_id) < 2**31:
        raise ServiceError(f"{which} {plan_id!r}: a plan's id is a whole number from 1")
    if stores[which].get(int(plan_id)) is None:
        raise NotFound(f"no {which.removesuffix('s').replace('-', ' ')} {plan_id}")
    return uow.history(PLAN_HISTORIES[which], plan_id)


def head(uow: UnitOfWork) -> Head:
    connection = uow.connection
    _snapshot(uow)
    last = connection.execute(
        select(change_log.c.hash).order_by(change_log.c.id.desc()).limit(1)
    ).scalar_one_or_none()
    count = connection.execute(select(func.count()).select_from(change_log)).scalar_one()
    return Head(last or GENESIS, int(count))


def _snapshot(uow: UnitOfWork) -> None:
    """Read the log and the tables as of one moment, even while writers commit.

    SQLite's deferred transaction already reads one WAL snapshot. PostgreSQL's default (read
    committed) would let a write that commits between reading the log and reading a table
    show up as a record "never logged"; repeatable read fixes the snapshot at the first query.
    """
    connection = uow.connection
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
