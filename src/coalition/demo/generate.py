"""Generate the demo scenario's requirements, offers, pledges, fleet and GDP import file.

    python -m coalition.demo.generate [--seed 2026] [--out src/coalition/demo_data]

Deterministic: the same seed and the same reference files give byte-identical output. Reads
the hand-curated reference files shipped in ``demo_data`` (donors, recipients, families, item
types, the annotated copy of platforms.csv, and gdp.csv) and writes only the files listed in
``coalition.demo.GENERATED``. Everything written here is a DEMO ASSUMPTION, not a fact.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

from coalition.demo import data_dir


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


DEFAULT_SEED = 2026
AS_OF = date(2026, 11, 1)  # the scenario's "now" for fleet counts and past events
SHARED_GDP = Path(__file__).resolve().parents[4] / "shared" / "data" / "gdp.csv"

# --------------------------------------------------------------------------- money
EURO_AREA = _codes(
    "AUT BEL BGR CYP DEU ESP EST FIN FRA GRC HRV IRL ITA LTU LUX LVA MLT MNE NLD PRT SVK SVN"
)  # MNE uses the euro without being in the euro area; BGR joined on 2026-01-01
NATIONAL_CURRENCY = {
    # Albania and North Macedonia declare in EUR here: the ECB publishes no ALL or MKD rate.
    "AUS": "AUD", "CAN": "CAD", "CHE": "CHF", "CZE": "CZK",
    "DNK": "DKK", "GBR": "GBP", "HUN": "HUF", "ISL": "ISK", "JPN": "JPY", "KOR": "KRW",
    "NOR": "NOK", "NZL": "NZD", "POL": "PLN", "ROU": "RON", "SWE": "SEK",
    "TUR": "TRY", "USA": "USD",
}  # fmt: skip
# Round demo conversion factors (units per EUR), only to express invented EUR values in a
# donor's currency; the ledger converts with ECB rates.
DEMO_PER_EUR = {
    "EUR": 1.0, "ALL": 98.0, "AUD": 1.70, "CAD": 1.55, "CHF": 0.94,
    "CZK": 25.0, "DKK": 7.46, "GBP": 0.85, "HUF": 400.0, "ISK": 150.0, "JPY": 165.0,
    "KRW": 1550.0, "MKD": 61.5, "NOK": 11.6, "NZD": 1.90, "PLN": 4.27, "RON": 5.0,
    "SEK": 11.2, "TRY": 40.0, "USD": 1.10,
}  # fmt: skip


def currency_of(donor: str) -> str:
    """Bulgaria (euro since 2026-01-01) is in EUR throughout: the ledger's ISO 4217 list no
    longer holds the withdrawn lev (BGN), so its 2024-2025 lines cannot be written in BGN."""
    return "EUR" if donor in EURO_AREA else NATIONAL_CURRENCY.get(donor, "EUR")


def round_significant(value: float, digits: int = 3) -> Decimal:
    """A money amount rounded to `digits` significant figures, written without exponent."""
    if value <= 0:
        return Decimal(0)
    exponent = math.floor(math.log10(value)) - digits + 1
    quantum = Decimal(1).scaleb(max(exponent, -2))
    return Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_EVEN).quantize(Decimal(1))


# --------------------------------------------------------------------------- donors
# How active each nation is as a donor in this scenario (1.0 = in line with its economy).
# Demo assumption shaped by the public picture (Nordic/Baltic states, Netherlands, Poland,
# Germany and the UK among the most active); it is not a measurement.
ACTIVITY = {
    "DNK": 2.5, "EST": 2.2, "LVA": 2.0, "LTU": 2.0, "NLD": 1.8, "NOR": 1.8, "SWE": 1.8,
    "FIN": 1.6, "POL": 1.5, "DEU": 1.5, "GBR": 1.5, "CZE": 1.5, "CAN": 1.0, "BEL": 1.2,
    "USA": 1.0, "FRA": 0.9, "ISL": 0.5, "ITA": 0.6, "ESP": 0.6, "PRT": 0.8, "SVK": 0.8,
    "SVN": 0.7, "HRV": 0.8, "ROU": 0.7, "BGR": 0.7, "GRC": 0.5, "LUX": 1.2, "ALB": 0.6,
    "MNE": 0.6, "MKD": 0.6, "TUR": 0.1, "HUN": 0.05, "AUS": 0.4, "NZL": 0.5, "JPN": 0.3,
    "KOR": 0.15, "CHE": 0.25, "AUT": 0.35, "IRL": 0.4, "MLT": 0.2, "CYP": 0.2,
}  # fmt: skip
# Donors that give no lethal aid in this scenario (neutral states, Japan, Korea, Iceland...).
NON_LETHAL = _codes("AUT CHE CYP HUN IRL ISL JPN KOR MLT")
NON_LETHAL_FAMILIES = _codes(
    "MED-FIRSTAID MED-FIELD-HOSP MED-EVAC ENG-PLANT ENG-FORT WINTER-CLOTHING WINTER-POWER "
    "IT-COMPUTE IT-RADIO IT-SATCOM LOG-TRUCK LOG-FUEL LOG-AVFUEL LOG-RATIONS DEMINING-KIT"
)
# Extra producers of item types added beyond platforms.csv (demo assumption).
PRODUCERS = {
    "AMM-155-M795": "USA CAN AUS",
    "AMM-155-M107": "USA GRC TUR ESP PRT ITA ROU BGR",
    "AMM-155-DM121": "DEU NLD DNK NOR FIN EST LTU",
    "AMM-155-LU211": "FRA BEL",
    "AMM-155-L15": "GBR",
    "AMM-155-EXCAL": "USA NLD CAN NOR SWE",
    "AMM-105-HE": "USA GBR LTU CAN BEL NZL",
    "AMM-35-AHEAD": "DEU NOR",
    "AMM-120-KE": "DEU NLD POL ESP CAN NOR USA PRT SWE DNK FIN",
    "AMM-120-HE": "DEU NLD POL ESP CAN NOR USA PRT SWE DNK FIN",
    "PAC3-MSE": "USA DEU NLD",
    "GEM-T": "DEU NLD ESP ROU USA",
    "IRIST-SL-MSL": "DEU NOR SWE",
    "ASTER30": "FRA ITA",
    "HAWK-MSL": "ESP USA",
}
# Scarce, expensive systems are offered far less often than guns, vehicles or ammunition.
RARE = {"LRAD": 0.4, "MRAD": 1.0, "FIGHTER": 0.8, "MCM": 0.5, "ATK-HELO": 0.8}
HUBS = ("POL-HUB-1", "SVK-HUB-1", "ROU-HUB-1")  # logistics nodes on the eastern flank


# --------------------------------------------------------------------------- quantities
# family -> (low, high, step): quantities drawn log-uniformly, rounded down to `step`.
OFFER_QTY: dict[str, tuple[int, int, int]] = {
    "SPH-155": (2, 24, 1), "TH-155": (2, 24, 1), "TH-105": (4, 24, 1), "MLRS": (2, 12, 1),
    "MBT": (4, 40, 1), "IFV": (5, 60, 1), "APC": (5, 80, 1), "ATGM": (50, 1000, 10),
    "LRAD": (1, 2, 1), "MRAD": (1, 3, 1), "SHORAD": (2, 8, 1), "SPAAG": (5, 20, 1),
    "MANPADS": (20, 300, 10), "FIGHTER": (2, 12, 1), "ATK-HELO": (2, 8, 1),
    "AMMO-155": (1000, 60000, 500), "AMMO-105": (1000, 20000, 500),
    "AMMO-35": (10000, 100000, 1000), "AMMO-120": (500, 5000, 100),
    "PATRIOT-INT": (2, 30, 1), "SAM-MSL": (4, 60, 2), "GMLRS": (12, 240, 6), "AAM": (4, 40, 2),
    "DEMINING-VEH": (2, 10, 1), "DEMINING-KIT": (20, 500, 10), "PATROL-BOAT": (2, 10, 1),
    "MCM": (1, 1, 1), "MALE-UAV": (1, 4, 1), "LOITERING": (50, 500, 10),
    "SMALL-UAS": (200, 20000, 100), "MED-FIRSTAID": (200, 20000, 100),
    "MED-FIELD-HOSP": (1, 3, 1), "MED-EVAC": (2, 30, 1), "ENG-PLANT": (2, 20, 1),
    "ENG-FORT": (20, 2000, 10), "WINTER-CLOTHING": (1000, 30000, 500),
    "WINTER-POWER": (10, 500, 5), "IT-COMPUTE": (50, 2000, 10), "IT-RADIO": (20, 3000, 10),
    "IT-SATCOM": (20, 1000, 10), "LOG-TRUCK": (5, 100, 1), "LOG-FUEL": (100, 5000, 50),
    "LOG-AVFUEL": (100, 3000, 50), "LOG-RATIONS": (10000, 200000, 1000),
}  # fmt: skip
REQUIREMENT_QTY: dict[str, tuple[int, int, int]] = {
    "SPH-155": (6, 24, 1), "TH-155": (6, 24, 1), "TH-105": (6, 18, 1), "MLRS": (2, 12, 1),
    "MBT": (10, 60, 1), "IFV": (20, 100, 1), "APC": (20, 150, 1), "ATGM": (200, 3000, 50),
    "LRAD": (1, 3, 1), "MRAD": (1, 6, 1), "SHORAD": (2, 12, 1), "SPAAG": (5, 30, 1),
    "MANPADS": (50, 500, 10), "FIGHTER": (4, 24, 1), "ATK-HELO": (2, 10, 1),
    "AMMO-155": (10000, 150000, 1000), "AMMO-105": (5000, 40000, 500),
    "AMMO-35": (20000, 200000, 1000), "AMMO-120": (1000, 10000, 100),
    "PATRIOT-INT": (10, 60, 2), "SAM-MSL": (20, 120, 2), "GMLRS": (60, 600, 6),
    "AAM": (10, 100, 2), "DEMINING-VEH": (2, 12, 1), "DEMINING-KIT": (50, 1000, 10),
    "PATROL-BOAT": (2, 10, 1), "MCM": (1, 2, 1), "MALE-UAV": (2, 8, 1),
    "LOITERING": (100, 2000, 10), "SMALL-UAS": (1000, 50000, 500),
    "MED-FIRSTAID": (5000, 100000, 500), "MED-FIELD-HOSP": (1, 4, 1), "MED-EVAC": (10, 80, 1),
    "ENG-PLANT": (5, 50, 1), "ENG-FORT": (100, 5000, 50), "WINTER-CLOTHING": (10000, 100000, 1000),
    "WINTER-POWER": (50, 1000, 10), "IT-COMPUTE": (200, 3000, 10), "IT-RADIO": (200, 10000, 50),
    "IT-SATCOM": (100, 2000, 10), "LOG-TRUCK": (20, 300, 5), "LOG-FUEL": (1000, 20000, 100),
    "LOG-AVFUEL": (500, 5000, 50), "LOG-RATIONS": (100000, 1000000, 10000),
}  # fmt: skip
SPARES_QTY = (1, 24, 1)
# Requirement lines per capability area, out of ~300 (spares lines come on top).
AREA_LINES = {
    "ammunition": 62, "artillery": 34, "air_defence": 34, "armour": 30, "drones": 22,
    "medical": 18, "winter": 14, "it": 14, "engineering": 12, "logistics": 14,
    "demining": 8, "air_force": 6, "maritime": 4,
}  # fmt: skip
# Platforms delivered new rather than from stocks (everything else is offered used mostly).
NEW_BUILD = _codes(
    "KRAB ARCHER DITA ZUZANA2 BOHDANA CAESAR-6X6 CAESAR-8X8 IRIST-SLM NASAMS WISENT1 HIMARS "
    "TB2 CV90 BUSHMASTER"
)
# Where each area's deliveries go.
DESTINATIONS = {
    "artillery": ("UA-ART-", "UA-DEP-"),
    "ammunition": ("UA-DEP-AMMO-", "UA-DEP-EAST-", "UA-DEP-CENTRE-", "UA-ART-"),
    "armour": ("UA-ARM-", "UA-MECH-", "UA-DEP-"),
    "air_defence": ("UA-AD-", "UA-DEP-CENTRE-"),
    "air_force": ("UA-AVN-",),
    "drones": ("UA-UAS-", "UA-MECH-", "UA-ART-"),
    "demining": ("UA-ENG-", "UA-DEP-"),
    "maritime": ("UA-NAVY-", "UA-DP-PORT-"),
    "medical": ("UA-DEP-MED-", "UA-DP-"),
    "engineering": ("UA-ENG-", "UA-DEP-"),
    "winter": ("UA-DEP-", "UA-DP-"),
    "it": ("UA-DEP-", "UA-MECH-", "UA-ART-"),
    "logistics": ("UA-DEP-", "UA-DP-"),
}
# Platforms publicly known to be in Ukrainian service (platforms.csv gives delivered quantities
# for them); the other platforms enter the fleet by chance, so some offers are "new type" ones.
IN_SERVICE = _codes(
    "PZH2000 CAESAR-6X6 M109A3GN KRAB M777 HIMARS LEO1A5 LEO2A4 LEO2A6 M1A1 T72M1 M2A2 "
    "MARDER1A3 STRYKER M113 PATRIOT NASAMS IRIST-SLM GEPARD F16"
)
FLEET_UNITS = {
    "artillery": "UA-ART-", "armour": "UA-ARM- UA-MECH-", "air_defence": "UA-AD-",
    "air_force": "UA-AVN-", "maritime": "UA-NAVY-", "demining": "UA-ENG-", "drones": "UA-UAS-",
}  # fmt: skip


# --------------------------------------------------------------------------- reference
@dataclass(frozen=True)
class ItemType:
    code: str
    name: str
    family: str
    supply_class: str
    unit: str
    value_eur: float | None
    platform: str


@dataclass(frozen=True)
class Reference:
    nations: tuple[str, ...]
    organisations: tuple[str, ...]
    eu_members: frozenset[str]
    nato_members: frozenset[str]
    recipients: tuple[str, ...]
    family_area: dict[str, str]
    family_name: dict[str, str]
    items: dict[str, ItemType]
    platforms: list[dict[str, str]]  # rows of the annotated platforms.csv
    gdp_usd_bn: dict[str, float]  # latest year


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def gdp_source(src: Path) -> Path:
    """The shipped IMF table, or the shared original when the copy is not there yet."""
    shipped = src / "gdp.csv"
    return shipped if shipped.exists() else SHARED_GDP


def read_reference(src: Path) -> Reference:
    donors = _read(src / "donors.csv")
    members = _read(src / "memberships.csv")
    current = [m for m in members if not m["left"]]
    families = _read(src / "families.csv")
    items = {
        r["code"]: ItemType(
            r["code"],
            r["name"],
            r["family_code"],
            r["supply_class"],
            r["unit_of_issue"] or "EA",
            float(r["reference_value_eur"]) if r["reference_value_eur"] else None,
            r["platform_code"],
        )
        for r in _read(src / "item-types.csv")
    }
    gdp: dict[str, tuple[int, float]] = {}
    for row in _read(gdp_source(src)):
        year = int(row["year"])
        if row["iso3"] not in gdp or year > gdp[row["iso3"]][0]:
            gdp[row["iso3"]] = (year, float(row["gdp"]))
    return Reference(
        nations=tuple(d["code"] for d in donors if d["kind"] == "nation"),
        organisations=tuple(d["code"] for d in donors if d["kind"] == "organisation"),
        eu_members=frozenset(m["donor_code"] for m in current if m["organisation"] == "EU"),
        nato_members=frozenset(m["donor_code"] for m in current if m["organisation"] == "NATO"),
        recipients=tuple(r["code"] for r in _read(src / "recipients.csv")),
        family_area={f["code"]: f["capability_area"] for f in families},
        family_name={f["code"]: f["name"] for f in families},
        items=items,
        platforms=_read(src / "platforms.csv"),
        gdp_usd_bn={code: value for code, (_, value) in gdp.items()},
    )


# --------------------------------------------------------------------------- helpers
def log_uniform(rng: random.Random, low: int, high: int, step: int) -> int:
    if high <= low:
        return low
    value = math.exp(rng.uniform(math.log(low), math.log(high + 1)))
    return max(low, min(high, int(value) // step * step))


def some_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def weighted(rng: random.Random, choices: Mapping[str, float]) -> str:
    keys = sorted(choices)
    return rng.choices(keys, weights=[choices[k] for k in keys])[0]


def pick_recipient(rng: random.Random, ref: Reference, prefixes: Iterable[str]) -> str:
    pool = [r for r in ref.recipients if any(r.startswith(p) for p in prefixes)]
    return rng.choice(pool)


def unit_of_family(ref: Reference, family: str) -> str:
    units = sorted(i.unit for i in ref.items.values() if i.family == family)
    return max(sorted(set(units)), key=units.count) if units else "EA"


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
            count += 1
    return count


# --------------------------------------------------------------------------- generators
def gdp_rows(src: Path) -> list[list[str]]:
    """The IMF table in the ledger's `gdp` columns; values and source kept verbatim."""
    return [
        [r["iso3"], r["year"], r["gdp"], r["currency"], r["unit"], r["source"]]
        for r in _read(gdp_source(src))
    ]


