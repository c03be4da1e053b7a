"""The logistics network: nodes (donor depots, hubs, border crossings, delivery points) and the
lanes between them, with the capacities and costs the route planner reads.

Node codes start with their country's ISO 3166 alpha-3 code (`POL-HUB-RZE`, see
`domain/places.py`), and a node's `country` must agree with its code, so a planning table keyed
by country reads the same country from either.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
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


def planned_transit_days(lane: Lane) -> int:
    """The whole days a lane takes in a daily plan: its transit rounded up (a 1.84-day road
    leg departing on day t is unloaded on day t + 2), at least one."""
    return max(1, math.ceil(lane.transit_days))


def origin_node(origin: str, nodes: Sequence[Node]) -> str | None:
    """The node an offer leaves from: its origin when that is a node's code; else the first
    depot (by code) of the country its origin names (`DEU`, or a depot `DEU-DEPOT-7` the network
    does not list); None when that country has no depot in the network."""
    codes = {n.code for n in nodes}
    if origin in codes:
        return origin
    country = origin if _ALPHA3.match(origin) else country_of(origin)
    depots = sorted(n.code for n in nodes if n.kind is NodeKind.DEPOT and n.country == country)
    return depots[0] if depots else None


def delivery_node(
    code: str, latitude: float, longitude: float, nodes: Sequence[Node]
) -> str | None:
    """The node goods for a recipient are delivered to: the recipient's own node when it is
    one (depots and delivery points carry the recipient's code), else the delivery point
    nearest it by great-circle distance (a unit at the front is supplied through it); None
    when the network has no delivery point."""
    if any(n.code == code for n in nodes):
        return code
    points = [n for n in nodes if n.kind is NodeKind.DELIVERY]
    if not points:
        return None
    nearest = min(points, key=lambda n: (_km(latitude, longitude, n.latitude, n.longitude), n.code))
    return nearest.code


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
