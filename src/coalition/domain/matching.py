"""Which offer may serve which requirement, and how much lateness costs: the one definition.

The allocation planner (its numpy pair table, its greedy plans, its explanations, its input
checks) and the independent plan verifier all read the rules here; the pair table's vectorised
form is tested against these scalar definitions.

An offer o may serve a requirement r (the pair is a *candidate*) when
1. o's item type serves r's family: its own family, or one the compatibility rules add;
2. the donor's condition allows r's capability area (no condition allows every area);
3. the coordinator has not forbidden the pair;
4. the lateness factor is positive.

Lateness: o arrives `available_from + transit_days(origin, destination)`; it is
`max(0, arrival − needed_by)` days late; the lateness factor is
`max(0, 1 − days_late / grace_days)`: 1 on time, falling linearly to 0 after `grace_days`.
A unit of o given to r is worth `weight(priority_r) / quantity_r × factor`.

A *new type* is a platform item type used for a family that Ukraine does not yet operate it
in; the planner charges its penalty once per (family, item type).

Standard library only: the rules must be readable without numpy or a solver.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, timedelta
from enum import StrEnum


class Exclusion(StrEnum):
    """Why a pair is not a candidate (checked in this order)."""

    INCOMPATIBLE = "incompatible"
    CONDITION = "condition"
    FORBIDDEN = "forbidden"
    LATE = "late"


def families_served(own_family: str | None, extra_families: Iterable[str]) -> frozenset[str]:
    """The families an item type serves: its own (if known) plus the compatibility rules."""
    extra = frozenset(extra_families)
    return extra if own_family is None else extra | {own_family}


def serves(own_family: str | None, extra_families: Iterable[str], family: str) -> bool:
    """Rule 1: can an item type (own family, extra families) serve a requirement's family?"""
    return family in families_served(own_family, extra_families)


def condition_allows(allowed_areas: Collection[str] | None, capability_area: str) -> bool:
    """Rule 2: `None` means no donor condition; an empty set allows no area at all."""
    return allowed_areas is None or capability_area in allowed_areas


def arrival(available_from: date, transit_days: int) -> date:
    return available_from + timedelta(days=transit_days)


def days_late(arrival_day: date, needed_by: date) -> int:
    return max(0, (arrival_day - needed_by).days)


def lateness_factor(days_late: int, grace_days: int) -> float:
    """1.0 on time, linearly down to 0.0 at `grace_days` days late (and 0 after)."""
    return max(0.0, 1.0 - days_late / grace_days)


def pair_factor(available_from: date, transit_days: int, needed_by: date, grace_days: int) -> float:
    """The lateness factor of an offer available on `available_from` for a need on
    `needed_by`, `transit_days` apart."""
    late = days_late(arrival(available_from, transit_days), needed_by)
    return lateness_factor(late, grace_days)


def exclusion(
    *,
    own_family: str | None,
    extra_families: Iterable[str],
    allowed_areas: Collection[str] | None,
    forbidden: bool,
    factor: float,
    family: str,
    capability_area: str,
) -> Exclusion | None:
    """The first candidate rule a pair breaks, or None when the pair is a candidate."""
    if not serves(own_family, extra_families, family):
        return Exclusion.INCOMPATIBLE
    if not condition_allows(allowed_areas, capability_area):
        return Exclusion.CONDITION
    if forbidden:
        return Exclusion.FORBIDDEN
    if factor <= 0.0:
        return Exclusion.LATE
    return None


def unit_value(weight: float, quantity: int, factor: float) -> float:
    """Objective value of one unit: the fraction of the requirement covered, weighted by
    priority and discounted by lateness."""
    return weight / quantity * factor


def is_new_type(
    is_platform: bool, family: str, item_type: str, fleet: Collection[tuple[str, str]]
) -> bool:
    """Does using `item_type` for `family` introduce a platform type not yet in service?"""
    return is_platform and (family, item_type) not in fleet


# A requirement names a family, and optionally one platform its items must serve (spares for
# PzH 2000). The planner treats each such pair as its own need, keyed `family@platform`; this
# is the one place that encoding is written and read.
NEED_SEPARATOR = "@"


def need_key(family: str, platform: str | None) -> str:
    return f"{family}{NEED_SEPARATOR}{platform}" if platform else family


def need_parts(need: str) -> tuple[str, str | None]:
    """(family, platform or None) of a need key."""
    family, _, platform = need.partition(NEED_SEPARATOR)
    return family, platform or None


def fleet_by_need(
    in_service: Collection[tuple[str, str]], needs: Iterable[str]
) -> frozenset[tuple[str, str]]:
    """The fleet as (need key, item type): a type in service in a family is in service for
    every need of that family, so serving a platform-specific need with it is no new type."""
    pairs = set(in_service)
    by_family: dict[str, set[str]] = {}
    for family, item_type in in_service:
        by_family.setdefault(family, set()).add(item_type)
    for need in needs:
        family, _ = need_parts(need)
        pairs.update((need, item_type) for item_type in by_family.get(family, ()))
    return frozenset(pairs)