def fleet_rows(rng: random.Random, ref: Reference) -> list[list[object]]:
    rows: list[list[object]] = []
    for platform in ref.platforms:
        code = platform["item_type_code"]
        item = ref.items[code]
        if item.platform != code or not platform["approx_quantity_to_ukraine"]:
            continue
        quantity = int(platform["approx_quantity_to_ukraine"])
        if code not in IN_SERVICE and rng.random() > 0.4:
            continue  # not (or no longer) in service: offers of it are "new type" decisions
        in_service = max(1, round(quantity * rng.uniform(0.55, 1.0)))  # after losses, repairs
        area = ref.family_area[item.family]
        units = [
            r for r in ref.recipients if any(r.startswith(p) for p in FLEET_UNITS[area].split())
        ]
        holders = sorted(rng.sample(units, k=min(len(units), rng.randint(1, 3))))
        shares = [rng.uniform(1, 3) for _ in holders]
        left = in_service
        for index, holder in enumerate(holders):
            last = index == len(holders) - 1
            part = left if last else max(0, round(in_service * shares[index] / sum(shares)))
            part = min(part, left)
            left -= part
            if part:
                rows.append([code, holder, part, AS_OF.isoformat()])
    return sorted(rows, key=lambda r: (str(r[0]), str(r[1])))


