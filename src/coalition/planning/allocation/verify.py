"""Independent check of a plan against the rules: plain Python, no solver, no shared model code.

The rules are read from their one definition, `coalition.domain.matching`, pair by pair; the
model builder's numpy tables are not used. A plan passes when no rule is violated and the
objective recomputed here from the snapshot and the assignments matches the claimed objective
within 1e-6 relative.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from coalition.domain import matching

from .inputs import Snapshot

QUANTITY_TOLERANCE = 1e-6
OBJECTIVE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Violation:
    rule: str  # unknown_id | negative | compatibility | condition | forbidden | late |
    #            integrality | offer_quantity | requirement_quantity | pin | objective
    #            and, for exported files (verify_files.py): snapshot_hash | assignment |
    #            new_types | bound | gap | status
    text: str


@dataclass(frozen=True)
class VerificationReport:
    violations: tuple[Violation, ...]
    claimed_objective: float | None
    recomputed_objective: float
    assignments: int
    new_types: tuple[tuple[str, str], ...] = ()  # (family, item_type) the plan introduces

    @property
    def passed(self) -> bool:
        return not self.violations


def verify_snapshot_plan(
    snapshot: Snapshot,
    assignments: Iterable[tuple[str, str, float]],
    claimed_objective: float | None = None,
) -> VerificationReport:
    """Check (offer_id, requirement_id, quantity) rows against every rule of the snapshot."""
    params = snapshot.parameters
    offers = {o.id: o for o in snapshot.offers}
    reqs = {r.id: r for r in snapshot.requirements}
    platform = {t.code: t.is_platform for t in snapshot.item_types}
    own_family = {t.code: t.family for t in snapshot.item_types}
    fleet = snapshot.fleet
    violations: list[Violation] = []
    amount: dict[tuple[str, str], float] = defaultdict(float)
    rows = 0
    for offer_id, req_id, quantity in assignments:
        rows += 1
        if offer_id not in offers or req_id not in reqs:
            violations.append(Violation("unknown_id", f"({offer_id}, {req_id}) names no row"))
            continue
        if quantity < -QUANTITY_TOLERANCE:
            violations.append(Violation("negative", f"({offer_id}, {req_id}) has {quantity}"))
        amount[(offer_id, req_id)] += quantity

    objective = 0.0
    new_types: set[tuple[str, str]] = set()
    per_offer: dict[str, float] = defaultdict(float)
    per_req: dict[str, float] = defaultdict(float)
    for (offer_id, req_id), q in amount.items():
        o, r = offers[offer_id], reqs[req_id]
        pair = f"({offer_id}, {req_id})"
        per_offer[offer_id] += q
        per_req[req_id] += q
        if q <= QUANTITY_TOLERANCE:
            continue
        own = own_family.get(o.item_type)
        if not matching.serves(own, snapshot.compatibility.get(o.item_type, ()), r.family):
            violations.append(Violation("compatibility", f"{pair}: {o.item_type} ∌ {r.family}"))
        if not matching.condition_allows(o.allowed_capability_areas, r.capability_area):
            violations.append(Violation("condition", f"{pair}: area {r.capability_area}"))
        if (offer_id, req_id) in params.forbids:
            violations.append(Violation("forbidden", f"{pair} is forbidden"))
        transit = snapshot.transit_days.get((o.origin, r.destination), params.default_transit_days)
        late_days = matching.days_late(matching.arrival(o.available_from, transit), r.needed_by)
        factor = matching.lateness_factor(late_days, params.grace_days)
        if factor <= 0.0:
            violations.append(Violation("late", f"{pair} arrives {late_days} days late"))
        if not r.divisible and abs(q - round(q)) > QUANTITY_TOLERANCE:
            violations.append(Violation("integrality", f"{pair}: {q} units of indivisible"))
        weight = float(params.priority_weights[r.priority])
        objective += matching.unit_value(weight, r.quantity, factor) * q
        if matching.is_new_type(platform.get(o.item_type, False), r.family, o.item_type, fleet):
            new_types.add((r.family, o.item_type))
    objective -= sum(params.penalty(family) for family, _ in new_types)

    for offer_id, total in per_offer.items():
        if total > offers[offer_id].quantity + QUANTITY_TOLERANCE:
            violations.append(
                Violation("offer_quantity", f"{offer_id}: {total} > {offers[offer_id].quantity}")
            )
    for req_id, total in per_req.items():
        if total > reqs[req_id].quantity + QUANTITY_TOLERANCE:
            violations.append(
                Violation("requirement_quantity", f"{req_id}: {total} > {reqs[req_id].quantity}")
            )
    for pin in params.pins:
        got = amount.get((pin.offer_id, pin.requirement_id), 0.0)
        if got < pin.quantity - QUANTITY_TOLERANCE:
            violations.append(
                Violation(
                    "pin", f"pin ({pin.offer_id}, {pin.requirement_id}) {got} < {pin.quantity}"
                )
            )
    if claimed_objective is not None and abs(claimed_objective - objective) > (
        OBJECTIVE_TOLERANCE * max(1.0, abs(objective))
    ):
        violations.append(
            Violation("objective", f"claimed {claimed_objective!r}, recomputed {objective!r}")
        )
    return VerificationReport(
        tuple(violations), claimed_objective, objective, rows, tuple(sorted(new_types))
    )
