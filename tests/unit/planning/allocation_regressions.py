"""Snapshots that once produced a wrong plan labelled optimal (shared by several tests).

Both make HiGHS 1.16 solve the MIP in presolve while our greedy warm start is set: it then
returned the warm start as its column values with the true optimum's objective and bound.
"""

from __future__ import annotations

from datetime import date
from types import MappingProxyType

from coalition.planning.allocation import ItemType, Offer, Parameters, Requirement, Snapshot

TYPES = (
    ItemType("T0", "F0", True),
    ItemType("T1", "F0", True),
    ItemType("T2", "F1", True),
    ItemType("T3", "F2", False),
)
TRANSIT = MappingProxyType({(f"D{k}", w): 0 for k in range(3) for w in "WE"})


def _req(i: int, family: str, quantity: int, priority: int, day: int) -> Requirement:
    return Requirement(
        id=f"R{i}",
        capability_area="artillery",
        family=family,
        quantity=quantity,
        priority=priority,
        needed_by=date(2027, 1, day),
        destination="W",
        divisible=False,
    )


def _offer(j: int, item_type: str, day: int) -> Offer:
    return Offer(
        id=f"O{j}",
        donor=f"D{j % 3}",
        item_type=item_type,
        quantity=1,
        available_from=date(2027, 1, day),
        origin=f"D{j % 3}",
        unit_value_eur=1000.0,
        allowed_capability_areas=None,
    )


# Issue #8: optimum 4.0 (O1 → R2); was reported optimal at 0.667 (the warm start O1 → R1).
STALE_WARM_START = Snapshot(
    requirements=(
        _req(0, "F0", 3, 4, 2),
        _req(1, "F0", 6, 3, 1),
        _req(2, "F0", 1, 3, 1),
        _req(3, "F0", 2, 5, 1),
    ),
    offers=(
        _offer(0, "T0", 16),
        _offer(1, "T3", 1),
        _offer(2, "T0", 16),
        _offer(3, "T0", 1),
        _offer(4, "T0", 16),
        _offer(5, "T0", 16),
    ),
    item_types=TYPES,
    compatibility=MappingProxyType({"T0": frozenset({"F1"}), "T3": frozenset({"F0"})}),
    fleet=frozenset(),
    transit_days=TRANSIT,
    parameters=Parameters(new_type_penalty=4.0, mip_gap=1e-9, workers=1),
)

# Found by `HYPOTHESIS_PROFILE=explore ... --hypothesis-seed=29`: optimum 23.0, reported 22.911.
SEED_29 = Snapshot(
    requirements=(
        _req(0, "F1", 2, 1, 1),
        _req(1, "F0", 1, 1, 1),
        _req(2, "F1", 2, 1, 2),
        _req(3, "F0", 1, 1, 1),
    ),
    offers=(_offer(0, "T0", 1), _offer(1, "T2", 2)),
    item_types=TYPES,
    compatibility=MappingProxyType({"T0": frozenset({"F1"}), "T3": frozenset()}),
    fleet=frozenset(),
    transit_days=TRANSIT,
    parameters=Parameters(new_type_penalty=0.5, mip_gap=1e-9, workers=1),
)