def requirement_rows(
    rng: random.Random, ref: Reference, fleet: list[list[object]]
) -> list[list[object]]:
    by_area: dict[str, list[str]] = defaultdict(list)
    for family, area in sorted(ref.family_area.items()):
        if not family.startswith("SPARES-") and family in REQUIREMENT_QTY:
            by_area[area].append(family)
    needs: list[tuple[str, str | None]] = []
    for area, lines in AREA_LINES.items():
        needs += [(rng.choice(by_area[area]), None) for _ in range(lines)]
    operated = sorted({str(r[0]) for r in fleet})
    kits = {i.platform: i for i in ref.items.values() if i.family.startswith("SPARES-")}
    with_spares = [p for p in operated if p in kits]
    for _ in range(24):
        platform = rng.choice(with_spares)
        needs.append((kits[platform].family, platform))
    for platform, family in (("LEO2A6", "AMMO-120"), ("LEO2A4", "AMMO-120"),
                             ("GEPARD", "AMMO-35"), ("PZH2000", "AMMO-155"),
                             ("M109A6", "AMMO-155"), ("IRIST-SLM", "SAM-MSL")):  # fmt: skip
        if platform in operated:
            needs.append((family, platform))
    rng.shuffle(needs)

    reasons = ("to replace combat losses", "to sustain the fleet in service",
               "to equip a newly formed unit", "for stock ahead of winter",
               "to restore depot reserves", "for training and rotation")  # fmt: skip
    statuses = {"approved": 68, "submitted": 8, "draft": 6, "partly_met": 9, "met": 5,
                "cancelled": 4}  # fmt: skip
    rows: list[list[object]] = []
    for number, (family, served) in enumerate(needs, start=1):
        area = ref.family_area[family]
        low, high, step = SPARES_QTY if family.startswith("SPARES-") else REQUIREMENT_QTY[family]
        destination = pick_recipient(rng, ref, DESTINATIONS[area])
        what = ref.family_name[family]
        if served:
            what += f" for {ref.items[served].name}"
        rows.append(
            [
                f"UA-REQ-{number:04d}",
                area,
                family,
                log_uniform(rng, low, high, step),
                rng.choices((1, 2, 3, 4, 5), weights=(15, 30, 30, 15, 10))[0],
                some_day(rng, date(2026, 12, 1), date(2028, 6, 30)).isoformat(),
                destination,
                weighted(rng, statuses),
                unit_of_family(ref, family),
                served,
                f"Demo: {what} {rng.choice(reasons)}",
            ]
        )
    return rows


