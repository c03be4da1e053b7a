"""A unit of work: one transaction, one acting user, one batch id; rolls back unless committed."""

from __future__ import annotations

import uuid
from types import TracebackType

from sqlalchemy import Connection, Engine

from coalition.storage.changelog import ChangeRecorder


class UnitOfWork:
    def __init__(self, engine: Engine, actor: str, batch_id: str | None = None) -> None:
        self._engine = engine
        self.actor = actor
        self.batch_id = batch_id or uuid.uuid4().hex
        self._connection: Connection | None = None
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        self._connection = self._engine.connect()
        self._connection.begin()
        self.changes = ChangeRecorder(self._connection, self.actor, self.batch_id)
        return self

    @property
    def connection(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("the unit of work is not open: use it in a `with` block")
        return self._connection

    def commit(self) -> None:
        self.connection.commit()
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
            connection.close()
            self._connection = None
