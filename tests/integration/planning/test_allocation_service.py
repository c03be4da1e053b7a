"""Allocation through the ledger: versioned plans, acceptance, export and re-verification."""

from __future__ import annotations

import json

import pytest

from coalition.domain.access import Principal
from coalition.planning import allocation as planner
from coalition.services import allocation, ledger
from coalition.services.errors import NotFound, ServiceError
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import OFFERS_HEADER, database_content, import_text

REQUIREMENTS = (
    "ref,capability_area,family_code,quantity,priority,needed_by,destination_code,status\n"
    "REQ-2,artillery,SPH-155,4,3,2027-01-01,UA-DEP-W1,approved\n"
    "REQ-3,ammunition,AMMO-155,5000,2,2027-01-01,UA-DEP-W1,approved\n"
    "REQ-4,ammunition,AMMO-155,100,5,2027-01-01,UA-DEP-W1,draft\n"
)
OFFERS = OFFERS_HEADER + (
    "DEU,OF-1,PZH2000,10,2026-01-01,DEU,new,,EUR,,offered,\n"
    "POL,OF-1,KRAB,6,2026-02-01,POL,new,,EUR,,offered,\n"
)
FLEET = "item_type_code,recipient_code,quantity,as_of\nPZH2000,UA-DEP-W1,18,2026-01-01\n"


@pytest.fixture
def ledger_with_offers(seeded, tmp_path):
    import_text(seeded, tmp_path, "requirements", REQUIREMENTS)
    import_text(seeded, tmp_path, "offers", OFFERS)
    import_text(seeded, tmp_path, "fleet", FLEET)
    return seeded


COORDINATOR = Principal("coordinator")


def allocate(engine, **parameters):
    return allocation.run(COORDINATOR, planner.Parameters(**parameters), engine=engine)


def test_plans_are_stored_as_new_versions_with_the_fleet_type_preferred(ledger_with_offers):
    first, snapshot = allocate(ledger_with_offers)
    second, _ = allocate(ledger_with_offers)
    assert (first.id, second.id) == (1, 2)
    assert first.plan.status == planner.PlanStatus.OPTIMAL
    # Only approved requirements are planned; the draft one is not in the snapshot.
    assert {r.id for r in snapshot.requirements} == {"REQ-1", "REQ-2", "REQ-3"}
    used = {(a.offer_id, a.requirement_id): a.quantity for a in first.plan.assignments}
    # PzH 2000 is in service: its 10 units go first; Krab would be a new type in SPH-155.
    assert sum(q for (o, _), q in used.items() if o == "DEU:OF-1") == 10
    with UnitOfWork(ledger_with_offers, Principal("auditor")) as uow:
        assert allocation.get_plan(uow, 1).plan.assignments == first.plan.assignments


def test_explanations_name_a_need_nobody_offers(ledger_with_offers):
    stored, snapshot, fresh = allocation.current_plan(
        COORDINATOR, planner.Parameters(), engine=ledger_with_offers
    )
    assert fresh
    why = planner.explain_requirement(snapshot, stored.plan, "REQ-3")
    assert why.shortfall == 5000
    assert [r.code.value for r in why.reasons] == ["NO_COMPATIBLE_OFFER"]


def test_accepting_a_plan_accepts_its_offers_once_and_later_plans_build_on_it(
    ledger_with_offers,
):
    stored, _ = allocate(ledger_with_offers)
    with UnitOfWork(ledger_with_offers, Principal("coordinator")) as uow:
        keys = allocation.accept(uow, stored.id).offers_accepted
    assert keys == sorted({a.offer_id for a in stored.plan.assignments})
    with UnitOfWork(ledger_with_offers, Principal("auditor")) as uow:
        for key in keys:
            assert ledger.get_record(uow, "offers", key)["status"] == "accepted"
            assert ledger.history(uow, "offers", key)[-1]["actor"] == "coordinator"
    with (
        UnitOfWork(ledger_with_offers, Principal("coordinator")) as uow,
        pytest.raises(ServiceError),
    ):
        allocation.accept(uow, stored.id)
    with UnitOfWork(ledger_with_offers, Principal("coordinator")) as uow:
        snapshot = allocation.prepare(uow, planner.Parameters()).snapshot
    assert not {o.id for o in snapshot.offers} & set(keys)
    remaining = {r.id: r.quantity for r in snapshot.requirements}
    served = sum(a.quantity for a in stored.plan.assignments if a.requirement_id == "REQ-1")
    assert remaining.get("REQ-1", 0) == 12 - served


