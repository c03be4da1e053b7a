"""A unit of work: one transaction, one acting principal, one batch id.

It rolls back unless `commit()` is called. A reading unit of work never takes the write lock
(SQLite runs a deferred transaction on a WAL snapshot), so reads proceed while a writer works;
a writing one takes the lock at its start, so two writers never interleave on the change log.
A writer that waits longer than the busy timeout for another writer gets `DatabaseBusy`, and
nothing it did is kept.
"""

from __future__ import annotations

import uuid
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine

from coalition.domain.access import Principal
from coalition.registries.kinds import Kind
from coalition.storage.briefs import BriefStore
from coalition.storage.changelog import ChangeRecorder, entries_for, latest_entries
from coalition.storage.engine import BUSY_TIMEOUT, WRITE_INTENT
from coalition.storage.errors import DatabaseBusy, is_busy
from coalition.storage.logistics_plans import LogisticsPlanStore
from coalition.storage.plans import PlanStore
from coalition.storage.repository import Repository
from coalition.storage.shipments import ShipmentStore
from coalition.storage.training_plans import TrainingPlanStore


class UnitOfWork:
    def __init__(
        self,
        engine: Engine,
        principal: Principal,
        *,
        write: bool = True,
        batch_id: str | None = None,
        busy_timeout: float | None = None,
    ) -> None:
        """`busy_timeout`: seconds to wait for another writer (default: the engine's)."""
        self._engine = engine
        self.principal = principal
        self.write = write
        self.batch_id = batch_id or uuid.uuid4().hex
        self.busy_timeout = busy_timeout
        self._connection: Connection | None = None
        self._committed = False

    @property
    def actor(self) -> str:
        return self.principal.user

    def __enter__(self) -> UnitOfWork:
        self._connection = self._engine.connect()
        self._connection.info[WRITE_INTENT] = self.write
        if self.busy_timeout is not None:
            self._connection.info[BUSY_TIMEOUT] = self.busy_timeout
        try:
            self._connection.begin()  # SQLite: BEGIN IMMEDIATE waits here for another writer
        except BaseException as error:
            self._release(self._connection)
            self._connection = None
            if is_busy(error):
                raise DatabaseBusy() from error
            raise
        self.changes = ChangeRecorder(self._connection, self.actor, self.batch_id)
        return self

    @property
    def connection(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("the unit of work is not open: use it in a `with` block")
        return self._connection

    def records(self, kind: Kind) -> Repository:
        """The repository of one registry, reading through this principal's filter."""
        return Repository(self, kind)

    @property
    def plans(self) -> PlanStore:
        return PlanStore(self)

    @property
    def logistics_plans(self) -> LogisticsPlanStore:
        return LogisticsPlanStore(self)

    @property
    def training_plans(self) -> TrainingPlanStore:
        return TrainingPlanStore(self)

    @property
    def briefs(self) -> BriefStore:
        """Stored briefs of this principal's audience."""
        return BriefStore(self)

    @property
    def shipments(self) -> ShipmentStore:
        """Shipments and their events, read through this principal's filter."""
        return ShipmentStore(self)

    def history(self, entity: str, key: str) -> list[dict[str, Any]]:
        """Every change-log entry of one record, oldest first."""
        return entries_for(self.connection, entity, key)

    def latest_changes(self, limit: int) -> list[dict[str, Any]]:
        """The newest change-log entries, newest first (unfiltered: services filter them)."""
        return latest_entries(self.connection, limit)

    def commit(self) -> None:
        if not self.write:
            raise RuntimeError("a reading unit of work cannot commit changes")
        try:
            self.connection.commit()
        except Exception as error:
            if is_busy(error):
                raise DatabaseBusy() from error
            raise
        self._committed = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection = self.connection
        try:
            if not self._committed:
                connection.rollback()
        finally:
            self._release(connection)
            self._connection = None
        # PostgreSQL waits for row locks inside statements (the change-log head, a record
        # another writer updates); once lock_timeout expires the statement fails. Whatever
        # the service was doing, the transaction is rolled back and the user gets one line.
        if exc is not None and not isinstance(exc, DatabaseBusy) and is_busy(exc):
            raise DatabaseBusy() from exc

    @staticmethod
    def _release(connection: Connection) -> None:
        connection.info.pop(WRITE_INTENT, None)
        connection.info.pop(BUSY_TIMEOUT, None)
        connection.close()
