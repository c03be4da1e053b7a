"""The frozen snapshot the allocation planner reads: requirements, offers, rules, parameters.

Everything here is plain data (standard library only) so that a storage layer, a CSV loader or a
test can build it, and so that it hashes canonically (see `snapshot_hash`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from coalition.domain import matching

DEFAULT_PRIORITY_WEIGHTS: Mapping[int, float] = MappingProxyType(
    {1: 16.0, 2: 8.0, 3: 4.0, 4: 2.0, 5: 1.0}
)


@dataclass(frozen=True)
class Requirement:
    """A prioritised need of Ukraine: `quantity` units of `family` at `destination`."""

    id: str
    capability_area: str
    family: str
    quantity: int
    priority: int
    needed_by: date
    destination: str
    divisible: bool = False
    # Units already covered by the allocation in force; `quantity` is what is still open.
    # Only the before/after coverage figures read it: the planner plans `quantity`.
    already_covered: int = 0


@dataclass(frozen=True)
class Offer:
    """In-kind equipment a donor offers; `allowed_capability_areas=None` means no condition."""

    id: str
    donor: str
    item_type: str
    quantity: int
    available_from: date
    origin: str
    unit_value_eur: float | Decimal
    allowed_capability_areas: frozenset[str] | None = None


@dataclass(frozen=True)
class ItemType:
    """An item type serves its own `family`; platforms can trigger the new-type penalty."""

    code: str
    family: str
    is_platform: bool


@dataclass(frozen=True)
class Pin:
    """The coordinator forces at least `quantity` units of `offer_id` to `requirement_id`."""

    offer_id: str
    requirement_id: str
    quantity: int


@dataclass(frozen=True)
class Parameters:
    """Objective weights, rule parameters and solver limits (documented in docs/allocation.md)."""

    priority_weights: Mapping[int, float] = field(default_factory=lambda: DEFAULT_PRIORITY_WEIGHTS)
    grace_days: int = 90
    new_type_penalty: float = 4.0
    new_type_penalty_by_family: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType({})
    )
    default_transit_days: int = 14
    time_limit_s: float = 60.0
    mip_gap: float = 0.001
    pins: tuple[Pin, ...] = ()
    forbids: frozenset[tuple[str, str]] = frozenset()
    tie_break_epsilon: float = 1e-5
    workers: int = 2

    def weight(self, priority: int) -> float:
        return float(self.priority_weights[priority])

    def penalty(self, family: str) -> float:
        return float(self.new_type_penalty_by_family.get(family, self.new_type_penalty))


@dataclass(frozen=True)
class Snapshot:
    """Everything the planner needs, frozen at one moment.

    `compatibility` lists, per item type, the families it serves *besides its own*.
    `fleet` holds the (family, item_type) pairs Ukraine already operates.
    `transit_days` maps (origin, destination) to days; missing pairs use
    `parameters.default_transit_days`.
    """

    requirements: tuple[Requirement, ...] = ()
    offers: tuple[Offer, ...] = ()
    item_types: tuple[ItemType, ...] = ()
    compatibility: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    fleet: frozenset[tuple[str, str]] = frozenset()
    transit_days: Mapping[tuple[str, str], int] = field(
        default_factory=lambda: MappingProxyType({})
    )
    parameters: Parameters = field(default_factory=Parameters)

    def item_type_by_code(self) -> dict[str, ItemType]:
        return {t.code: t for t in self.item_types}

    def families_served(self, item_type: str) -> frozenset[str]:
        """The requirement families an item type serves: its own plus the compatibility rules."""
        own = next((t.family for t in self.item_types if t.code == item_type), None)
        return matching.families_served(own, self.compatibility.get(item_type, frozenset()))

    def transit(self, origin: str, destination: str) -> int:
        return int(
            self.transit_days.get((origin, destination), self.parameters.default_transit_days)
        )


def _number(value: int | float | Decimal) -> int | float:
    """One spelling per number: 2, 2.0 and Decimal("2.00") all become 2; 2.5 and
    Decimal("2.50") both become 2.5 (JSON writes floats in their shortest round-trip form)."""
    number = float(value)
    if number.is_integer():
        return int(number)
    return number


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, Decimal)):
        return _number(value)
    if isinstance(value, (frozenset, set)):
        return sorted(_jsonable(v) for v in value)
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return sorted([_jsonable(k), _jsonable(v)] for k, v in value.items())
    return value


def parameters_as_dict(parameters: Parameters) -> dict[str, Any]:
    """A JSON-ready dict of the parameters (used in plan.json and parameters.json)."""
    return {
        "priority_weights": {str(k): float(v) for k, v in parameters.priority_weights.items()},
        "grace_days": parameters.grace_days,
        "new_type_penalty": parameters.new_type_penalty,
        "new_type_penalty_by_family": dict(parameters.new_type_penalty_by_family),
        "default_transit_days": parameters.default_transit_days,
        "time_limit_s": parameters.time_limit_s,
        "mip_gap": parameters.mip_gap,
        "pins": [[p.offer_id, p.requirement_id, p.quantity] for p in parameters.pins],
        "forbids": sorted([o, r] for o, r in parameters.forbids),
        "tie_break_epsilon": parameters.tie_break_epsilon,
        "workers": parameters.workers,
    }


def snapshot_hash(snapshot: Snapshot) -> str:
    """sha256 of a canonical JSON serialisation of the snapshot and its parameters.

    Canonical: row order and mapping order do not matter (everything is sorted), and a number
    hashes the same however it is spelt (2, 2.0, Decimal("2.00")), so a snapshot reloaded from
    its CSV files hashes as the original. Solver limits (time, workers) are included because
    they can change the plan.
    """
    # Rows are spelt field by field (the same canonical values as `_jsonable`, which is
    # several times slower on 100,000 offers).
    canonical = {
        "requirements": sorted(
            [
                r.id,
                r.capability_area,
                r.family,
                _number(r.quantity),
                _number(r.priority),
                r.needed_by.isoformat(),
                r.destination,
                r.divisible,
            ]
            for r in snapshot.requirements
        ),
        "offers": sorted(
            [
                o.id,
                o.donor,
                o.item_type,
                _number(o.quantity),
                o.available_from.isoformat(),
                o.origin,
                _number(o.unit_value_eur),
                None if o.allowed_capability_areas is None else sorted(o.allowed_capability_areas),
            ]
            for o in snapshot.offers
        ),
        "item_types": sorted(
            _jsonable([t.code, t.family, t.is_platform]) for t in snapshot.item_types
        ),
        "compatibility": _jsonable(snapshot.compatibility),
        "fleet": _jsonable(snapshot.fleet),
        "transit_days": _jsonable(snapshot.transit_days),
        "parameters": _jsonable(parameters_as_dict(snapshot.parameters)),
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()
