"""Background jobs for long work: an allocation run, a logistics planning run
(`submit_logistics`) or a training planning run (`submit_training`), each with its service's
own bounds on horizon and time limit, becomes a record
with progress and a result.

`submit_allocation` records the job (change log entity "job") and hands it to a small pool of
worker threads in this process. A worker runs the allocation the way `allocation.run` does —
the snapshot in a reading unit of work, the solve outside any transaction, the plan stored in a
short writing one — and reports progress on the job row between the phases (and, while the
solver runs, an estimate from the time spent against the time limit). The plan and the job's
success commit in one transaction, so a job never says "succeeded" without its plan, nor is a
plan kept for a job that was given up.

A job left behind by a process that died (a server restart) is recognised by its heartbeat,
which the owning process refreshes every `TICK_S` seconds while the job is queued or running:
silent for `STALE_AFTER_S`, or running longer than its time limit plus `OVERRUN_MARGIN_S`, it
is shown as failed ("interrupted: …") to every reader, and `recover_interrupted` (called on
each submit; interfaces call it at start-up) records it so, in the change log too. Reads never
write: `status` only computes what a reader is shown.

Who: a job runs a planner, so only those who may write plans submit one (admins and
coordinators, `domain.access.may_write`; for logistics `services.logistics.check_run`, for
training `services.training_plans.check_run`).
Jobs are staff records (`domain.access.read_scope`):
the admin, coordinator and auditor roles see every job, anyone else only the jobs they submitted
themselves. Another user's job does not exist for them (NotFound, like an unknown id).
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Engine

from coalition.domain.access import Principal, Role, may_write, read_scope
from coalition.planning import allocation as planner
from coalition.planning.allocation.inputs import parameters_as_dict
from coalition.services import allocation, logistics, training_plans
from coalition.services.database import default_engine, reading, require_schema
from coalition.services.errors import DatabaseBusy, Forbidden, NotFound, ServiceError
from coalition.storage.changelog import Change
from coalition.storage.jobs import (
    FAILED,
    JOB_ENTITY,
    QUEUED,
    RUNNING,
    SUCCEEDED,
    UNFINISHED,
    JobStore,
)
from coalition.storage.unit_of_work import UnitOfWork

log = logging.getLogger("coalition.jobs")

ALLOCATION = "allocation"
LOGISTICS = "logistics"
TRAINING = "training"
METHODS = ("milp", "greedy")
# Allocation jobs running at once in one process: each solve already uses `workers` processes.
MAX_RUNNING = 2
# Jobs waiting in one process beyond those running; more are refused (try again later).
MAX_WAITING = 8
# How often the owning process refreshes its jobs' heartbeat and the solving estimate.
TICK_S = 2.0
# Heartbeat silence after which the owning process is taken to be dead. Generous: a writer
# may hold SQLite's lock for a while (a large import), delaying a few heartbeats.
STALE_AFTER_S = 120.0
# Past its time limit, how long a job may still run (snapshot read and plan stored on a large
# ledger; the solver itself stops within about a second of the limit).
OVERRUN_MARGIN_S = 300.0
# Writers of progress wait at most this long for the lock; a missed update is not an error.
PROGRESS_BUSY_S = 5.0
INTERRUPTED = "interrupted: the server stopped while it ran"
MAX_ERROR_CHARS = 2000
JOB_ID_MAX = 43

# What the job row reports at each phase (progress, message).
READING = (0.0, "reading the ledger")
SOLVING_FROM, SOLVING_UP_TO = 0.2, 0.85
STORING = (0.9, "storing the plan")

# Who the job machinery acts as when no user is: it reads every job, and is the actor of
# the change-log entries that mark abandoned jobs interrupted.
SYSTEM = Principal("coalition-jobs", Role.AUDITOR)


class JobNotFinished(ServiceError):
    """`wait` ran out of time; the job goes on."""


class _Abandoned(Exception):
    """The job is no longer this worker's to finish (another process marked it interrupted)."""


def _now() -> datetime:
    return datetime.now(UTC)


def new_job_id() -> str:
    return secrets.token_urlsafe(16)


