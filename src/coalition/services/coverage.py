"""The `status` use case: aggregate the ledger through the repository, compute coverage in the
domain."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from statistics import median

from coalition.domain.access import may_see_aggregate
from coalition.domain.coverage import (
    AreaCoverage,
    FamilyTotals,
    coverage_by_area,
    coverage_stage,
    supply_stages,
    total,
)
from coalition.domain.requirements import COUNTED_REQUIREMENT_STATES
from coalition.registries.kinds import FAMILIES, ITEM_TYPES, OFFERS, REQUIREMENTS
from coalition.storage.unit_of_work import UnitOfWork


def family_of_items(uow: UnitOfWork) -> tuple[dict[str, str], dict[str, list[Decimal]]]:
    """Each item type's family, and each family's item reference values (EUR)."""
    values: dict[str, list[Decimal]] = defaultdict(list)
    families: dict[str, str] = {}
    for item in uow.records(ITEM_TYPES).find():
        families[item["code"]] = item["family_code"]
        if item["reference_value_eur"] is not None:
            values[item["family_code"]].append(Decimal(item["reference_value_eur"]))
    return families, values


def unit_value(values: dict[str, list[Decimal]], family: str) -> Decimal:
    """A family's unit value: the median of its item types' reference values. A family with
    no reference value counts each unit as EUR 1 so it still shows."""
    return Decimal(median(values[family])) if values.get(family) else Decimal(1)


def required_by_family(uow: UnitOfWork) -> dict[str, tuple[int, int]]:
    """(units, lines) of counted requirements per family; summed by the database over the
    rows the principal may see."""
    counted = [str(v) for v in COUNTED_REQUIREMENT_STATES]
    return {
        code: (int(units), int(lines))
        for code, units, lines in uow.records(REQUIREMENTS).totals(
            ("family_code",), "quantity", within={"status": counted}
        )
    }


def family_totals(uow: UnitOfWork) -> list[FamilyTotals]:
    families, values = family_of_items(uow)
    required = required_by_family(uow)
    # Supply is summed over every donor's offers; what a reader may see of each area's sum
    # is decided afterwards by domain.access (never by seeing the offers one by one).
    supplied: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    donors: dict[str, set[str]] = defaultdict(set)
    for item_type, status, units, _, owners in uow.records(OFFERS).totals_across_owners(
        ("item_type_code", "status"), "quantity"
    ):
        stage = coverage_stage(status)
        if stage is not None and item_type in families:
            supplied[families[item_type]][stage] += int(units)
            donors[families[item_type]] |= owners
    # Offers with received shipments count what arrived (domain.coverage.supply_stages):
    # their whole quantity is taken out of their status's column and their tracked split
    # put in. Same donors (a shipment's donor is its offer's), so withholding is unchanged.
    for tracked in uow.shipments.tracked_offers_across_owners():
        of_family = families.get(tracked["item_type_code"])
        if of_family is None:
            continue
        status, quantity = tracked["status"], int(tracked["quantity"])
        for stage, units in supply_stages(status, quantity).items():
            supplied[of_family][stage] -= units
        split = supply_stages(status, quantity, int(tracked["received"]), int(tracked["lost"]))
        for stage, units in split.items():
            supplied[of_family][stage] += units
    totals = []
    for family in uow.records(FAMILIES).find():
        code = family["code"]
        units, lines = required.get(code, (0, 0))
        stages = supplied.get(code, {})
        if not units and not stages:
            continue
        totals.append(
            FamilyTotals(
                code,
                family["capability_area"],
                unit_value(values, code),
                units,
                lines,
                stages.get("offered", 0),
                stages.get("accepted", 0),
                stages.get("delivered", 0),
                frozenset(donors.get(code, ())),
            )
        )
    return totals


def coverage_rows(uow: UnitOfWork) -> list[AreaCoverage]:
    """Coverage per area and in all; an area's supply drawn on too few donors for the reader
    to see is withheld (shown as such, never as zero)."""
    areas = [
        area if may_see_aggregate(uow.principal, area.donors) else area.withholding_supply()
        for area in coverage_by_area(family_totals(uow))
    ]
    return [*areas, total(areas)] if areas else []
