"""The domain's matching rules (coalition.domain.matching) applied to one snapshot's rows.

Explanations and input checks ask these questions one pair at a time; the pair table answers
them for all pairs at once with numpy (pairs.py), and a test holds the two to the same answers.
"""

from __future__ import annotations

from datetime import date

from coalition.domain import matching
from coalition.domain.matching import Exclusion

from .inputs import Offer, Requirement, Snapshot


def arrival(snapshot: Snapshot, o: Offer, r: Requirement) -> date:
    return matching.arrival(o.available_from, snapshot.transit(o.origin, r.destination))


def lateness_factor(snapshot: Snapshot, o: Offer, r: Requirement) -> float:
    return matching.pair_factor(
        o.available_from,
        snapshot.transit(o.origin, r.destination),
        r.needed_by,
        snapshot.parameters.grace_days,
    )


def compatible(snapshot: Snapshot, o: Offer, r: Requirement) -> bool:
    return r.family in snapshot.families_served(o.item_type)


def exclusion(snapshot: Snapshot, o: Offer, r: Requirement) -> Exclusion | None:
    """The first candidate rule the pair breaks, or None when it gets a variable."""
    own = snapshot.item_type_by_code().get(o.item_type)
    return matching.exclusion(
        own_family=own.family if own else None,
        extra_families=snapshot.compatibility.get(o.item_type, frozenset()),
        allowed_areas=o.allowed_capability_areas,
        forbidden=(o.id, r.id) in snapshot.parameters.forbids,
        factor=lateness_factor(snapshot, o, r),
        family=r.family,
        capability_area=r.capability_area,
    )


def unit_value(snapshot: Snapshot, o: Offer, r: Requirement) -> float:
    weight = snapshot.parameters.weight(r.priority)
    return matching.unit_value(weight, r.quantity, lateness_factor(snapshot, o, r))


def is_new_type(snapshot: Snapshot, o: Offer, r: Requirement) -> bool:
    item = snapshot.item_type_by_code().get(o.item_type)
    is_platform = item is not None and item.is_platform
    return matching.is_new_type(is_platform, r.family, o.item_type, snapshot.fleet)
