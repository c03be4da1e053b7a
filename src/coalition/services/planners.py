"""Figures of planners that other branches are building (logistics, training, readiness).

Each function returns None while its planner does not exist: the brief then says the section
is not available and shows no figure. Plugging a planner in means returning its figures here
(plain JSON-ready data computed through the unit of work, filtered for its principal).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from coalition.storage.unit_of_work import UnitOfWork

NOT_AVAILABLE = {
    "logistics": "no logistics plan this reader may see (none stored yet, or the reader is not "
    "coordination staff: plans name donors' offers)",
    "training": "the training planner is not built yet",
    "readiness": "the readiness and effective-capability model is not built yet",
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
    """Who was trained on what in the period (training planner), or None."""
    return None


def readiness(uow: UnitOfWork, on: date) -> dict[str, Any] | None:
    """Readiness and effective capability per area (delivered, crewed, sustained), or None."""
    return None
