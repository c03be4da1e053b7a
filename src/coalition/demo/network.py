"""The demo logistics network's lanes, derived from the curated nodes by stated formulas.

`demo_data/nodes.csv` is curated by hand (sources in `demo_data/SOURCES.md`); `lanes.csv` is
written by ``python -m coalition.demo.network`` from it. Every lane figure is a **demo
assumption**: a distance (great circle × a detour factor) turned into days, tonnes a day and
euros per tonne by the per-mode constants below, so the planner sees a plausible network
rather than a measured one. A test checks the shipped file equals this module's output.
"""

from __future__ import annotations

import csv
import math
import sys
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from coalition.demo import data_dir


@dataclass(frozen=True)
class ModeFigures:
    detour: float  # road/rail/sea distance over the great-circle distance
    km_per_day: float
    fixed_days: float  # loading, handover, customs
    capacity_t_per_day: int
    outsize_per_day: int
    eur_per_t_km: float
    eur_per_t_fixed: float


# Demo assumptions. Basis: NSATU reported about 220,000 t moved to Ukraine in 2025 with about
# 9,000 truck movements, 1,800 rail wagons and 500 strategic airlift flights (about 600 t a
# day in all); a lane's capacity is set so that the hub-to-border lanes together carry a few
# times that average.
MODES: dict[str, ModeFigures] = {
    "road": ModeFigures(1.25, 600.0, 0.5, 400, 8, 0.10, 5.0),
    "rail": ModeFigures(1.25, 350.0, 1.0, 1000, 25, 0.05, 10.0),
    "air": ModeFigures(1.0, 8000.0, 1.0, 150, 1, 1.50, 50.0),
    "sea": ModeFigures(1.4, 600.0, 2.0, 3000, 60, 0.01, 15.0),
}
LAND_HUBS = ("POL-HUB-1", "POL-HUB-2", "SVK-HUB-1", "ROU-HUB-1")
PORTS = {"POL-HUB-3": "POL-HUB-1", "ROU-HUB-2": "ROU-HUB-1"}  # port → the land hub it feeds
OVERSEAS = {"USA": ("POL-HUB-3", "ROU-HUB-2"), "CAN": ("POL-HUB-3",)}  # depots across the sea
HUB_REACH_KM = 450.0  # a land hub serves the border crossings within this distance
DELIVERIES_PER_CROSSING = 8  # each crossing serves its nearest delivery points
CROSSINGS_PER_DELIVERY = 3  # and each delivery point is served by its nearest crossings
COLUMNS = (
    "code",
    "from_node",
    "to_node",
    "mode",
    "transit_days",
    "capacity_t_per_day",
    "outsize_per_day",
    "cost_eur_per_t",
)


@dataclass(frozen=True)
class _Node:
    code: str
    kind: str
    country: str
    lat: float
    lon: float


def _km(a: _Node, b: _Node) -> float:
    """Great-circle distance (haversine, Earth radius 6,371 km)."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _round(value: float, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    return str(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def _lane(a: _Node, b: _Node, mode: str) -> dict[str, str]:
    figures = MODES[mode]
    km = _km(a, b) * figures.detour
    return {
        "code": f"{a.code}_{b.code}_{mode}",
        "from_node": a.code,
        "to_node": b.code,
        "mode": mode,
        "transit_days": _round(figures.fixed_days + km / figures.km_per_day, 2),
        "capacity_t_per_day": str(figures.capacity_t_per_day),
        "outsize_per_day": str(figures.outsize_per_day),
        "cost_eur_per_t": _round(figures.eur_per_t_fixed + km * figures.eur_per_t_km, 2),
    }


def _is_rail(node: _Node) -> bool:
    return node.code.endswith("-RAIL")


def read_nodes(path: Path) -> list[_Node]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            _Node(r["code"], r["kind"], r["country"], float(r["latitude"]), float(r["longitude"]))
            for r in csv.DictReader(handle)
        ]


def lanes(nodes: list[_Node]) -> list[dict[str, str]]:
    """Depot → hub, port → hub, hub → border, border → delivery: in that order, sorted within."""
    by_code = {n.code: n for n in nodes}
    land_hubs = [by_code[c] for c in LAND_HUBS]
    borders = [n for n in nodes if n.kind == "border"]
    deliveries = [n for n in nodes if n.kind == "delivery"]
    out: list[dict[str, str]] = []
    for depot in (n for n in nodes if n.kind == "depot"):
        if depot.country in OVERSEAS:
            out.append(_lane(depot, by_code["POL-HUB-1"], "air"))
            out.extend(_lane(depot, by_code[port], "sea") for port in OVERSEAS[depot.country])
            continue
        nearest = sorted(land_hubs, key=lambda hub: (_km(depot, hub), hub.code))
        out.extend(_lane(depot, hub, "road") for hub in nearest[:2])
        out.append(_lane(depot, nearest[0], "rail"))
    for port, fed in PORTS.items():
        out.extend(_lane(by_code[port], by_code[fed], mode) for mode in ("rail", "road"))
    for land_hub in land_hubs:
        for border in borders:
            if _km(land_hub, border) <= HUB_REACH_KM:
                out.append(_lane(land_hub, border, "rail" if _is_rail(border) else "road"))
    served: set[tuple[str, str]] = set()
    for border in borders:
        nearest = sorted(deliveries, key=lambda d: (_km(border, d), d.code))
        served |= {(border.code, d.code) for d in nearest[:DELIVERIES_PER_CROSSING]}
    for delivery in deliveries:  # and every delivery point from its nearest crossings
        nearest = sorted(borders, key=lambda b: (_km(b, delivery), b.code))
        served |= {(b.code, delivery.code) for b in nearest[:CROSSINGS_PER_DELIVERY]}
    for border in borders:
        mode = "rail" if _is_rail(border) else "road"
        reached = sorted(
            (d for d in deliveries if (border.code, d.code) in served),
            key=lambda d: (_km(border, d), d.code),
        )
        out.extend(_lane(border, d, mode) for d in reached)
    return out


def write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else data_dir()
    write(root / "lanes.csv", lanes(read_nodes(root / "nodes.csv")))


if __name__ == "__main__":
    main()
