"""The demo's training and readiness files, derived from the shipped scenario by stated rules.

    python -m coalition.demo.training [--seed 2026] [--out src/coalition/demo_data]

Writes ``courses.csv``, ``sites.csv``, ``intakes.csv``, ``cohorts.csv``,
``training-records.csv``, ``fleet-status.csv`` and ``usage_rates.csv`` from ``platforms.csv``
(crew sizes, cited), ``fleet.csv`` and ``offers.csv``. Course lengths are cited where public
reporting gives one (``CITED_WEEKS``; sources in ``demo_data/SOURCES.md``); every other figure
is a **demo assumption**. Deterministic: the same seed gives byte-identical files, and a test
checks the shipped files equal this module's output.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from coalition.demo import data_dir

DEFAULT_SEED = 2026
AS_OF = date(2026, 11, 1)  # the scenario's "now" (as in demo/generate.py)

# Course lengths reported publicly for the accelerated courses given to Ukrainian crews.
CITED_WEEKS = {
    "PATRIOT": (10, "Fort Sill course, 10 weeks: CNN via euromaidanpress.com 2023-03-22"),
    "LEO2A6": (
        6,
        "Munster crash course of 6-8 weeks: Der Spiegel via babel.ua 2023-02-11 "
        "(AFP reported 5 weeks)",
    ),
    "HIMARS": (3, "first round about 3 weeks: senior US defence official via ukranews.com 2022-06"),
}
# Demo assumption: a course length per family where none is cited.
FAMILY_WEEKS = {
    "155mm self-propelled howitzer": 6,
    "155mm towed howitzer": 3,
    "105mm towed howitzer": 3,
    "main battle tank": 6,
    "infantry fighting vehicle": 5,
    "armoured personnel carrier": 3,
    "long-range air defence system": 10,
    "self-propelled anti-aircraft gun": 6,
    "MLRS/rocket artillery": 3,
    "demining vehicle": 4,
    "mine countermeasures vessel": 12,
}
_EU_MEMBERS = (
    "AUT BEL BGR CYP CZE DEU DNK ESP EST FIN FRA GRC HRV HUN IRL ITA LTU LUX LVA MLT NLD POL PRT "
    "ROU SVK SVN SWE"
)
EU = frozenset(_EU_MEMBERS.split())
ENGLISH = frozenset({"USA", "GBR", "CAN", "AUS"})  # courses given in English need it first
SITES = (  # code, name, country, provider
    ("DEU-SITE-IDAR", "Idar-Oberstein artillery school", "DEU", "DEU"),
    ("DEU-SITE-MUNSTER", "Munster armour training area", "DEU", "DEU"),
    ("DEU-SITE-GRAF", "Grafenwoehr training area", "DEU", "USA"),
    ("USA-SITE-SILL", "Fort Sill air defence and fires school", "USA", "USA"),
    ("GBR-SITE-PLAIN", "Salisbury Plain training area", "GBR", "GBR"),
    ("POL-SITE-1", "Polish training area (demo)", "POL", "POL"),
    ("FRA-SITE-1", "French training camp (demo)", "FRA", "FRA"),
    ("SWE-SITE-1", "Swedish training area (demo)", "SWE", "SWE"),
)
SITE_OF = {
    "DEU": "DEU-SITE-MUNSTER",
    "USA": "DEU-SITE-GRAF",
    "GBR": "GBR-SITE-PLAIN",
    "POL": "POL-SITE-1",
    "FRA": "FRA-SITE-1",
    "SWE": "SWE-SITE-1",
}
COMMON_COURSES = (  # code, name, skill, weeks, provider, mission (demo assumptions)
    ("CRS-LANG-EN", "Military English for system courses", "language", 4, "GBR", "bilateral"),
    ("CRS-ART-BASIC", "Artillery fire-control basics", "other", 3, "POL", "EUMAM"),
    ("CRS-MEDIC-CLS", "Combat life saver", "medic", 2, "DEU", "EUMAM"),
    ("CRS-SAPPER", "Combat engineering and demining", "sapper", 5, "NLD", "EUMAM"),
    ("CRS-LEAD-NCO", "Junior leader (NCO) course", "leadership", 4, "POL", "EUMAM"),
)
ARTILLERY = ("155mm self-propelled howitzer", "155mm towed howitzer", "105mm towed howitzer")
# Usage rates (demo assumptions): rounds per platform per month in the medium band, and the
# band multipliers; a spare-parts kit holds one system-year of parts.
ROUNDS = {
    "155mm self-propelled howitzer": ("AMM-155-M795", 300),
    "155mm towed howitzer": ("AMM-155-M795", 250),
    "105mm towed howitzer": ("AMM-105-HE", 250),
    "main battle tank": ("AMM-120-KE", 40),
    "self-propelled anti-aircraft gun": ("AMM-35-AHEAD", 1000),
    "long-range air defence system": ("GEM-T", 4),
    "MLRS/rocket artillery": ("GMLRS-M31", 12),
}
BANDS = {"low": 0.5, "medium": 1.0, "high": 2.0}
COLUMNS = {
    "courses.csv": (
        "code",
        "name",
        "skill",
        "duration_weeks",
        "provider_code",
        "mission",
        "platform_code",
        "family_code",
        "per_platform",
        "prerequisites",
    ),
    "sites.csv": ("code", "name", "country", "provider_code"),
    "intakes.csv": ("code", "course_code", "site_code", "start_date", "seats"),
    "cohorts.csv": ("code", "unit_code", "language_group", "size", "platform_code"),
    "training-records.csv": ("intake_code", "cohort_code", "enrolled", "graduated", "failed"),
    "fleet-status.csv": (
        "item_type_code",
        "recipient_code",
        "as_of",
        "operational",
        "in_maintenance",
        "awaiting_parts",
        "lost",
    ),
    "usage_rates.csv": (
        "platform_code",
        "item_type_code",
        "band",
        "per_platform_per_month",
        "basis",
    ),
}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _accepted_units(offers: Sequence[dict[str, str]]) -> dict[str, int]:
    accepted = ("accepted", "committed", "shipped", "delivered", "operational")
    units: dict[str, int] = defaultdict(int)
    for row in offers:
        if row["status"] in accepted:
            units[row["item_type_code"]] += int(row["quantity"])
    return units


def build(seed: int, src: Path) -> dict[str, list[list[object]]]:
    platforms = _read(src / "platforms.csv")
    items = {r["code"]: r for r in _read(src / "item-types.csv")}
    fleet = _read(src / "fleet.csv")
    accepted = _accepted_units(_read(src / "offers.csv"))
    in_fleet: dict[str, int] = defaultdict(int)
    units_of: dict[str, list[str]] = defaultdict(list)
    for row in fleet:
        in_fleet[row["item_type_code"]] += int(row["quantity"])
        units_of[row["item_type_code"]].append(row["recipient_code"])
    rng = random.Random(f"{seed}:training")

    courses: list[list[object]] = [[*common, "", "", 0, ""] for common in COMMON_COURSES]
    crew_courses: list[tuple[str, str, int, int, str]] = []  # code, item, crew, weeks, provider
    for p in platforms:
        code = p["item_type_code"]
        if not p["crew"] or code not in items or not (accepted.get(code) or in_fleet.get(code)):
            continue
        crew = int(p["crew"])
        weeks = CITED_WEEKS.get(code, (FAMILY_WEEKS.get(p["family"], 4), ""))[0]
        provider = p["donors_iso3"].split(";")[0] or p["origin_country_iso3"]
        mission = "EUMAM" if provider in EU else "bilateral"
        prerequisites = ["CRS-LANG-EN"] if provider in ENGLISH else []
        if p["family"] in ARTILLERY:
            prerequisites.append("CRS-ART-BASIC")
        course = f"CRS-{code}-CREW"
        courses.append(
            [
                course,
                f"{p['name']} crew",
                "crew",
                weeks,
                provider,
                mission,
                code,
                "",
                crew,
                ";".join(sorted(prerequisites)),
            ]
        )
        crew_courses.append((course, code, crew, weeks, provider))
    families = sorted({items[item]["family_code"] for _, item, _, _, _ in crew_courses})
    for family in families:  # one maintainer per platform, coordinated by NSATU
        courses.append(
            [
                f"CRS-{family}-MAINT",
                f"{family} maintainer",
                "maintainer",
                4,
                "DEU",
                "NSATU",
                "",
                family,
                1,
                "",
            ]
        )

    intakes: list[list[object]] = []
    cohorts: list[list[object]] = []
    records: list[list[object]] = []
    weeks_of = {str(c[0]): int(str(c[3])) for c in courses}
    for course, item, crew, weeks, provider in crew_courses:
        platforms_needed = accepted.get(item, 0) + in_fleet.get(item, 0)
        per_intake = max(1, min(8, platforms_needed // 2 or 1))  # platforms crewed per intake
        runs = 1 + rng.randrange(3)
        first = date(2024, 1, 8) + timedelta(weeks=rng.randrange(110))
        site = "USA-SITE-SILL" if item == "PATRIOT" else SITE_OF.get(provider, "POL-SITE-1")
        if item in ("PZH2000",) or (provider == "DEU" and "howitzer" in items[item]["name"]):
            site = "DEU-SITE-IDAR"
        units = units_of.get(item) or ["UA-MECH-1"]
        for run in range(runs):
            start = first + timedelta(weeks=run * (weeks + rng.randrange(4, 20)))
            intake = f"{course.removeprefix('CRS-')}-{run + 1:02d}"
            seats = min(crew * per_intake, 120)
            intakes.append([intake, course, site, start.isoformat(), seats])
            cohort = f"{units[run % len(units)]}-{item}-C{run + 1:02d}"
            size = seats - rng.randrange(0, max(1, seats // 10))
            language = "en" if provider in ENGLISH else "uk"
            cohorts.append([cohort, units[run % len(units)], language, size, item])
            if start > AS_OF:
                continue
            failed = rng.randrange(0, max(1, size // 12))
            finished = start + timedelta(weeks=weeks) <= AS_OF
            records.append(
                [intake, cohort, size, size - failed if finished else 0, failed if finished else 0]
            )
    # The common and maintainer courses: two intakes each, one cohort per intake.
    maintainers = [(str(c[0]), "", "", 4, "DEU", "NSATU") for c in courses if c[2] == "maintainer"]
    for code, _, _, weeks, provider, _ in [*COMMON_COURSES, *maintainers]:
        for run in range(3):  # the third is under way on AS_OF
            start = date(2025, 2, 3) + timedelta(weeks=run * 40 + rng.randrange(50))
            if run == 2:
                start = AS_OF - timedelta(days=AS_OF.weekday()) - timedelta(weeks=rng.randrange(2))
            intake = f"{code.removeprefix('CRS-')}-{run + 1:02d}"
            site = SITE_OF.get(provider, "POL-SITE-1")
            intakes.append([intake, code, site, start.isoformat(), 60])
            cohort = f"UA-MECH-{run + 1}-{code.removeprefix('CRS-')}"
            cohorts.append([cohort, f"UA-MECH-{run + 1}", "uk", 60, ""])
            if start > AS_OF:
                continue
            finished = start + timedelta(weeks=weeks) <= AS_OF
            failed = rng.randrange(0, 5)
            records.append(
                [intake, cohort, 60, 60 - failed if finished else 0, failed if finished else 0]
            )
    coming_intakes, coming_cohorts = _coming(seed, crew_courses, accepted, cohorts, units_of)
    intakes += coming_intakes
    cohorts += coming_cohorts
    assert all(str(i[1]) in weeks_of for i in intakes)

    status: list[list[object]] = []
    for row in fleet:
        quantity = int(row["quantity"])
        for as_of, wear in ((date(2026, 8, 1), 0.0), (AS_OF, 0.05)):
            lost = round(quantity * (rng.random() * 0.08 + wear / 2))
            repair = round((quantity - lost) * (rng.random() * 0.15 + wear))
            parts = round((quantity - lost - repair) * rng.random() * 0.1)
            status.append(
                [
                    row["item_type_code"],
                    row["recipient_code"],
                    as_of.isoformat(),
                    quantity - lost - repair - parts,
                    repair,
                    parts,
                    lost,
                ]
            )

    rates: list[list[object]] = []
    family_of = {p["item_type_code"]: p["family"] for p in platforms}
    for item in sorted(in_fleet):
        rounds = ROUNDS.get(family_of.get(item, ""))
        for band, factor in BANDS.items():
            if rounds and rounds[0] in items:
                rates.append(
                    [
                        item,
                        rounds[0],
                        band,
                        _rate(rounds[1] * factor),
                        f"demo assumption: {rounds[1]} per platform a month at medium "
                        f"tempo, x{factor} in the {band} band",
                    ]
                )
            kit = f"SPK-{item}"
            if kit in items:
                rates.append(
                    [
                        item,
                        kit,
                        band,
                        _rate(factor / 12),
                        f"demo assumption: one kit holds a system-year of parts; "
                        f"x{factor} in the {band} band",
                    ]
                )
    return {
        "courses.csv": courses,
        "sites.csv": [list(s) for s in SITES],
        "intakes.csv": intakes,
        "cohorts.csv": cohorts,
        "training-records.csv": records,
        "fleet-status.csv": status,
        "usage_rates.csv": rates,
    }


# The coming intakes and cohorts (demo assumptions), for the training plan to schedule: after
# the scenario's "now", each crew course runs again, and Ukraine names cohorts for most of the
# platforms accepted beyond those its trained cohorts crew. The shared prerequisites run every
# six weeks with fewer seats than all the cohorts want, so some crews wait for a seat.
COMING_FROM = date(2027, 1, 4)
COMING_COHORTS_MAX = 6  # per platform
COMING_SHARED = (("CRS-LANG-EN", "GBR-SITE-PLAIN", 90), ("CRS-ART-BASIC", "POL-SITE-1", 120))


def _coming(
    seed: int,
    crew_courses: Sequence[tuple[str, str, int, int, str]],
    accepted: dict[str, int],
    cohorts: Sequence[Sequence[object]],
    units_of: dict[str, list[str]],
) -> tuple[list[list[object]], list[list[object]]]:
    """Intakes and cohorts after the scenario's now, drawn from their own random stream so the
    records before it stay as they were."""
    rng = random.Random(f"{seed}:coming")
    named: dict[str, int] = defaultdict(int)  # trainees already in a cohort, per platform
    runs: dict[str, int] = defaultdict(int)
    for row in cohorts:
        if row[4]:
            named[str(row[4])] += int(str(row[3]))
            runs[str(row[4])] += 1
    intakes: list[list[object]] = []
    out: list[list[object]] = []
    for code, site, seats in COMING_SHARED:
        for run in range(14):
            start = AS_OF + timedelta(days=(7 - AS_OF.weekday()) % 7, weeks=2 + 6 * run)
            intakes.append([f"{code.removeprefix('CRS-')}-C{run + 1:02d}", code, site,
                            start.isoformat(), seats])  # fmt: skip
    for course, item, crew, weeks, provider in crew_courses:
        short = accepted.get(item, 0) * crew - named[item]
        if short <= 0:
            continue
        per_intake = max(1, min(8, accepted.get(item, 0) // 3 or 1))
        seats = min(crew * per_intake, 120)
        count = min(COMING_COHORTS_MAX, -(-short * 4 // (5 * seats)))  # about 4/5 of the need
        site = "USA-SITE-SILL" if item == "PATRIOT" else SITE_OF.get(provider, "POL-SITE-1")
        start = COMING_FROM + timedelta(weeks=rng.randrange(10))
        units = units_of.get(item) or ["UA-MECH-1"]
        language = "en" if provider in ENGLISH else "uk"
        for n in range(count):
            run = runs[item] + n
            intakes.append([f"{course.removeprefix('CRS-')}-{run + 1:02d}", course, site,
                            start.isoformat(), seats])  # fmt: skip
            start += timedelta(weeks=weeks + rng.randrange(2, 12))
            unit = units[run % len(units)]
            out.append([f"{unit}-{item}-C{run + 1:02d}", unit, language, seats, item])
    return intakes, out


def _rate(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def write(seed: int, out: Path, src: Path | None = None) -> dict[str, int]:
    files = build(seed, src or data_dir())
    counts = {}
    for name, rows in files.items():
        with (out / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(COLUMNS[name])
            writer.writerows(rows)
        counts[name] = len(rows)
    return counts


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=data_dir())
    args = parser.parse_args(argv)
    for name, count in write(args.seed, args.out).items():
        print(f"{name}: {count} rows")


if __name__ == "__main__":
    main()
