"""The demo's EU–NATO cooperation tracker and meetings register, written from the shared data.

``python -m coalition.demo.cooperation PROPOSALS.csv REPORTS.csv`` reads the researched files
(``eu_nato_common_proposals.csv``, ``eu_nato_progress_reports.csv``, sources in
``demo_data/SOURCES.md``) and writes ``proposals.csv``, ``progress-reports.csv`` and
``proposal-progress.csv`` into ``demo_data``; ``meetings.csv`` and ``taskings.csv`` are curated
by hand. What is not public is written as such:

- proposals whose text could not be read are added, up to the sourced counts (42 in 2016,
  32 in 2017, 74 in all; 10 + 10 hybrid, 4 cyber in 2016), as rows marked ``illustrative``.
  The split of the remaining proposals over strands is not public: the demo spreads them
  round-robin over the strands of their set.
- each proposal's status per report is **illustrative**: the published reports give progress
  per strand, not per proposal. Statuses move forward deterministically (a hash of the id).
- lead staffs are illustrative: the sources name the staffs in general, not per proposal.
"""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path

from coalition.demo import data_dir

AREAS = {
    "Countering hybrid threats": "hybrid",
    "Operational cooperation including maritime issues": "operational",
    "Cyber security and defence": "cyber",
    "Defence capabilities": "capabilities",
    "Defence industry and research": "industry",
    "Exercises": "exercises",
    "Defence and security capacity-building": "capacity_building",
    "Military mobility (new topic)": "military_mobility",
    "Counter-terrorism (new topic)": "counter_terrorism",
    "Women, peace and security (new topic)": "women_peace_security",
    "Political dialogue between EU and NATO (new topic)": "political_dialogue",
}
CODES = {
    "hybrid": "HYB",
    "operational": "MAR",
    "cyber": "CYB",
    "capabilities": "CAP",
    "industry": "IND",
    "exercises": "EX",
    "capacity_building": "CB",
    "military_mobility": "MM",
    "counter_terrorism": "CT",
    "women_peace_security": "WPS",
    "political_dialogue": "PD",
}
# Illustrative lead staffs per strand (EU side, NATO side).
LEADS = {
    "hybrid": ("EEAS Hybrid Fusion Cell", "NATO JISD Hybrid Analysis Branch"),
    "operational": ("EEAS CSDP operations", "NATO MARCOM"),
    "cyber": ("EEAS cyber team; ENISA", "NATO ESCD Cyber Defence"),
    "capabilities": ("EDA Capability, Armament & Planning", "NATO DPP / DI"),
    "industry": ("DG DEFIS; EDA", "NATO DI"),
    "exercises": ("EEAS EU Military Staff", "NATO IMS"),
    "capacity_building": ("EEAS; DG NEAR", "NATO PASP"),
    "military_mobility": ("DG MOVE; EDA; EUMS", "NATO DPP; JSEC"),
    "counter_terrorism": ("EEAS counter-terrorism", "NATO ESCD counter-terrorism"),
    "women_peace_security": ("EEAS Principal Adviser on Gender", "NATO SGSR WPS"),
    "political_dialogue": ("EEAS Secretary-General's office", "NATO PASP"),
}
# Sourced counts per set (eu_nato-SOURCES.md): totals, and per strand where known.
SET_TOTAL = {2016: 42, 2017: 32}
KNOWN = {(2016, "hybrid"): 10, (2016, "cyber"): 4, (2017, "hybrid"): 10}
SPREAD = {
    2016: ["operational", "capabilities", "industry", "exercises", "capacity_building"],
    2017: [
        "operational",
        "cyber",
        "capabilities",
        "industry",
        "exercises",
        "capacity_building",
        "military_mobility",
        "counter_terrorism",
        "women_peace_security",
        "political_dialogue",
    ],
}
FIRST_REPORT = {2016: 1, 2017: 3}  # the 2017 set was first reported on in June 2018
STATUSES = ["not_started", "in_progress", "advanced", "completed"]
SOURCE_NOTE = "count: see eu_nato-SOURCES.md; text not public in the sources read"

