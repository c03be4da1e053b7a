"""A logistics plan as a background job: the service's own rules on who and which bounds, the
plan it stores, and donors who see neither the job's plan nor any logistics plan."""

from __future__ import annotations

import pytest

from coalition.domain.access import Principal, Role
from coalition.services import jobs, logistics
from coalition.services.errors import Forbidden, NotFound, ServiceError
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import database_content

COORDINATOR = Principal("coordinator")
DEU_DESK = Principal("desk-deu", Role.DONOR, "DEU")
AUDITOR = Principal("auditor", Role.AUDITOR)


def test_a_logistics_job_stores_a_plan_and_names_it(seeded):
    job_id = jobs.submit_logistics(COORDINATOR, 30, 5.0, engine=seeded)
    done = jobs.wait(job_id, 60, engine=seeded)
    assert done["status"] == "succeeded" and done["kind"] == "logistics", done
    plan_id = done["result"]["logistics_plan_id"]
    with UnitOfWork(seeded, AUDITOR, write=False) as uow:
        assert logistics.get_plan(uow, plan_id).horizon_days == 30
    with UnitOfWork(seeded, DEU_DESK, write=False) as uow:
        with pytest.raises(NotFound):
            logistics.get_plan(uow, plan_id)
        assert logistics.list_plans(uow) == ([], 0)
        assert logistics.in_force(uow) is None


@pytest.mark.parametrize(
    ("principal", "horizon", "limit", "refusal"),
    [
        (DEU_DESK, 30, 5.0, Forbidden),
        (AUDITOR, 30, 5.0, Forbidden),
        (COORDINATOR, logistics.MAX_HORIZON_DAYS + 1, 5.0, ServiceError),
        (COORDINATOR, 30, logistics.MAX_TIME_LIMIT_S + 1, ServiceError),
        (COORDINATOR, 30, float("nan"), ServiceError),
    ],
)
def test_a_logistics_job_is_refused_before_anything_is_recorded(
    seeded, principal, horizon, limit, refusal
):
    before = database_content(seeded)
    with pytest.raises(refusal):
        jobs.submit_logistics(principal, horizon, limit, engine=seeded)
    assert database_content(seeded) == before