def _offer_candidates(ref: Reference) -> dict[str, dict[str, float]]:
    """Per donor, the item types it plausibly offers, with a weight."""
    candidates: dict[str, dict[str, float]] = {d: {} for d in ref.nations}
    known: dict[str, set[str]] = defaultdict(set)
    for platform in ref.platforms:
        nations = platform["donors_iso3"].split(";") + platform["origin_country_iso3"].split(";")
        known[platform["item_type_code"]] |= {n for n in nations if n in candidates}
    for code, producers in PRODUCERS.items():
        known[code] |= set(producers.split())
    for code, item in ref.items.items():
        if item.family.startswith("SPARES-"):
            known[code] |= known[item.platform]
    for donor in ref.nations:
        lethal = donor not in NON_LETHAL
        for code, item in sorted(ref.items.items()):
            if item.family in NON_LETHAL_FAMILIES:
                candidates[donor][code] = 1.0
            elif not lethal:
                continue
            elif donor in known[code]:
                candidates[donor][code] = RARE.get(item.family, 3.0)
                if item.family == "AMMO-155":
                    candidates[donor][code] = 6.0
            elif code == "AMM-155-CZI" or item.family == "SMALL-UAS":
                candidates[donor][code] = 2.0  # the ammunition initiative and drone coalition
    return candidates


