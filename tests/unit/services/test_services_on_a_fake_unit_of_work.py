"""Service rules tested in milliseconds on the in-memory unit of work (no database)."""

from __future__ import annotations

import pytest

from coalition.planning import allocation as planner
from coalition.services import allocation, coverage, ledger
from coalition.services.errors import NotFound, ServiceError
from fakes import FakeLedger
from support_ledger import OFFERS_HEADER, SEED

OFFERS = OFFERS_HEADER + (
    "DEU,OF-1,PZH2000,10,2026-01-01,DEU,new,,EUR,,offered,\n"
    "POL,OF-1,KRAB,6,2026-02-01,POL,new,,EUR,,offered,\n"
)


@pytest.fixture
def fake(tmp_path):
    books = FakeLedger()
    for kind, text in [*SEED.items(), ("offers", OFFERS)]:
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        with books.unit_of_work() as uow:
            ledger.import_file(uow, kind, path)
    return books


def test_an_import_is_logged_once_per_record_and_a_repeat_changes_nothing(fake, tmp_path):
    created = [e for e in fake.log if e["entity"] == "offer"]
    assert [e["entity_key"] for e in created] == ["DEU:OF-1", "POL:OF-1"]
    path = tmp_path / "again.csv"
    path.write_text(OFFERS, encoding="utf-8")
    with fake.unit_of_work() as uow:
        result = ledger.import_file(uow, "offers", path)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert len([e for e in fake.log if e["entity"] == "offer"]) == 2


def test_an_illegal_status_change_is_refused_and_nothing_is_logged(fake):
    logged = len(fake.log)
    with fake.unit_of_work() as uow, pytest.raises(ServiceError, match="cannot go from"):
        ledger.change_status(uow, "offers", "DEU:OF-1", "delivered")
    assert len(fake.log) == logged
    with fake.unit_of_work(write=False) as uow:
        assert ledger.get_record(uow, "offers", "DEU:OF-1")["status"] == "offered"


def test_a_legal_status_change_is_recorded_with_before_and_after(fake):
    with fake.unit_of_work("coordinator") as uow:
        ledger.change_status(uow, "offers", "DEU:OF-1", "accepted")
    entry = fake.log[-1]
    assert (entry["actor"], entry["entity_key"]) == ("coordinator", "DEU:OF-1")
    assert '"status":"offered"' in entry["before"] and '"status":"accepted"' in entry["after"]


def test_coverage_counts_accepted_offers_against_requirements_in_eur(fake):
    with fake.unit_of_work("coordinator") as uow:
        ledger.change_status(uow, "offers", "DEU:OF-1", "accepted")
    with fake.unit_of_work(write=False) as uow:
        rows = {r.capability_area: r for r in coverage.coverage_rows(uow)}
    artillery = rows["artillery"]
    assert artillery.requirement_lines == 1
    # 10 PzH 2000 accepted of 12 required; the family's unit value is its median reference.
    assert artillery.coverage == pytest.approx(10 / 12)


def plan_on(fake, **parameters):
    with fake.unit_of_work(write=False) as uow:
        basis = allocation.prepare(uow, planner.Parameters(**parameters))
    plan = allocation.solve(basis)
    with fake.unit_of_work("coordinator") as uow:
        stored = allocation.store(uow, basis, plan)
        uow.commit()
    return stored


def test_a_plan_goes_stale_when_an_offer_it_uses_is_withdrawn(fake):
    stored = plan_on(fake)
    assert any(a.offer_id == "DEU:OF-1" for a in stored.plan.assignments)
    with fake.unit_of_work() as uow:
        ledger.change_status(uow, "offers", "DEU:OF-1", "withdrawn")
    with fake.unit_of_work() as uow, pytest.raises(ServiceError) as error:
        allocation.accept(uow, stored.id)
    assert "offer DEU:OF-1: no longer open for planning" in str(error.value)


def test_plan_ids_start_at_one(fake):
    plan_on(fake)
    with fake.unit_of_work(write=False) as uow, pytest.raises(NotFound, match="start at 1"):
        allocation.get_plan(uow, 0)


@pytest.mark.parametrize(
    ("pin", "message"),
    [("O1@R1", "is not OFFER@REQUIREMENT=QUANTITY"), ("@R1=2", "is not"), ("O1@R1=x", "is not")],
)
def test_a_malformed_pin_names_the_expected_shape(pin, message):
    with pytest.raises(ServiceError, match=message):
        allocation.parameters(pins=[pin])
