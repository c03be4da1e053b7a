"""The brief's short summary per section, written from its figures (no figure of its own)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from coalition.reports.figures import area, count, eur_m, pct


def summaries(data: dict[str, Any]) -> dict[str, str]:
    return {
        "coverage": _coverage(data["coverage"]),
        "gaps": _gaps(data["gaps"]),
        "deliveries": _deliveries(data["deliveries"], data["period"]),
        "logistics": _planner(data["logistics"]),
        "training": _planner(data["training"]),
        "readiness": _planner(data["readiness"]),
        "burden": _burden(data["burden"]),
        "taskings": _taskings(data["taskings"]),
    }


def _coverage(section: dict[str, Any]) -> str:
    rows = section["rows"]
    if not rows:
        return "No requirement is recorded yet: there is no coverage to report."
    total = rows[-1]
    areas = [r for r in rows[:-1] if r["coverage_pct"] is not None]
    required = (
        f"EUR {eur_m(total['required_eur'])} million required across {len(rows) - 1} "
        "capability areas"
    )
    if total["coverage_pct"] is None:
        text = (
            f"Coverage of the {required} is withheld in all: some area's supply draws on fewer "
            "than 3 donors."
        )
    else:
        text = (
            f"Accepted or delivered supply covers {pct(total['coverage_pct'])} of the {required}."
        )
    if areas:
        low = min(areas, key=lambda r: (r["coverage_pct"], r["capability_area"]))
        text += f" Lowest: {area(low['capability_area'])} at {pct(low['coverage_pct'])}."
    previous = section["previous"]
    if previous is None:
        text += " No earlier brief for this audience to compare with."
    else:
        change = previous["change_pct_points"].get("all areas")
        since = previous["created_at"][:10]
        text += f" Change in all areas since the brief of {since}: " + (
            "not comparable." if change is None else f"{change:+.1f} points."
        )
    return text


def _gaps(gaps: list[dict[str, Any]]) -> str:
    if not gaps:
        return "No approved requirement is short of accepted supply."
    with_offers = sum(1 for g in gaps if g["closers"]["kind"] == "offers")
    shown = [g for g in gaps if g["shortfall_eur"] is not None]
    total = sum((Decimal(g["shortfall_eur"]) for g in shown), Decimal(0))
    text = f"The {len(gaps)} most critical gaps are listed"
    if len(shown) == len(gaps):
        text = f"The {len(gaps)} most critical gaps are short of EUR {eur_m(total)} million in all"
    text += (
        f"; unused compatible offers exist for {with_offers} of them, and for the others the "
        "allies furthest below their fair share are named."
    )
    return text


def _deliveries(section: dict[str, Any], period: dict[str, str]) -> str:
    total = section["total"]
    if not section["areas"]:
        return f"Nothing was recorded as delivered between {period['from']} and {period['to']}."
    if total["withheld"]:
        return (
            f"Deliveries arrived between {period['from']} and {period['to']}; totals are "
            "withheld because some areas draw on fewer than 3 donors."
        )
    return (
        f"{count(total['lines'])} deliveries ({count(total['units'])} units) arrived between "
        f"{period['from']} and {period['to']}, worth EUR {eur_m(total['value_eur'])} million "
        f"at reference values, in {len(section['areas'])} capability areas."
    )


def _planner(section: dict[str, Any]) -> str:
    if not section["available"]:
        return f"Not available: {section['reason']}. No figure is shown."
    return str(section.get("summary", ""))


def _burden(section: dict[str, Any]) -> str:
    groups = {g["name"]: g for g in section["groups"]}
    allies = groups.get("Participating allies")
    text = ""
    if allies is not None:
        text = (
            f"Participating allies delivered EUR {eur_m(allies['totals']['delivered'])} million "
            f"in {section['year']}: {pct(allies['delivered_pct_of_fair_share'], 2)} of the "
            f"EUR {eur_m(allies['fair_share'])} million baseline."
        )
    below = [
        d
        for d in section["donors"]
        if d["delivered_pct_of_fair_share"] is not None
        and Decimal(d["delivered_pct_of_fair_share"]) < 50
    ]
    if len(section["donors"]) > 1:
        text += (
            f" {len(below)} of {len(section['donors'])} allies delivered under half their share."
        )
    return text.strip()


def _taskings(section: dict[str, Any]) -> str:
    overdue = section["overdue"]
    if not overdue:
        return f"No tasking is overdue on {section['as_of']}."
    oldest = overdue[0]
    return (
        f"{len(overdue)} taskings are overdue on {section['as_of']}; the oldest, "
        f"{oldest['meeting']}/{oldest['number']} ({oldest['owner']}), by "
        f"{oldest['days_overdue']} days."
    )
