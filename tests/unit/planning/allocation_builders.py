"""Tiny builders for hand-solved allocation instances (shared by the test_allocation_* files)."""

from __future__ import annotations

from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

from coalition.planning.allocation import ItemType, Offer, Parameters, Requirement, Snapshot

DAY0 = date(2027, 1, 1)
FAMILY = "155mm SP howitzer"
AMMO = "155mm ammunition"


def req(
    rid: str,
    priority: int = 3,
    quantity: int = 1,
    family: str = FAMILY,
    area: str = "artillery",
    needed_in: int = 30,
    divisible: bool = False,
) -> Requirement:
    return Requirement(
        id=rid,
        capability_area=area,
        family=family,
        quantity=quantity,
        priority=priority,
        needed_by=DAY0 + timedelta(days=needed_in),
        destination="UA-W",
        divisible=divisible,
    )


def offer(
    oid: str,
    item_type: str = "PzH2000",
    quantity: int = 1,
    available_in: int = 0,
    eur: float = 1_000_000.0,
    allowed: frozenset[str] | None = None,
    donor: str = "DE",
) -> Offer:
    return Offer(
        id=oid,
        donor=donor,
        item_type=item_type,
        quantity=quantity,
        available_from=DAY0 + timedelta(days=available_in),
        origin=f"{donor}-DEPOT",
        unit_value_eur=eur,
        allowed_capability_areas=allowed,
    )


ITEM_TYPES = (
    ItemType("PzH2000", FAMILY, True),
    ItemType("Caesar", FAMILY, True),  # not in the fleet: a new type
    ItemType("M109", "155mm towed howitzer", True),
    ItemType("NATO-155", AMMO, False),
    ItemType("Patriot-PAC3", "air defence missile", False),
)
FLEET = frozenset({(FAMILY, "PzH2000"), ("155mm towed howitzer", "M109")})


def snapshot(
    requirements: list[Requirement],
    offers: list[Offer],
    transit_days: int = 0,
    **parameters: object,
) -> Snapshot:
    """Transit is `transit_days` for every offer (by default 0), so arrival = available_from."""
    origins = {o.origin for o in offers}
    return Snapshot(
        requirements=tuple(requirements),
        offers=tuple(offers),
        item_types=ITEM_TYPES,
        compatibility=MappingProxyType({}),
        fleet=FLEET,
        transit_days=MappingProxyType({(o, "UA-W"): transit_days for o in origins}),
        parameters=Parameters(**parameters),  # type: ignore[arg-type]
    )


def small_instance(extra_offers: tuple[Offer, ...] = (), **options: Any) -> Snapshot:
    """Three needs (one indivisible pair, one area-restricted, one divisible ammunition line)
    and three offers, each of which one rule governs; tests add offers and options."""
    return snapshot(
        [
            req("R1", priority=1, quantity=2),
            req("R2", priority=4, area="air defence"),
            req("R3", priority=2, quantity=50, family="155mm ammunition", divisible=True),
        ],
        [
            offer("O1", quantity=2, eur=1.5e6),
            offer("O2", allowed=frozenset({"air defence"})),
            offer("O3", item_type="NATO-155", quantity=30, eur=3000.0),
            *extra_offers,
        ],
        transit_days=7,
        **options,
    )
