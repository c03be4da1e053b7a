"""The ministerial brief as a document: its sections, tables and charts, from the figures
`services.brief.figures` computed (this module adds no figure, it only writes them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coalition.reports import document as d
from coalition.reports.brief_charts import burden_chart, coverage_chart
from coalition.reports.figures import WITHHELD, area, count, eur_m, pct, points

HEADINGS = {
    "coverage": "Coverage by capability area",
    "gaps": "The ten most critical gaps and who could close them",
    "deliveries": "Deliveries in the period",
    "logistics": "Logistics",
    "training": "Training output",
    "readiness": "Readiness and effective capability",
    "burden": "Burden-sharing against fair share",
    "taskings": "Overdue taskings",
}


def brief_document(data: dict[str, Any]) -> d.Document:
    text = data["summaries"]
    who = data["prepared_for"]
    audience = who["role"] + (f" ({who['donor']})" if who["donor"] else "")
    facts = [
        ("Period", f"{data['period']['from']} to {data['period']['to']}"),
        ("Prepared for", f"{who['user']}, {audience}"),
        (
            "Figures",
            "coalition report brief --json (coverage: coalition status --json; "
            "burden-sharing: coalition burden --json)",
        ),
    ]
    sections = [
        d.Section("Summary", [text[k] for k in HEADINGS]),
        _coverage(data["coverage"], text["coverage"]),
        _gaps(data["gaps"], text["gaps"]),
        _deliveries(data["deliveries"], text["deliveries"]),
        *(
            _planner(HEADINGS[name], data[name], text[name])
            for name in ("logistics", "training", "readiness")
        ),
        _burden(data["burden"], text["burden"]),
        _taskings(data["taskings"], text["taskings"]),
    ]
    notes = [
        "'withheld': the figure draws on fewer than 3 donors, so it is not shown to this "
        "reader (need-to-know); a total is withheld with any of its parts."
    ]
    sections[-1] = d.Section(
        sections[-1].heading,
        sections[-1].paragraphs,
        sections[-1].tables,
        sections[-1].charts,
        notes,
    )
    return d.Document(
        data["title"], data["marking"], "Security assistance to Ukraine", facts, sections
    )


def _coverage(section: dict[str, Any], summary: str) -> d.Section:
    change = (section["previous"] or {}).get("change_pct_points", {})
    rows = [
        [
            area(r["capability_area"]),
            count(r["requirement_lines"]),
            eur_m(r["required_eur"]),
            eur_m(r["offered_eur"]),
            eur_m(r["accepted_eur"]),
            eur_m(r["delivered_eur"]),
            pct(r["coverage_pct"]),
            points(change.get(r["capability_area"])),
        ]
        for r in section["rows"]
    ]
    table = d.TableView(
        "Coverage (EUR million; coverage = accepted or delivered ÷ required)",
        [
            "capability area",
            "lines",
            "required",
            "offered",
            "accepted",
            "delivered",
            "coverage",
            "change",
        ],
        rows,
        right=[1, 2, 3, 4, 5, 6, 7],
        name="coverage",
    )
    png = coverage_chart(section["rows"])
    charts = [d.Chart("coverage.png", png, "Coverage by capability area")] if png else []
    return d.Section(HEADINGS["coverage"], [summary], [table], charts)


def _gaps(gaps: list[dict[str, Any]], summary: str) -> d.Section:
    rows = []
    for rank, g in enumerate(gaps, start=1):
        closers = g["closers"]
        if closers["kind"] == "offers":
            listed = "; ".join(
                f"{o['key']} ({o['item_type']}, {o['units']:,})" for o in closers["offers"]
            )
            whole = (
                WITHHELD
                if closers["units"] is None
                else f"{closers['offer_count']} offers, {closers['units']:,} units, "
                f"{closers['donor_count']} donors"
            )
            who = f"unused offers: {whole}" + (f" — {listed}" if listed else "")
        else:
            names = ", ".join(
                f"{x['name']} ({pct(x['delivered_pct_of_fair_share'], 2)} of share)"
                for x in closers["donors"]
            )
            who = "no unused compatible offer; furthest below fair share: " + (names or "none")
        rows.append(
            [
                str(rank),
                g["family"],
                area(g["capability_area"]),
                str(g["priority"]),
                count(g["required_units"]),
                count(g["shortfall_units"]),
                eur_m(g["shortfall_eur"]),
                who,
            ]
        )
    table = d.TableView(
        "Most critical gaps (priority 1 is the most urgent; shortfall in units and EUR million)",
        [
            "#",
            "family",
            "area",
            "priority",
            "required",
            "short",
            "short EUR m",
            "who could close it",
        ],
        rows,
        right=[0, 3, 4, 5, 6],
        name="gaps",
    )
    return d.Section(HEADINGS["gaps"], [summary], [table])


def _deliveries(section: dict[str, Any], summary: str) -> d.Section:
    rows = [
        [area(a["capability_area"]), count(a["lines"]), count(a["units"]), eur_m(a["value_eur"])]
        for a in section["areas"]
    ]
    total = section["total"]
    if rows:
        rows.append(
            ["all areas", count(total["lines"]), count(total["units"]), eur_m(total["value_eur"])]
        )
    tables = [
        d.TableView(
            "Delivered in the period (EUR million at reference values)",
            ["capability area", "deliveries", "units", "value"],
            rows,
            right=[1, 2, 3],
            name="deliveries",
        )
    ]
    if section["records"]:
        tables.append(
            d.TableView(
                "Your own deliveries in the period",
                ["offer", "item type", "units", "delivered on"],
                [
                    [r["key"], r["item_type"], f"{r['units']:,}", r["delivered_on"]]
                    for r in section["records"]
                ],
                right=[2],
                name="own deliveries",
            )
        )
    return d.Section(HEADINGS["deliveries"], [summary], tables)


def _planner(heading: str, section: dict[str, Any], summary: str) -> d.Section:
    return d.Section(heading, [summary])


def _burden(section: dict[str, Any], summary: str) -> d.Section:
    rows = [
        [
            x["name"],
            eur_m(x["fair_share"]),
            eur_m(x["totals"]["pledged"]),
            eur_m(x["totals"]["delivered"]),
            pct(x["delivered_pct_of_fair_share"], 2),
            eur_m(x["shortfall"]),
        ]
        for x in section["donors"]
    ]
    rows += [
        [
            g["name"],
            eur_m(g["fair_share"]),
            eur_m(g["totals"]["pledged"]),
            eur_m(g["totals"]["delivered"]),
            pct(g["delivered_pct_of_fair_share"], 2),
            eur_m(g["shortfall"]),
        ]
        for g in section["groups"]
    ]
    table = d.TableView(
        f"Burden-sharing {section['year']} (EUR million; baseline EUR "
        f"{eur_m(section['baseline'].get('amount'))} million)",
        ["ally or group", "fair share", "pledged", "delivered", "% of share", "shortfall"],
        rows,
        right=[1, 2, 3, 4, 5],
        name="burden",
    )
    png = burden_chart(section["donors"])
    charts = [d.Chart("burden.png", png, "Delivered against fair share")] if png else []
    return d.Section(HEADINGS["burden"], [summary], [table], charts)


def _taskings(section: dict[str, Any], summary: str) -> d.Section:
    rows = [
        [
            f"{t['meeting']}/{t['number']}",
            t["decision"],
            t["owner"],
            t["due_on"],
            str(t["days_overdue"]),
            t["status"].replace("_", " "),
        ]
        for t in section["overdue"]
    ]
    table = d.TableView(
        f"Taskings open after their due date (on {section['as_of']})",
        ["tasking", "decision", "owner", "due", "days over", "status"],
        rows,
        right=[4],
        name="overdue taskings",
    )
    return d.Section(HEADINGS["taskings"], [summary], [table] if rows else [])


def render_brief(data: dict[str, Any], out: Path) -> Path:
    return d.render(brief_document(data), out)


def export_brief_tables(data: dict[str, Any], out: Path) -> list[Path]:
    return d.export_tables(brief_document(data), out)
