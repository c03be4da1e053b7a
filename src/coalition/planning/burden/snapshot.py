"""The frozen input of the burden-sharing calculation: plain values copied out of the ledger."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

# Dated membership is a domain rule; the snapshot reuses the domain record.
from coalition.domain.donors import Membership as Membership

DonorKind = Literal["nation", "organisation"]
Organisation = Literal["NATO", "EU"]
Purpose = Literal["procurement", "training", "sustainment", "industry", "trust_fund"]
PledgeStatus = Literal["pledge", "commitment", "disbursed"]
Condition = Literal["new", "used"]
OfferStatus = Literal[
    "offered",
    "accepted",
    "committed",
    "shipped",
    "delivered",
    "operational",
    "declined",
    "withdrawn",
]


class BurdenDataError(ValueError):
    """A snapshot the calculation cannot use as it stands; the message names the record."""


@dataclass(frozen=True)
class Donor:
    code: str  # ISO 3166 alpha-3 for nations; "EU", "EPF", "EIB", "NATO-CAP" for organisations
    name: str
    kind: DonorKind


@dataclass(frozen=True)
class GdpFigure:
    """Nominal GDP of one donor for one calendar year (USD billions in the shipped data)."""

    donor_code: str
    year: int
    amount: Decimal
    currency: str
    unit: Literal["billion"]
    source: str


@dataclass(frozen=True)
class FinancialPledge:
    id: str
    donor_code: str
    amount: Decimal
    currency: str  # ISO 4217
    pledged_on: date
    year: int
    purpose: Purpose
    status: PledgeStatus
    channel_code: str | None = (
        None  # None: bilateral; else the organisation the money flows through
    )
    disbursed_on: date | None = None


@dataclass(frozen=True)
class InKindOffer:
    """An equipment offer. ``declared_value`` is the donor's value for the whole line."""

    id: str
    donor_code: str
    item_type: str
    quantity: int
    condition: Condition
    status: OfferStatus
    offered_on: date
    year: int
    catalogue_unit_value_eur: Decimal | None
    declared_value: Decimal | None = None
    declared_currency: str | None = None
    delivered_on: date | None = None
    category: str = "equipment"
    channel_code: str | None = None


@dataclass(frozen=True)
class BurdenBaseline:
    """One pledge rule as data: a row of ``burden_baselines.csv``."""

    year: int
    amount: Decimal
    currency: str
    participants_group: Organisation  # members of this group on ``membership_date`` ...
    excluded: frozenset[str]  # ... minus these (2024: HUN did not take part)
    gdp_measure: str
    gdp_year: int
    counted_categories: frozenset[str]
    membership_date: date  # groupings and participants are evaluated on this date
    source: str


@dataclass(frozen=True)
class BurdenSnapshot:
    donors: tuple[Donor, ...]
    memberships: tuple[Membership, ...]
    gdp: tuple[GdpFigure, ...]
    baselines: tuple[BurdenBaseline, ...]
    pledges: tuple[FinancialPledge, ...] = field(default=())
    offers: tuple[InKindOffer, ...] = field(default=())
