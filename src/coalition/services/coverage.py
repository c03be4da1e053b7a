"""The `status` use case: aggregate the ledger in SQL, compute coverage in the domain."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from statistics import median

from sqlalchemy import func, select

from coalition.domain.coverage import (
    OFFER_STAGE,
    AreaCoverage,
    FamilyTotals,
    coverage_by_area,
    total,
)
from coalition.domain.requirements import COUNTED_REQUIREMENT_STATES
from coalition.storage.tables import families, item_types, offers, requirements
from coalition.storage.unit_of_work import UnitOfWork


def coverage_by_area_for(uow: UnitOfWork) -> list[FamilyTotals]:
    connection = uow.connection
    values: dict[str, list[Decimal]] = defaultdict(list)
    for family_code, value in connection.execute(
        select(item_types.c.family_code, item_types.c.reference_value_eur)
    ):
        if value is not None:
            values[family_code].append(Decimal(value))
    required = {
        code: (int(units), int(lines))
        for code, units, lines in connection.execute(
            select(requirements.c.family_code, func.sum(requirements.c.quantity), func.count())
            .where(requirements.c.status.in_([str(v) for v in COUNTED_REQUIREMENT_STATES]))
            .group_by(requirements.c.family_code)
        )
    }
    supplied: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for family_code, status, units in connection.execute(
        select(item_types.c.family_code, offers.c.status, func.sum(offers.c.quantity))
        .join(item_types, item_types.c.code == offers.c.item_type_code)
        .group_by(item_types.c.family_code, offers.c.status)
    ):
        if status in OFFER_STAGE:
            supplied[family_code][OFFER_STAGE[status]] += int(units)
    totals = []
    for code, area in connection.execute(select(families.c.code, families.c.capability_area)):
        units, lines = required.get(code, (0, 0))
        stages = supplied.get(code, {})
        if not units and not stages:
            continue
        # A family with no reference value counts each unit as EUR 1 so it still shows.
        unit_value = Decimal(median(values[code])) if values.get(code) else Decimal(1)
        totals.append(
            FamilyTotals(
                code,
                area,
                unit_value,
                units,
                lines,
                stages.get("offered", 0),
                stages.get("accepted", 0),
                stages.get("delivered", 0),
            )
        )
    return totals


def coverage_rows(uow: UnitOfWork) -> list[AreaCoverage]:
    areas = coverage_by_area(coverage_by_area_for(uow))
    return [*areas, total(areas)] if areas else []
