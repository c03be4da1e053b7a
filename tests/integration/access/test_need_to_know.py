"""Need-to-know: one filter decides what each principal reads, on every path."""

from __future__ import annotations

import csv

import pytest

from coalition.domain.access import Principal, Role, may_see
from coalition.planning import allocation as planner
from coalition.services import allocation, ledger
from coalition.services.errors import ImportRejected, NotFound, VersionConflict
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import BURDEN_SEED, OFFERS_HEADER, database_content, import_text

COORDINATOR = Principal("coord", Role.COORDINATOR)
DESK_DEU = Principal("desk-deu", Role.DONOR, "DEU")
DESK_POL = Principal("desk-pol", Role.DONOR, "POL")
RECIPIENT = Principal("ua-logistics", Role.RECIPIENT)
ANALYST = Principal("analyst", Role.ANALYST)
AUDITOR = Principal("auditor", Role.AUDITOR)

OFFERS = OFFERS_HEADER.replace("delivered_on\n", "delivered_on,marking\n") + (
    "DEU,OF-1,PZH2000,10,2026-01-01,DEU,new,,EUR,,offered,,NATO UNCLASSIFIED\n"
    "DEU,OF-2,HE155,500,2026-01-01,DEU,new,,EUR,,offered,,RESTRICTED\n"
    "POL,OF-1,KRAB,6,2026-02-01,POL,new,,EUR,,offered,,REL TO UKR\n"
    "POL,OF-2,HE155,300,2026-02-01,POL,used,,EUR,,offered,,RESTRICTED\n"
)
PLEDGES = (
    "donor_code,external_id,amount,currency,year,pledged_on,purpose,status,channel_code,"
    "disbursed_on\n"
    "DEU,P-1,100000,EUR,2025,2025-02-03,procurement,pledge,,\n"
    "POL,P-1,300000,EUR,2025,2025-02-03,procurement,pledge,,\n"
)
REQUIREMENTS = (
    "ref,capability_area,family_code,quantity,priority,needed_by,destination_code,status,marking\n"
    "REQ-9,artillery,SPH-155,2,2,2027-01-01,UA-DEP-W1,approved,REL TO DEU\n"
)


@pytest.fixture
def ledger_of_two_donors(seeded, tmp_path):
    import_text(seeded, tmp_path, "offers", OFFERS)
    import_text(seeded, tmp_path, "pledges", PLEDGES)
    import_text(seeded, tmp_path, "requirements", REQUIREMENTS, name="rel.csv")
    return seeded


def keys(engine, principal, kind):
    with UnitOfWork(engine, principal, write=False) as uow:
        return {ledger.resolve_kind(kind).key_of(r) for r in ledger.list_records(uow, kind, {})}


@pytest.mark.parametrize(
    ("principal", "offers", "pledges"),
    [
        (COORDINATOR, {"DEU:OF-1", "DEU:OF-2", "POL:OF-1", "POL:OF-2"}, {"DEU:P-1", "POL:P-1"}),
        (AUDITOR, {"DEU:OF-1", "DEU:OF-2", "POL:OF-1", "POL:OF-2"}, {"DEU:P-1", "POL:P-1"}),
        (DESK_DEU, {"DEU:OF-1", "DEU:OF-2"}, {"DEU:P-1"}),
        (DESK_POL, {"POL:OF-1", "POL:OF-2"}, {"POL:P-1"}),
        (RECIPIENT, {"DEU:OF-1", "POL:OF-1"}, set()),
        (ANALYST, set(), set()),
    ],
    ids=["coordinator", "auditor", "desk-deu", "desk-pol", "recipient", "analyst"],
)
def test_each_role_lists_exactly_the_records_it_may_see(
    ledger_of_two_donors, principal, offers, pledges
):
    assert keys(ledger_of_two_donors, principal, "offers") == offers
    assert keys(ledger_of_two_donors, principal, "pledges") == pledges


def test_a_record_released_to_one_donor_is_seen_by_it_and_not_by_another(ledger_of_two_donors):
    assert "REQ-9" in keys(ledger_of_two_donors, DESK_DEU, "requirements")
    assert "REQ-9" not in keys(ledger_of_two_donors, DESK_POL, "requirements")
    assert "REQ-9" not in keys(ledger_of_two_donors, RECIPIENT, "requirements")
    assert "REQ-1" in keys(ledger_of_two_donors, DESK_POL, "requirements")


def test_another_donors_record_does_not_exist_for_a_donor(ledger_of_two_donors):
    with UnitOfWork(ledger_of_two_donors, DESK_DEU, write=False) as uow:
        with pytest.raises(NotFound):
            ledger.get_record(uow, "offers", "POL:OF-1")
        with pytest.raises(NotFound):
            ledger.history(uow, "offers", "POL:OF-1")
        assert ledger.list_page(uow, "offers", {}).total == 2


def test_an_export_holds_only_what_its_reader_may_see(ledger_of_two_donors, tmp_path):
    out = tmp_path / "mine.csv"
    with UnitOfWork(ledger_of_two_donors, DESK_POL, write=False) as uow:
        assert ledger.export_file(uow, "offers", out) == 2
    with out.open(encoding="utf-8") as handle:
        assert {row["donor_code"] for row in csv.DictReader(handle)} == {"POL"}