def solving_progress(elapsed_s: float, time_limit_s: float) -> float:
    """The progress shown while the solver runs: from 0.2 towards 0.85 as the time limit is
    used up, never reaching "storing" (the solver may end long before its limit)."""
    if time_limit_s <= 0:
        return SOLVING_FROM
    used = min(max(elapsed_s / time_limit_s, 0.0), 1.0)
    return round(SOLVING_FROM + (SOLVING_UP_TO - SOLVING_FROM) * used, 3)


def is_stale(row: dict[str, Any], now: datetime) -> bool:
    """Whether an unfinished job was left behind by a process that stopped."""
    if row["status"] not in UNFINISHED:
        return False
    if now - row["heartbeat_at"] > timedelta(seconds=STALE_AFTER_S):
        return True
    started = row["started_at"]
    allowed = timedelta(seconds=float(row["time_limit_s"]) + OVERRUN_MARGIN_S)
    return row["status"] == RUNNING and started is not None and now - started > allowed


# --- the pool ---------------------------------------------------------------------------------


@dataclass
class _Owned:
    """A queued or running job of this process."""

    engine: Engine
    principal: Principal
    time_limit_s: float
    solving_since: float | None = None  # time.monotonic() when the solver started
    done: threading.Event = field(default_factory=threading.Event)


class _Pool:
    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(MAX_RUNNING, thread_name_prefix="coalition-job")
        self._lock = threading.Lock()
        self._owned: dict[str, _Owned] = {}
        self._keeper: threading.Thread | None = None

    def owned_ids(self) -> set[str]:
        with self._lock:
            return set(self._owned)

    def owned(self, job_id: str) -> _Owned | None:
        with self._lock:
            return self._owned.get(job_id)

    def reserve(self, job_id: str, owned: _Owned) -> None:
        with self._lock:
            if len(self._owned) >= MAX_RUNNING + MAX_WAITING:
                raise ServiceError(
                    f"{len(self._owned)} planning jobs are already queued or running; "
                    "try again when one has finished"
                )
            self._owned[job_id] = owned
            if self._keeper is None or not self._keeper.is_alive():
                self._keeper = threading.Thread(
                    target=self._keep, name="coalition-job-heartbeat", daemon=True
                )
                self._keeper.start()

    def release(self, job_id: str) -> None:
        with self._lock:
            owned = self._owned.pop(job_id, None)
        if owned is not None:
            owned.done.set()

    def start(self, work: Callable[[], None]) -> Future[None]:
        return self._executor.submit(work)

    def _keep(self) -> None:
        """Every TICK_S: refresh the heartbeat of this process's jobs and the solving estimate."""
        while True:
            time.sleep(TICK_S)
            with self._lock:
                owned = list(self._owned.items())
            by_engine: dict[Engine, list[tuple[str, _Owned]]] = defaultdict(list)
            for job_id, job in owned:
                by_engine[job.engine].append((job_id, job))
            for engine, jobs in by_engine.items():
                try:
                    self._beat(engine, jobs)
                except Exception:  # the next tick tries again; a stopped heartbeat is visible
                    log.warning("job heartbeat not written", exc_info=True)

    @staticmethod
    def _beat(engine: Engine, jobs: list[tuple[str, _Owned]]) -> None:
        now, clock = _now(), time.monotonic()
        with UnitOfWork(engine, SYSTEM, busy_timeout=PROGRESS_BUSY_S) as uow:
            store = JobStore(uow)
            store.beat([job_id for job_id, _ in jobs], now)
            for job_id, job in jobs:
                since = job.solving_since
                if since is not None:
                    elapsed = clock - since
                    shown = f"solving ({elapsed:.0f} s of at most {job.time_limit_s:g} s)"
                    store.advance(job_id, solving_progress(elapsed, job.time_limit_s), shown, now)
            uow.commit()


_pool_lock = threading.Lock()
_the_pool: _Pool | None = None


def _pool() -> _Pool:
    global _the_pool
    with _pool_lock:
        if _the_pool is None:
            _the_pool = _Pool()
        return _the_pool


# --- use cases --------------------------------------------------------------------------------


