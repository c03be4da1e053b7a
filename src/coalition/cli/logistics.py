"""`coalition logistics ...`: route the allocation in force, re-plan around closures, accept."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from coalition.cli.app import app, handles_errors, principal
from coalition.cli.render import as_json, say, table

if TYPE_CHECKING:
    from coalition.services.logistics import StoredLogisticsPlan, Summary

logistics_app = typer.Typer(
    help="Logistics plans: route accepted allocations through hubs, what-if, accept.",
    no_args_is_help=True,
)
app.add_typer(logistics_app, name="logistics")
Json = Annotated[bool, typer.Option("--json", help="print JSON")]
TimeLimit = Annotated[float, typer.Option(help="hard limit on planning, seconds")]


def render_summary(stored: StoredLogisticsPlan) -> None:
    s: Summary = stored.summary
    peak = "" if s.busiest_hub_peak is None else f" ({100 * s.busiest_hub_peak:.0f} % at peak)"
    say(
        f"Logistics plan {stored.id} ({stored.status}) from {stored.day_zero}, "
        f"{stored.horizon_days} days: {s.lines} lines, {s.routed} routed in full, {s.late} late, "
        f"{s.unroutable} with units not routed ({s.units_unrouted:,} units; {s.beyond_horizon} "
        f"lines available only after the horizon); busiest hub {s.busiest_hub or '—'}{peak}."
    )
    say(
        f"Weighted lateness {s.weighted_lateness:,.1f} unit-days, cost EUR {s.cost_eur:,.0f}; "
        f"objective {s.objective:,.0f}, proven lower bound {s.lower_bound:,.0f}, gap "
        f"{100 * s.gap:.2f} %."
    )
    if stored.allocation_plan_id is None:
        say("No accepted allocation plan: nothing to route (`coalition plan accept ID`).")


@logistics_app.command("plan")
@handles_errors
def plan(
    horizon: Annotated[int, typer.Option(help="days planned ahead, daily steps")] = 180,
    time_limit: TimeLimit = 30.0,
    json_out: Json = False,
) -> None:
    """Route every line of the accepted allocation within lane and hub capacities."""
    from coalition.services import logistics

    stored = logistics.run(principal(), horizon, time_limit)
    if json_out:
        as_json(logistics.plan_figures(stored))
        return
    render_summary(stored)
    _render_unrouted(stored)


def _render_unrouted(stored: StoredLogisticsPlan) -> None:
    rows = stored.document["unrouted"][:20]
    if rows:
        table("Unroutable units (first 20)", rows, ["line", "units", "reason"], right=["units"])


@logistics_app.command("whatif")
@handles_errors
def whatif(
    close: Annotated[str, typer.Option("--close", help="the node or lane to close")],
    first: Annotated[str, typer.Option("--from", help="first closed day, YYYY-MM-DD")],
    last: Annotated[str | None, typer.Option("--to", help="last closed day (default: end)")] = None,
    time_limit: TimeLimit = 30.0,
    json_out: Json = False,
) -> None:
    """Close a node or lane for some days and re-plan: what is delayed, late, saturated."""
    from coalition.services import logistics

    report = logistics.whatif(
        principal(), close, _day("--from", first), _day("--to", last) if last else None,
        time_limit,
    )  # fmt: skip
    if json_out:
        as_json(logistics.whatif_figures(report))
        return
    say(
        f"Closing {report.closed} from {report.first} to {report.last}, against plan "
        f"{report.base_id}: {len(report.delayed)} lines delayed, "
        f"{sum(report.newly_late_units.values())} units newly late, "
        f"{len({lane for lane, _ in report.newly_saturated_lanes})} lanes and "
        f"{len({node for node, _ in report.newly_saturated_nodes})} nodes newly saturated."
    )
    if report.delayed:
        table("Delayed lines", report.delayed[:30], ["line", "days", "was", "now"], ["days"])
    render_summary(report.plan)


def _day(option: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date (YYYY-MM-DD)", param_hint=option
        ) from None


@logistics_app.command("list")
@handles_errors
def list_plans(json_out: Json = False) -> None:
    """Stored logistics plans, newest first."""
    from coalition.services import logistics
    from coalition.services.database import reading

    with reading(principal()) as uow:
        plans, total = logistics.list_plans(uow)
    rows = [
        {"id": p.id, "status": p.status, "state": _state(p), "created": p.created_at,
         "by": p.created_by, "lines": p.summary.lines, "late": p.summary.late,
         "unroutable": p.summary.unroutable, "gap": f"{100 * p.summary.gap:.2f} %"}
        for p in plans
    ]  # fmt: skip
    if json_out:
        as_json({"items": rows, "total": total})
        return
    table(f"Logistics plans ({total})", rows, right=["lines", "late", "unroutable", "gap"])


def _state(p: StoredLogisticsPlan) -> str:
    if p.superseded_by is not None:
        return f"superseded by {p.superseded_by}"
    return "accepted" if p.accepted_at is not None else "proposed"


@logistics_app.command("show")
@handles_errors
def show(plan_id: int, json_out: Json = False) -> None:
    """One logistics plan: its figures, ETAs of late lines, peaks."""
    from coalition.services import logistics
    from coalition.services.database import reading

    with reading(principal()) as uow:
        stored = logistics.get_plan(uow, plan_id)
    if json_out:
        as_json(logistics.plan_figures(stored))
        return
    render_summary(stored)
    late = [e for e in stored.document["etas"] if e["days_late"] > 0]
    late.sort(key=lambda e: -e["days_late"])
    if late:
        table("Latest lines (first 20)", late[:20],
              ["line", "last_arrival_day", "days_late", "unrouted_units"],
              right=["last_arrival_day", "days_late", "unrouted_units"])  # fmt: skip
    peaks = [{"hub or node": n, "peak use": f"{100 * u:.0f} %", "day": d}
             for n, u, d in stored.document["peaks"]["nodes"]]  # fmt: skip
    if peaks:
        table("Busiest nodes", peaks, right=["peak use", "day"])
    _render_unrouted(stored)


@logistics_app.command("accept")
@handles_errors
def accept(plan_id: int) -> None:
    """Accept a logistics plan: its ETAs become the allocation's transit times."""
    from coalition.services import logistics
    from coalition.services.database import writing

    with writing(principal()) as uow:
        stored = logistics.accept(uow, plan_id)
    say(f"Logistics plan {stored.id} accepted: its ETAs now set the allocation's transit times.")
