"""A hand-computed coalition: baseline EUR 40 bn; GDP USA 50, DEU 30, POL 20 (HUN 10 out).

Fair shares: USA 20 bn, DEU 12 bn, POL 8 bn. USD averages 1.25 per EUR in 2023, so GDP in
EUR is USA 40 bn, DEU 24 bn, POL 16 bn.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from burden_testkit import LEDGER, baseline, bn, offer, pledge, small_coalition, usd_rates

from coalition.planning.burden import (
    BurdenDataError,
    Membership,
    ValuationPolicy,
    compute_burden,
)


@pytest.fixture
def report():
    return compute_burden(small_coalition(**LEDGER), 2024, usd_rates())


def test_fair_shares_follow_gdp_of_participating_allies_only(report):
    assert report.donor("USA").fair_share == bn("20")
    assert report.donor("DEU").fair_share == bn("12")
    assert report.donor("POL").fair_share == bn("8")
    assert report.donor("HUN").fair_share is None  # in NATO, but not part of the pledge
    assert report.donor("JPN").fair_share is None  # a partner, not an ally


def test_delivered_share_and_shortfall_per_ally(report):
    usa, deu, pol = report.donor("USA"), report.donor("DEU"), report.donor("POL")
    assert (usa.totals.delivered, usa.delivered_pct_of_fair_share, usa.shortfall) == (
        bn("8"),
        Decimal("40.00"),
        bn("12"),
    )
    # DEU: 1.5 bn of used tanks (2 × 1.5 bn × 0.5) + 2 bn through NATO-CAP; 3.5 / 12 = 29.17 %
    assert (deu.totals.delivered, deu.delivered_pct_of_fair_share, deu.shortfall) == (
        bn("3.5"),
        Decimal("29.17"),
        bn("8.5"),
    )
    assert (pol.delivered_pct_of_fair_share, pol.shortfall) == (Decimal("125.00"), Decimal(0))


def test_pledged_and_committed_include_what_is_not_yet_delivered(report):
    deu = report.donor("DEU").totals
    # USD 5 bn at 1.25 on the pledge date = EUR 4 bn, committed but not disbursed
    assert (deu.pledged, deu.committed, deu.delivered) == (bn("7.5"), bn("7.5"), bn("3.5"))


def test_delivered_as_share_of_gdp_uses_gdp_in_eur_at_the_annual_average(report):
    assert report.donor("USA").delivered_pct_of_gdp == Decimal("20.000")  # 8 / 40
    assert report.donor("DEU").delivered_pct_of_gdp == Decimal("14.583")  # 3.5 / 24
    assert report.gdp_rates[0].basis == "test"


def test_coalition_totals_by_grouping(report):
    allies = report.group("Participating allies")
    assert (allies.fair_share, allies.totals.delivered) == (bn("40"), bn("21.5"))
    assert allies.shortfall == bn("20.5")  # POL's surplus does not offset the others' gaps
    assert allies.delivered_pct_of_fair_share == Decimal("53.75")
    assert report.group("All nations").totals.delivered == bn("22.5")  # + JPN
    assert report.group("EU").member_codes == ("DEU", "HUN", "POL")
    assert report.group("NATO and EU").totals.delivered == bn("13.5")
    assert report.group("NATO").member_codes == ("DEU", "HUN", "POL", "USA")


def test_money_through_a_channel_is_counted_once_at_its_source(report):
    # NATO-CAP spends DEU's 2 bn contribution on kit: the kit is an internal flow.
    assert "NATO-CAP" not in {row.code for row in report.donors}
    assert report.group("All nations").totals.delivered == bn("22.5")  # not 24.5
    (channel,) = report.channels
    assert (channel.code, channel.incoming.delivered, channel.outgoing.delivered) == (
        "NATO-CAP",
        bn("2"),
        bn("2"),
    )
    kit = next(line for line in report.lines if line.record_id == "cap-kit")
    assert kit.internal


def test_donors_are_listed_largest_fair_share_first_then_by_delivery(report):
    assert [row.code for row in report.donors] == ["USA", "DEU", "POL", "JPN", "HUN"]


def test_converted_lines_carry_rate_date_and_rule(report):
    line = next(line for line in report.lines if line.record_id == "de-usd")
    assert line.pledged_value is not None
    assert (line.pledged_value.rate, line.pledged_value.rate_date) == (
        Decimal("1.25"),
        date(2024, 3, 1),
    )
    assert line.pledged_value.rule == "pledge date"


def test_a_disbursement_is_converted_at_its_delivery_date():
    snapshot = small_coalition(
        pledges=(pledge("us-usd", "USA", bn("5"), currency="USD", status="disbursed"),)
    )
    line = compute_burden(snapshot, 2024, usd_rates()).lines[0]
    assert line.pledged_value.eur == bn("4")  # 1.25 on 2024-03-01
    assert line.delivered_value.eur == bn("5")  # 1.0 on 2024-06-03
    assert line.delivered_value.rule == "delivery date"


def test_membership_is_read_on_the_baseline_date():
    joined = Membership("SWE", "NATO", date(2024, 3, 7))
    snapshot = small_coalition(memberships=(*small_coalition().memberships, joined))
    early = small_coalition(
        memberships=snapshot.memberships, baselines=(baseline(membership_date=date(2023, 12, 31)),)
    )
    assert "SWE" not in {row.code for row in compute_burden(early, 2024, usd_rates()).donors}
    with pytest.raises(BurdenDataError, match="SWE"):  # a participant needs its GDP
        compute_burden(snapshot, 2024, usd_rates())


def test_categories_outside_the_rule_do_not_count():
    rule = replace(baseline(), counted_categories=frozenset({"procurement"}))
    snapshot = small_coalition(
        baselines=(rule,), pledges=(pledge("pl-t", "POL", bn("1"), purpose="training"),)
    )
    report = compute_burden(snapshot, 2024, usd_rates())
    assert report.donor("POL").totals.delivered == 0
    assert not report.lines[0].counted


def test_a_delivery_without_a_date_is_excluded_by_name_and_the_report_still_runs():
    bad = offer("x-1", "POL", catalogue_eur=bn("1"))
    bad = replace(bad, delivered_on=None)
    report = compute_burden(small_coalition(offers=(bad,)), 2024, usd_rates())
    assert [e.record_id for e in report.excluded] == ["x-1"]
    assert "no delivery date" in report.excluded[0].reason
    assert report.donor("POL").totals.delivered == 0


def test_declined_offers_are_left_out_and_listed():
    snapshot = small_coalition(offers=(offer("x-2", "POL", status="declined", catalogue_eur=1),))
    report = compute_burden(snapshot, 2024, usd_rates())
    assert report.dropped_record_ids == ("x-2",)
    assert report.lines == ()


def test_depreciation_is_configurable():
    snapshot = small_coalition(
        offers=(offer("t", "POL", condition="used", catalogue_eur=Decimal("100.00")),)
    )
    policy = ValuationPolicy(used_depreciation=Decimal("0.25"))
    report = compute_burden(snapshot, 2024, usd_rates(), policy)
    assert report.donor("POL").totals.delivered == Decimal("75.00")
