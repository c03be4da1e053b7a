"""Training, readiness, sustainment and the funnel through the services, on SQLite and (when
available) PostgreSQL: the figures of a small ledger worked out by hand, what a restricted
reader is shown, and approval writing logged requirements all or none."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine

from coalition.domain.access import Principal, Role
from coalition.registries.kinds import KINDS
from coalition.services import readiness, sustainment, training
from coalition.services.errors import Forbidden, ImportRejected, ServiceError
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import OFFERS_HEADER, TRAINING_SEED, database_content, import_text

COORDINATOR = Principal("coord", Role.COORDINATOR)
ANALYST = Principal("analyst", Role.ANALYST)
UKRAINE = Principal("ukraine", Role.RECIPIENT)

# Six PzH 2000 delivered by Germany, two Krab accepted from Poland (transit POL: 3 days).
OFFERS = OFFERS_HEADER + (
    "DEU,DEU-OF-1,PZH2000,6,2026-02-01,DEU,new,,EUR,,delivered,2026-03-01\n"
    "POL,POL-OF-1,KRAB,2,2026-04-01,POL,new,,EUR,,accepted,\n"
    "DEU,DEU-OF-2,HE155,500,2026-02-01,DEU,new,,EUR,,offered,\n"
)
FLEET = "item_type_code,recipient_code,quantity,as_of\nPZH2000,UA-DEP-W1,4,2026-11-01\n"
RATES = (
    "platform_code,item_type_code,band,per_platform_per_month,basis\n"
    "PZH2000,HE155,medium,300,demo assumption\n"
    "PZH2000,HE155,high,600,demo assumption\n"
)


@pytest.fixture
def ledger(seeded: Engine, tmp_path: Path) -> Engine:
    import_text(seeded, tmp_path, "offers", OFFERS)
    import_text(seeded, tmp_path, "fleet", FLEET)
    for kind, text in TRAINING_SEED.items():
        import_text(seeded, tmp_path, kind, text)
    return seeded


def test_the_need_is_derived_from_accepted_and_delivered_platforms(ledger):
    with UnitOfWork(ledger, COORDINATOR, write=False) as uow:
        need = training.need(uow, training.parameters("1.2", 30))
    # Six delivered on 1 March: 6 x 5 x 1.2 = 36 crew by 30 January; 19 graduated, none left
    # in training. Krab has no course: it needs nobody here.
    (line,) = need.lines
    assert (line.course_code, line.trainees, line.needed_by) == (
        "CRS-PZH2000-CREW",
        36,
        date(2026, 1, 30),
    )
    (course,) = need.courses
    assert (course.needed, course.graduated, course.in_training, course.shortfall) == (
        36,
        19,
        0,
        17,
    )


def test_a_need_drawn_on_one_donor_is_withheld_from_an_analyst(ledger):
    with UnitOfWork(ledger, ANALYST, write=False) as uow:
        need = training.need(uow)
    assert need.lines == [] and need.withheld == ["CRS-PZH2000-CREW"]


def test_bad_need_parameters_are_one_clear_error():
    with pytest.raises(ServiceError, match="reserve_factor"):
        training.parameters("0.5")
    with pytest.raises(ServiceError, match="margin_days"):
        training.parameters(None, -1)


def test_totals_by_mission_and_year(ledger):
    with UnitOfWork(ledger, ANALYST, write=False) as uow:
        rows = training.training_totals(uow, "EUMAM", 2026)
        assert training.training_totals(uow, "NSATU") == []
        with pytest.raises(ServiceError, match="--mission"):
            training.training_totals(uow, "NAVY")
    # The 6-week intake of 12 January graduates on 23 February 2026.
    assert [(r.enrolled, r.graduated, r.failed) for r in rows] == [(20, 19, 1)]


def test_the_funnel_from_offer_to_working_howitzer(ledger):
    with UnitOfWork(ledger, COORDINATOR, write=False) as uow:
        artillery, everything = training.funnel(uow)
    # 12 howitzers required at EUR 7.8 m (the family's median reference value): offered and
    # accepted 6 + 2, delivered 6, crewed 19 // 5 = 3, operational min(3, 3 reported) = 3.
    unit = Decimal(7_800_000)
    assert artillery.required_eur == 12 * unit
    assert artillery.stages_eur == (8 * unit, 8 * unit, 6 * unit, 3 * unit, 3 * unit)
    assert everything.stages_eur == artillery.stages_eur
    with UnitOfWork(ledger, ANALYST, write=False) as uow:
        hidden, total = training.funnel(uow)
    assert hidden.withheld and total.withheld  # two donors: fewer than an analyst may see


def test_readiness_and_diversity(ledger):
    with UnitOfWork(ledger, UKRAINE, write=False) as uow:
        result = readiness.report(uow)
    (family,) = result.by_family
    assert (family.group, family.rate) == ("SPH-155", 0.75)  # 3 of 3 + 1 + 0, none lost
    (sph,) = result.diversity
    # 4 PzH 2000 in service; 2 Krab accepted on the way: (4/6)² + (2/6)² = 5/9.
    assert (sph.types_before, sph.types_after, sph.new_types) == (1, None, ())  # withheld
    with UnitOfWork(ledger, COORDINATOR, write=False) as uow:
        (sph,) = readiness.report(uow).diversity
    assert (sph.types_after, float(sph.hhi_after or 0), sph.new_types) == (
        2,
        pytest.approx(5 / 9),
        ("KRAB",),
    )


def test_sustainment_drafts_are_approved_once_and_logged(ledger, tmp_path):
    rates = tmp_path / "rates.csv"
    rates.write_text(RATES, encoding="utf-8")
    params = sustainment.parameters("medium", 2, date(2026, 12, 1))
    with UnitOfWork(ledger, COORDINATOR, write=False) as uow:
        (draft,) = sustainment.draft(uow, params, rates)
    # The latest status report has 4 not lost: 4 x 300 x 2 months.
    assert (draft.quantity, draft.destination_code) == (2400, "UA-DEP-W1")
    with UnitOfWork(ledger, UKRAINE) as uow, pytest.raises(Forbidden):
        sustainment.approve(uow, params, rates)
    with UnitOfWork(ledger, COORDINATOR) as uow:
        done = sustainment.approve(uow, params, rates)
    assert done.created == [draft.ref]
    with UnitOfWork(ledger, COORDINATOR) as uow:
        assert uow.records(KINDS["requirements"]).get(draft.ref)["status"] == "approved"
        assert [e["action"] for e in uow.history("requirement", draft.ref)] == ["create"]
    with UnitOfWork(ledger, COORDINATOR) as uow:
        again = sustainment.approve(uow, params, rates)
    assert (again.created, again.already) == ([], [draft.ref])


def test_a_faulty_rates_file_is_refused_by_row_and_column_and_nothing_written(ledger, tmp_path):
    rates = tmp_path / "rates.csv"
    rates.write_text(
        RATES + "PZH2000,HE155,extreme,1,x\nPZH2000,HE155,low,-1,x\n"
        "PZH2000,HE155,medium,5,duplicate\n",
        encoding="utf-8",
    )
    before = database_content(ledger)
    with UnitOfWork(ledger, COORDINATOR) as uow, pytest.raises(ImportRejected) as refused:
        sustainment.approve(uow, sustainment.parameters(), rates)
    assert {(p.row, p.column) for p in refused.value.problems} == {
        (4, "band"),
        (5, "per_platform_per_month"),
        (6, "item_type_code"),
    }
    assert database_content(ledger) == before


def test_a_fleet_status_count_that_adds_up_past_the_limit_is_refused(ledger, tmp_path):
    text = (
        "item_type_code,recipient_code,as_of,operational,in_maintenance,awaiting_parts,lost\n"
        "PZH2000,UA-DEP-W1,2026-11-02,10000000,1,0,0\n"
    )
    with pytest.raises(ImportRejected) as refused:
        import_text(ledger, tmp_path, "fleet-status", text)
    assert [(p.row, p.column) for p in refused.value.problems] == [(2, "lost")]


def test_a_training_record_must_fit_its_cohort_and_its_intake_must_have_started(ledger, tmp_path):
    intake = ("code,course_code,site_code,start_date,seats\n"
              "LATER-01,CRS-PZH2000-CREW,DEU-SITE-IDAR,2099-01-05,20\n")  # fmt: skip
    import_text(ledger, tmp_path, "intakes", intake)
    records = ("intake_code,cohort_code,enrolled,graduated,failed\n"
               "PZH2000-CREW-01,UA-DEP-W1-C01,21,19,1\n"  # the cohort holds 20
               "LATER-01,UA-DEP-W1-C01,20,5,0\n"  # graduates of an intake not yet started
               "LATER-01,UA-DEP-W1-C01,20,0,0\n")  # fmt: skip
    before = database_content(ledger)
    with pytest.raises(ImportRejected) as refused:
        import_text(ledger, tmp_path, "training-records", records)
    faults = {(p.row, p.column) for p in refused.value.problems}
    assert {(2, "enrolled"), (3, "graduated")} <= faults
    assert database_content(ledger) == before


def test_a_course_not_released_to_the_reader_drops_out_of_its_figures_without_an_error(
    ledger, tmp_path
):
    courses = (
        "code,name,skill,duration_weeks,provider_code,mission,platform_code,per_platform,"
        "prerequisites,marking\n"
        "CRS-SECRET,Basics,other,2,DEU,EUMAM,,0,,REL TO DEU\n"
        "CRS-PZH2000-CREW,PzH 2000 crew,crew,6,DEU,EUMAM,PZH2000,5,CRS-SECRET,\n"
    )
    import_text(ledger, tmp_path, "courses", courses)
    intake = (
        "code,course_code,site_code,start_date,seats,marking\n"
        "X-01,CRS-SECRET,DEU-SITE-IDAR,2026-01-05,20,REL TO DEU\n"
    )
    import_text(ledger, tmp_path, "intakes", intake)
    records = "intake_code,cohort_code,enrolled,graduated,failed\nX-01,UA-DEP-W1-C01,10,10,0\n"
    import_text(ledger, tmp_path, "training-records", records)
    with UnitOfWork(ledger, COORDINATOR, write=False) as uow:
        assert {line.course_code for line in training.need(uow).lines} == {
            "CRS-PZH2000-CREW", "CRS-SECRET"}  # fmt: skip
        assert sum(t.enrolled for t in training.training_totals(uow)) == 30
    with UnitOfWork(ledger, UKRAINE, write=False) as uow:
        assert sum(t.enrolled for t in training.training_totals(uow)) == 20
        training.need(uow)  # the hidden prerequisite is left out, never an error