def test_pins_and_forbids_reach_the_planner(ledger_with_offers):
    stored, _ = allocate(
        ledger_with_offers,
        pins=(planner.Pin("POL:OF-1", "REQ-2", 2),),
        forbids=frozenset({("DEU:OF-1", "REQ-2")}),
    )
    used = {(a.offer_id, a.requirement_id): a.quantity for a in stored.plan.assignments}
    assert used[("POL:OF-1", "REQ-2")] >= 2
    assert ("DEU:OF-1", "REQ-2") not in used


def test_an_exported_plan_verifies_and_a_tampered_one_does_not(ledger_with_offers, tmp_path):
    stored, snapshot = allocate(ledger_with_offers)
    planner.export_snapshot(snapshot, stored.plan, tmp_path / "plan")
    assert planner.verify_plan(tmp_path / "plan").passed
    plan_file = tmp_path / "plan" / "plan.json"
    data = json.loads(plan_file.read_text())
    data["assignments"][0]["quantity"] += 100
    plan_file.write_text(json.dumps(data))
    assert not planner.verify_plan(tmp_path / "plan").passed


def test_two_plans_diff_by_their_assignments(ledger_with_offers):
    first, _ = allocate(ledger_with_offers)
    second, _ = allocate(ledger_with_offers, forbids=frozenset({("DEU:OF-1", "REQ-1")}))
    with UnitOfWork(ledger_with_offers, Principal("analyst")) as uow:
        result = allocation.diff(uow, first.id, second.id)
    changes = {(r["offer"], r["requirement"]): r["change"] for r in result["assignments"]}
    assert changes[("DEU:OF-1", "REQ-1")] == "removed"


def test_an_impossible_pin_is_refused_and_no_plan_is_stored(ledger_with_offers):
    with pytest.raises(ServiceError) as error:
        allocate(ledger_with_offers, pins=(planner.Pin("DEU:OF-1", "REQ-3", 1),))
    assert "cannot plan: pin" in str(error.value)
    with UnitOfWork(ledger_with_offers, Principal("auditor")) as uow, pytest.raises(NotFound):
        allocation.latest_plan(uow)


def accept(engine, plan_id):
    with UnitOfWork(engine, COORDINATOR) as uow:
        return allocation.accept(uow, plan_id)


@pytest.mark.parametrize("plan_id", [0, -1, 99])
def test_accepting_an_unknown_plan_id_is_an_error_and_changes_nothing(ledger_with_offers, plan_id):
    allocate(ledger_with_offers)
    before = database_content(ledger_with_offers)
    with pytest.raises(NotFound, match=f"no plan {plan_id}"):
        accept(ledger_with_offers, plan_id)
    assert database_content(ledger_with_offers) == before


def test_a_plan_computed_before_another_was_accepted_is_refused_as_stale(ledger_with_offers):
    first, _ = allocate(ledger_with_offers)
    second, _ = allocate(ledger_with_offers, forbids=frozenset({("DEU:OF-1", "REQ-1")}))
    accept(ledger_with_offers, first.id)
    with pytest.raises(ServiceError, match=f"plan {second.id} is out of date") as error:
        accept(ledger_with_offers, second.id)
    assert "no longer open for planning" in str(error.value)
    with UnitOfWork(ledger_with_offers, Principal("auditor")) as uow:
        states = {p.id: p.state.value for p in allocation.list_plans(uow)[0]}
    assert states == {first.id: "accepted", second.id: "proposed"}


def test_a_plan_whose_offer_shrank_since_it_was_computed_is_refused_with_the_change(
    ledger_with_offers, tmp_path
):
    stored, _ = allocate(ledger_with_offers)
    used = sum(a.quantity for a in stored.plan.assignments if a.offer_id == "DEU:OF-1")
    assert used > 1
    import_text(
        ledger_with_offers,
        tmp_path,
        "offers",
        OFFERS_HEADER + "DEU,OF-1,PZH2000,1,2026-01-01,DEU,new,,EUR,,offered,\n",
        name="shrunk.csv",
    )
    before = database_content(ledger_with_offers)
    with pytest.raises(ServiceError) as error:
        accept(ledger_with_offers, stored.id)
    assert "offer DEU:OF-1: quantity 10 → 1" in str(error.value)
    assert database_content(ledger_with_offers) == before


