"""The readiness use case: readiness rates per family and capability area from the latest
fleet-status reports, and the fleet-diversity index per family before and after the offers
accepted and not yet arrived (`domain/readiness.py` holds both definitions)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from coalition.domain.access import may_see_aggregate
from coalition.domain.lifecycle import offer_meaning
from coalition.domain.readiness import Diversity, Readiness, diversity, readiness_by
from coalition.registries.kinds import FAMILIES, FLEET, FLEET_STATUS, ITEM_TYPES, OFFERS
from coalition.services.training import records_of
from coalition.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ReadinessReport:
    by_area: list[Readiness]
    by_family: list[Readiness]
    diversity: list[Diversity]
    unreported: list[str]  # platform types in the fleet with no status report

    def as_dict(self) -> dict[str, object]:
        return {
            "by_area": [r.as_dict() for r in self.by_area],
            "by_family": [r.as_dict() for r in self.by_family],
            "diversity": [d.as_dict() for d in self.diversity],
            "unreported": self.unreported,
        }


def report(uow: UnitOfWork) -> ReadinessReport:
    items = uow.records(ITEM_TYPES).find()
    family_of = {row["code"]: row["family_code"] for row in items}
    platforms = {row["code"] for row in items if row["platform_code"] == row["code"]}
    area_of_family = {row["code"]: row["capability_area"] for row in uow.records(FAMILIES).find()}
    area_of = {i: area_of_family[f] for i, f in family_of.items() if f in area_of_family}
    reports = records_of(uow, FLEET_STATUS)
    fleet: dict[tuple[str, str], int] = defaultdict(int)
    for row in uow.records(FLEET).find():
        if row["item_type_code"] in platforms:
            fleet[(family_of[row["item_type_code"]], row["item_type_code"])] += row["quantity"]
    # The pipeline: platforms accepted and not yet arrived, over every donor's offers.
    coming: dict[tuple[str, str], int] = defaultdict(int)
    donors: dict[str, set[str]] = defaultdict(set)
    for item, status, units, _, owners in uow.records(OFFERS).totals_across_owners(
        ("item_type_code", "status"), "quantity"
    ):
        meaning = offer_meaning(status)
        if item in platforms and meaning.accepted and not meaning.arrived:
            coming[(family_of[item], item)] += int(units)
            donors[family_of[item]] |= owners
    spread = [
        d
        if may_see_aggregate(uow.principal, frozenset(donors.get(d.family_code, ())))
        else replace(d, types_after=None, hhi_after=None, new_types=())
        for d in diversity(fleet, coming)
    ]
    reported = {r.item_type_code for r in reports}
    return ReadinessReport(
        readiness_by(reports, area_of),
        readiness_by(reports, family_of),
        spread,
        sorted({item for _, item in fleet} - reported),
    )
