"""The EU–NATO progress report as a document, in the published structure: an overview, then
per strand its progress (counts by status), examples and next steps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coalition.domain.markings import DEFAULT_MARKING
from coalition.reports import document as d

STATUS_TITLES = {
    "not_started": "not started",
    "in_progress": "in progress",
    "advanced": "advanced",
    "completed": "completed",
    "stalled": "stalled",
    "not_reported": "not reported",
}


def progress_document(report: dict[str, Any]) -> d.Document:
    period = report["period"]
    current = next(r for r in report["reports"] if r["number"] == report["report_number"])
    facts = [
        ("Period", f"{period['from']} to {period['to']}"),
        (
            "Status read from",
            f"{current['title']} ({current['period_from']} to "
            f"{current['period_to']}, presented {current['presented_on']})",
        ),
        (
            "Compared with",
            "report " + str(report["previous_report_number"])
            if report["previous_report_number"]
            else "no earlier report",
        ),
        (
            "Figures",
            f"coalition cooperation report --period {period['from']}..{period['to']} --json",
        ),
    ]
    columns = ["strand", "proposals", *STATUS_TITLES.values(), "moved forward"]
    overview = d.TableView(
        "Proposals per strand and their status",
        columns,
        [
            [
                s["title"],
                str(s["proposals"]),
                *(str(s["by_status"][k]) for k in STATUS_TITLES),
                str(s["moved_forward"]),
            ]
            for s in report["strands"]
        ]
        + [
            [
                "All strands",
                str(report["proposals"]),
                *(str(report["by_status"][k]) for k in STATUS_TITLES),
                str(report["moved_forward"]),
            ]
        ],
        right=list(range(1, len(columns))),
        name="strands",
    )
    intro = (
        f"{report['proposals']} common proposals are tracked; "
        f"{report['by_status']['completed']} are completed, "
        f"{report['by_status']['advanced']} advanced, {report['by_status']['in_progress']} "
        f"in progress, {report['by_status']['stalled']} stalled and "
        f"{report['by_status']['not_started']} not started, and {report['moved_forward']} "
        "moved forward since the report before."
    )
    notes = []
    if report["illustrative"]:
        notes.append(
            f"{report['illustrative']} proposals are marked illustrative: their official text "
            "is not public in the sources read, and the demo's statuses per proposal are "
            "illustrative (published reports give progress per strand)."
        )
    sources = [
        f"Report {r['number']}: {r['source']} ({r['dates_note']})" for r in report["reports"]
    ]
    sections = [d.Section("Overview", [intro], [overview], notes=notes)]
    for s in report["strands"]:
        sections.append(_strand(s))
    sections.append(d.Section("Sources", sources))
    return d.Document(
        "EU–NATO cooperation: progress report",
        report.get("marking") or DEFAULT_MARKING,
        "Implementation of the common set of proposals",
        facts,
        sections,
    )


def _strand(s: dict[str, Any]) -> d.Section:
    counts = ", ".join(f"{n} {STATUS_TITLES[k]}" for k, n in s["by_status"].items() if n)
    if not s["proposals"]:
        progress = "Progress: no common proposal is recorded on this strand."
    else:
        progress = (
            f"Progress: {s['proposals']} proposals ({counts}); {s['moved_forward']} moved "
            "forward since the report before."
        )
    leads = ""
    if s["eu_leads"] or s["nato_leads"]:
        leads = (
            f"Lead staffs — EU side: {'; '.join(s['eu_leads']) or 'n/a'}; "
            f"NATO side: {'; '.join(s['nato_leads']) or 'n/a'}."
        )
    paragraphs = [progress] + ([leads] if leads else [])
    tables = []
    if s["examples"]:
        tables.append(
            d.TableView(
                "Examples",
                ["proposal", "text", "status", "narrative", "evidence"],
                [
                    [
                        e["id"],
                        e["text"] + (" (illustrative)" if e["illustrative"] else ""),
                        STATUS_TITLES[e["status"]],
                        e["narrative"],
                        e["evidence"],
                    ]
                    for e in s["examples"]
                ],
                name=f"examples {s['strand']}",
            )
        )
    else:
        paragraphs.append("Examples: none in this period.")
    steps = "; ".join(s["next_steps"]) if s["next_steps"] else "none recorded"
    paragraphs.append(f"Next steps: {steps}.")
    return d.Section(s["title"], paragraphs, tables)


def render_progress_report(report: dict[str, Any], out: Path) -> Path:
    return d.render(progress_document(report), out)


def export_progress_tables(report: dict[str, Any], out: Path) -> list[Path]:
    return d.export_tables(progress_document(report), out)
