"""Allocation as a background job: progress, its plan, failures, visibility, interrupted jobs."""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from coalition.domain.access import Principal, Role
from coalition.planning import allocation as planner
from coalition.services import allocation, jobs
from coalition.services.errors import Forbidden, NotFound, ServiceError
from coalition.storage.jobs import JobStore
from coalition.storage.tables import change_log, plans
from coalition.storage.tables import jobs as jobs_table
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import OFFERS_HEADER, import_text

REQUIREMENTS = (
    "ref,capability_area,family_code,quantity,priority,needed_by,destination_code,status\n"
    "REQ-2,artillery,SPH-155,4,3,2027-01-01,UA-DEP-W1,approved\n"
    "REQ-3,ammunition,AMMO-155,5000,2,2027-01-01,UA-DEP-W1,approved\n"
)
OFFERS = OFFERS_HEADER + (
    "DEU,OF-1,PZH2000,10,2026-01-01,DEU,new,,EUR,,offered,\n"
    "POL,OF-1,KRAB,6,2026-02-01,POL,new,,EUR,,offered,\n"
)
FLEET = "item_type_code,recipient_code,quantity,as_of\nPZH2000,UA-DEP-W1,18,2026-01-01\n"

COORDINATOR = Principal("coordinator")
DEU_DESK = Principal("desk-deu", Role.DONOR, "DEU")
POL_DESK = Principal("desk-pol", Role.DONOR, "POL")
AUDITOR = Principal("auditor", Role.AUDITOR)
WAIT_S = 60.0


@pytest.fixture
def ledger(seeded, tmp_path):
    import_text(seeded, tmp_path, "requirements", REQUIREMENTS)
    import_text(seeded, tmp_path, "offers", OFFERS)
    import_text(seeded, tmp_path, "fleet", FLEET)
    return seeded


def job_status(engine, job_id, principal=COORDINATOR):
    with UnitOfWork(engine, principal, write=False) as uow:
        return jobs.status(uow, job_id)


def stored_plan_ids(engine):
    with engine.connect() as connection:
        return [row.id for row in connection.execute(select(plans.c.id))]


def job_log(engine, job_id):
    with engine.connect() as connection:
        query = select(change_log).where(
            change_log.c.entity == "job", change_log.c.entity_key == job_id
        )
        return [dict(r) for r in connection.execute(query.order_by(change_log.c.id)).mappings()]


def test_a_job_runs_to_a_stored_plan_and_reports_it(ledger):
    job_id = jobs.submit_allocation(COORDINATOR, planner.Parameters(time_limit_s=10), engine=ledger)
    done = jobs.wait(job_id, WAIT_S, engine=ledger)
    assert done["status"] == "succeeded", done
    assert done["progress"] == 1.0
    assert done["error"] is None
    assert done["created_by"] == "coordinator"
    assert done["created_at"] <= done["started_at"] <= done["finished_at"]
    assert done["result"] == {"plan_id": stored_plan_ids(ledger)[0]}
    with UnitOfWork(ledger, COORDINATOR, write=False) as uow:
        plan = allocation.get_plan(uow, done["result"]["plan_id"]).plan
    assert plan.status == planner.PlanStatus.OPTIMAL
    assert sum(a.quantity for a in plan.assignments if a.offer_id == "DEU:OF-1") == 10
    # The job is in the change log: created queued, then succeeded with its plan.
    entries = job_log(ledger, job_id)
    assert [e["action"] for e in entries] == ["create", "update"]
    assert json.loads(entries[0]["after"])["parameters"]["time_limit_s"] == 10
    assert json.loads(entries[1]["after"]) == {"status": "succeeded", "result": done["result"]}


def test_progress_never_goes_back_and_ends_at_one(ledger, monkeypatch):
    written = []
    advance, finish = JobStore.advance, JobStore.finish

    def recording_advance(self, job_id, progress, message, at):
        moved = advance(self, job_id, progress, message, at)
        if moved:
            written.append((progress, message))
        return moved

    def recording_finish(self, job_id, status, at, message, **kwargs):
        finished = finish(self, job_id, status, at, message, **kwargs)
        if finished:
            written.append((1.0 if status == "succeeded" else None, message))
        return finished

    monkeypatch.setattr(JobStore, "advance", recording_advance)
    monkeypatch.setattr(JobStore, "finish", recording_finish)
    job_id = jobs.submit_allocation(COORDINATOR, planner.Parameters(time_limit_s=10), engine=ledger)
    assert jobs.wait(job_id, WAIT_S, engine=ledger)["status"] == "succeeded"
    values = [p for p, _ in written]
    assert values == sorted(values), written
    assert values[-1] == 1.0
    # The phases the API shows: ledger read, solving, storing, done.
    assert {0.1, jobs.SOLVING_FROM, 0.9} <= set(values)
    assert written[-1][1].startswith("plan ")


