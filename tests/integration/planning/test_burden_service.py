"""Burden-sharing from the ledger: shares sum to the baseline; charts and tables are written."""

from __future__ import annotations

from decimal import Decimal

from coalition.domain.access import Principal
from coalition.services import burden
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import import_text

MEMBERSHIPS = (
    "donor_code,organisation,joined,left\n"
    "DEU,NATO,1955-05-06,\nDEU,EU,1958-01-01,\nPOL,NATO,1999-03-12,\nPOL,EU,2004-05-01,\n"
)
GDP = (
    "donor_code,year,amount,currency,unit,source\n"
    "DEU,2024,4000,USD,billion,test figure\nPOL,2024,1000,USD,billion,test figure\n"
)
BASELINE = (
    "year,amount,currency,participants_group,excluded,gdp_measure,gdp_year,"
    "counted_categories,membership_date,source\n"
    "2025,1000000.00,EUR,NATO,,test GDP,2024,procurement;equipment,2025-12-31,test rule\n"
)
PLEDGES = (
    "donor_code,external_id,amount,currency,year,pledged_on,purpose,status,channel_code,"
    "disbursed_on\n"
    "POL,P-1,300000,EUR,2025,2025-02-03,procurement,disbursed,,2025-03-01\n"
    "DEU,P-1,100000,EUR,2025,2025-02-03,procurement,disbursed,EPF,2025-03-01\n"
)


def test_fair_shares_follow_gdp_and_deliveries_count_at_their_source(seeded, tmp_path):
    for kind, text in [
        ("memberships", MEMBERSHIPS),
        ("gdp", GDP),
        ("baselines", BASELINE),
        ("pledges", PLEDGES),
    ]:
        import_text(seeded, tmp_path, kind, text)
    with UnitOfWork(seeded, Principal("analyst")) as uow:
        report = burden.report(uow, 2025)
    germany, poland = report.donor("DEU"), report.donor("POL")
    assert (germany.fair_share, poland.fair_share) == (Decimal("800000.00"), Decimal("200000.00"))
    assert poland.shortfall == Decimal("0.00")
    # Money given through the EPF counts for Germany, once.
    assert germany.totals.delivered == Decimal("100000.00")
    assert germany.shortfall == Decimal("700000.00")


def test_gdp_given_in_millions_counts_like_the_same_figure_in_billions(seeded, tmp_path):
    in_millions = GDP.replace("DEU,2024,4000,USD,billion", "DEU,2024,4000000,USD,million")
    for kind, text in [("memberships", MEMBERSHIPS), ("gdp", in_millions), ("baselines", BASELINE)]:
        import_text(seeded, tmp_path, kind, text)
    with UnitOfWork(seeded, Principal("analyst")) as uow:
        report = burden.report(uow, 2025)
    # Before, a row not in billions was dropped silently and Poland got the whole baseline.
    assert report.donor("DEU").fair_share == Decimal("800000.00")
    assert report.donor("POL").fair_share == Decimal("200000.00")
