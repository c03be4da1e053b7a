"""Audit use cases: check that the change log is intact."""

from __future__ import annotations

from coalition.storage.changelog import verify_chain
from coalition.storage.unit_of_work import UnitOfWork


def verify_change_log(uow: UnitOfWork) -> tuple[int, list[str]]:
    """The number of change-log entries checked and every problem found."""
    return verify_chain(uow.connection)