def submit_allocation(
    principal: Principal,
    parameters: planner.Parameters,
    method: str = "milp",
    engine: Engine | None = None,
) -> str:
    """Record an allocation job and start it in the background; returns the job's id."""
    if not may_write(principal, "plan", None):
        log.warning(
            "denied", extra={"event": "denied", "user": principal.user, "action": "allocate"}
        )
        raise Forbidden("only a coordinator or an admin may run an allocation")
    if method not in METHODS:
        raise ServiceError(f"--method must be milp or greedy, not '{method}'")
    recorded = {"method": method, **parameters_as_dict(parameters)}
    return _submit(
        principal, ALLOCATION, float(parameters.time_limit_s), recorded, engine,
        lambda job_id, owned: _run_allocation(job_id, owned, parameters, method),
    )  # fmt: skip


def submit_logistics(
    principal: Principal,
    horizon: int = logistics.DEFAULT_HORIZON_DAYS,
    time_limit: float = 30.0,
    engine: Engine | None = None,
) -> str:
    """Record a logistics planning job (route the allocation in force) and start it in the
    background; returns the job's id. Who and which bounds: `logistics.check_run`, before
    anything is recorded."""
    _checked(lambda: logistics.check_run(principal, horizon, time_limit), principal, LOGISTICS)
    recorded = {"horizon_days": horizon, "time_limit_s": time_limit}
    return _submit(
        principal, LOGISTICS, float(time_limit), recorded, engine,
        lambda job_id, owned: _run_logistics(job_id, owned, horizon, time_limit),
    )  # fmt: skip


def submit_training(
    principal: Principal,
    horizon_weeks: int = training_plans.DEFAULT_HORIZON_WEEKS,
    time_limit: float = 30.0,
    engine: Engine | None = None,
) -> str:
    """Record a training planning job (cohorts to intakes, crews by equipment ETAs) and start
    it in the background; returns the job's id. Who and which bounds:
    `training_plans.check_run`, before anything is recorded."""
    _checked(
        lambda: training_plans.check_run(principal, horizon_weeks, time_limit), principal, TRAINING
    )
    recorded = {"horizon_weeks": horizon_weeks, "time_limit_s": time_limit}
    return _submit(
        principal, TRAINING, float(time_limit), recorded, engine,
        lambda job_id, owned: _run_training(job_id, owned, horizon_weeks, time_limit),
    )  # fmt: skip


def _checked(check: Callable[[], None], principal: Principal, action: str) -> None:
    """Run a service's own check of who and which bounds; a refusal is logged as denied."""
    try:
        check()
    except Forbidden:
        log.warning("denied", extra={"event": "denied", "user": principal.user, "action": action})
        raise


def _submit(
    principal: Principal,
    kind: str,
    time_limit_s: float,
    parameters: dict[str, Any],
    engine: Engine | None,
    runner: Callable[[str, _Owned], None],
) -> str:
    engine = engine or default_engine()
    require_schema(engine)
    pool = _pool()
    job_id = new_job_id()
    owned = _Owned(engine, principal, time_limit_s)
    pool.reserve(job_id, owned)
    try:
        now = _now()
        record: dict[str, Any] = {
            "id": job_id,
            "kind": kind,
            "status": QUEUED,
            "progress": 0.0,
            "message": "waiting for a free worker",
            "created_by": principal.user,
            "created_at": now,
            "heartbeat_at": now,
            "time_limit_s": time_limit_s,
            "parameters": json.dumps(parameters, sort_keys=True),
        }
        with UnitOfWork(engine, principal) as uow:
            _recover(uow, exclude=pool.owned_ids())
            JobStore(uow).insert(record)
            logged = {k: record[k] for k in ("kind", "status", "created_by", "time_limit_s")}
            logged["parameters"] = json.loads(record["parameters"])
            uow.changes.record([Change(JOB_ENTITY, job_id, "create", None, logged)])
            uow.commit()
    except BaseException:
        pool.release(job_id)
        raise
    pool.start(lambda: _work(job_id, owned, kind, runner))
    return job_id


def status(uow: UnitOfWork, job_id: str) -> dict[str, Any]:
    """What a job is doing, or what it did; NotFound for a job this principal may not see."""
    if not isinstance(job_id, str) or not 0 < len(job_id) <= JOB_ID_MAX:
        raise NotFound(f"no job {str(job_id)[:JOB_ID_MAX]!r}")
    sees_all = read_scope(uow.principal, JOB_ENTITY, owned=False).everything
    mine_only = None if sees_all else uow.principal.user
    row = JobStore(uow).get(job_id, created_by=mine_only)
    if row is None:
        raise NotFound(f"no job {job_id!r}")
    return _view(row, _now(), _pool().owned_ids())