def test_a_donor_cannot_import_another_donors_offers_and_nothing_is_written(
    ledger_of_two_donors, tmp_path
):
    path = tmp_path / "theirs.csv"
    path.write_text(
        OFFERS_HEADER + "POL,OF-9,KRAB,1,2026-02-01,POL,new,,EUR,,offered,\n", encoding="utf-8"
    )
    before = database_content(ledger_of_two_donors)
    with UnitOfWork(ledger_of_two_donors, DESK_DEU) as uow, pytest.raises(ImportRejected) as error:
        ledger.import_file(uow, "offers", path)
    problem = error.value.problems[0]
    assert (problem.row, problem.column) == (2, "donor_code")
    assert "may not write offers of donor POL" in problem.reason
    assert database_content(ledger_of_two_donors) == before


def test_a_donor_changes_its_own_offer_and_a_stale_edit_loses(ledger_of_two_donors):
    with UnitOfWork(ledger_of_two_donors, DESK_DEU) as uow:
        version = ledger.get_record(uow, "offers", "DEU:OF-1")["version"]
    with UnitOfWork(ledger_of_two_donors, DESK_DEU) as uow:
        after = ledger.update_record(uow, "offers", "DEU:OF-1", {"quantity": "8"}, version)
    assert (after["quantity"], after["version"]) == (8, version + 1)
    with UnitOfWork(ledger_of_two_donors, DESK_DEU) as uow, pytest.raises(VersionConflict):
        ledger.update_record(uow, "offers", "DEU:OF-1", {"quantity": "7"}, version)
    with UnitOfWork(ledger_of_two_donors, DESK_DEU, write=False) as uow:
        assert ledger.get_record(uow, "offers", "DEU:OF-1")["quantity"] == 8
    with UnitOfWork(ledger_of_two_donors, DESK_DEU) as uow, pytest.raises(NotFound):
        ledger.update_record(uow, "offers", "POL:OF-1", {"quantity": "1"}, 1)


def test_plans_are_for_coordination_staff_only(ledger_of_two_donors):
    stored, _ = allocation.run(COORDINATOR, planner.Parameters(), engine=ledger_of_two_donors)
    with UnitOfWork(ledger_of_two_donors, DESK_DEU, write=False) as uow:
        assert allocation.list_plans(uow) == ([], 0)
        with pytest.raises(NotFound):
            allocation.get_plan(uow, stored.id)


@pytest.mark.parametrize("principal", [COORDINATOR, DESK_DEU, DESK_POL, RECIPIENT, ANALYST])
def test_the_sql_filter_and_the_rule_in_memory_agree_on_every_record(
    ledger_of_two_donors, principal
):
    with UnitOfWork(ledger_of_two_donors, AUDITOR, write=False) as uow:
        every = ledger.list_records(uow, "offers", {})
    expected = {
        f"{r['donor_code']}:{r['external_id']}"
        for r in every
        if may_see(principal, "offer", r["donor_code"], r["marking"])
    }
    assert keys(ledger_of_two_donors, principal, "offers") == expected


def coverage(engine, principal):
    from coalition.services.coverage import coverage_rows

    with UnitOfWork(engine, principal, write=False) as uow:
        return {row.capability_area: row for row in coverage_rows(uow)}


def test_a_donor_sees_coalition_supply_only_where_three_donors_or_more_contribute(
    ledger_of_two_donors, tmp_path
):
    staff = coverage(ledger_of_two_donors, COORDINATOR)
    desk = coverage(ledger_of_two_donors, DESK_DEU)
    # Artillery supply draws on two donors (DEU and POL): staff see it, a desk officer not.
    assert staff["artillery"].offered_eur is not None and not staff["artillery"].withheld
    assert desk["artillery"].withheld and desk["artillery"].offered_eur is None
    assert desk["artillery"].required_eur == staff["artillery"].required_eur
    # The total is withheld with it: otherwise subtraction would reveal the artillery figure.
    assert desk["all areas"].withheld
    # A third donor offering artillery lifts the restriction.
    import_text(ledger_of_two_donors, tmp_path, "donors",
                "code,name,kind,parent_code\nFRA,France,nation,\n", name="fra.csv")  # fmt: skip
    import_text(ledger_of_two_donors, tmp_path, "offers",
                OFFERS_HEADER + "FRA,OF-1,KRAB,1,2026-02-01,FRA,new,,EUR,,offered,\n",
                name="fra-offer.csv")  # fmt: skip
    desk = coverage(ledger_of_two_donors, DESK_DEU)
    assert not desk["artillery"].withheld
    assert (
        desk["artillery"].offered_eur
        == coverage(ledger_of_two_donors, COORDINATOR)["artillery"].offered_eur
    )


def test_a_donors_burden_report_has_its_own_row_and_the_coalitions_totals_only(
    ledger_of_two_donors, tmp_path
):
    from coalition.services import burden

    for kind, text in BURDEN_SEED.items():
        import_text(ledger_of_two_donors, tmp_path, kind, text)
    with UnitOfWork(ledger_of_two_donors, COORDINATOR, write=False) as uow:
        staff = burden.report(uow, 2025)
    with UnitOfWork(ledger_of_two_donors, DESK_DEU, write=False) as uow:
        desk = burden.report(uow, 2025)
    assert {d.code for d in staff.donors} >= {"DEU", "POL"}
    assert [d.code for d in desk.donors] == ["DEU"]
    assert desk.donor("DEU") == staff.donor("DEU")
    # Group totals are the coalition's, computed from every donor's records.
    assert desk.group("NATO") == staff.group("NATO")
    assert {line.donor_code for line in desk.lines} == {"DEU"}
    assert any(line.donor_code == "POL" for line in staff.lines)