def offer_rows(rng: random.Random, ref: Reference, count: int = 1500) -> list[list[object]]:
    candidates = _offer_candidates(ref)
    weight = {d: (ref.gdp_usd_bn.get(d, 10.0) ** 0.55) * ACTIVITY.get(d, 0.5) for d in ref.nations}
    statuses = {"offered": 62, "accepted": 8, "committed": 6, "shipped": 4, "delivered": 6,
                "operational": 8, "declined": 3, "withdrawn": 3}  # fmt: skip
    drafted: list[tuple[str, list[object]]] = []
    for _ in range(count):
        donor = weighted(rng, weight)
        code = weighted(rng, candidates[donor])
        item = ref.items[code]
        area = ref.family_area[item.family]
        low, high, step = (
            SPARES_QTY if item.family.startswith("SPARES-") else OFFER_QTY[item.family]
        )
        quantity = log_uniform(rng, low, high, step)
        status = weighted(rng, statuses)
        delivered_on = None
        if status in ("delivered", "operational"):
            delivered_on = some_day(rng, date(2024, 1, 15), date(2026, 10, 31))
            available = delivered_on - timedelta(days=rng.randint(14, 120))
        elif status == "shipped":
            available = some_day(rng, date(2026, 8, 1), date(2026, 11, 15))
        elif status in ("accepted", "committed"):
            available = some_day(rng, date(2026, 6, 1), date(2027, 6, 30))
        else:
            available = some_day(rng, date(2026, 9, 1), date(2028, 3, 31))
        origin_roll = rng.random()
        if origin_roll < 0.45:
            origin = donor
        elif origin_roll < 0.85:
            origin = f"{donor}-DEPOT-{rng.randint(1, 3)}"
        else:
            origin = rng.choice(HUBS)
        is_platform = item.platform == code
        used_share = 0.15 if (code in NEW_BUILD or not is_platform) else 0.85
        if item.supply_class in ("I", "III", "IIIA", "V") or not is_platform:
            used_share = 0.03
        condition = "used" if rng.random() < used_share else "new"
        declared, currency = None, None
        if item.value_eur is not None and rng.random() < 0.6:
            factor = rng.uniform(0.45, 0.8) if condition == "used" else rng.uniform(0.9, 1.15)
            currency = currency_of(donor)
            eur = item.value_eur * quantity * factor
            declared = round_significant(eur * DEMO_PER_EUR[currency])
        only_for = None
        if rng.random() < 0.025:
            only_for = area if rng.random() < 0.7 else ";".join(sorted({area, "ammunition"}))
        drafted.append(
            (
                donor,
                [
                    code,
                    quantity,
                    available.isoformat(),
                    origin,
                    condition,
                    declared,
                    currency,
                    only_for,
                    status,
                    delivered_on.isoformat() if delivered_on else None,
                ],
            )
        )
    numbers: dict[str, int] = defaultdict(int)
    rows = []
    for donor, rest in drafted:
        numbers[donor] += 1
        rows.append([donor, f"{donor}-OF-{numbers[donor]:04d}", *rest])
    return sorted(rows, key=lambda r: (str(r[0]), str(r[1])))


