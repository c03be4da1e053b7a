"""The training plan service on the in-memory unit of work: the ledger worked by hand in
support_ledger, prepared, scheduled, stored, accepted; nothing kept when not committed."""

from __future__ import annotations

from datetime import date

import pytest

from coalition.planning import training as tr
from coalition.services import ledger, training_plans
from fakes import FakeLedger
from support_ledger import SEED, TRAINING_PLAN_DAY_ZERO, TRAINING_PLAN_SEED

DAY_ZERO = date.fromisoformat(TRAINING_PLAN_DAY_ZERO)


@pytest.fixture
def fake(tmp_path):
    books = FakeLedger()
    for kind, text in {**SEED, **TRAINING_PLAN_SEED}.items():
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        with books.unit_of_work() as uow:
            ledger.import_file(uow, kind, path)
    return books


def test_the_ledger_maps_to_the_problem_worked_by_hand(fake):
    with fake.unit_of_work(write=False) as uow:
        basis = training_plans.prepare(uow, DAY_ZERO)
    problem = basis.problem
    assert {i.id: i.start_week for i in problem.intakes} == {
        "ART-1": 0, "ART-2": 4, "PZH-1": 3, "KRAB-1": 8
    }  # fmt: skip
    lines = {ln.id: ln for ln in problem.lines}
    assert lines["DEU:DEU-OF-1"] == tr.Line("DEU:DEU-OF-1", 7, 3, 5, ("CRS-PZH2000-CREW",), 2)
    assert lines["POL:POL-OF-1"].eta_week == 17  # 4 May: day 120
    assert {k.id: k.line for k in problem.cohorts} == {
        "C-PZH": "DEU:DEU-OF-1", "C-KRAB": "POL:POL-OF-1"
    }  # fmt: skip


def test_a_stored_plan_is_kept_only_when_committed_and_accepting_logs_it(fake):
    with fake.unit_of_work(write=False) as uow:
        basis = training_plans.prepare(uow, DAY_ZERO)
    plan = tr.schedule(basis.problem, time_limit=5.0)
    with fake.unit_of_work() as uow:
        training_plans.store(uow, basis, plan)  # not committed: rolled back
    assert fake.training_plans == {}
    with fake.unit_of_work() as uow:
        stored = training_plans.store(uow, basis, plan)
        uow.commit()
    with fake.unit_of_work() as uow:
        assert training_plans.accept(uow, stored.id).state == "accepted"
    entries = [e for e in fake.log if e["entity"] == "training_plan"]
    assert [e["action"] for e in entries] == ["create", "update"]