# Reports: number, first and last day covered, presented, note (from the researched file).
REPORT_DATES = {
    1: ("2016-12-06", "2017-06-14", "2017-06-14", "day inferred (mid-June 2017)"),
    2: ("2017-06-15", "2017-12-04", "2017-12-05", "period inferred"),
    3: ("2018-01-01", "2018-06-07", "2018-06-08", "date and period verified"),
    4: ("2018-06-08", "2019-06-14", "2019-06-17", "period and day inferred"),
    5: ("2019-06-15", "2020-06-15", "2020-06-16", "date and period verified"),
    6: ("2020-06-16", "2021-05-31", "2021-06-03", "date and period verified"),
    7: ("2021-06-01", "2022-05-31", "2022-06-20", "period verified; day not verified"),
    8: ("2022-06-01", "2023-05-31", "2023-06-16", "date and period verified"),
    9: ("2023-06-01", "2024-05-31", "2024-06-17", "period verified; day not verified"),
    10: ("2024-06-01", "2025-05-31", "2025-06-16", "date and period not verified"),
}
ORDINAL = [
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
]


def proposals(source: Path) -> list[dict[str, str]]:
    rows = []
    with source.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if not row["id"]:
                continue  # a count row
            strand = AREAS[row["area"]]
            rows.append(
                _proposal(
                    row["id"],
                    int(row["set_year"]),
                    strand,
                    row["title_paraphrased"],
                    False,
                    row["source"],
                )
            )
    for year, total in SET_TOTAL.items():
        mine = [r for r in rows if r["set_year"] == str(year)]
        for (known_year, strand), count in KNOWN.items():
            if known_year == year:
                have = sum(r["strand"] == strand for r in mine)
                rows += [_filler(year, strand, have + i) for i in range(count - have)]
        mine = [r for r in rows if r["set_year"] == str(year)]
        missing = total - len(mine)
        spread = SPREAD[year]
        for i in range(missing):
            strand = spread[i % len(spread)]
            have = sum(r["strand"] == strand and r["set_year"] == str(year) for r in rows)
            rows.append(_filler(year, strand, have))
    return rows


def _proposal(
    id_: str, year: int, strand: str, text: str, illustrative: bool, source: str
) -> dict[str, str]:
    eu, nato = LEADS[strand]
    return {
        "id": id_,
        "set_year": str(year),
        "strand": strand,
        "text": text,
        "illustrative": "true" if illustrative else "false",
        "eu_lead": eu,
        "nato_lead": nato,
        "source": source,
    }


def _filler(year: int, strand: str, index: int) -> dict[str, str]:
    id_ = f"{year}-{CODES[strand]}-X{index + 1:02d}"
    text = f"Illustrative: a {year} proposal on this strand whose text is not public here"
    return _proposal(id_, year, strand, text, True, SOURCE_NOTE)


def reports(source: Path) -> list[dict[str, str]]:
    with source.open(newline="", encoding="utf-8") as f:
        found = {int(r["number"]): r for r in csv.DictReader(f)}
    rows = []
    for number, (first, last, presented, note) in REPORT_DATES.items():
        row = found[number]
        rows.append(
            {
                "number": str(number),
                "period_from": first,
                "period_to": last,
                "presented_on": presented,
                "title": f"{ORDINAL[number - 1]} progress report on the common set of proposals",
                "dates_note": f"{note}; as researched: {row['date_presented']} / "
                f"{row['period_covered']}"[:500],
                "source": row["source"],
            }
        )
    return rows


def progress(proposal_rows: list[dict[str, str]]) -> list[dict[str, str]]:
    rows = []
    for p in proposal_rows:
        seed = int(hashlib.sha256(p["id"].encode()).hexdigest(), 16)
        first = FIRST_REPORT[int(p["set_year"])]
        pace = 2 + seed % 3  # reports per step forward
        stalled_at = 6 + seed % 5 if seed % 11 == 0 else None
        for number in range(first, 11):
            step = min(len(STATUSES) - 1, (number - first + seed % 2) // pace)
            status = STATUSES[step]
            if stalled_at is not None and number >= stalled_at and status != "completed":
                status = "stalled"
            rows.append(
                {
                    "proposal_id": p["id"],
                    "report_number": str(number),
                    "status": status,
                    "narrative": f"Illustrative (demo): {status.replace('_', ' ')} as of report "
                    f"{number}",
                    "evidence": f"Progress report {number}, {p['strand'].replace('_', ' ')} "
                    "section (per-proposal status illustrative)",
                    "next_steps": "" if status == "completed" else "Continue staff-to-staff work",
                }
            )
    return rows


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str]) -> None:
    proposals_csv, reports_csv = (Path(a) for a in argv)
    found = proposals(proposals_csv)
    _write(data_dir() / "proposals.csv", found)
    _write(data_dir() / "progress-reports.csv", reports(reports_csv))
    _write(data_dir() / "proposal-progress.csv", progress(found))


if __name__ == "__main__":
    main(sys.argv[1:])
