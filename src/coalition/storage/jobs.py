"""Stored background jobs (see storage/tables.py `jobs` and services/jobs.py).

Every change of state is a conditional UPDATE on the status it expects, so two processes that
disagree (a live worker and a process that thinks it died) cannot both win: the second one's
update touches no row and the caller rolls back whatever it did with it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, select

from coalition.storage.tables import jobs

if TYPE_CHECKING:
    from coalition.storage.unit_of_work import UnitOfWork

JOB_ENTITY = "job"
QUEUED, RUNNING, SUCCEEDED, FAILED = "queued", "running", "succeeded", "failed"
UNFINISHED = (QUEUED, RUNNING)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands datetimes back naive; they were stored in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


class JobStore:
    def __init__(self, uow: UnitOfWork) -> None:
        self.connection = uow.connection

    def insert(self, record: Mapping[str, Any]) -> None:
        self.connection.execute(jobs.insert().values(**record))

    def get(self, job_id: str, created_by: str | None = None) -> dict[str, Any] | None:
        """The job, or None; with `created_by`, only if that user created it."""
        query = select(jobs).where(jobs.c.id == job_id)
        if created_by is not None:
            query = query.where(jobs.c.created_by == created_by)
        found = self.connection.execute(query).mappings().first()
        return None if found is None else _aware_row(found)

    def unfinished(self) -> list[dict[str, Any]]:
        query = select(jobs).where(jobs.c.status.in_(UNFINISHED)).order_by(jobs.c.created_at)
        return [_aware_row(r) for r in self.connection.execute(query).mappings()]

    def start(self, job_id: str, at: datetime, message: str) -> bool:
        """queued → running; False when the job is no longer queued."""
        return self._update(
            job_id,
            jobs.c.status == QUEUED,
            status=RUNNING,
            started_at=at,
            heartbeat_at=at,
            message=message,
        )

    def advance(self, job_id: str, progress: float, message: str, at: datetime) -> bool:
        """Move a running job's progress forward (never back); False if it did not move."""
        return self._update(
            job_id,
            (jobs.c.status == RUNNING) & (jobs.c.progress <= progress),
            progress=progress,
            message=message,
            heartbeat_at=at,
        )

    def beat(self, job_ids: Collection[str], at: datetime) -> int:
        """Refresh the heartbeat of the unfinished jobs among `job_ids`."""
        if not job_ids:
            return 0
        result = self.connection.execute(
            jobs.update()
            .where(jobs.c.id.in_(list(job_ids)), jobs.c.status.in_(UNFINISHED))
            .values(heartbeat_at=at)
        )
        return int(result.rowcount or 0)

    def finish(
        self,
        job_id: str,
        status: str,
        at: datetime,
        message: str,
        *,
        result: str | None = None,
        error: str | None = None,
        expected: Collection[str] = (RUNNING,),
    ) -> bool:
        """Mark the job finished; False when it was not in one of the `expected` states."""
        values: dict[str, Any] = {
            "status": status,
            "finished_at": at,
            "heartbeat_at": at,
            "message": message,
            "result": result,
            "error": error,
        }
        if status == SUCCEEDED:
            values["progress"] = 1.0
        return self._update(job_id, jobs.c.status.in_(list(expected)), **values)

    def _update(self, job_id: str, condition: ColumnElement[bool], **values: Any) -> bool:
        result = self.connection.execute(
            jobs.update().where(jobs.c.id == job_id, condition).values(**values)
        )
        return bool(result.rowcount)


def _aware_row(row: Any) -> dict[str, Any]:
    found: dict[str, Any] = dict(row)
    for name in ("created_at", "started_at", "finished_at", "heartbeat_at"):
        found[name] = aware(found[name])
    return found
