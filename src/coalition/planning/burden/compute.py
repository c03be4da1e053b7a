"""Burden-sharing for one year: snapshot → report (pure; rates come through a port)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from coalition.domain.money import (
    EUR,
    ZERO,
    ExchangeRate,
    ExchangeRateError,
    ExchangeRates,
    to_cents,
)
from coalition.planning.burden.fair_share import split_by_largest_remainder
from coalition.planning.burden.lines import offer_line, pledge_line
from coalition.planning.burden.report import (
    BurdenLine,
    BurdenReport,
    ChannelFlows,
    DonorBurden,
    ExcludedLine,
    GroupTotals,
    StageTotals,
    ValuationCount,
)
from coalition.planning.burden.snapshot import (
    BurdenBaseline,
    BurdenDataError,
    BurdenSnapshot,
    Donor,
    GdpFigure,
)
from coalition.planning.burden.valuation import ValuationMethod, ValuationPolicy

PERCENT_PLACES = Decimal("0.01")
GDP_PERCENT_PLACES = Decimal("0.001")
UNIT_FACTORS = {"billion": Decimal(10) ** 9}
PARTICIPANTS = "Participating allies"
GROUP_NAMES = (PARTICIPANTS, "NATO", "EU", "NATO and EU", "All nations")


def compute_burden(
    snapshot: BurdenSnapshot,
    year: int,
    rates: ExchangeRates,
    policy: ValuationPolicy | None = None,
) -> BurdenReport:
    """Who gave what in ``year`` against each ally's fair share of that year's baseline."""
    policy = policy or ValuationPolicy()
    baseline = _baseline_for(snapshot, year)
    donors = {donor.code: donor for donor in snapshot.donors}
    channel_codes = {code for code, donor in donors.items() if donor.kind == "organisation"}
    lines, dropped, excluded = _lines(snapshot, baseline, channel_codes, rates, policy)

    groups_of = _groups_on(snapshot, baseline)
    participants = sorted(
        code
        for code, groups in groups_of.items()
        if baseline.participants_group in groups and code not in baseline.excluded
    )
    gdp = {figure.donor_code: figure for figure in snapshot.gdp if figure.year == baseline.gdp_year}
    missing = [code for code in participants if code not in gdp]
    if missing:
        raise BurdenDataError(f"no {baseline.gdp_year} GDP for participants: {', '.join(missing)}")
    # GDP enters shares only as a ratio, so its currency (USD) needs no conversion here.
    fair_shares = split_by_largest_remainder(
        baseline.amount, {code: gdp[code].amount for code in participants}
    )
    gdp_rates = _gdp_rates(gdp.values(), baseline.gdp_year, rates)

    counted_by_donor: dict[str, list[BurdenLine]] = defaultdict(list)
    for line in lines:
        if line.counted and not line.internal:
            counted_by_donor[line.donor_code].append(line)
    # Every member on the date gets a row (also with nothing recorded), plus any other giver.
    nation_codes = (set(groups_of) | set(counted_by_donor)) - channel_codes

    rows = [
        _donor_row(
            donors.get(code, Donor(code, code, "nation")),
            groups_of.get(code, frozenset()),
            counted_by_donor.get(code, []),
            gdp.get(code),
            fair_shares.get(code),
            gdp_rates,
        )
        for code in nation_codes
    ]
    rows.sort(key=lambda row: (-(row.fair_share or ZERO), -row.totals.delivered, row.code))

    return BurdenReport(
        year=year,
        baseline=baseline,
        gdp_rates=tuple(gdp_rates[currency] for currency in sorted(gdp_rates)),
        donors=tuple(rows),
        groups=tuple(_group(name, rows) for name in GROUP_NAMES),
        channels=_channels(lines, donors),
        valuation=_valuation_counts(lines),
        lines=lines,
        dropped_record_ids=dropped,
        excluded=excluded,
    )


def _baseline_for(snapshot: BurdenSnapshot, year: int) -> BurdenBaseline:
    matches = [baseline for baseline in snapshot.baselines if baseline.year == year]
    if len(matches) != 1:
        raise BurdenDataError(f"expected one burden baseline for {year}, found {len(matches)}")
    if matches[0].currency != EUR:
        raise BurdenDataError(f"baseline {year} must be in EUR, not {matches[0].currency}")
    return matches[0]


def _lines(
    snapshot: BurdenSnapshot,
    baseline: BurdenBaseline,
    channel_codes: set[str],
    rates: ExchangeRates,
    policy: ValuationPolicy,
) -> tuple[tuple[BurdenLine, ...], tuple[str, ...], tuple[ExcludedLine, ...]]:
    """Burden lines of the baseline's year, the ids of declined or withdrawn offers, and the
    records that cannot be valued (each with its reason): one bad record never fails the report.
    """
    lines: list[BurdenLine] = []
    excluded: list[ExcludedLine] = []
    for pledge in snapshot.pledges:
        if pledge.year != baseline.year:
            continue
        try:
            lines.append(pledge_line(pledge, baseline, pledge.donor_code in channel_codes, rates))
        except (ExchangeRateError, BurdenDataError, InvalidOperation) as error:
            excluded.append(ExcludedLine(pledge.id, _reason(error)))
    dropped = []
    for offer in snapshot.offers:
        if offer.year != baseline.year:
            continue
        try:
            line = offer_line(offer, baseline, offer.donor_code in channel_codes, rates, policy)
        except (ExchangeRateError, BurdenDataError, InvalidOperation) as error:
            excluded.append(ExcludedLine(offer.id, _reason(error)))
            continue
        if line is None:
            dropped.append(offer.id)
        else:
            lines.append(line)
    return tuple(lines), tuple(dropped), tuple(excluded)


def _reason(error: Exception) -> str:
    if isinstance(error, InvalidOperation):
        return "its amount is too large to value exactly; correct the amount in the ledger"
    return str(error)


def _groups_on(snapshot: BurdenSnapshot, baseline: BurdenBaseline) -> dict[str, frozenset[str]]:
    """Each donor's organisations on the baseline's membership date."""
    groups: dict[str, set[str]] = defaultdict(set)
    for membership in snapshot.memberships:
        if membership.active_on(baseline.membership_date):
            groups[membership.donor_code].add(membership.organisation)
    return {code: frozenset(names) for code, names in groups.items()}


def _gdp_rates(
    figures: Iterable[GdpFigure], gdp_year: int, rates: ExchangeRates
) -> dict[str, ExchangeRate]:
    """Annual-average rates that turn GDP into EUR for "% of GDP" (a flow over the year)."""
    currencies = {figure.currency for figure in figures if figure.currency != EUR}
    return {currency: rates.annual_average(currency, gdp_year) for currency in currencies}


def _gdp_in_eur(figure: GdpFigure, gdp_rates: Mapping[str, ExchangeRate]) -> Decimal:
    amount = figure.amount * UNIT_FACTORS[figure.unit]
    if figure.currency == EUR:
        return amount
    return amount / gdp_rates[figure.currency].per_eur


def _percent(part: Decimal, whole: Decimal, places: Decimal) -> Decimal | None:
    if whole == 0:
        return None
    return (part * 100 / whole).quantize(places, rounding=ROUND_HALF_EVEN)


def _donor_row(
    donor: Donor,
    groups: frozenset[str],
    lines: list[BurdenLine],
    gdp: GdpFigure | None,
    fair_share: Decimal | None,
    gdp_rates: Mapping[str, ExchangeRate],
) -> DonorBurden:
    totals = StageTotals.sum(line.totals() for line in lines)
    by_category: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        if line.delivered_value is not None:
            by_category[line.category] += line.delivered_value.eur
    return DonorBurden(
        code=donor.code,
        name=donor.name,
        kind=donor.kind,
        groups=groups,
        participant=fair_share is not None,
        totals=totals,
        delivered_by_category=dict(sorted(by_category.items())),
        gdp=gdp.amount if gdp else None,
        fair_share=fair_share,
        delivered_pct_of_fair_share=(
            _percent(totals.delivered, fair_share, PERCENT_PLACES) if fair_share else None
        ),
        delivered_pct_of_gdp=(
            _percent(totals.delivered, _gdp_in_eur(gdp, gdp_rates), GDP_PERCENT_PLACES)
            if gdp
            else None
        ),
        shortfall=max(fair_share - totals.delivered, ZERO) if fair_share is not None else None,
    )


def _in_group(name: str, row: DonorBurden) -> bool:
    if name == PARTICIPANTS:
        return row.participant
    if name == "NATO and EU":
        return {"NATO", "EU"} <= row.groups
    if name == "All nations":
        return True
    return name in row.groups


def _group(name: str, rows: Iterable[DonorBurden]) -> GroupTotals:
    members = [row for row in rows if _in_group(name, row)]
    fair_share = sum((row.fair_share or ZERO for row in members), ZERO)
    totals = StageTotals.sum(row.totals for row in members)
    participants_delivered = sum((row.totals.delivered for row in members if row.participant), ZERO)
    return GroupTotals(
        name=name,
        member_codes=tuple(sorted(row.code for row in members)),
        totals=totals,
        fair_share=fair_share,
        shortfall=sum((row.shortfall or ZERO for row in members), ZERO),
        delivered_pct_of_fair_share=_percent(participants_delivered, fair_share, PERCENT_PLACES),
    )


def _channels(lines: Iterable[BurdenLine], donors: Mapping[str, Donor]) -> tuple[ChannelFlows, ...]:
    """Flows through organisations, shown apart so that nothing is added twice."""
    incoming: dict[str, list[StageTotals]] = defaultdict(list)
    outgoing: dict[str, list[StageTotals]] = defaultdict(list)
    for line in lines:
        if not line.counted:
            continue
        if line.internal:
            outgoing[line.donor_code].append(line.totals())
        elif line.channel_code is not None:
            incoming[line.channel_code].append(line.totals())
    codes = sorted(set(incoming) | set(outgoing))
    return tuple(
        ChannelFlows(
            code=code,
            name=donors[code].name if code in donors else code,
            incoming=StageTotals.sum(incoming.get(code, [])),
            outgoing=StageTotals.sum(outgoing.get(code, [])),
        )
        for code in codes
    )


def _valuation_counts(lines: Iterable[BurdenLine]) -> tuple[ValuationCount, ...]:
    """How in-kind lines were valued: counts and EUR totals per method."""
    methods: tuple[ValuationMethod, ...] = ("declared", "catalogue", "unvalued")
    in_kind = [line for line in lines if line.kind == "in_kind"]
    return tuple(
        ValuationCount(
            method=method,
            lines=len(group := [line for line in in_kind if line.valuation == method]),
            pledged_eur=to_cents(sum((line.totals().pledged for line in group), ZERO)),
            delivered_eur=to_cents(sum((line.totals().delivered for line in group), ZERO)),
        )
        for method in methods
    )
