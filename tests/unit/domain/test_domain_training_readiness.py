"""Training need, training totals, readiness, diversity, sustainment and the capability
funnel, each against figures worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from coalition.domain.capability import (
    FamilyNeed,
    TypeUnits,
    crew_capacity,
    funnel_by_area,
    funnel_total,
)
from coalition.domain.catalogue import CapabilityArea
from coalition.domain.errors import InvalidValue
from coalition.domain.readiness import diversity, herfindahl, readiness_by
from coalition.domain.sustainment import (
    Band,
    SupplyItem,
    SustainmentParameters,
    UsageRate,
    draft_ref,
    drafts,
)
from coalition.domain.training import (
    Course,
    FleetStatus,
    Intake,
    Mission,
    Skill,
    TrainingRecord,
    graduation_date,
    totals,
)
from coalition.domain.training_need import (
    Delivery,
    NeedParameters,
    course_needs,
    equipment_date,
    need_lines,
)


def crew(
    code: str = "CRS-PZH",
    platform: str = "PZH2000",
    per: int = 5,
    weeks: int = 6,
    prerequisites: frozenset[str] = frozenset(),
    mission: Mission = Mission.EUMAM,
) -> Course:
    return Course(
        code,
        "crew",
        Skill.CREW,
        weeks,
        "DEU",
        mission,
        platform_code=platform,
        per_platform=per,
        prerequisites=prerequisites,
    )


BASIC = Course("CRS-BASIC", "basics", Skill.OTHER, 3, "POL", Mission.EUMAM)
JUNE = date(2026, 6, 1)


# ---- courses and records check their own fields ------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"platform_code": None}, "platform_code"),  # a crew course names its platform
        ({"family_code": "SPH-155"}, "family_code"),  # not both a platform and a family
        ({"per_platform": 0}, "per_platform"),  # a targeted course trains someone
        ({"prerequisites": frozenset({"CRS-PZH"})}, "prerequisites"),  # not itself
        ({"duration_weeks": 0}, "duration_weeks"),
    ],
)
def test_a_course_refuses_what_cannot_be_trained(changes, field):
    values = {
        "code": "CRS-PZH",
        "name": "crew",
        "skill": Skill.CREW,
        "duration_weeks": 6,
        "provider_code": "DEU",
        "mission": Mission.EUMAM,
        "platform_code": "PZH2000",
        "per_platform": 5,
        **changes,
    }
    with pytest.raises(InvalidValue) as error:
        Course(**values)
    assert error.value.field == field


def test_a_record_cannot_graduate_and_fail_more_than_it_enrolled():
    with pytest.raises(InvalidValue, match="exceeds enrolled"):
        TrainingRecord("I-1", "C-1", enrolled=10, graduated=8, failed=3)
    assert TrainingRecord("I-1", "C-1", 10, 8, 1).in_training == 1


# ---- the training need -------------------------------------------------------------------


def test_equipment_date_is_delivery_or_arrival_and_only_accepted_offers_count():
    assert equipment_date("offered", JUNE, 7, None) is None
    assert equipment_date("withdrawn", JUNE, 7, None) is None
    assert equipment_date("accepted", JUNE, 7, None) == date(2026, 6, 8)
    assert equipment_date("shipped", JUNE, 7, None) == date(2026, 6, 8)
    assert equipment_date("delivered", JUNE, 7, date(2026, 6, 20)) == date(2026, 6, 20)


def test_four_howitzers_need_24_crew_a_month_early_and_their_prerequisite_six_weeks_before():
    course = crew(prerequisites=frozenset({"CRS-BASIC"}))
    lines = need_lines(
        [course, BASIC],
        [Delivery("PZH2000", "SPH-155", 4, JUNE)],
        NeedParameters(Decimal("1.2"), 30),
    )
    # 4 platforms x 5 crew x 1.2 = 24, graduated 30 days before 1 June = 2 May; the 6-week
    # course starts by 21 March, by when 24 must have passed the 3-week basics (start 28 Feb).
    by_course = {n.course_code: n for n in lines}
    assert (by_course["CRS-PZH"].trainees, by_course["CRS-PZH"].needed_by) == (24, date(2026, 5, 2))
    assert by_course["CRS-PZH"].start_by == date(2026, 3, 21)
    assert (by_course["CRS-BASIC"].trainees, by_course["CRS-BASIC"].needed_by) == (
        24,
        date(2026, 3, 21),
    )
    assert by_course["CRS-BASIC"].start_by == date(2026, 2, 28)
    assert by_course["CRS-BASIC"].via == "CRS-PZH"


def test_platforms_on_one_date_are_added_before_rounding_up():
    lines = need_lines(
        [crew()],
        [Delivery("PZH2000", "SPH-155", 1, JUNE), Delivery("PZH2000", "SPH-155", 1, JUNE)],
        NeedParameters(Decimal("1.1"), 0),
    )
    assert [n.trainees for n in lines] == [11]  # ceil(2 x 5 x 1.1), not 2 x ceil(5.5) = 12


def test_a_family_course_trains_for_every_platform_of_the_family():
    maintainer = Course(
        "CRS-SPH-MAINT",
        "maint",
        Skill.MAINTAINER,
        4,
        "DEU",
        Mission.NSATU,
        family_code="SPH-155",
        per_platform=1,
    )
    lines = need_lines(
        [maintainer, crew()], [Delivery("KRAB", "SPH-155", 3, JUNE)], NeedParameters()
    )
    assert [(n.course_code, n.trainees) for n in lines] == [("CRS-SPH-MAINT", 4)]  # ceil(3.6)


def test_a_cycle_of_prerequisites_is_refused_naming_it():
    a = crew(prerequisites=frozenset({"CRS-B"}))
    b = Course(
        "CRS-B", "b", Skill.OTHER, 2, "DEU", Mission.EUMAM, prerequisites=frozenset({"CRS-PZH"})
    )
    with pytest.raises(InvalidValue, match="cycle: CRS-PZH → CRS-B → CRS-PZH"):
        need_lines([a, b], [Delivery("PZH2000", "SPH-155", 1, JUNE)], NeedParameters())


def test_the_shortfall_counts_graduates_and_trainees_in_training():
    lines = need_lines([crew()], [Delivery("PZH2000", "SPH-155", 4, JUNE)], NeedParameters())
    (need,) = course_needs(lines, {"CRS-PZH": 15}, {"CRS-PZH": 4})
    assert (need.needed, need.shortfall) == (24, 5)
    (met,) = course_needs(lines, {"CRS-PZH": 30}, {})
    assert met.shortfall == 0


@pytest.mark.parametrize("reserve", [Decimal("0.9"), Decimal("11"), Decimal("1.0001")])
def test_a_reserve_factor_outside_its_domain_is_refused(reserve):
    with pytest.raises(InvalidValue):
        NeedParameters(reserve)


# ---- training totals ---------------------------------------------------------------------


def test_totals_by_mission_and_year_of_graduation():
    courses = {"CRS-PZH": crew(), "CRS-US": crew("CRS-US", mission=Mission.BILATERAL, weeks=10)}
    intakes = {
        "I-1": Intake("I-1", "CRS-PZH", "S", date(2025, 3, 3), 20),  # graduates 2025-04-14
        "I-2": Intake("I-2", "CRS-PZH", "S", date(2025, 12, 1), 20),  # graduates 2026-01-12
        "I-3": Intake("I-3", "CRS-US", "S", date(2025, 1, 6), 20),  # graduates 2025-03-17
    }
    records = [
        TrainingRecord("I-1", "A", 20, 18, 2),
        TrainingRecord("I-1", "B", 10, 10, 0),
        TrainingRecord("I-2", "C", 20, 0, 1),
        TrainingRecord("I-3", "D", 12, 11, 1),
    ]
    assert graduation_date(date(2025, 12, 1), 6) == date(2026, 1, 12)
    rows = [r.as_dict() for r in totals(records, intakes, courses)]
    assert rows == [
        {
            "mission": "EUMAM",
            "year": 2025,
            "intakes": 1,
            "enrolled": 30,
            "graduated": 28,
            "failed": 2,
            "in_training": 0,
        },
        {
            "mission": "bilateral",
            "year": 2025,
            "intakes": 1,
            "enrolled": 12,
            "graduated": 11,
            "failed": 1,
            "in_training": 0,
        },
        {
            "mission": "EUMAM",
            "year": 2026,
            "intakes": 1,
            "enrolled": 20,
            "graduated": 0,
            "failed": 1,
            "in_training": 19,
        },
    ]
    eumam_2025 = totals(records, intakes, courses, mission="EUMAM", year=2025)
    assert [(t.graduated, t.intakes) for t in eumam_2025] == [(28, 1)]


def test_a_record_of_an_unknown_intake_is_named_not_skipped():
    with pytest.raises(InvalidValue, match="unknown intake"):
        totals([TrainingRecord("NOPE", "A", 1)], {}, {})


# ---- readiness and diversity -------------------------------------------------------------


def test_readiness_is_operational_over_what_is_not_lost_from_the_latest_report():
    reports = [
        FleetStatus("PZH2000", "UA-1", date(2026, 8, 1), 10, 0, 0, 0),  # superseded
        FleetStatus("PZH2000", "UA-1", date(2026, 11, 1), 6, 2, 1, 1),
        FleetStatus("KRAB", "UA-2", date(2026, 10, 1), 4, 0, 0, 0),
        FleetStatus("LEO2A6", "UA-3", date(2026, 11, 1), 0, 0, 0, 3),  # all lost
    ]
    group = {"PZH2000": "SPH-155", "KRAB": "SPH-155", "LEO2A6": "MBT"}
    mbt, sph = readiness_by(reports, group)
    # SPH-155: (6 + 4) operational of (10 + 4) reported less 1 lost = 10 / 13.
    assert (sph.operational, sph.total, sph.owned) == (10, 14, 13)
    assert sph.rate == pytest.approx(10 / 13)
    assert sph.as_of == date(2026, 10, 1)  # as fresh as its oldest latest report
    assert mbt.rate is None  # nothing left: no rate, never 0 % or 100 %


def test_herfindahl_before_and_after_a_new_type():
    fleet = {("SPH-155", "PZH2000"): 6, ("SPH-155", "KRAB"): 2, ("MBT", "LEO2A6"): 5}
    assert herfindahl({"A": 6, "B": 2}) == Fraction(5, 8)  # 0.75² + 0.25²
    mbt, sph = diversity(fleet, {("SPH-155", "CAESAR"): 8})
    assert (sph.types_before, sph.hhi_before) == (2, Fraction(5, 8))
    # 6, 2 and 8 of 16: (36 + 4 + 64) / 256 = 13/32
    assert (sph.types_after, sph.hhi_after, sph.new_types) == (3, Fraction(13, 32), ("CAESAR",))
    assert (mbt.types_after, mbt.hhi_after, mbt.new_types) == (1, Fraction(1), ())


# ---- sustainment -------------------------------------------------------------------------

SUPPLIES = {
    "AMM-155": SupplyItem("AMM-155", "AMMO-155", CapabilityArea.AMMUNITION, None),
    "SPK-PZH": SupplyItem("SPK-PZH", "SPARES-SPH", CapabilityArea.ARTILLERY, "PZH2000"),
}
RATES = [
    UsageRate("PZH2000", "AMM-155", Band.MEDIUM, Decimal(300), "demo assumption"),
    UsageRate("PZH2000", "AMM-155", Band.HIGH, Decimal(600), "demo assumption"),
    UsageRate("PZH2000", "SPK-PZH", Band.MEDIUM, Decimal("0.0833"), "demo assumption"),
]


def test_four_howitzers_for_three_months_need_3600_rounds_and_one_kit():
    params = SustainmentParameters(Band.MEDIUM, 3, date(2026, 12, 1))
    ammo, kit = drafts([("PZH2000", "UA-1", 4), ("PZH2000", "UA-2", 0)], RATES, SUPPLIES, params)
    assert (ammo.quantity, ammo.family_code, ammo.platform_code) == (3600, "AMMO-155", None)
    assert (kit.quantity, kit.platform_code) == (1, "PZH2000")  # ceil(4 x 0.0833 x 3 = 0.9996)
    assert ammo.ref == "SUS-202612-PZH2000-AMM-155-UA-1" and ammo.needed_by == date(2026, 12, 1)
    assert ammo.cells("approved")["status"] == "approved"


def test_a_rate_for_an_unknown_item_or_an_impossible_quantity_is_refused():
    params = SustainmentParameters(Band.MEDIUM, 60)
    with pytest.raises(InvalidValue, match="catalogue lacks"):
        drafts([("PZH2000", "UA-1", 1)], RATES, {}, params)
    with pytest.raises(InvalidValue, match="more than one requirement holds"):
        drafts([("PZH2000", "UA-1", 1_000_000)], RATES, SUPPLIES, params)


def test_a_long_draft_reference_stays_a_valid_code():
    ref = draft_ref("P" * 40, "I" * 40, "R" * 40, date(2026, 12, 1))
    assert len(ref) <= 64 and ref.startswith("SUS-202612-")


# ---- the capability funnel ---------------------------------------------------------------


def test_the_funnel_of_a_small_case_worked_by_hand():
    # Artillery: 10 howitzers needed at EUR 100 each. 12 offered, 8 accepted, 6 delivered;
    # 22 graduates of a 5-person crew course crew 4 of them; 3 are operational.
    # Ammunition: 100 shells at EUR 2; 50 offered and accepted, 20 delivered (no crew needed).
    # All: required 1000 + 200; offered 1000 + 100, accepted 800 + 100, delivered 600 + 40...
    needs = [
        FamilyNeed("SPH-155", "artillery", Decimal(100), 10),
        FamilyNeed("AMMO-155", "ammunition", Decimal(2), 100),
    ]
    units = [
        TypeUnits("PZH2000", "SPH-155", True, 12, 8, 6),
        TypeUnits("HE155", "AMMO-155", False, 50, 50, 20),
    ]
    graduates = {"CRS-PZH": 22}
    assert crew_capacity("PZH2000", [crew()], graduates) == 4
    assert crew_capacity("KRAB", [crew()], graduates) is None  # no crew course declared
    ammo, artillery = funnel_by_area(needs, units, [crew()], graduates, {"PZH2000": 3})
    assert artillery.required_eur == 1000
    assert artillery.stages_eur == (1000, 800, 600, 400, 300)  # offered capped at the need
    assert ammo.stages_eur == (100, 100, 40, 40, 40)
    everything = funnel_total([ammo, artillery])
    assert (everything.required_eur, everything.stages_eur) == (1200, (1100, 900, 640, 440, 340))
    assert artillery.as_dict()["effective_pct"] == 30.0


def test_a_platform_with_no_status_report_is_not_counted_operational():
    needs = [FamilyNeed("SPH-155", "artillery", Decimal(1), 10)]
    units = [TypeUnits("KRAB", "SPH-155", True, 5, 5, 5)]
    (row,) = funnel_by_area(needs, units, [], {}, {})
    assert row.stages_eur == (5, 5, 5, 5, 0)  # crewed (no crew course), none reported working


def test_a_withheld_area_withholds_the_total():
    needs = [FamilyNeed("SPH-155", "artillery", Decimal(1), 10)]
    (row,) = funnel_by_area(needs, [], [], {}, {})
    assert funnel_total([row.withholding()]).stages_eur is None
