"""The logistics network: nodes (donor depots, hubs, border crossings, delivery points) and the
lanes between them, with the capacities and costs the route planner reads.

Node codes start with their country's ISO 3166 alpha-3 code (`POL-HUB-RZE`, see
`domain/places.py`), and a node's `country` must agree with its code, so a planning table keyed
by country reads the same country from either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from coalition.domain import checks
from coalition.domain.errors import InvalidValue
from coalition.domain.markings import DEFAULT_MARKING, check_marking
from coalition.domain.places import country_of

_ALPHA3 = re.compile(r"^[A-Z]{3}$")


class NodeKind(StrEnum):
    DEPOT = "depot"  # a donor's depot: where shipments start
    HUB = "hub"  # a consolidation hub on the eastern flank
    BORDER = "border"  # a border crossing into Ukraine
    DELIVERY = "delivery"  # a delivery point inside Ukraine


class Mode(StrEnum):
    RAIL = "rail"
    ROAD = "road"
    AIR = "air"
    SEA = "sea"


def country(field: str, value: str) -> str:
    """Shape check; whether the code exists (ISO 3166) is checked at import."""
    if not isinstance(value, str) or not _ALPHA3.match(value):
        raise InvalidValue(field, value, "must be an ISO 3166 alpha-3 country code such as POL")
    return value


@dataclass(frozen=True, slots=True)
class Node:
    code: str
    name: str
    kind: NodeKind
    country: str  # ISO 3166 alpha-3
    latitude: float
    longitude: float
    handling_t_per_day: Decimal | None = None  # tonnes a day it can handle; None: not limited
    marking: str = DEFAULT_MARKING  # releasability (domain/markings.py)

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("code", self.code)
        checks.text("name", self.name)
        checks.one_of("kind", self.kind, tuple(NodeKind))
        country("country", self.country)
        named = country_of(self.code)
        if named is not None and named != self.country:
            raise InvalidValue(
                "country", self.country, f"the code {self.code} names {named}: they must agree"
            )
        checks.LATITUDE("latitude", self.latitude)
        checks.LONGITUDE("longitude", self.longitude)
        checks.TONNES_PER_DAY.optional("handling_t_per_day", self.handling_t_per_day)


@dataclass(frozen=True, slots=True)
class Lane:
    """A way from one node to another by one mode, with its daily capacities and cost."""

    code: str
    from_node: str
    to_node: str
    mode: Mode
    transit_days: Decimal
    capacity_t_per_day: Decimal  # tonnes a day
    outsize_per_day: int  # outsize items (tanks, launchers) a day; 0: none fit
    cost_eur_per_t: Decimal
    marking: str = DEFAULT_MARKING  # releasability (domain/markings.py)

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("code", self.code)
        checks.code("from_node", self.from_node)
        checks.code("to_node", self.to_node)
        if self.from_node == self.to_node:
            raise InvalidValue("to_node", self.to_node, "a lane must lead to another node")
        checks.one_of("mode", self.mode, tuple(Mode))
        checks.TRANSIT_DAYS("transit_days", self.transit_days)
        checks.TONNES_PER_DAY("capacity_t_per_day", self.capacity_t_per_day)
        checks.COUNT("outsize_per_day", self.outsize_per_day)
        checks.COST_PER_TONNE("cost_eur_per_t", self.cost_eur_per_t)
