"""Input checks that turn bad snapshots into clear messages instead of solver failures."""

from __future__ import annotations

from collections import Counter

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
    if req.family not in snapshot.families_served(offer.item_type):
        return (
            f"item type {offer.item_type!r} of offer {offer_id} cannot serve family "
            f"{req.family!r} of requirement {requirement_id}"
        )
    allowed = offer.allowed_capability_areas
    if allowed is not None and req.capability_area not in allowed:
        return (
            f"donor {offer.donor}'s condition on offer {offer_id} allows only "
            f"{sorted(allowed)}, not {req.capability_area!r}"
        )
    if (offer_id, requirement_id) in snapshot.parameters.forbids:
        return f"the pair ({offer_id}, {requirement_id}) is forbidden by the coordinator"
    if lateness_factor(snapshot, offer_id, requirement_id) <= 0.0:
        return (
            f"offer {offer_id} arrives more than {snapshot.parameters.grace_days} days after "
            f"requirement {requirement_id} is needed (lateness factor 0)"
        )
    return None


def arrival_ordinal(snapshot: Snapshot, offer_id: str, requirement_id: str) -> int:
    offer = next(o for o in snapshot.offers if o.id == offer_id)
    req = next(r for r in snapshot.requirements if r.id == requirement_id)
    return offer.available_from.toordinal() + snapshot.transit(offer.origin, req.destination)


def lateness_factor(snapshot: Snapshot, offer_id: str, requirement_id: str) -> float:
    req = next(r for r in snapshot.requirements if r.id == requirement_id)
    late = max(0, arrival_ordinal(snapshot, offer_id, requirement_id) - req.needed_by.toordinal())
    return max(0.0, 1.0 - late / snapshot.parameters.grace_days)


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
