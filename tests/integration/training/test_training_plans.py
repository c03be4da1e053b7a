"""Training plans through the service on a small ledger worked by hand (support_ledger's
TRAINING_PLAN_SEED): crew-ready dates and lateness, the ETA from the accepted logistics plan
against the fallback, versions, acceptance superseding the plan in force, the change log, and
who may plan."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from coalition.domain.access import Principal, Role
from coalition.planning import allocation as planner
from coalition.services import allocation, training_plans
from coalition.services.errors import Forbidden, NotFound, ServiceError
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import SEED, TRAINING_PLAN_DAY_ZERO, TRAINING_PLAN_SEED, import_text

COORDINATOR = Principal("coord", Role.COORDINATOR)
DAY_ZERO = date.fromisoformat(TRAINING_PLAN_DAY_ZERO)


@pytest.fixture
def ledger(seeded: Engine, tmp_path: Path) -> Engine:
    for kind, text in TRAINING_PLAN_SEED.items():
        import_text(seeded, tmp_path, kind, text)
    return seeded


def plan(engine: Engine) -> training_plans.StoredTrainingPlan:
    return training_plans.run(COORDINATOR, 10.0, engine, DAY_ZERO)


def lines_of(stored: training_plans.StoredTrainingPlan) -> dict[str, dict]:
    return {line["line"]: line for line in stored.document["lines"]}


def test_crews_graduate_on_the_dates_worked_by_hand(ledger):
    stored = plan(ledger)
    assert stored.status in ("optimal", "feasible") and stored.day_zero == DAY_ZERO
    pzh, krab = lines_of(stored)["DEU:DEU-OF-1"], lines_of(stored)["POL:POL-OF-1"]
    assert (pzh["eta"], pzh["crew_ready"], pzh["days_late"], pzh["state"]) == (
        "2027-02-22", "2027-03-08", 14, "late"
    )  # fmt: skip
    assert pzh["eta_from"] == "available from + 7 transit days"
    # Two platforms idle for two weeks (weeks 7 to 9); Krab's crews wait three weeks for two.
    assert pzh["equipment_idle_platform_weeks"] == 4.0 and pzh["crews_idle_platform_weeks"] == 0
    assert (krab["eta"], krab["crew_ready"], krab["state"]) == (
        "2027-05-04",
        "2027-04-12",
        "on time",
    )
    assert krab["crews_idle_platform_weeks"] == 6.0
    schedules = {
        s["cohort"]: [i["intake"] for i in s["intakes"]] for s in stored.document["schedules"]
    }
    assert schedules == {"C-PZH": ["ART-1", "PZH-1"], "C-KRAB": ["ART-2", "KRAB-1"]}
    # objective: priority 3 (no requirement stands behind an offer accepted outside a plan),
    # weight 4 × 2 platforms × 2 weeks late.
    assert stored.objective == pytest.approx(16.0)
    assert stored.bound is not None and stored.bound <= stored.objective + 1e-6
    assert stored.summary | {} == stored.summary
    assert (stored.summary["on_time"], stored.summary["late"], stored.summary["short"]) == (1, 1, 0)


def test_trainees_in_no_cohort_are_named_as_the_unmet_need(ledger, tmp_path):
    import_text(ledger, tmp_path, "offers", TRAINING_PLAN_SEED["offers"].replace(
        "PZH2000,2,", "PZH2000,3,"))  # fmt: skip
    pzh = lines_of(plan(ledger))["DEU:DEU-OF-1"]
    assert pzh["state"] == "short of crews"
    assert pzh["unmet"] == [
        "5 of 15 trainees (1 platforms) are in no cohort of the cohorts registry for PZH2000"
    ]
    assert pzh["platforms_unmet"] == pytest.approx(1.0)


def test_the_eta_comes_from_the_accepted_logistics_plan_when_it_routed_the_line(seeded, tmp_path):
    # The PzH 2000 offered instead, allocated and accepted: the line is DEU:DEU-OF-1>REQ-1.
    ledger = seeded
    for kind, text in TRAINING_PLAN_SEED.items():
        offered = text.replace("DEU,new,,EUR,,accepted", "DEU,new,,EUR,,offered")
        import_text(ledger, tmp_path, kind, offered)
    needed = SEED["requirements"].replace("2027-01-01", "2027-06-01")  # reachable in time
    import_text(ledger, tmp_path, "requirements", needed, name="later.csv")
    in_service = "item_type_code,recipient_code,quantity,as_of\nPZH2000,UA-DEP-W1,4,2026-11-01\n"
    import_text(ledger, tmp_path, "fleet", in_service)  # no new-type penalty
    stored, _ = allocation.run(COORDINATOR, planner.Parameters(), engine=ledger)
    with UnitOfWork(ledger, COORDINATOR) as uow:
        allocation.accept(uow, stored.id)
    line = "DEU:DEU-OF-1>REQ-1"
    fallback = lines_of(plan(ledger))[line]
    assert (fallback["eta"], fallback["priority"], fallback["requirement"]) == (
        "2027-02-22",
        1,
        "REQ-1",
    )
    # An accepted logistics plan that routed the line: its last unit arrives on day 60 from
    # 1 January 2027, 2 March; the crews (ready 8 March) are 6 days late.
    with UnitOfWork(ledger, COORDINATOR) as uow:
        document = {"etas": [{"line": line, "last_arrival_day": 60, "unrouted_units": 0}],
                    "sources": {line: {"offer": "DEU:DEU-OF-1", "requirement": "REQ-1",
                                       "release_day": 45}}}  # fmt: skip
        routed = uow.logistics_plans.insert({
            "created_at": datetime.now(UTC), "created_by": "coord", "status": "optimal",
            "day_zero": date(2027, 1, 1), "horizon_days": 180, "objective": 0.0,
            "weighted_lateness": 0.0, "cost": 0.0, "lower_bound": 0.0, "gap": 0.0,
            "seconds": 0.0, "allocation_plan_id": stored.id, "closures": "[]",
            "document": json.dumps(document),
        })  # fmt: skip
        uow.logistics_plans.mark_accepted(routed, datetime.now(UTC), "coord")
        uow.commit()
    again = plan(ledger)
    shown = lines_of(again)[line]
    assert (shown["eta"], shown["eta_from"], shown["days_late"]) == (
        "2027-03-02", f"logistics plan {routed}", 6
    )  # fmt: skip
    assert again.logistics_plan_id == routed and again.allocation_plan_id == stored.id


def test_plans_are_versions_and_accepting_one_supersedes_the_plan_in_force(ledger):
    first, second = plan(ledger), plan(ledger)
    with UnitOfWork(ledger, COORDINATOR) as uow:
        assert training_plans.accept(uow, first.id).state == "accepted"
    with UnitOfWork(ledger, COORDINATOR) as uow:
        training_plans.accept(uow, second.id)
    with UnitOfWork(ledger, COORDINATOR, write=False) as uow:
        found, total = training_plans.list_plans(uow, 10, 0)
        assert total == 2 and [p.id for p in found] == [second.id, first.id]
        assert [p.state for p in found] == ["accepted", "superseded"]
        assert training_plans.plan_in_view(uow, None).id == second.id
        history = uow.history("training_plan", str(first.id))
        assert [e["action"] for e in history] == ["create", "update", "update"]
        assert json.loads(history[0]["after"])["objective"] == pytest.approx(16.0)
        assert json.loads(history[2]["after"]) == {"superseded_by": second.id}
        assert all(e["actor"] == "coord" for e in history)
    with UnitOfWork(ledger, COORDINATOR) as uow, pytest.raises(ServiceError, match="decided"):
        training_plans.accept(uow, first.id)
    with (
        UnitOfWork(ledger, COORDINATOR) as uow,
        pytest.raises(NotFound, match="no training plan 99"),
    ):
        training_plans.accept(uow, 99)


@pytest.mark.parametrize("role", [Role.ANALYST, Role.AUDITOR, Role.RECIPIENT])
def test_only_staff_plan_and_only_who_sees_all_reads_training_plans(ledger, role):
    someone = Principal("someone", role)
    with pytest.raises(Forbidden, match="may not plan training"):
        training_plans.run(someone, 5.0, ledger, DAY_ZERO)
    stored = plan(ledger)
    with UnitOfWork(ledger, someone) as uow:
        if role is Role.AUDITOR:  # sees every record, writes none
            assert training_plans.list_plans(uow)[1] == 1
            with pytest.raises(Forbidden):
                training_plans.accept(uow, stored.id)
        else:
            assert training_plans.list_plans(uow) == ([], 0)
            with pytest.raises(NotFound):
                training_plans.accept(uow, stored.id)


def test_explain_says_why_in_dates_and_names_an_unknown_line(ledger):
    stored = plan(ledger)
    with UnitOfWork(ledger, COORDINATOR, write=False) as uow:
        why = training_plans.explain(uow, "DEU:DEU-OF-1")
        (cohort,) = why["cohorts"]
        assert cohort["code"] == "intake_dates" and cohort["binding_intake"] == "PZH-1"
        assert cohort["ready"] == "2027-03-08" and cohort["days_late"] == 14
        assert "2027-01-25" in cohort["text"] and "week" not in cohort["text"]
        assert "week" not in why["summary"]
        assert training_plans.explain(uow, "POL:POL-OF-1", stored.id)["cohorts"][0]["code"] == (
            "on_time"
        )
        with pytest.raises(NotFound, match="line 'NOPE' is not in training plan"):
            training_plans.explain(uow, "NOPE")


def test_limits_are_refused_in_one_line(ledger):
    with pytest.raises(ServiceError, match="--time-limit"):
        training_plans.run(COORDINATOR, 0.0, ledger, DAY_ZERO)
    with pytest.raises(ServiceError, match="--horizon"):
        training_plans.run(COORDINATOR, 5.0, ledger, DAY_ZERO, horizon_weeks=0)