def test_a_failing_job_ends_failed_with_the_planners_reason_and_stores_no_plan(ledger):
    impossible = planner.Parameters(pins=(planner.Pin("DEU:OF-1", "REQ-3", 1),))
    job_id = jobs.submit_allocation(COORDINATOR, impossible, engine=ledger)
    done = jobs.wait(job_id, WAIT_S, engine=ledger)
    assert done["status"] == "failed"
    assert done["error"].startswith("cannot plan: pin")
    assert done["result"] is None
    assert done["progress"] < 1.0
    assert stored_plan_ids(ledger) == []
    assert json.loads(job_log(ledger, job_id)[-1]["after"])["status"] == "failed"


def test_an_unexpected_failure_is_logged_with_its_traceback_but_the_job_shows_one_line(
    ledger, monkeypatch, caplog
):
    def broken_solve(basis, method="milp"):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(allocation, "solve", broken_solve)
    caplog.set_level(logging.ERROR, logger="coalition.jobs")
    job_id = jobs.submit_allocation(COORDINATOR, planner.Parameters(), engine=ledger)
    done = jobs.wait(job_id, WAIT_S, engine=ledger)
    assert done["status"] == "failed"
    assert done["error"] == "unexpected failure (RuntimeError)"
    assert "secret" not in json.dumps(done, default=str)
    logged = [r for r in caplog.records if r.name == "coalition.jobs" and r.exc_info]
    assert logged and "secret internal detail" in str(logged[0].exc_info[1])
    assert stored_plan_ids(ledger) == []


def test_a_reader_sees_a_running_job_while_a_writer_holds_the_lock(ledger, monkeypatch):
    solving, release = threading.Event(), threading.Event()
    real_solve = allocation.solve

    def slow_solve(basis, method="milp"):
        solving.set()
        assert release.wait(WAIT_S), "the test never released the solver"
        return real_solve(basis, method)

    monkeypatch.setattr(allocation, "solve", slow_solve)
    job_id = jobs.submit_allocation(COORDINATOR, planner.Parameters(), engine=ledger)
    try:
        assert solving.wait(WAIT_S)
        seen = {}
        with UnitOfWork(ledger, COORDINATOR) as writer:
            # Hold the write lock (SQLite) and the job's row (PostgreSQL) while a reader reads.
            writer.connection.execute(
                select(jobs_table.c.id).where(jobs_table.c.id == job_id).with_for_update()
            )

            def read():
                seen.update(job_status(ledger, job_id, AUDITOR))

            reader = threading.Thread(target=read)
            reader.start()
            reader.join(timeout=5)
            assert not reader.is_alive(), "reading a job's status waited for a writer"
        assert seen["status"] == "running"
        assert jobs.SOLVING_FROM <= seen["progress"] < 0.9
        assert seen["message"].startswith("solving")
        assert seen["finished_at"] is None and seen["result"] is None
    finally:
        release.set()
    assert jobs.wait(job_id, WAIT_S, engine=ledger)["status"] == "succeeded"


@pytest.mark.parametrize("job_id", ["no-such-job", "x" * 500, ""])
def test_an_unknown_job_id_is_not_found(ledger, job_id):
    with pytest.raises(NotFound):
        job_status(ledger, job_id)


def test_only_staff_see_a_job_and_to_anyone_else_it_does_not_exist(ledger):
    job_id = jobs.submit_allocation(COORDINATOR, planner.Parameters(time_limit_s=10), engine=ledger)
    jobs.wait(job_id, WAIT_S, engine=ledger)
    for role in (Role.ADMIN, Role.COORDINATOR, Role.AUDITOR):
        assert job_status(ledger, job_id, Principal("staff", role))["id"] == job_id
    outsiders = [DEU_DESK, POL_DESK, Principal("a", Role.ANALYST), Principal("r", Role.RECIPIENT)]
    for outsider in outsiders:
        with pytest.raises(NotFound) as hidden:
            job_status(ledger, job_id, outsider)
        # Exactly what an unknown id gets: nothing says the job exists.
        with pytest.raises(NotFound) as unknown:
            job_status(ledger, "no-such-job", outsider)
        assert str(hidden.value) == str(unknown.value).replace("no-such-job", job_id)


@pytest.mark.parametrize("role", [Role.DONOR, Role.RECIPIENT, Role.ANALYST, Role.AUDITOR])
def test_only_coordinators_and_admins_may_submit_an_allocation_job(ledger, role):
    principal = DEU_DESK if role is Role.DONOR else Principal("someone", role)
    with pytest.raises(Forbidden):
        jobs.submit_allocation(principal, planner.Parameters(), engine=ledger)
    with ledger.connect() as connection:
        assert connection.execute(select(jobs_table.c.id)).first() is None


def test_an_unknown_method_is_refused_before_any_job_is_recorded(ledger):
    with pytest.raises(ServiceError, match="milp or greedy"):
        jobs.submit_allocation(COORDINATOR, planner.Parameters(), method="magic", engine=ledger)
    with ledger.connect() as connection:
        assert connection.execute(select(jobs_table.c.id)).first() is None


