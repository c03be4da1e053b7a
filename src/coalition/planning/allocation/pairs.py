"""Candidate (offer, requirement) pairs as numpy arrays: the index set of the x variables.

The rules are defined once, in `coalition.domain.matching` (a pair exists when the offer's item
type serves the requirement's family, the donor's condition allows the requirement's capability
area, the coordinator has not forbidden it, and the lateness factor is positive). This module
applies them an array at a time; tests/unit/planning/test_allocation_matching.py holds every
pair, factor, value and new-type group to the scalar definitions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .inputs import Snapshot

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class PairTable:
    """Arrays indexed by pair (length P), offer (n_offers), requirement or new-type group.

    `group` is the index of the (family, platform item type) not yet in the fleet that the pair
    would introduce, or -1. `value` is the main-objective value per unit; `cost` adds the
    tie-break (value × (1 − ε·score)) and is what the solver maximises.
    """

    offer: IntArray
    requirement: IntArray
    arrival: IntArray  # date ordinal
    factor: FloatArray
    value: FloatArray
    cost: FloatArray
    group: IntArray
    upper: FloatArray
    lower: FloatArray  # pinned quantity
    offer_quantity: FloatArray
    requirement_quantity: FloatArray
    requirement_integer: BoolArray
    requirement_rank: IntArray  # greedy order: priority, needed_by, id
    offer_eur: FloatArray
    group_penalty: FloatArray
    group_family: tuple[str, ...]
    group_item_type: tuple[str, ...]

    @property
    def n_pairs(self) -> int:
        return int(self.offer.size)

    def subset(self, pairs: IntArray) -> PairTable:
        """The table restricted to `pairs`, with offers, requirements and groups renumbered."""
        offers, offer_local = np.unique(self.offer[pairs], return_inverse=True)
        reqs, req_local = np.unique(self.requirement[pairs], return_inverse=True)
        group = self.group[pairs]
        groups, group_local = np.unique(group[group >= 0], return_inverse=True)
        local_group = np.full(pairs.size, -1, np.int64)
        local_group[group >= 0] = group_local.reshape(-1)
        return PairTable(
            offer=offer_local.reshape(-1).astype(np.int64),
            requirement=req_local.reshape(-1).astype(np.int64),
            arrival=self.arrival[pairs],
            factor=self.factor[pairs],
            value=self.value[pairs],
            cost=self.cost[pairs],
            group=local_group,
            upper=self.upper[pairs],
            lower=self.lower[pairs],
            offer_quantity=self.offer_quantity[offers],
            requirement_quantity=self.requirement_quantity[reqs],
            requirement_integer=self.requirement_integer[reqs],
            requirement_rank=np.argsort(np.argsort(self.requirement_rank[reqs])),
            offer_eur=self.offer_eur[offers],
            group_penalty=self.group_penalty[groups],
            group_family=tuple(self.group_family[g] for g in groups.tolist()),
            group_item_type=tuple(self.group_item_type[g] for g in groups.tolist()),
        )


def days_late(arrival: IntArray, needed_by: IntArray) -> IntArray:
    """`coalition.domain.matching.days_late` on date ordinals, an array at a time."""
    late: IntArray = np.maximum(arrival - needed_by, 0)
    return late


def lateness_factors(late: IntArray, grace_days: int) -> FloatArray:
    """`coalition.domain.matching.lateness_factor`, an array at a time (tested equal)."""
    return np.maximum(0.0, 1.0 - late / float(grace_days))


def _codes(values: list[str]) -> tuple[dict[str, int], IntArray]:
    index: dict[str, int] = {}
    codes = np.fromiter((index.setdefault(v, len(index)) for v in values), np.int64, len(values))
    return index, codes


def build_pairs(snapshot: Snapshot) -> PairTable:
    """Enumerate every valid pair of the snapshot (pins are applied as lower bounds)."""
    params = snapshot.parameters
    reqs, offers = snapshot.requirements, snapshot.offers
    n_r, n_o = len(reqs), len(offers)
    types = snapshot.item_type_by_code()

    family_index, req_family = _codes([r.family for r in reqs])
    area_index, req_area = _codes([r.capability_area for r in reqs])
    type_index, offer_type = _codes([o.item_type for o in offers])

    # Offers grouped by item type, requirements grouped by family (stable sorts).
    offers_by_type = np.argsort(offer_type, kind="stable")
    type_starts = np.searchsorted(offer_type[offers_by_type], np.arange(len(type_index) + 1))
    reqs_by_family = np.argsort(req_family, kind="stable")
    family_starts = np.searchsorted(req_family[reqs_by_family], np.arange(len(family_index) + 1))

    chunks_o: list[IntArray] = []
    chunks_r: list[IntArray] = []
    for code, t in type_index.items():
        these_offers = offers_by_type[type_starts[t] : type_starts[t + 1]]
        own = types[code].family if code in types else None
        served = snapshot.compatibility.get(code, frozenset()) | ({own} if own else set())
        for family in sorted(served):
            f = family_index.get(family)
            if f is None:
                continue
            these_reqs = reqs_by_family[family_starts[f] : family_starts[f + 1]]
            chunks_o.append(np.repeat(these_offers, these_reqs.size))
            chunks_r.append(np.tile(these_reqs, these_offers.size))
    pair_o = np.concatenate(chunks_o) if chunks_o else np.zeros(0, np.int64)
    pair_r = np.concatenate(chunks_r) if chunks_r else np.zeros(0, np.int64)

    # Donor conditions: a boolean offers × areas matrix.
    allowed = np.ones((n_o, max(len(area_index), 1)), dtype=bool)
    for i, offer in enumerate(offers):
        if offer.allowed_capability_areas is not None:
            allowed[i, :] = False
            cols = [area_index[a] for a in offer.allowed_capability_areas if a in area_index]
            allowed[i, cols] = True
    keep = allowed[pair_o, req_area[pair_r]]

    # Lateness from a dense origin × destination transit matrix.
    origin_index, offer_origin = _codes([o.origin for o in offers])
    dest_index, req_dest = _codes([r.destination for r in reqs])
    transit = np.full((len(origin_index), len(dest_index)), params.default_transit_days, np.int64)
    for (origin, dest), days in snapshot.transit_days.items():
        if origin in origin_index and dest in dest_index:
            transit[origin_index[origin], dest_index[dest]] = int(days)
    available = np.fromiter((o.available_from.toordinal() for o in offers), np.int64, n_o)
    needed = np.fromiter((r.needed_by.toordinal() for r in reqs), np.int64, n_r)
    arrival = available[pair_o] + transit[offer_origin[pair_o], req_dest[pair_r]]
    factor = lateness_factors(days_late(arrival, needed[pair_r]), params.grace_days)
    keep &= factor > 0.0

    if params.forbids:
        offer_pos = {o.id: i for i, o in enumerate(offers)}
        req_pos = {r.id: i for i, r in enumerate(reqs)}
        forbidden = np.array(
            [
                offer_pos[o] * n_r + req_pos[r]
                for o, r in params.forbids
                if o in offer_pos and r in req_pos
            ],
            dtype=np.int64,
        )
        keep &= ~np.isin(pair_o * n_r + pair_r, forbidden)

    pair_o, pair_r, arrival, factor = pair_o[keep], pair_r[keep], arrival[keep], factor[keep]
    # Sort by requirement then offer: deterministic and convenient for the greedy.
    order = np.lexsort((pair_o, pair_r))
    pair_o, pair_r, arrival, factor = pair_o[order], pair_r[order], arrival[order], factor[order]

    req_q = np.fromiter((r.quantity for r in reqs), np.float64, n_r)
    offer_q = np.fromiter((o.quantity for o in offers), np.float64, n_o)
    weight = np.fromiter((params.weight(r.priority) for r in reqs), np.float64, n_r)
    value = weight[pair_r] / req_q[pair_r] * factor  # matching.unit_value, array-wise

    # Tie-break score in [0, 1]: cheaper (EUR per unit) and earlier arrival score lower.
    eur = np.fromiter((float(o.unit_value_eur) for o in offers), np.float64, n_o)
    score = np.zeros(pair_o.size)
    if pair_o.size:
        pair_eur = eur[pair_o]
        if pair_eur.max() > 0:
            score += 0.5 * pair_eur / pair_eur.max()
        span = arrival.max() - arrival.min()
        if span > 0:
            score += 0.5 * (arrival - arrival.min()) / span
    cost = value * (1.0 - params.tie_break_epsilon * score)

    # New-type groups: a platform item type used for a family it is not yet operated with.
    families = list(family_index)
    type_codes = list(type_index)
    n_f = max(len(families), 1)
    platform = np.array(
        [types[c].is_platform if c in types else False for c in type_codes] or [False]
    )
    key = offer_type[pair_o] * n_f + req_family[pair_r]
    candidate_keys = np.unique(key[platform[offer_type[pair_o]]]) if key.size else key
    new_keys = np.array(
        [
            k
            for k in candidate_keys.tolist()
            if (families[k % n_f], type_codes[k // n_f]) not in snapshot.fleet
        ],
        dtype=np.int64,
    )
    penalised = np.isin(key, new_keys)
    group_keys, group_of = np.unique(key[penalised], return_inverse=True)
    group = np.full(pair_o.size, -1, np.int64)
    group[penalised] = group_of.reshape(-1)
    group_family = tuple(families[int(k) % n_f] for k in group_keys)
    group_type = tuple(type_codes[int(k) // n_f] for k in group_keys)
    group_penalty = np.array([params.penalty(f) for f in group_family], dtype=np.float64)

    lower = np.zeros(pair_o.size)
    if params.pins:
        # Pairs are sorted by (requirement, offer), so this key is sorted too.
        pair_key = pair_r * n_o + pair_o
        offer_pos = {o.id: i for i, o in enumerate(offers)}
        req_pos = {r.id: i for i, r in enumerate(reqs)}
        for pin in params.pins:
            o, r = offer_pos.get(pin.offer_id), req_pos.get(pin.requirement_id)
            if o is None or r is None:
                continue
            i = int(np.searchsorted(pair_key, r * n_o + o))
            if i < pair_key.size and pair_key[i] == r * n_o + o:
                lower[i] += pin.quantity

    rank = np.empty(n_r, np.int64)
    rank[sorted(range(n_r), key=lambda i: (reqs[i].priority, reqs[i].needed_by, reqs[i].id))] = (
        np.arange(n_r)
    )
    return PairTable(
        offer=pair_o,
        requirement=pair_r,
        arrival=arrival,
        factor=factor,
        value=value,
        cost=cost,
        group=group,
        upper=np.minimum(offer_q[pair_o], req_q[pair_r]),
        lower=lower,
        offer_quantity=offer_q,
        requirement_quantity=req_q,
        requirement_integer=np.fromiter((not r.divisible for r in reqs), bool, n_r),
        requirement_rank=rank,
        offer_eur=eur,
        group_penalty=group_penalty,
        group_family=group_family,
        group_item_type=group_type,
    )


def main_objective(table: PairTable, x: FloatArray, tolerance: float = 1e-9) -> float:
    """Σ value·x − Σ penalty over the new-type groups that carry any positive x."""
    total = float(table.value @ x)
    if table.group_penalty.size:
        used = np.zeros(table.group_penalty.size, dtype=bool)
        mask = (table.group >= 0) & (x > tolerance)
        used[table.group[mask]] = True
        total -= float(table.group_penalty[used].sum())
    return total
