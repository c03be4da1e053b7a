"""The shipped baselines and IMF GDP table, read through the ledger, with real memberships."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from burden_testkit import REAL_MEMBERSHIPS, DictRates

from coalition import demo
from coalition.domain.access import Principal
from coalition.planning.burden import BurdenDataError, BurdenSnapshot, Donor, compute_burden
from coalition.services import burden
from coalition.services.ledger import import_file
from coalition.storage import migrate
from coalition.storage.engine import make_engine
from coalition.storage.unit_of_work import UnitOfWork

RATES = DictRates(averages={("USD", 2023): Decimal("1.081269"), ("USD", 2024): Decimal("1.08238")})


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The demo's reference registries imported into a fresh ledger, as a burden snapshot."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'c.db'}")
    migrate.upgrade(engine)
    wanted = {"donors", "memberships", "gdp", "baselines"}
    for kind, path in demo.files():
        if kind in wanted:
            with UnitOfWork(engine, Principal("test")) as uow:
                import_file(uow, kind, path)
    with UnitOfWork(engine, Principal("test"), write=False) as uow:
        data = burden.snapshot(uow)
    engine.dispose()
    return data


@pytest.fixture(scope="module")
def snapshot(shipped):
    gdp = shipped.gdp
    donors = tuple(Donor(f.donor_code, f.donor_code, "nation") for f in gdp if f.year == 2024)
    return BurdenSnapshot(donors, REAL_MEMBERSHIPS, gdp, shipped.baselines)


def test_shipped_baselines_are_eur_40_bn_without_hungary(shipped):
    by_year = {b.year: b for b in shipped.baselines}
    assert set(by_year) == {2024, 2025}
    for year, rule in by_year.items():
        assert (rule.amount, rule.currency, rule.excluded) == (
            Decimal("40000000000.00"),
            "EUR",
            frozenset({"HUN"}),
        )
        assert rule.gdp_year == year - 1
    assert "DEMO ASSUMPTION" in by_year[2025].source


def test_shipped_gdp_keeps_its_source_for_41_economies_and_two_years(shipped):
    figures = shipped.gdp
    assert len(figures) == 82
    assert {f.source for f in figures} == {"IMF World Economic Outlook October 2025 (NGDPD)"}


@pytest.mark.parametrize("year", [2024, 2025])
def test_thirty_one_allies_share_the_baseline_to_the_cent(snapshot, year):
    report = compute_burden(snapshot, year, RATES)
    sharing = [row for row in report.donors if row.participant]
    assert len(sharing) == 31  # 32 NATO members on 31 December, Hungary out
    assert sum(row.fair_share for row in sharing) == Decimal("40000000000.00")


def test_usa_share_for_2025_is_its_part_of_2024_allied_gdp(snapshot):
    gdp = {f.donor_code: f.amount for f in snapshot.gdp if f.year == 2024}
    allies = {r.code for r in compute_burden(snapshot, 2025, RATES).donors if r.participant}
    exact = Fraction(40 * 10**9) * Fraction(gdp["USA"]) / sum(Fraction(gdp[c]) for c in allies)
    usa = compute_burden(snapshot, 2025, RATES).donor("USA").fair_share
    assert abs(Fraction(usa) - exact) < Fraction(1, 100)


def test_sweden_is_not_an_ally_on_a_2023_membership_date(snapshot):
    rule = next(b for b in snapshot.baselines if b.year == 2024)
    early = BurdenSnapshot(
        snapshot.donors,
        snapshot.memberships,
        snapshot.gdp,
        (replace(rule, membership_date=date(2023, 12, 31)),),
    )
    report = compute_burden(early, 2024, RATES)
    assert not report.donor("SWE").participant and report.donor("FIN").participant
    assert "GBR" not in report.group("EU").member_codes


def test_a_missing_baseline_year_is_a_clear_error(snapshot):
    with pytest.raises(BurdenDataError, match="2031"):
        compute_burden(snapshot, 2031, RATES)