def test_a_plan_whose_requirement_closed_is_refused(ledger_with_offers):
    stored, _ = allocate(ledger_with_offers)
    with UnitOfWork(ledger_with_offers, COORDINATOR) as uow:
        ledger.change_status(uow, "requirements", "REQ-1", "cancelled")
    with pytest.raises(ServiceError, match="requirement REQ-1: no longer open for planning"):
        accept(ledger_with_offers, stored.id)


def test_accepting_a_later_plan_supersedes_the_one_in_force_and_carries_its_assignments(
    ledger_with_offers, tmp_path
):
    first, _ = allocate(ledger_with_offers)
    taken = set(accept(ledger_with_offers, first.id).offers_accepted)
    import_text(
        ledger_with_offers,
        tmp_path,
        "offers",
        OFFERS_HEADER + "DEU,OF-2,PZH2000,2,2026-01-01,DEU,new,,EUR,,offered,\n",
        name="more.csv",
    )
    second, _ = allocate(ledger_with_offers)
    assert second.builds_on == first.id

    assert set(second.carried) == set(first.plan.assignments)
    result = accept(ledger_with_offers, second.id)
    assert result.superseded == first.id
    taken |= set(result.offers_accepted)
    with UnitOfWork(ledger_with_offers, Principal("auditor")) as uow:
        states = {p.id: p.state.value for p in allocation.list_plans(uow)[0]}
        logged = ledger_history_of_plan(uow, first.id)
    assert states == {first.id: "superseded", second.id: "accepted"}
    assert logged[-1]["action"] == "update" and '"superseded_by":2' in logged[-1]["after"]
    # A third plan builds on the second, which carries the first's assignments too.
    third, snapshot = allocate(ledger_with_offers)
    assert third.builds_on == second.id
    assert {a.requirement_id for a in third.carried} >= {"REQ-1"}
    assert not taken & {o.id for o in snapshot.offers}


def test_accepting_the_same_plan_twice_is_refused(ledger_with_offers):
    stored, _ = allocate(ledger_with_offers)
    accept(ledger_with_offers, stored.id)
    with pytest.raises(ServiceError, match="is accepted: only a proposed plan"):
        accept(ledger_with_offers, stored.id)


def ledger_history_of_plan(uow, plan_id):
    from coalition.storage.changelog import entries_for

    return entries_for(uow.connection, "plan", str(plan_id))


def test_coverage_before_a_plan_is_what_the_plan_in_force_already_covers(ledger_with_offers):
    # Keep the Krabs off REQ-1 so the first plan covers 10 of its 12 howitzers.
    first, _ = allocate(ledger_with_offers, forbids=frozenset({("POL:OF-1", "REQ-1")}))
    assert sum(a.quantity for a in first.plan.assignments if a.requirement_id == "REQ-1") == 10
    accept(ledger_with_offers, first.id)
    second, snapshot = allocate(ledger_with_offers)
    open_need = next(r for r in snapshot.requirements if r.id == "REQ-1")
    assert (open_need.quantity, open_need.already_covered) == (2, 10)
    row = next(r for r in second.plan.requirement_coverage if r.requirement_id == "REQ-1")
    assert (row.quantity, row.covered_before) == (12, pytest.approx(10 / 12))
    artillery = next(a for a in second.plan.area_coverage if a.capability_area == "artillery")
    assert artillery.covered_before > 0
    assert artillery.covered_after >= artillery.covered_before


def test_a_platform_need_served_by_a_type_in_service_is_not_a_new_type(seeded, tmp_path):
    # REQ-P wants PzH 2000 itself; Ukraine already operates PzH 2000 in the family.
    import_text(
        seeded,
        tmp_path,
        "requirements",
        "ref,capability_area,family_code,quantity,priority,needed_by,destination_code,status,"
        "unit,platform_code\nREQ-P,artillery,SPH-155,2,1,2027-01-01,UA-DEP-W1,approved,EA,"
        "PZH2000\n",
        name="platform-need.csv",
    )
    import_text(seeded, tmp_path, "offers", OFFERS, name="o.csv")
    import_text(seeded, tmp_path, "fleet", FLEET, name="f.csv")
    stored, snapshot = allocate(seeded, forbids=frozenset({("DEU:OF-1", "REQ-1")}))
    need = next(r for r in snapshot.requirements if r.id == "REQ-P")
    assert need.family == "SPH-155@PZH2000"
    assert ("SPH-155@PZH2000", "PZH2000") in snapshot.fleet
    used = {(a.offer_id, a.requirement_id) for a in stored.plan.assignments}
    assert ("DEU:OF-1", "REQ-P") in used
    assert ("SPH-155@PZH2000", "PZH2000") not in stored.plan.new_types