def pledge_rows(rng: random.Random, ref: Reference) -> list[list[object]]:
    # Bilateral purposes; trust_fund lines are the ~10 % channelled through an organisation.
    purposes = {"procurement": 50, "sustainment": 22, "training": 14, "industry": 14}
    status_by_year = {
        2024: {"disbursed": 80, "commitment": 15, "pledge": 5},
        2025: {"disbursed": 45, "commitment": 35, "pledge": 20},
        2026: {"disbursed": 10, "commitment": 35, "pledge": 55},
    }
    # Share of the year's money for the USA falls after 2024 (allies pay for US deliveries).
    usa_trend = {2024: 1.0, 2025: 0.25, 2026: 0.1}
    rows: list[list[object]] = []
    for donor in ref.nations:
        if donor == "HUN":
            continue  # not taking part in this scenario's financial pledges
        for year in (2024, 2025, 2026):
            activity = ACTIVITY.get(donor, 0.5) * (usa_trend[year] if donor == "USA" else 1.0)
            gdp_eur = ref.gdp_usd_bn.get(donor, 10.0) * 1e9 / DEMO_PER_EUR["USD"]
            budget = gdp_eur * 0.0007 * activity * rng.uniform(0.6, 1.3)
            if year == 2026:
                budget *= 0.6  # the year is not over
            lines = max(1, min(5, int(math.log10(max(budget, 1e6) / 1e6)) + rng.randint(0, 1)))
            shares = [rng.uniform(0.5, 2.0) for _ in range(lines)]
            for k, share in enumerate(shares, start=1):
                last_day = AS_OF if year == 2026 else date(year, 12, 20)
                pledged_on = some_day(rng, date(year, 1, 10), last_day)
                currency = currency_of(donor)
                amount_eur = budget * share / sum(shares)
                purpose = weighted(rng, purposes)
                channel = None
                roll = rng.random()
                if roll < 0.10:
                    if donor in ref.eu_members and rng.random() < 0.5:
                        channel, purpose = "EPF", "procurement"
                    else:
                        channel, purpose = "NATO-CAP", "trust_fund"
                if donor in NON_LETHAL and channel is None:
                    purpose = rng.choice(("sustainment", "training"))
                status = weighted(rng, status_by_year[year])
                disbursed_on = None
                if status == "disbursed":
                    disbursed_on = pledged_on + timedelta(days=rng.randint(30, 300))
                    if disbursed_on > AS_OF:
                        status, disbursed_on = "commitment", None
                rows.append(
                    [
                        donor,
                        f"{donor}-FIN-{year}-{k:02d}",
                        round_significant(amount_eur * DEMO_PER_EUR[currency]),
                        currency,
                        year,
                        pledged_on.isoformat(),
                        purpose,
                        status,
                        channel,
                        disbursed_on.isoformat() if disbursed_on else None,
                    ]
                )
    rows += _organisation_pledges(rng, ref)
    return sorted(rows, key=lambda r: (str(r[0]), str(r[1])))


