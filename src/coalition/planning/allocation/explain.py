"""Why each requirement is (not) met and where each offer goes: structured, for any renderer."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from coalition.domain import matching

from . import rules
from .inputs import Offer, Requirement, Snapshot
from .plan import Assignment, Plan

TOLERANCE = 1e-6


class ShortfallReason(StrEnum):
    NO_COMPATIBLE_OFFER = "NO_COMPATIBLE_OFFER"
    TAKEN_BY_HIGHER_VALUE = "TAKEN_BY_HIGHER_VALUE"
    ONLY_LATE_OFFERS = "ONLY_LATE_OFFERS"
    NEW_TYPE_NOT_WORTH_PENALTY = "NEW_TYPE_NOT_WORTH_PENALTY"
    FORBIDDEN = "FORBIDDEN"
    NOT_PROVEN_OPTIMAL = "NOT_PROVEN_OPTIMAL"  # unused usable units: gap or greedy plan


class OfferReason(StrEnum):
    NO_COMPATIBLE_REQUIREMENT = "NO_COMPATIBLE_REQUIREMENT"
    CONDITION_EXCLUDES = "CONDITION_EXCLUDES"
    FORBIDDEN = "FORBIDDEN"
    ARRIVES_TOO_LATE = "ARRIVES_TOO_LATE"
    REQUIREMENTS_SERVED_BY_BETTER_OFFERS = "REQUIREMENTS_SERVED_BY_BETTER_OFFERS"
    NEW_TYPE_PENALTY = "NEW_TYPE_PENALTY"
    NOT_PROVEN_OPTIMAL = "NOT_PROVEN_OPTIMAL"


@dataclass(frozen=True)
class Reason:
    code: ShortfallReason | OfferReason
    text: str
    offers: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()


@dataclass(frozen=True)
class RequirementExplanation:
    requirement_id: str
    quantity: int
    covered: float
    shortfall: float
    served_by: tuple[Assignment, ...]
    reasons: tuple[Reason, ...]  # empty when fully covered


@dataclass(frozen=True)
class OfferExplanation:
    offer_id: str
    quantity: int
    used: float
    unused: float
    assignments: tuple[Assignment, ...]
    reasons: tuple[Reason, ...]  # empty when fully used


class _Context:
    """Look-ups over one snapshot and plan."""

    def __init__(self, snapshot: Snapshot, plan: Plan) -> None:
        self.snapshot = snapshot
        self.params = snapshot.parameters
        self.offers = {o.id: o for o in snapshot.offers}
        self.reqs = {r.id: r for r in snapshot.requirements}
        self.types = snapshot.item_type_by_code()
        self.by_offer: dict[str, list[Assignment]] = defaultdict(list)
        self.by_req: dict[str, list[Assignment]] = defaultdict(list)
        for a in plan.assignments:
            self.by_offer[a.offer_id].append(a)
            self.by_req[a.requirement_id].append(a)
        self.introduced = set(plan.new_types)

    def used(self, offer_id: str) -> float:
        return sum(a.quantity for a in self.by_offer[offer_id])

    def served(self, req_id: str) -> float:
        return sum(a.quantity for a in self.by_req[req_id])

    def compatible(self, o: Offer, r: Requirement) -> bool:
        return rules.compatible(self.snapshot, o, r)

    def condition_allows(self, o: Offer, r: Requirement) -> bool:
        return matching.condition_allows(o.allowed_capability_areas, r.capability_area)

    def factor(self, o: Offer, r: Requirement) -> float:
        return rules.lateness_factor(self.snapshot, o, r)

    def unit_value(self, o: Offer, r: Requirement) -> float:
        return rules.unit_value(self.snapshot, o, r)

    def new_type(self, o: Offer, r: Requirement) -> bool:
        """Would using o for r introduce a platform type not yet in service (or in the plan)?"""
        item = self.types.get(o.item_type)
        is_platform = item is not None and item.is_platform
        return matching.is_new_type(is_platform, r.family, o.item_type, self.snapshot.fleet) and (
            (r.family, o.item_type) not in self.introduced
        )

    def takers(self, offer_id: str, exclude: str) -> str:
        parts = [
            f"{a.requirement_id} ({a.quantity:g} units at {a.value / a.quantity:.4g}/unit)"
            for a in self.by_offer[offer_id]
            if a.requirement_id != exclude and a.quantity > 0
        ]
        return ", ".join(parts)


def explain_requirement(
    snapshot: Snapshot, plan: Plan, requirement_id: str
) -> RequirementExplanation:
    ctx = _Context(snapshot, plan)
    r = ctx.reqs.get(requirement_id)
    if r is None:
        raise KeyError(f"unknown requirement {requirement_id!r}")
    covered = ctx.served(r.id)
    shortfall = max(r.quantity - covered, 0.0)
    served_by = tuple(ctx.by_req[r.id])
    if shortfall <= TOLERANCE:
        return RequirementExplanation(r.id, r.quantity, covered, 0.0, served_by, ())

    compatible = [o for o in snapshot.offers if ctx.compatible(o, r)]
    allowed = [o for o in compatible if ctx.condition_allows(o, r)]
    reasons: list[Reason] = []
    if not allowed:
        excluded = tuple(o.id for o in compatible)
        text = f"no offer's item type serves family {r.family!r}"
        if excluded:
            text = (
                f"the {len(excluded)} offers that could serve family {r.family!r} carry donor "
                f"conditions excluding capability area {r.capability_area!r}"
            )
        reasons.append(Reason(ShortfallReason.NO_COMPATIBLE_OFFER, text, excluded))
        return RequirementExplanation(
            r.id, r.quantity, covered, shortfall, served_by, tuple(reasons)
        )

    forbidden = [o for o in allowed if (o.id, r.id) in ctx.params.forbids]
    if forbidden:
        ids = tuple(o.id for o in forbidden)
        reasons.append(
            Reason(
                ShortfallReason.FORBIDDEN, f"the coordinator forbids offers {', '.join(ids)}", ids
            )
        )
    open_offers = [o for o in allowed if (o.id, r.id) not in ctx.params.forbids]
    late = [o for o in open_offers if ctx.factor(o, r) <= 0.0]
    usable = [o for o in open_offers if ctx.factor(o, r) > 0.0]
    if late and not usable:
        ids = tuple(o.id for o in late)
        reasons.append(
            Reason(
                ShortfallReason.ONLY_LATE_OFFERS,
                f"every remaining compatible offer arrives more than {ctx.params.grace_days} "
                f"days after {r.needed_by.isoformat()}",
                ids,
            )
        )
    taken, new_type, idle = [], [], []
    for o in usable:
        left = o.quantity - ctx.used(o.id)
        if left <= TOLERANCE:
            if ctx.takers(o.id, r.id):  # units that all went to r itself are no reason
                taken.append(o)
        elif ctx.new_type(o, r):
            new_type.append(o)
        else:
            idle.append(o)
    if taken:
        details = "; ".join(
            f"{o.id} ({ctx.unit_value(o, r):.4g}/unit here) is used by {ctx.takers(o.id, r.id)}"
            for o in taken
        )
        reasons.append(
            Reason(
                ShortfallReason.TAKEN_BY_HIGHER_VALUE,
                f"compatible offers are used by other requirements: {details}",
                tuple(o.id for o in taken),
                tuple(
                    sorted({a.requirement_id for o in taken for a in ctx.by_offer[o.id]} - {r.id})
                ),
            )
        )
    if new_type:
        details = "; ".join(
            f"{o.id} ({o.item_type}) would gain at most "
            f"{ctx.unit_value(o, r) * min(o.quantity - ctx.used(o.id), shortfall):.4g} here "
            f"against a penalty of {ctx.params.penalty(r.family):.4g}"
            for o in new_type
        )
        reasons.append(
            Reason(
                ShortfallReason.NEW_TYPE_NOT_WORTH_PENALTY,
                f"unused compatible offers would bring a new type to {r.family!r}: {details}",
                tuple(o.id for o in new_type),
            )
        )
    if idle:
        reasons.append(
            Reason(
                ShortfallReason.NOT_PROVEN_OPTIMAL,
                f"offers {', '.join(o.id for o in idle)} still have units; the plan "
                f"({plan.status}, gap {plan.gap}) is within its tolerance, not exactly optimal",
                tuple(o.id for o in idle),
            )
        )
    return RequirementExplanation(r.id, r.quantity, covered, shortfall, served_by, tuple(reasons))


def explain_offer(snapshot: Snapshot, plan: Plan, offer_id: str) -> OfferExplanation:
    ctx = _Context(snapshot, plan)
    o = ctx.offers.get(offer_id)
    if o is None:
        raise KeyError(f"unknown offer {offer_id!r}")
    used = ctx.used(o.id)
    unused = max(o.quantity - used, 0.0)
    assignments = tuple(ctx.by_offer[o.id])
    if unused <= TOLERANCE:
        return OfferExplanation(o.id, o.quantity, used, 0.0, assignments, ())

    groups: dict[OfferReason, list[str]] = defaultdict(list)
    better: dict[str, list[str]] = {}
    for r in snapshot.requirements:
        if not ctx.compatible(o, r):
            continue
        if not ctx.condition_allows(o, r):
            groups[OfferReason.CONDITION_EXCLUDES].append(r.id)
        elif (o.id, r.id) in ctx.params.forbids:
            groups[OfferReason.FORBIDDEN].append(r.id)
        elif ctx.factor(o, r) <= 0.0:
            groups[OfferReason.ARRIVES_TOO_LATE].append(r.id)
        elif ctx.served(r.id) >= r.quantity - TOLERANCE:
            groups[OfferReason.REQUIREMENTS_SERVED_BY_BETTER_OFFERS].append(r.id)
            better[r.id] = [a.offer_id for a in ctx.by_req[r.id]]
        elif ctx.new_type(o, r):
            groups[OfferReason.NEW_TYPE_PENALTY].append(r.id)
        else:
            groups[OfferReason.NOT_PROVEN_OPTIMAL].append(r.id)
    texts = {
        OfferReason.CONDITION_EXCLUDES: lambda ids: (
            f"donor {o.donor}'s condition (only {sorted(o.allowed_capability_areas or ())}) "
            f"excludes {', '.join(ids)}"
        ),
        OfferReason.FORBIDDEN: lambda ids: f"the coordinator forbids it for {', '.join(ids)}",
        OfferReason.ARRIVES_TOO_LATE: lambda ids: (
            f"it arrives more than {ctx.params.grace_days} days late for {', '.join(ids)}"
        ),
        OfferReason.REQUIREMENTS_SERVED_BY_BETTER_OFFERS: lambda ids: (
            "fully served already: " + "; ".join(f"{i} by {', '.join(better[i])}" for i in ids)
        ),
        OfferReason.NEW_TYPE_PENALTY: lambda ids: (
            f"item type {o.item_type} is not in service for {', '.join(ids)}; the gain does "
            "not pay the new-type penalty"
        ),
        OfferReason.NOT_PROVEN_OPTIMAL: lambda ids: (
            f"could still serve {', '.join(ids)}; the plan ({plan.status}) is within its gap"
        ),
    }
    reasons = [Reason(code, texts[code](ids), (), tuple(ids)) for code, ids in groups.items()]
    if not groups:
        reasons.append(
            Reason(
                OfferReason.NO_COMPATIBLE_REQUIREMENT,
                f"no requirement is of a family that item type {o.item_type} serves",
            )
        )
    return OfferExplanation(o.id, o.quantity, used, unused, assignments, tuple(reasons))
