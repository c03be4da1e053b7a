"""Shared builders for the burden tests: a tiny coalition and a rate table in a dict."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from coalition.planning.burden import (
    BurdenBaseline,
    BurdenSnapshot,
    Donor,
    ExchangeRate,
    FinancialPledge,
    GdpFigure,
    InKindOffer,
    Membership,
    MissingRateError,
    UnsupportedCurrencyError,
)

BILLION = Decimal(10) ** 9
ALL_CATEGORIES = frozenset(
    {"procurement", "training", "sustainment", "industry", "trust_fund", "equipment"}
)


def bn(amount: str) -> Decimal:
    return Decimal(amount) * BILLION


@dataclass
class DictRates:
    """Exact rates by (currency, date); no fallback, so tests see every lookup."""

    daily: dict[tuple[str, date], Decimal] = field(default_factory=dict)
    averages: dict[tuple[str, int], Decimal] = field(default_factory=dict)

    def rate_on(self, currency: str, on: date) -> ExchangeRate:
        if not any(known == currency for known, _ in self.daily):
            raise UnsupportedCurrencyError(currency, on, "not in the test table")
        if (currency, on) not in self.daily:
            raise MissingRateError(currency, on, "no rate that day")
        return ExchangeRate(currency, self.daily[currency, on], on, "test rate")

    def annual_average(self, currency: str, year: int) -> ExchangeRate:
        return ExchangeRate(currency, self.averages[currency, year], date(year, 12, 31), "test")


def baseline(
    year: int = 2024, amount: Decimal | None = None, membership_date: date | None = None
) -> BurdenBaseline:
    return BurdenBaseline(
        year=year,
        amount=amount if amount is not None else bn("40"),
        currency="EUR",
        participants_group="NATO",
        excluded=frozenset({"HUN"}),
        gdp_measure="test GDP",
        gdp_year=year - 1,
        counted_categories=ALL_CATEGORIES,
        membership_date=membership_date or date(year, 12, 31),
        source="test",
    )


def gdp(code: str, year: int, usd_bn: str) -> GdpFigure:
    return GdpFigure(code, year, Decimal(usd_bn), "USD", "billion", "test")


def pledge(
    id: str,
    donor: str,
    amount: Decimal,
    *,
    currency: str = "EUR",
    status: str = "disbursed",
    purpose: str = "procurement",
    channel: str | None = None,
    pledged_on: date = date(2024, 3, 1),
    disbursed_on: date | None = date(2024, 6, 3),
    year: int = 2024,
) -> FinancialPledge:
    return FinancialPledge(
        id=id,
        donor_code=donor,
        amount=amount,
        currency=currency,
        pledged_on=pledged_on,
        year=year,
        purpose=purpose,  # type: ignore[arg-type]
        status=status,  # type: ignore[arg-type]
        channel_code=channel,
        disbursed_on=disbursed_on if status == "disbursed" else None,
    )


def offer(
    id: str,
    donor: str,
    *,
    quantity: int = 1,
    condition: str = "new",
    status: str = "delivered",
    catalogue_eur: Decimal | None = None,
    declared: Decimal | None = None,
    declared_currency: str | None = None,
    offered_on: date = date(2024, 2, 1),
    delivered_on: date | None = date(2024, 9, 2),
    year: int = 2024,
) -> InKindOffer:
    return InKindOffer(
        id=id,
        donor_code=donor,
        item_type="tank",
        quantity=quantity,
        condition=condition,  # type: ignore[arg-type]
        status=status,  # type: ignore[arg-type]
        offered_on=offered_on,
        year=year,
        catalogue_unit_value_eur=catalogue_eur,
        declared_value=declared,
        declared_currency=declared_currency,
        delivered_on=delivered_on if status in ("delivered", "operational") else None,
    )


DONORS = (
    Donor("USA", "United States", "nation"),
    Donor("DEU", "Germany", "nation"),
    Donor("POL", "Poland", "nation"),
    Donor("HUN", "Hungary", "nation"),
    Donor("JPN", "Japan", "nation"),
    Donor("NATO-CAP", "NATO Comprehensive Assistance Package", "organisation"),
)
MEMBERSHIPS = (
    Membership("USA", "NATO", date(1949, 8, 24)),
    Membership("DEU", "NATO", date(1955, 5, 6)),
    Membership("DEU", "EU", date(1958, 1, 1)),
    Membership("POL", "NATO", date(1999, 3, 12)),
    Membership("POL", "EU", date(2004, 5, 1)),
    Membership("HUN", "NATO", date(1999, 3, 12)),
    Membership("HUN", "EU", date(2004, 5, 1)),
)
GDP_2023 = (
    gdp("USA", 2023, "50"),
    gdp("DEU", 2023, "30"),
    gdp("POL", 2023, "20"),
    gdp("HUN", 2023, "10"),
    gdp("JPN", 2023, "40"),
)


def small_coalition(**overrides: object) -> BurdenSnapshot:
    """Three sharing allies (USA 50, DEU 30, POL 20 of GDP), HUN out, JPN a partner."""
    fields: dict[str, object] = {
        "donors": DONORS,
        "memberships": MEMBERSHIPS,
        "gdp": GDP_2023,
        "baselines": (baseline(),),
        "pledges": (),
        "offers": (),
    }
    fields.update(overrides)
    return BurdenSnapshot(**fields)  # type: ignore[arg-type]


# The hand-computed ledger of test_burden_report.py (EUR unless said otherwise).
LEDGER = {
    "pledges": (
        pledge("us-1", "USA", bn("8")),
        pledge("de-usd", "DEU", bn("5"), currency="USD", status="commitment"),
        pledge("de-cap", "DEU", bn("2"), purpose="trust_fund", channel="NATO-CAP"),
        pledge("pl-1", "POL", bn("10"), purpose="training"),
        pledge("jp-1", "JPN", bn("1")),
    ),
    "offers": (
        offer("de-tanks", "DEU", quantity=2, condition="used", catalogue_eur=bn("1.5")),
        offer("cap-kit", "NATO-CAP", declared=bn("2"), declared_currency="EUR"),
    ),
}


def usd_rates() -> DictRates:
    return DictRates(
        daily={
            ("USD", date(2024, 3, 1)): Decimal("1.25"),
            ("USD", date(2024, 6, 3)): Decimal("1.0"),
        },
        averages={("USD", 2023): Decimal("1.25")},
    )


def _members(organisation: str, joined: str, codes: str) -> list[Membership]:
    return [Membership(code, organisation, date.fromisoformat(joined)) for code in codes.split()]  # type: ignore[arg-type]


# Accession dates (NATO and EU); the UK left the EU on 31 January 2020.
REAL_MEMBERSHIPS = (
    *_members("NATO", "1949-08-24", "BEL CAN DNK FRA ISL ITA LUX NLD NOR PRT GBR USA"),
    *_members("NATO", "1952-02-18", "GRC TUR"),
    *_members("NATO", "1955-05-06", "DEU"),
    *_members("NATO", "1982-05-30", "ESP"),
    *_members("NATO", "1999-03-12", "CZE HUN POL"),
    *_members("NATO", "2004-03-29", "BGR EST LVA LTU ROU SVK SVN"),
    *_members("NATO", "2009-04-01", "ALB HRV"),
    *_members("NATO", "2017-06-05", "MNE"),
    *_members("NATO", "2020-03-27", "MKD"),
    *_members("NATO", "2023-04-04", "FIN"),
    *_members("NATO", "2024-03-07", "SWE"),
    *_members("EU", "1958-01-01", "BEL FRA DEU ITA LUX NLD"),
    *_members("EU", "1973-01-01", "DNK IRL"),
    Membership("GBR", "EU", date(1973, 1, 1), left=date(2020, 2, 1)),
    *_members("EU", "1981-01-01", "GRC"),
    *_members("EU", "1986-01-01", "ESP PRT"),
    *_members("EU", "1995-01-01", "AUT FIN SWE"),
    *_members("EU", "2004-05-01", "CYP CZE EST HUN LVA LTU MLT POL SVK SVN"),
    *_members("EU", "2007-01-01", "BGR ROU"),
    *_members("EU", "2013-07-01", "HRV"),
)