ORGANISATION_STATUS = {
    2024: {"disbursed": 1.0},
    2025: {"disbursed": 0.5, "commitment": 0.5},
    2026: {"commitment": 0.5, "pledge": 0.5},
}


def _organisation_pledges(rng: random.Random, ref: Reference) -> list[list[object]]:
    """Organisations paying out (channel outflows); sized to look like, not be, real lines."""
    plan = {  # donor: (lines per year, low EUR, high EUR, purposes)
        "EPF": (3, 3e8, 2e9, ("procurement", "training")),
        "EU": (1, 5e8, 1.5e9, ("procurement",)),
        "EC": (2, 1e8, 8e8, ("industry", "procurement")),
        "EIB": (1, 5e7, 3e8, ("industry",)),
        "NATO-CAP": (2, 5e7, 4e8, ("sustainment", "procurement")),
    }
    rows: list[list[object]] = []
    for donor, (lines, low, high, purposes) in plan.items():
        if donor not in ref.organisations:
            continue
        for year in (2024, 2025, 2026):
            for k in range(1, lines + 1):
                last_day = AS_OF if year == 2026 else date(year, 12, 15)
                pledged_on = some_day(rng, date(year, 1, 20), last_day)
                status = weighted(rng, ORGANISATION_STATUS[year])
                disbursed_on = None
                if status == "disbursed":
                    disbursed_on = min(AS_OF, pledged_on + timedelta(days=rng.randint(30, 240)))
                amount = math.exp(rng.uniform(math.log(low), math.log(high)))
                rows.append(
                    [
                        donor,
                        f"{donor}-FIN-{year}-{k:02d}",
                        round_significant(amount),
                        "EUR",
                        year,
                        pledged_on.isoformat(),
                        rng.choice(purposes),
                        status,
                        None,
                        disbursed_on.isoformat() if disbursed_on else None,
                    ]
                )
    return rows


