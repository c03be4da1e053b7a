"""Deterministic, realistic allocation instances for the benchmark and tests.

Shape: capability areas hold clusters of related families (e.g. 155mm artillery: several
howitzer families plus their ammunition and spares families). Each family has 2–6 item types.
Inside a cluster, platform models can substitute for sibling platform families, and one
standard ammunition type (think 155mm NATO) serves every ammunition family of the cluster;
clusters share nothing, so they are the independent components of the problem.
Quantities and priorities are skewed; some donors attach capability-area conditions.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from coalition.planning.allocation.inputs import (
    ItemType,
    Offer,
    Parameters,
    Requirement,
    Snapshot,
)

AREAS = (
    "artillery",
    "air defence",
    "armour",
    "infantry mobility",
    "engineering",
    "uncrewed systems",
    "logistics",
    "electronic warfare",
)
BASE_DATE = date(2026, 12, 1)


@dataclass(frozen=True)
class Size:
    name: str
    requirements: int
    offers: int
    donors: int
    # Fraction of clusters whose platform types also serve platform families of *other*
    # clusters in that fraction (0: compatibility stays inside clusters).
    cross: float = 0.0


SIZES = {
    "S": Size("S", 200, 2_000, 20),
    "M": Size("M", 1_000, 10_000, 40),
    "L": Size("L", 2_000, 20_000, 60),
    "XL": Size("XL", 10_000, 100_000, 60),
    # L without clusters: a platform type may substitute for a platform family of any
    # cluster, so every platform pair and new-type binary falls into one large component.
    "LX": Size("LX", 2_000, 20_000, 60, cross=1.0),
}

FAMILIES_PER_CLUSTER = 12  # 6 platform families, 6 ammunition/spares families
REQUIREMENTS_PER_FAMILY = 4


def generate(size: Size, seed: int = 20261123, parameters: Parameters | None = None) -> Snapshot:
    rng = np.random.default_rng(seed)
    n_families = max(size.requirements // REQUIREMENTS_PER_FAMILY, FAMILIES_PER_CLUSTER)
    n_clusters = max(n_families // FAMILIES_PER_CLUSTER, 1)

    item_types: list[ItemType] = []
    compatibility: dict[str, frozenset[str]] = {}
    fleet: set[tuple[str, str]] = set()
    family_area: dict[str, str] = {}
    family_platform: dict[str, bool] = {}
    types_of_family: dict[str, list[str]] = {}
    linked = round(size.cross * n_clusters)
    linked_platforms = [f"C{c:03d}-platform-{k}" for c in range(linked) for k in range(6)]
    for c in range(n_clusters):
        area = AREAS[c % len(AREAS)]
        platforms = [f"C{c:03d}-platform-{k}" for k in range(6)]
        supplies = [f"C{c:03d}-ammunition-{k}" for k in range(3)] + [
            f"C{c:03d}-spares-{k}" for k in range(3)
        ]
        for f in platforms + supplies:
            family_area[f] = area
            family_platform[f] = f in platforms
            types_of_family[f] = []
            for k in range(int(rng.integers(2, 7))):
                code = f"{f}/type-{k}"
                item_types.append(ItemType(code, f, f in platforms))
                types_of_family[f].append(code)
        for f in platforms:
            for code in types_of_family[f]:
                if rng.random() < 0.4:
                    fleet.add((f, code))
                pool = linked_platforms if c < linked else platforms
                siblings = [g for g in pool if g != f]
                extra = rng.choice(siblings, size=int(rng.integers(1, 4)), replace=False)
                compatibility[code] = frozenset(str(g) for g in extra)
                fleet.update((str(g), code) for g in extra if rng.random() < 0.2)
        # The cluster's standard ammunition serves every ammunition family of the cluster.
        standard = types_of_family[supplies[0]][0]
        compatibility[standard] = frozenset(supplies[:3])

    families = list(family_area)
    type_codes = [t.code for t in item_types]
    type_family = {t.code: t.family for t in item_types}

    req_family = rng.choice(families, size=size.requirements)
    priorities = rng.choice([1, 2, 3, 4, 5], size=size.requirements, p=[0.1, 0.2, 0.3, 0.25, 0.15])
    needed = rng.integers(0, 365, size=size.requirements)
    destinations = [f"UA-HUB-{k}" for k in range(8)]
    requirements = []
    for i in range(size.requirements):
        f = str(req_family[i])
        platform = family_platform[f]
        quantity = (
            int(np.ceil(rng.lognormal(2.0, 0.9)))
            if platform
            else int(np.ceil(rng.lognormal(8.0, 1.0)))
        )
        requirements.append(
            Requirement(
                id=f"R{i:05d}",
                capability_area=family_area[f],
                family=f,
                quantity=quantity,
                priority=int(priorities[i]),
                needed_by=BASE_DATE + timedelta(days=int(needed[i])),
                destination=destinations[int(rng.integers(len(destinations)))],
                divisible=not platform and f.split("-")[1] == "ammunition",
            )
        )

    donors = [f"D{k:02d}" for k in range(size.donors)]
    donor_weight = rng.pareto(1.2, size.donors) + 0.1
    donor_weight /= donor_weight.sum()
    offer_type = rng.choice(type_codes, size=size.offers)
    offer_donor = rng.choice(size.donors, size=size.offers, p=donor_weight)
    available = rng.integers(-30, 300, size=size.offers)
    conditions = rng.random(size.offers)
    offers = []
    for j in range(size.offers):
        code = str(offer_type[j])
        f = type_family[code]
        platform = family_platform[f]
        quantity = (
            int(np.ceil(rng.lognormal(1.0, 1.0)))
            if platform
            else int(np.ceil(rng.lognormal(6.5, 1.2)))
        )
        allowed: frozenset[str] | None = None
        if conditions[j] < 0.10:
            allowed = frozenset({family_area[f]})
        elif conditions[j] < 0.15:
            allowed = frozenset(str(a) for a in rng.choice(AREAS, size=2, replace=False))
        unit_value = float(rng.uniform(5e5, 1e7) if platform else rng.uniform(500, 8000))
        offers.append(
            Offer(
                id=f"O{j:06d}",
                donor=donors[int(offer_donor[j])],
                item_type=code,
                quantity=quantity,
                available_from=BASE_DATE + timedelta(days=int(available[j])),
                origin=f"{donors[int(offer_donor[j])]}-DEPOT",
                unit_value_eur=round(unit_value, 2),
                allowed_capability_areas=allowed,
            )
        )

    transit = {
        (f"{d}-DEPOT", h): int(rng.integers(3, 31))
        for d in donors
        for h in destinations
        if rng.random() < 0.8  # the rest use the default transit time
    }
    return Snapshot(
        requirements=tuple(requirements),
        offers=tuple(offers),
        item_types=tuple(item_types),
        compatibility=MappingProxyType(compatibility),
        fleet=frozenset(fleet),
        transit_days=MappingProxyType(transit),
        parameters=parameters or Parameters(),
    )
