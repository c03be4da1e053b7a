"""The burden-sharing use case: copy the ledger into a snapshot, compute, return the report."""

from __future__ import annotations

from sqlalchemy import select

from coalition.domain.lifecycle import OfferStatus
from coalition.io.kinds import BASELINES
from coalition.money.burden import burden_report
from coalition.planning import burden as plan
from coalition.services.errors import ServiceError
from coalition.storage import tables
from coalition.storage.unit_of_work import UnitOfWork

DELIVERED = (OfferStatus.DELIVERED.value, OfferStatus.OPERATIONAL.value)


def snapshot(uow: UnitOfWork) -> plan.BurdenSnapshot:
    connection = uow.connection

    def rows(table: tables.Table) -> list[dict]:
        return [dict(r) for r in connection.execute(select(table)).mappings()]

    values = {
        r["code"]: r["reference_value_eur"]
        for r in connection.execute(
            select(tables.item_types.c.code, tables.item_types.c.reference_value_eur)
        ).mappings()
    }
    donors = tuple(plan.Donor(r["code"], r["name"], r["kind"]) for r in rows(tables.donors))
    memberships = tuple(
        plan.Membership(r["donor_code"], r["organisation"], r["joined"], r["left"])
        for r in rows(tables.memberships)
    )
    gdp = tuple(
        plan.GdpFigure(
            r["donor_code"], r["year"], r["amount"], r["currency"], r["unit"], r["source"]
        )
        for r in rows(tables.gdp)
        if r["unit"] == "billion"
    )
    baselines = tuple(_baseline(BASELINES.from_row(r)) for r in rows(tables.baselines))
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
        for r in rows(tables.pledges)
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
        for r in rows(tables.offers)
    )
    return plan.BurdenSnapshot(donors, memberships, gdp, baselines, pledges, offers)


def _baseline(record) -> plan.BurdenBaseline:  # type: ignore[no-untyped-def]
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
        return burden_report(data, year)
    except (plan.BurdenDataError, plan.ExchangeRateError) as error:
        raise ServiceError(str(error)) from None