# --------------------------------------------------------------------------- entry points
HEADERS = {
    "gdp_import.csv": ("donor_code", "year", "amount", "currency", "unit", "source"),
    "requirements.csv": (
        "ref",
        "capability_area",
        "family_code",
        "quantity",
        "priority",
        "needed_by",
        "destination_code",
        "status",
        "unit",
        "platform_code",
        "description",
    ),
    "offers.csv": (
        "donor_code",
        "external_id",
        "item_type_code",
        "quantity",
        "available_from",
        "origin",
        "condition",
        "declared_value",
        "currency",
        "only_for_areas",
        "status",
        "delivered_on",
    ),
    "pledges.csv": (
        "donor_code",
        "external_id",
        "amount",
        "currency",
        "year",
        "pledged_on",
        "purpose",
        "status",
        "channel_code",
        "disbursed_on",
    ),
    "fleet.csv": ("item_type_code", "recipient_code", "quantity", "as_of"),
}


def generate(
    seed: int = DEFAULT_SEED, out: Path | None = None, src: Path | None = None
) -> dict[str, int]:
    """Write the generated files into `out`; returns the number of data rows per file."""
    src = src or data_dir()
    out = out or src
    out.mkdir(parents=True, exist_ok=True)
    ref = read_reference(src)
    # One stream per file, so changing one generator leaves the others' output alone.
    fleet = fleet_rows(random.Random(f"{seed}:fleet"), ref)
    produced: dict[str, Iterable[Sequence[object]]] = {
        "gdp_import.csv": gdp_rows(src),
        "requirements.csv": requirement_rows(random.Random(f"{seed}:requirements"), ref, fleet),
        "offers.csv": offer_rows(random.Random(f"{seed}:offers"), ref),
        "pledges.csv": pledge_rows(random.Random(f"{seed}:pledges"), ref),
        "fleet.csv": fleet,
    }
    return {name: write_csv(out / name, HEADERS[name], rows) for name, rows in produced.items()}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=None, help="default: the shipped demo_data")
    args = parser.parse_args(argv)
    for name, rows in generate(args.seed, args.out).items():
        print(f"{name}: {rows} rows")


if __name__ == "__main__":
    main()