def insert_job(engine, job_id, status, *, started_ago, heartbeat_ago, time_limit_s=60.0):
    now = datetime.now(UTC)
    with UnitOfWork(engine, COORDINATOR) as uow:
        JobStore(uow).insert(
            {
                "id": job_id,
                "kind": "allocation",
                "status": status,
                "progress": 0.2 if status == "running" else 0.0,
                "message": "solving" if status == "running" else "waiting for a free worker",
                "created_by": "coordinator",
                "created_at": now - timedelta(seconds=max(started_ago or 0, heartbeat_ago)),
                "started_at": None if started_ago is None else now - timedelta(seconds=started_ago),
                "heartbeat_at": now - timedelta(seconds=heartbeat_ago),
                "time_limit_s": time_limit_s,
                "parameters": "{}",
            }
        )
        uow.commit()


def test_jobs_left_behind_by_a_stopped_server_read_as_interrupted_and_are_recorded_so(ledger):
    # A dead process: no heartbeat for long; a live-looking one that overran its time limit.
    insert_job(ledger, "silent", "running", started_ago=30, heartbeat_ago=jobs.STALE_AFTER_S + 5)
    insert_job(ledger, "overran", "running", started_ago=60 + jobs.OVERRUN_MARGIN_S + 5,
               heartbeat_ago=1)  # fmt: skip
    insert_job(ledger, "queued-orphan", "queued", started_ago=None, heartbeat_ago=3600)
    # Negative controls: a running job with a fresh heartbeat within its limit; a finished one.
    insert_job(ledger, "alive", "running", started_ago=30, heartbeat_ago=1)
    for job_id in ("silent", "overran", "queued-orphan"):
        shown = job_status(ledger, job_id)
        assert (shown["status"], shown["error"]) == ("failed", jobs.INTERRUPTED), job_id
    assert job_status(ledger, "alive")["status"] == "running"
    # Reading wrote nothing: the rows are still as left.
    with UnitOfWork(ledger, COORDINATOR, write=False) as uow:
        assert JobStore(uow).get("silent")["status"] == "running"

    assert sorted(jobs.recover_interrupted(ledger)) == ["overran", "queued-orphan", "silent"]
    with UnitOfWork(ledger, COORDINATOR, write=False) as uow:
        store = JobStore(uow)
        assert store.get("silent")["status"] == "failed"
        assert store.get("silent")["finished_at"] is not None
        assert store.get("alive")["status"] == "running"
    assert json.loads(job_log(ledger, "silent")[-1]["after"]) == {
        "status": "failed",
        "error": jobs.INTERRUPTED,
    }
    assert jobs.recover_interrupted(ledger) == []  # once only


def test_a_job_marked_interrupted_while_it_ran_keeps_no_plan(ledger, monkeypatch):
    solving, release = threading.Event(), threading.Event()
    real_solve = allocation.solve

    def slow_solve(basis, method="milp"):
        solving.set()
        assert release.wait(WAIT_S)
        return real_solve(basis, method)

    monkeypatch.setattr(allocation, "solve", slow_solve)
    job_id = jobs.submit_allocation(COORDINATOR, planner.Parameters(), engine=ledger)
    try:
        assert solving.wait(WAIT_S)
        # Another process (which cannot know this one is alive) gives the job up.
        with UnitOfWork(ledger, COORDINATOR) as uow:
            assert JobStore(uow).finish(
                job_id, "failed", datetime.now(UTC), "failed", error=jobs.INTERRUPTED
            )
            uow.commit()
    finally:
        release.set()
    done = jobs.wait(job_id, WAIT_S, engine=ledger)
    assert (done["status"], done["error"]) == ("failed", jobs.INTERRUPTED)
    assert stored_plan_ids(ledger) == []


def test_a_job_given_up_just_before_its_plan_is_stored_keeps_no_plan(ledger, monkeypatch):
    real_advance = jobs._advance

    def advance_then_give_up(job_id, job, progress, message):
        real_advance(job_id, job, progress, message)
        if progress == jobs.STORING[0]:  # between the last progress step and the store
            with UnitOfWork(ledger, COORDINATOR) as uow:
                assert JobStore(uow).finish(
                    job_id, "failed", datetime.now(UTC), "failed", error=jobs.INTERRUPTED
                )
                uow.commit()

    monkeypatch.setattr(jobs, "_advance", advance_then_give_up)
    job_id = jobs.submit_allocation(COORDINATOR, planner.Parameters(), engine=ledger)
    done = jobs.wait(job_id, WAIT_S, engine=ledger)
    assert (done["status"], done["error"]) == ("failed", jobs.INTERRUPTED)
    assert stored_plan_ids(ledger) == []


def test_stored_progress_only_moves_forward(ledger):
    insert_job(ledger, "steady", "running", started_ago=1, heartbeat_ago=0)
    at = datetime.now(UTC)
    with UnitOfWork(ledger, COORDINATOR) as uow:
        store = JobStore(uow)
        assert store.advance("steady", 0.5, "half", at)
        assert not store.advance("steady", 0.3, "back", at)
        uow.commit()
    shown = job_status(ledger, "steady")
    assert (shown["progress"], shown["message"]) == (0.5, "half")
