"""Turn ledger records into burden lines: stage reached, whether counted, EUR values."""

from __future__ import annotations

from datetime import date

from coalition.domain.lifecycle import offer_meaning
from coalition.domain.money import ExchangeRates, convert_to_eur
from coalition.planning.burden.report import BurdenLine, Stage
from coalition.planning.burden.snapshot import (
    BurdenBaseline,
    BurdenDataError,
    FinancialPledge,
    InKindOffer,
)
from coalition.planning.burden.valuation import ValuationPolicy, value_offer

PLEDGE_STAGE: dict[str, Stage] = {
    "pledge": "pledged",
    "commitment": "committed",
    "disbursed": "delivered",
}


def offer_stage(status: str) -> Stage | None:
    """The burden stage an offer reached. Acceptance is Ukraine's answer, not the donor's
    binding commitment, so an accepted offer still counts as pledged."""
    meaning = offer_meaning(status)
    if meaning.arrived:
        return "delivered"
    if meaning.committed:
        return "committed"
    return "pledged" if meaning.alive else None


def _delivery_date(record_id: str, stage: Stage, on: date | None) -> date | None:
    if stage == "delivered" and on is None:
        raise BurdenDataError(f"record {record_id}: delivered but no delivery date")
    return on if stage == "delivered" else None


def pledge_line(
    pledge: FinancialPledge, baseline: BurdenBaseline, internal: bool, rates: ExchangeRates
) -> BurdenLine:
    stage = PLEDGE_STAGE[pledge.status]
    delivered_on = _delivery_date(pledge.id, stage, pledge.disbursed_on)
    return BurdenLine(
        record_id=pledge.id,
        kind="financial",
        donor_code=pledge.donor_code,
        channel_code=pledge.channel_code,
        category=pledge.purpose,
        status=pledge.status,
        reached=stage,
        counted=pledge.purpose in baseline.counted_categories,
        internal=internal,
        valuation="financial",
        pledged_value=convert_to_eur(
            pledge.amount, pledge.currency, pledge.pledged_on, "pledge date", rates
        ),
        delivered_value=(
            convert_to_eur(pledge.amount, pledge.currency, delivered_on, "delivery date", rates)
            if delivered_on
            else None
        ),
        delivered_on=delivered_on,
    )


def offer_line(
    offer: InKindOffer,
    baseline: BurdenBaseline,
    internal: bool,
    rates: ExchangeRates,
    policy: ValuationPolicy,
) -> BurdenLine | None:
    """The offer's burden line, or None for a declined or withdrawn offer."""
    stage = offer_stage(offer.status)
    if stage is None:
        return None
    delivered_on = _delivery_date(offer.id, stage, offer.delivered_on)
    promised = value_offer(offer, offer.offered_on, "pledge date", rates, policy)
    delivered = (
        value_offer(offer, delivered_on, "delivery date", rates, policy) if delivered_on else None
    )
    return BurdenLine(
        record_id=offer.id,
        kind="in_kind",
        donor_code=offer.donor_code,
        channel_code=offer.channel_code,
        category=offer.category,
        status=offer.status,
        reached=stage,
        counted=offer.category in baseline.counted_categories,
        internal=internal,
        valuation=promised.method,
        pledged_value=promised.value,
        delivered_value=delivered.value if delivered else None,
        delivered_on=delivered_on,
    )