def wait(job_id: str, timeout_s: float, engine: Engine | None = None) -> dict[str, Any]:
    """Wait until the job has finished and return its status; JobNotFinished after timeout_s."""
    engine = engine or default_engine()
    deadline = time.monotonic() + timeout_s
    owned = _pool().owned(job_id)
    if owned is not None:
        owned.done.wait(max(0.0, deadline - time.monotonic()))
    while True:
        with reading(SYSTEM, engine) as uow:
            found = status(uow, job_id)
        if found["status"] not in UNFINISHED:
            return found
        left = deadline - time.monotonic()
        if left <= 0:
            raise JobNotFinished(
                f"job {job_id} is still {found['status']} after {timeout_s:g} s "
                f"({found['progress']:.0%}: {found['message']})"
            )
        time.sleep(min(0.2, left))


def recover_interrupted(engine: Engine | None = None) -> list[str]:
    """Mark failed the jobs left queued or running by a process that stopped; their ids."""
    engine = engine or default_engine()
    require_schema(engine)
    with UnitOfWork(engine, SYSTEM) as uow:
        ids = _recover(uow, exclude=_pool().owned_ids())
        uow.commit()
    return ids


def _recover(uow: UnitOfWork, exclude: set[str]) -> list[str]:
    store, now = JobStore(uow), _now()
    ids, changes = [], []
    for row in store.unfinished():
        if row["id"] in exclude or not is_stale(row, now):
            continue
        if store.finish(row["id"], FAILED, now, "failed", error=INTERRUPTED, expected=UNFINISHED):
            ids.append(row["id"])
            changes.append(
                Change(
                    JOB_ENTITY,
                    row["id"],
                    "update",
                    {"status": row["status"]},
                    {"status": FAILED, "error": INTERRUPTED},
                )
            )
    if changes:
        uow.changes.record(changes)
        log.warning("interrupted jobs marked failed", extra={"event": "jobs", "jobs": ids})
    return ids


def _view(row: dict[str, Any], now: datetime, owned: set[str]) -> dict[str, Any]:
    view = {
        "id": row["id"],
        "kind": row["kind"],
        "status": row["status"],
        "progress": float(row["progress"]),
        "message": row["message"],
        "created_by": row["created_by"],
        "created_at": row["created_at"],
        "started_at": row["started_at"],
        "finished_at": row["finished_at"],
        "result": None if row["result"] is None else json.loads(row["result"]),
        "error": row["error"],
    }
    if row["id"] not in owned and is_stale(row, now):
        # Shown as recover_interrupted will record it; the last sign of life is when it ended.
        view.update(
            status=FAILED, message="failed", error=INTERRUPTED, finished_at=row["heartbeat_at"]
        )
    return view


# --- the worker -------------------------------------------------------------------------------


@contextmanager
def _progress_writer(job: _Owned) -> Iterator[UnitOfWork]:
    with UnitOfWork(job.engine, job.principal, busy_timeout=PROGRESS_BUSY_S) as uow:
        yield uow


def _advance(job_id: str, job: _Owned, progress: float, message: str) -> None:
    try:
        with _progress_writer(job) as uow:
            moved = JobStore(uow).advance(job_id, progress, message, _now())
            uow.commit()
    except DatabaseBusy:
        log.warning("job progress not written: database busy", extra={"job": job_id})
        return
    if not moved:
        with UnitOfWork(job.engine, SYSTEM, write=False) as uow:
            row = JobStore(uow).get(job_id)
        if row is None or row["status"] != RUNNING:
            raise _Abandoned()


def _work(job_id: str, job: _Owned, kind: str, runner: Callable[[str, _Owned], None]) -> None:
    try:
        runner(job_id, job)
    except _Abandoned:
        log.warning("job given up: no longer running", extra={"event": "job", "job": job_id})
    except (ServiceError, DatabaseBusy) as error:
        _fail(job_id, job, str(error).strip()[:MAX_ERROR_CHARS] or type(error).__name__)
    except Exception as error:
        log.exception(f"{kind} job failed unexpectedly", extra={"event": "job", "job": job_id})
        _fail(job_id, job, f"unexpected failure ({type(error).__name__})")
    finally:
        _pool().release(job_id)


