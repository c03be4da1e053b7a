"""Input checks that turn bad snapshots into clear messages instead of solver failures."""

from __future__ import annotations

from collections import Counter

from coalition.domain.matching import Exclusion

from . import rules
from .inputs import Snapshot


def pair_exclusion(snapshot: Snapshot, offer_id: str, requirement_id: str) -> str | None:
    """Why the pair (offer, requirement) has no variable, or None if it has one."""
    offers = {o.id: o for o in snapshot.offers}
    reqs = {r.id: r for r in snapshot.requirements}
    offer, req = offers.get(offer_id), reqs.get(requirement_id)
    if offer is None:
        return f"unknown offer {offer_id!r}"
    if req is None:
        return f"unknown requirement {requirement_id!r}"
    reason = rules.exclusion(snapshot, offer, req)
    if reason is Exclusion.INCOMPATIBLE:
        return (
            f"item type {offer.item_type!r} of offer {offer_id} cannot serve family "
            f"{req.family!r} of requirement {requirement_id}"
        )
    if reason is Exclusion.CONDITION:
        return (
            f"donor {offer.donor}'s condition on offer {offer_id} allows only "
            f"{sorted(offer.allowed_capability_areas or ())}, not {req.capability_area!r}"
        )
    if reason is Exclusion.FORBIDDEN:
        return f"the pair ({offer_id}, {requirement_id}) is forbidden by the coordinator"
    if reason is Exclusion.LATE:
        return (
            f"offer {offer_id} arrives more than {snapshot.parameters.grace_days} days after "
            f"requirement {requirement_id} is needed (lateness factor 0)"
        )
    return None


def validate_snapshot(snapshot: Snapshot) -> list[str]:
    """Every problem that prevents planning, as sentences; empty when the snapshot is usable."""
    params = snapshot.parameters
    errors: list[str] = []
    for kind, ids in (
        ("requirement", [r.id for r in snapshot.requirements]),
        ("offer", [o.id for o in snapshot.offers]),
        ("item type", [t.code for t in snapshot.item_types]),
    ):
        errors += [f"duplicate {kind} id {i!r}" for i, n in Counter(ids).items() if n > 1]
    if params.grace_days <= 0:
        errors.append("grace_days must be positive")
    if not 0.0 <= params.tie_break_epsilon < 0.01:
        errors.append("tie_break_epsilon must be in [0, 0.01)")
    for r in snapshot.requirements:
        if r.quantity <= 0:
            errors.append(f"requirement {r.id}: quantity must be positive, got {r.quantity}")
        if r.priority not in params.priority_weights:
            errors.append(f"requirement {r.id}: priority {r.priority} has no weight")
    known_types = {t.code for t in snapshot.item_types}
    for o in snapshot.offers:
        if o.quantity <= 0:
            errors.append(f"offer {o.id}: quantity must be positive, got {o.quantity}")
        if o.item_type not in known_types:
            errors.append(f"offer {o.id}: unknown item type {o.item_type!r}")
    if errors:
        return errors

    offers = {o.id: o for o in snapshot.offers}
    reqs = {r.id: r for r in snapshot.requirements}
    per_offer: Counter[str] = Counter()
    per_req: Counter[str] = Counter()
    for pin in params.pins:
        label = f"pin ({pin.offer_id}, {pin.requirement_id}, {pin.quantity})"
        if pin.quantity <= 0:
            errors.append(f"{label}: quantity must be positive")
            continue
        reason = pair_exclusion(snapshot, pin.offer_id, pin.requirement_id)
        if reason is not None:
            errors.append(f"{label} is impossible: {reason}")
            continue
        if reqs[pin.requirement_id].divisible is False and pin.quantity != int(pin.quantity):
            errors.append(f"{label}: requirement {pin.requirement_id} is indivisible")
        per_offer[pin.offer_id] += pin.quantity
        per_req[pin.requirement_id] += pin.quantity
    for offer_id, total in per_offer.items():
        if total > offers[offer_id].quantity:
            errors.append(
                f"pins on offer {offer_id} total {total} units but it offers only "
                f"{offers[offer_id].quantity}"
            )
    for req_id, total in per_req.items():
        if total > reqs[req_id].quantity:
            errors.append(
                f"pins on requirement {req_id} total {total} units but it needs only "
                f"{reqs[req_id].quantity}"
            )
    return errors
