"""The burden-sharing report: per donor, per grouping, per channel, per valuation method."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from coalition.domain.money import ZERO, ConvertedAmount, ExchangeRate
from coalition.planning.burden.snapshot import BurdenBaseline, DonorKind
from coalition.planning.burden.valuation import ValuationMethod

Stage = Literal["pledged", "committed", "delivered"]
LineKind = Literal["financial", "in_kind"]


@dataclass(frozen=True)
class StageTotals:
    """EUR totals on the pledge → commitment → delivery ladder (each includes the next)."""

    pledged: Decimal = ZERO
    committed: Decimal = ZERO
    delivered: Decimal = ZERO

    def __add__(self, other: StageTotals) -> StageTotals:
        return StageTotals(
            self.pledged + other.pledged,
            self.committed + other.committed,
            self.delivered + other.delivered,
        )

    @staticmethod
    def sum(parts: Iterable[StageTotals]) -> StageTotals:
        total = StageTotals()
        for part in parts:
            total = total + part
        return total


@dataclass(frozen=True)
class BurdenLine:
    """One ledger record as the burden rule sees it, with its EUR values and their provenance."""

    record_id: str
    kind: LineKind
    donor_code: str
    channel_code: str | None
    category: str  # financial purpose, or "equipment" for in-kind
    status: str
    reached: Stage
    counted: bool  # the category counts under the baseline rule
    internal: bool  # a channel organisation's own outgoing flow: counted at its source instead
    valuation: ValuationMethod | Literal["financial"]
    pledged_value: ConvertedAmount | None  # at the pledge (or offer) date
    delivered_value: ConvertedAmount | None  # at the delivery (or disbursement) date
    delivered_on: date | None

    def totals(self) -> StageTotals:
        pledged = self.pledged_value.eur if self.pledged_value else ZERO
        delivered = self.delivered_value.eur if self.delivered_value else ZERO
        return StageTotals(
            pledged=pledged,
            committed=pledged if self.reached in ("committed", "delivered") else ZERO,
            delivered=delivered,
        )


@dataclass(frozen=True)
class DonorBurden:
    code: str
    name: str
    kind: DonorKind
    groups: frozenset[str]  # "NATO", "EU" memberships on the baseline's membership date
    participant: bool  # shares the baseline
    totals: StageTotals
    delivered_by_category: dict[str, Decimal]
    gdp: Decimal | None  # in the GDP table's currency and unit (USD billions)
    fair_share: Decimal | None  # EUR; None for donors outside the baseline
    delivered_pct_of_fair_share: Decimal | None
    delivered_pct_of_gdp: Decimal | None
    shortfall: Decimal | None  # EUR still due to reach the fair share; 0 when reached


@dataclass(frozen=True)
class GroupTotals:
    name: str
    member_codes: tuple[str, ...]
    totals: StageTotals
    fair_share: Decimal  # sum over the group's participating members
    shortfall: Decimal  # sum of members' shortfalls: a surplus does not offset another's gap
    delivered_pct_of_fair_share: Decimal | None


@dataclass(frozen=True)
class ChannelFlows:
    """Money through an organisation: contributions counted at source, and its own outflows."""

    code: str
    name: str
    incoming: StageTotals  # nations' contributions naming this channel (counted for them)
    outgoing: StageTotals  # the organisation's own pledges/offers (internal: not added again)


@dataclass(frozen=True)
class ValuationCount:
    method: ValuationMethod
    lines: int
    pledged_eur: Decimal
    delivered_eur: Decimal


@dataclass(frozen=True)
class ExcludedLine:
    """A ledger record left out of every figure, and why (e.g. no ECB rate for its currency)."""

    record_id: str
    reason: str


@dataclass(frozen=True)
class BurdenReport:
    year: int
    baseline: BurdenBaseline
    gdp_rates: tuple[ExchangeRate, ...]  # used for "% of GDP" (GDP shares need no rate)
    donors: tuple[DonorBurden, ...]
    groups: tuple[GroupTotals, ...]
    channels: tuple[ChannelFlows, ...]
    valuation: tuple[ValuationCount, ...]
    lines: tuple[BurdenLine, ...]
    dropped_record_ids: tuple[str, ...] = field(default=())  # declined or withdrawn offers
    excluded: tuple[ExcludedLine, ...] = field(default=())  # records that cannot be valued

    def donor(self, code: str) -> DonorBurden:
        for row in self.donors:
            if row.code == code:
                return row
        raise KeyError(code)

    def group(self, name: str) -> GroupTotals:
        for row in self.groups:
            if row.name == name:
                return row
        raise KeyError(name)
