"""The burden-sharing use case: copy the ledger into a snapshot, compute, return the report."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from coalition.domain.access import Principal
from coalition.domain.baselines import PledgeBaseline
from coalition.io.ecb_rates import EcbRates
from coalition.planning import burden as plan
from coalition.registries.kinds import (
    BASELINES,
    DONORS,
    GDP,
    ITEM_TYPES,
    MEMBERSHIPS,
    OFFERS,
    PLEDGES,
    Kind,
)
from coalition.services.errors import ServiceError, UnreadableFile
from coalition.storage.unit_of_work import UnitOfWork


def snapshot(uow: UnitOfWork) -> plan.BurdenSnapshot:
    def rows(kind: Kind) -> list[dict[str, Any]]:
        # Coalition totals draw on every donor's records; `as_seen_by` then removes what the
        # reader may not see of them (other donors' rows and lines).
        records = uow.records(kind)
        return records.find_for_aggregate() if kind.owner else records.find()

    values = {r["code"]: r["reference_value_eur"] for r in rows(ITEM_TYPES)}
    donors = tuple(plan.Donor(r["code"], r["name"], r["kind"]) for r in rows(DONORS))
    memberships = tuple(MEMBERSHIPS.from_row(r) for r in rows(MEMBERSHIPS))
    # Sources give GDP in billions, millions or units; the calculation works in billions.
    gdp = tuple(
        plan.GdpFigure(f.donor_code, f.year, f.in_billions(), f.currency, "billion", f.source)
        for f in (GDP.from_row(r) for r in rows(GDP))
    )
    baselines = tuple(_baseline(BASELINES.from_row(r)) for r in rows(BASELINES))
    pledges = tuple(
        plan.FinancialPledge(
            f"{r['donor_code']}:{r['external_id']}",
            r["donor_code"],
            r["amount"],
            r["currency"],
            r["pledged_on"],
            r["year"],
            r["purpose"],
            r["status"],
            r["channel_code"],
            r["disbursed_on"],
        )
        for r in rows(PLEDGES)
    )
    offers = tuple(
        plan.InKindOffer(
            id=f"{r['donor_code']}:{r['external_id']}",
            donor_code=r["donor_code"],
            item_type=r["item_type_code"],
            quantity=r["quantity"],
            condition=r["condition"],
            status=r["status"],
            offered_on=r["available_from"],
            # An offer counts in the year it arrived, or else the year it is available.
            year=(r["delivered_on"] or r["available_from"]).year,
            catalogue_unit_value_eur=values.get(r["item_type_code"]),
            declared_value=r["declared_value"],
            declared_currency=r["currency"] if r["declared_value"] is not None else None,
            delivered_on=r["delivered_on"],
        )
        for r in rows(OFFERS)
    )
    return plan.BurdenSnapshot(donors, memberships, gdp, baselines, pledges, offers)


def _baseline(record: PledgeBaseline) -> plan.BurdenBaseline:
    return plan.BurdenBaseline(
        year=record.year,
        amount=record.amount,
        currency=record.currency,
        participants_group=record.participants_group.value,
        excluded=record.excluded,
        gdp_measure=record.gdp_measure,
        gdp_year=record.gdp_year,
        counted_categories=record.counted_categories,
        membership_date=record.membership_date,
        source=record.source,
    )


def report(uow: UnitOfWork, year: int) -> plan.BurdenReport:
    data = snapshot(uow)
    if not any(b.year == year for b in data.baselines):
        known = ", ".join(str(b.year) for b in data.baselines) or "none"
        raise ServiceError(f"no burden-sharing baseline for {year} (baselines: {known})")
    try:
        computed = plan.compute_burden(data, year, EcbRates())
    except (plan.BurdenDataError, plan.ExchangeRateError) as error:
        raise ServiceError(str(error)) from None
    return as_seen_by(computed, uow.principal)


def as_seen_by(report: plan.BurdenReport, principal: Principal) -> plan.BurdenReport:
    """The report as `principal` may see it: staff see all; a donor's desk officer its own
    donor's row and records and the coalition's group totals (each drawn on many donors);
    others the per-ally totals but no record of any donor."""
    if principal.sees_all:
        return report
    own = principal.donor_code

    def record_visible(donor_code: str) -> bool:
        return own is not None and donor_code == own

    donors = report.donors if own is None else tuple(d for d in report.donors if d.code == own)
    by_id = {line.record_id: line.donor_code for line in report.lines}
    return replace(
        report,
        donors=donors,
        lines=tuple(line for line in report.lines if record_visible(line.donor_code)),
        dropped_record_ids=tuple(
            r for r in report.dropped_record_ids if record_visible(r.split(":", 1)[0])
        ),
        excluded=tuple(
            e
            for e in report.excluded
            if record_visible(by_id.get(e.record_id, e.record_id.split(":", 1)[0]))
        ),
        channels=report.channels if len(donors) == len(report.donors) else (),
    )


def check_outputs(chart: Path | None, timeline: Path | None, export: Path | None) -> None:
    """Refuse an unusable output file before the report is computed (a typo costs no wait)."""
    from coalition.io.spreadsheets import check_writable
    from coalition.reports.burden_charts import CHART_SUFFIXES
    from coalition.reports.burden_export import EXPORT_SUFFIXES

    for option, path, suffixes in (
        ("--chart", chart, CHART_SUFFIXES),
        ("--timeline", timeline, CHART_SUFFIXES),
        ("--export", export, EXPORT_SUFFIXES),
    ):
        if path is not None:
            try:
                check_writable(path, suffixes)
            except UnreadableFile as error:
                raise ServiceError(f"{option} {error}") from None


def write_fair_share_chart(report: plan.BurdenReport, path: Path) -> Path:
    from coalition.reports.burden_charts import fair_share_chart, save_chart

    return save_chart(fair_share_chart(report), path)


def write_timeline_chart(report: plan.BurdenReport, path: Path) -> Path:
    from coalition.reports.burden_charts import cumulative_deliveries_chart, save_chart

    return save_chart(cumulative_deliveries_chart(report), path)


def export_table(report: plan.BurdenReport, path: Path) -> Path:
    from coalition.reports.burden_export import export_report

    return export_report(report, path)


def table_rows(report: plan.BurdenReport) -> list[dict[str, Any]]:
    """The burden table: one row per donor and per group, as the exports write it."""
    return plan.burden_table(report)


def as_dict(report: plan.BurdenReport) -> dict[str, Any]:
    return plan.report_as_dict(report)


def baseline_years(uow: UnitOfWork) -> list[int]:
    """The years that have a burden-sharing baseline, newest first."""
    return sorted({int(r["year"]) for r in uow.records(BASELINES).find()}, reverse=True)


def fair_share_svg(report: plan.BurdenReport) -> str:
    """The fair-share chart as SVG text (every label is escaped as XML by the renderer)."""
    from coalition.reports.burden_charts import chart_svg, fair_share_chart

    return chart_svg(fair_share_chart(report))
