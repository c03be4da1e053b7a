"""The brief's figures from the planners: logistics, training, readiness and capability.

Each function returns the figures of the service that owns them (the same as its command's
`--json`), read through the unit of work's principal, or None when this reader may see none:
the brief then says the section is not available and shows no figure.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from coalition.storage.unit_of_work import UnitOfWork

NOT_AVAILABLE = {
    "logistics": "no logistics plan this reader may see (none stored yet, or the reader is not "
    "coordination staff: plans name donors' offers)",
    "training": "no training record this reader may see has a graduation in the period's years",
    "readiness": "no capability area this reader may see (too few donors, or nothing required)",
}


def logistics(uow: UnitOfWork, first: date, last: date) -> dict[str, Any] | None:
    """The logistics plan in force (else the newest) and the units it brings in the period,
    or None when the reader may see no logistics plan."""
    from coalition.services import logistics as routes

    row = uow.logistics_plans.in_force() or next(iter(uow.logistics_plans.newest(1)), None)
    if row is None:
        return None
    plan = routes.get_plan(uow, int(row["id"]))
    s = plan.summary
    start, end = (first - plan.day_zero).days, (last - plan.day_zero).days
    arriving = sum(
        units
        for eta in plan.document["etas"]
        for day, units in eta["arrivals"]
        if start <= day <= end
    )
    state = "accepted" if plan.accepted_at is not None else "proposed, not yet accepted"
    hub = f"; the busiest hub is {s.busiest_hub}" if s.busiest_hub else ""
    return {
        "plan_id": plan.id,
        "state": state,
        **s.__dict__,
        "units_arriving_in_period": arriving,
        "summary": (
            f"Logistics plan {plan.id} ({state}, `coalition logistics show {plan.id} --json`): "
            f"{s.lines} lines, {s.routed} routed in full, {s.late} late, {s.unroutable} with "
            f"units not routed ({s.beyond_horizon} available only after the horizon){hub}. "
            f"{arriving:,} units arrive in the period."
        ),
    }


def training(uow: UnitOfWork, first: date, last: date) -> dict[str, Any] | None:
    """Graduates per mission in the years the period touches (`coalition training totals`),
    or None when there are none this reader may see."""
    from coalition.services import training as courses

    years = range(first.year, last.year + 1)
    rows = [t for t in courses.training_totals(uow) if t.year in years]
    if not rows:
        return None
    by_mission: dict[str, int] = {}
    for t in rows:
        by_mission[t.mission] = by_mission.get(t.mission, 0) + t.graduated
    graduated = sum(by_mission.values())
    parts = ", ".join(f"{m} {n:,}" for m, n in sorted(by_mission.items()))
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return {
        "years": list(years),
        "graduated": graduated,
        "by_mission": by_mission,
        "summary": f"{graduated:,} trainees graduated in {span} ({parts}; by year of graduation, "
        "`coalition training totals --json`).",
    }


def readiness(uow: UnitOfWork, on: date) -> dict[str, Any] | None:
    """Effective capability (requirements met by equipment delivered, crewed and operational)
    and readiness per capability area, as `coalition status` and `coalition readiness` show
    them; None when the reader may see no area."""
    from coalition.services import readiness as fleet
    from coalition.services import training as courses

    funnel = courses.funnel(uow)
    total = next((a for a in funnel if a.capability_area == "all areas"), None)
    if total is None or total.stages_eur is None:
        return None
    operational = total.stages_eur[-1]
    share = float(operational / total.required_eur * 100) if total.required_eur else 0.0
    report = fleet.report(uow)
    rates = [f"{r.group} {100 * r.rate:.1f} %" for r in report.by_area if r.rate is not None]
    return {
        "required_eur": str(total.required_eur),
        "operational_eur": str(operational),
        "effective_pct": round(share, 1),
        "readiness_by_area": [r.as_dict() for r in report.by_area],
        "summary": (
            f"EUR {operational / 1_000_000:,.1f} million of the EUR "
            f"{total.required_eur / 1_000_000:,.1f} million required is met by equipment that is "
            f"delivered, crewed and operational ({share:.1f} %; `coalition status`). Readiness "
            f"by area: {', '.join(rates) or 'no fleet-status reports'} "
            "(`coalition readiness --json`)."
        ),
    }