def _start(job_id: str, job: _Owned) -> None:
    with UnitOfWork(job.engine, job.principal) as uow:
        started = JobStore(uow).start(job_id, _now(), READING[1])
        uow.commit()
    if not started:
        raise _Abandoned()


def _succeed(uow: UnitOfWork, job_id: str, message: str, result: dict[str, Any]) -> None:
    """Mark the job done in the transaction that stored its plan, and commit both."""
    if not JobStore(uow).finish(job_id, SUCCEEDED, _now(), message, result=json.dumps(result)):
        raise _Abandoned()  # rolls back: no plan is kept for a job given up
    uow.changes.record(
        [Change(JOB_ENTITY, job_id, "update", {"status": RUNNING},
                {"status": SUCCEEDED, "result": result})]
    )  # fmt: skip
    uow.commit()


def _run_allocation(job_id: str, job: _Owned, parameters: planner.Parameters, method: str) -> None:
    _start(job_id, job)
    with UnitOfWork(job.engine, job.principal, write=False) as uow:
        basis = allocation.prepare(uow, parameters)
    snapshot = basis.snapshot
    _advance(
        job_id,
        job,
        0.1,
        f"ledger read: {len(snapshot.requirements)} requirements, {len(snapshot.offers)} offers",
    )
    plan = _solving(job_id, job, lambda: allocation.solve(basis, method))
    with UnitOfWork(job.engine, job.principal) as uow:
        stored = allocation.store(uow, basis, plan)
        _succeed(uow, job_id, f"plan {stored.id} stored ({plan.status.value})",
                 {"plan_id": stored.id})  # fmt: skip


T = TypeVar("T")


def _solving(job_id: str, job: _Owned, solve: Callable[[], T]) -> T:
    """The solve phase every job shares: progress estimated from the time spent while the
    solver runs (`solving_since`), then "storing"."""
    _advance(job_id, job, SOLVING_FROM, "solving")
    job.solving_since = time.monotonic()
    try:
        result = solve()
    finally:
        job.solving_since = None
    _advance(job_id, job, *STORING)
    return result


def _run_logistics(job_id: str, job: _Owned, horizon: int, time_limit: float) -> None:
    _start(job_id, job)
    with UnitOfWork(job.engine, job.principal, write=False) as uow:
        basis = logistics.prepare(uow, date.today(), horizon)
    _advance(job_id, job, 0.1, f"ledger read: {len(basis.lines)} lines to route")
    plan = _solving(job_id, job, lambda: logistics.solve(basis, horizon, time_limit))
    with UnitOfWork(job.engine, job.principal) as uow:
        stored = logistics.store(uow, basis, plan, ())
        _succeed(uow, job_id, f"logistics plan {stored.id} stored ({stored.status})",
                 {"logistics_plan_id": stored.id})  # fmt: skip


def _run_training(job_id: str, job: _Owned, horizon_weeks: int, time_limit: float) -> None:
    _start(job_id, job)
    day_zero = training_plans.monday_of(date.today())
    with UnitOfWork(job.engine, job.principal, write=False) as uow:
        basis = training_plans.prepare(uow, day_zero, horizon_weeks)
    _advance(job_id, job, 0.1, f"ledger read: {len(basis.problem.cohorts)} cohorts to seat")
    plan = _solving(job_id, job, lambda: training_plans.solve(basis, time_limit))
    with UnitOfWork(job.engine, job.principal) as uow:
        stored = training_plans.store(uow, basis, plan)
        _succeed(uow, job_id, f"training plan {stored.id} stored ({stored.status})",
                 {"training_plan_id": stored.id})  # fmt: skip


def _fail(job_id: str, job: _Owned, error: str) -> None:
    try:
        with UnitOfWork(job.engine, job.principal) as uow:
            if JobStore(uow).finish(
                job_id, FAILED, _now(), "failed", error=error, expected=UNFINISHED
            ):
                uow.changes.record(
                    [
                        Change(
                            JOB_ENTITY,
                            job_id,
                            "update",
                            {"status": RUNNING},
                            {"status": FAILED, "error": error},
                        )
                    ]
                )
                uow.commit()
    except Exception:  # the job's heartbeat stops: readers will see it interrupted
        log.exception("job failure not recorded", extra={"event": "job", "job": job_id})
