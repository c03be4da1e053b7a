"""EU–NATO cooperation tracker and meetings register: status history, the progress report of a
period (per strand: progress, examples, next steps) and overdue taskings.

Every figure of `coalition cooperation report` and of the brief's taskings section comes from
here; the records are read through the unit of work's principal like any other registry.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from coalition.domain import checks
from coalition.domain.cooperation import (
    FORMAT_TITLES,
    STRAND_TITLES,
    MeetingFormat,
    ProgressStatus,
    Strand,
    days_overdue,
    is_overdue,
    overlaps,
)
from coalition.registries.kinds import (
    MEETINGS,
    PROGRESS_REPORTS,
    PROPOSAL_PROGRESS,
    PROPOSALS,
    TASKINGS,
)
from coalition.services.errors import NotFound, ServiceError
from coalition.storage.unit_of_work import UnitOfWork

# How far along a status is, to tell a step forward from a step back.
RANK = {
    ProgressStatus.NOT_STARTED: 0,
    ProgressStatus.STALLED: 0,
    ProgressStatus.IN_PROGRESS: 1,
    ProgressStatus.ADVANCED: 2,
    ProgressStatus.COMPLETED: 3,
}
EXAMPLES_PER_STRAND = 3


def reports_in_period(uow: UnitOfWork, first: date, last: date) -> list[dict[str, Any]]:
    """The progress reports whose period shares a day with [first, last], oldest first."""
    if last < first:
        raise ServiceError(f"the period {first}..{last} ends before it starts")
    rows = uow.records(PROGRESS_REPORTS).find()
    found = [r for r in rows if overlaps(r["period_from"], r["period_to"], first, last)]
    return sorted(found, key=lambda r: int(r["number"]))


def status_history(uow: UnitOfWork, proposal_id: str) -> list[dict[str, Any]]:
    """A proposal's status in each progress report, oldest first, with the report's period."""
    if uow.records(PROPOSALS).get(proposal_id) is None:
        raise NotFound(f"no proposal {proposal_id!r}")
    reports = {int(r["number"]): r for r in uow.records(PROGRESS_REPORTS).find()}
    rows = [
        r
        for r in uow.records(PROPOSAL_PROGRESS).find()
        if r["proposal_id"] == proposal_id and int(r["report_number"]) in reports
    ]
    rows.sort(key=lambda r: int(r["report_number"]))
    return [
        {
            "report_number": int(r["report_number"]),
            "period_from": reports[int(r["report_number"])]["period_from"].isoformat(),
            "period_to": reports[int(r["report_number"])]["period_to"].isoformat(),
            "status": str(r["status"]),
            "narrative": r["narrative"],
            "evidence": r["evidence"],
        }
        for r in rows
    ]


def progress_report(uow: UnitOfWork, first: date, last: date) -> dict[str, Any]:
    """The progress report of a period, in the published structure: for every strand, its
    proposals, their status in the latest report of the period and the change since the
    report before, examples and next steps."""
    covered = reports_in_period(uow, first, last)
    if not covered:
        known = uow.records(PROGRESS_REPORTS).find()
        spans = ", ".join(
            f"{r['number']}: {r['period_from']}..{r['period_to']}"
            for r in sorted(known, key=lambda r: int(r["number"]))
        )
        raise ServiceError(
            f"no progress report covers {first}..{last} (reports: {spans or 'none'})"
        )
    current = int(covered[-1]["number"])
    numbers = sorted(int(r["number"]) for r in uow.records(PROGRESS_REPORTS).find())
    earlier = [n for n in numbers if n < current]
    previous = earlier[-1] if earlier else None
    proposals = {p["id"]: p for p in uow.records(PROPOSALS).find()}
    status_in: dict[int, dict[str, dict[str, Any]]] = {current: {}}
    if previous is not None:
        status_in[previous] = {}
    for row in uow.records(PROPOSAL_PROGRESS).find():
        number = int(row["report_number"])
        if number in status_in and row["proposal_id"] in proposals:
            status_in[number][row["proposal_id"]] = row
    strands: list[dict[str, Any]] = []
    for strand in Strand:
        mine = sorted(pid for pid, p in proposals.items() if p["strand"] == strand)
        counts: Counter[str] = Counter()
        moved = 0
        examples: list[dict[str, Any]] = []
        next_steps: list[str] = []
        for pid in mine:
            now = status_in[current].get(pid)
            status = ProgressStatus(now["status"]) if now else None
            counts[str(status) if status else "not_reported"] += 1
            before = status_in.get(previous, {}).get(pid) if previous is not None else None
            if (
                now is not None
                and status is not None
                and (before is None or RANK[status] > RANK[ProgressStatus(before["status"])])
            ):
                moved += 1
                examples.append(_example(proposals[pid], now))
            if now and now["next_steps"] and now["next_steps"] not in next_steps:
                next_steps.append(now["next_steps"])
        strands.append(
            {
                "strand": str(strand),
                "title": STRAND_TITLES[strand],
                "proposals": len(mine),
                "illustrative": sum(bool(proposals[p]["illustrative"]) for p in mine),
                "by_status": {s: counts.get(s, 0) for s in _STATUS_ORDER},
                "moved_forward": moved,
                # Public proposal texts first: they make the better example.
                "examples": sorted(examples, key=lambda e: e["illustrative"])[:EXAMPLES_PER_STRAND],
                "next_steps": next_steps,
                "eu_leads": sorted({proposals[p]["eu_lead"] for p in mine} - {""}),
                "nato_leads": sorted({proposals[p]["nato_lead"] for p in mine} - {""}),
            }
        )
    totals: Counter[str] = Counter()
    for s in strands:
        by_status: dict[str, int] = s["by_status"]
        totals.update(by_status)
    return {
        "period": {"from": first.isoformat(), "to": last.isoformat()},
        "reports": [_report(r) for r in covered],
        "report_number": current,
        "previous_report_number": previous,
        "proposals": len(proposals),
        "illustrative": sum(bool(p["illustrative"]) for p in proposals.values()),
        "by_status": {s: totals.get(s, 0) for s in _STATUS_ORDER},
        "moved_forward": sum(s["moved_forward"] for s in strands),
        "strands": strands,
    }


_STATUS_ORDER = (*(str(s) for s in ProgressStatus), "not_reported")


def _report(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "number": int(row["number"]),
        "title": row["title"],
        "period_from": row["period_from"].isoformat(),
        "period_to": row["period_to"].isoformat(),
        "presented_on": row["presented_on"].isoformat(),
        "dates_note": row["dates_note"],
        "source": row["source"],
    }


def _example(proposal: dict[str, Any], status: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": proposal["id"],
        "text": proposal["text"],
        "illustrative": bool(proposal["illustrative"]),
        "status": str(status["status"]),
        "narrative": status["narrative"],
        "evidence": status["evidence"],
    }


# ---- Meetings and taskings -----------------------------------------------------------------


def overdue_taskings(uow: UnitOfWork, on: date | None = None) -> list[dict[str, Any]]:
    """Taskings still open after their due date, the most overdue first."""
    day = on or checks.today()
    meetings = {m["code"]: m for m in uow.records(MEETINGS).find()}
    found = []
    for t in uow.records(TASKINGS).find():
        if not is_overdue(t["status"], t["due_on"], day):
            continue
        meeting = meetings.get(t["meeting_code"])
        found.append(
            {
                "meeting": t["meeting_code"],
                "meeting_title": meeting["title"] if meeting else "",
                "format": FORMAT_TITLES[MeetingFormat(meeting["format"])] if meeting else "",
                "number": int(t["number"]),
                "decision": t["decision"],
                "owner": t["owner"],
                "due_on": t["due_on"].isoformat(),
                "days_overdue": days_overdue(t["due_on"], day),
                "status": str(t["status"]),
            }
        )
    found.sort(key=lambda t: (-t["days_overdue"], t["meeting"], t["number"]))
    return found


def meetings_register(uow: UnitOfWork, first: date, last: date) -> list[dict[str, Any]]:
    """Meetings held in [first, last] with their decisions and each tasking's state."""
    day = checks.today()
    by_meeting: dict[str, list[dict[str, Any]]] = {}
    for t in uow.records(TASKINGS).find():
        by_meeting.setdefault(t["meeting_code"], []).append(t)
    out = []
    for m in sorted(uow.records(MEETINGS).find(), key=lambda m: (m["held_on"], m["code"])):
        if not first <= m["held_on"] <= last:
            continue
        out.append(
            {
                "code": m["code"],
                "format": FORMAT_TITLES[MeetingFormat(m["format"])],
                "held_on": m["held_on"].isoformat(),
                "title": m["title"],
                "chairs": m["chairs"],
                "taskings": [
                    {
                        "number": int(t["number"]),
                        "decision": t["decision"],
                        "owner": t["owner"],
                        "due_on": t["due_on"].isoformat(),
                        "status": str(t["status"]),
                        "overdue": is_overdue(t["status"], t["due_on"], day),
                    }
                    for t in sorted(by_meeting.get(m["code"], []), key=lambda t: t["number"])
                ],
            }
        )
    return out


def marking(text: str | None) -> str | None:
    """A report's classification marking in its canonical spelling (None: the default)."""
    from coalition.domain.markings import check_marking

    return None if text is None else check_marking("--marking", text)


def render(report: dict[str, Any], out: Any) -> Any:
    from coalition.reports.cooperation_report import render_progress_report

    return render_progress_report(report, out)


def export_tables(report: dict[str, Any], out: Any) -> list[Any]:
    from coalition.reports.cooperation_report import export_progress_tables

    return export_progress_tables(report, out)
