"""Errors services raise for interfaces to report (one line each, or a list of problems).

Interfaces catch these and nothing deeper: the busy database and the unreadable file, raised
below the services, are named here too. Importing this module is cheap (no SQLAlchemy), so an
interface can set up its error boundary before it knows which command will run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coalition.io.spreadsheets import UnreadableFile as UnreadableFile
from coalition.storage.errors import DatabaseBusy as DatabaseBusy

if TYPE_CHECKING:
    from coalition.io.validation import Problem


class ServiceError(Exception):
    """A request that cannot be done as asked; the message says why."""


class NotFound(ServiceError):
    pass


class Unauthenticated(ServiceError):
    """No acting user could be established (bad token, unknown user, wrong password)."""


class Forbidden(ServiceError):
    """The acting user may not do this (the denial is logged)."""


class VersionConflict(ServiceError):
    """Someone else changed the record since the caller read it; nothing was written."""

    def __init__(self, kind: str, key: str, current: int | None) -> None:
        self.current = current
        where = f"it is now at version {current}" if current is not None else "it is gone"
        super().__init__(f"{kind} {key} was changed by someone else ({where}): reload it")


class ImportRejected(ServiceError):
    """The file has problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) found; nothing was imported")

    def details(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class InvalidField(ServiceError):
    """One value of a request cannot be used; `field` names it (the API lists it)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


class EpcisRejected(ServiceError):
    """An EPCIS document refused as a whole; nothing in it was recorded. `problems` holds
    (event index in epcisBody.eventList, -1 for the document; field; reason)."""

    def __init__(self, message: str, problems: list[tuple[int, str, str]]) -> None:
        self.problems = problems
        super().__init__(message)
