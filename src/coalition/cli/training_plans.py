"""`coalition training plan|plans|show|accept|explain`: schedule cohorts onto intakes, keep the
plans as versions, accept one, say why a line's crews are late. Parse, call one service,
render; every date shown is a date, never a week number."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from coalition.cli.app import handles_errors, parse_day, principal
from coalition.cli.render import as_json, say, table
from coalition.cli.training import Json, training_app

if TYPE_CHECKING:
    from coalition.services.training_plans import StoredTrainingPlan

TimeLimit = Annotated[float, typer.Option(help="hard limit on scheduling, seconds")]
Horizon = Annotated[int, typer.Option(help="weeks scheduled ahead")]


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.2f} %"


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def headline(stored: StoredTrainingPlan) -> str:
    """One line: what the demo prints, and the first line of every plan shown."""
    s = stored.summary
    return (
        f"Training plan {stored.id} ({stored.status}, {stored.state}) from {stored.day_zero}: "
        f"{s['lines']} platform lines, {s['on_time']} crewed on time, {s['late']} late, "
        f"{s['short']} short of crews ({s['platforms_unmet']:,.0f} platforms without crews), "
        f"{s.get('no_course', 0)} with no crew course; "
        f"objective {_figure(stored.objective)}, bound {_figure(stored.bound)}, gap "
        f"{_pct(stored.gap)} (controllable {_pct(stored.controllable_gap)})."
    )


def render_plan(stored: StoredTrainingPlan, limit: int | None = None) -> None:
    say(headline(stored))
    s = stored.summary
    say(
        f"Equipment idle waiting for crews: {s['equipment_idle_platform_weeks']:,.0f} "
        f"platform-weeks; crews idle waiting for equipment: "
        f"{s['crews_idle_platform_weeks']:,.0f} platform-weeks. {s['cohorts']} cohorts planned "
        f"({s['cohorts_unscheduled']} found no intake), {s['spare_cohorts']} spare."
    )
    order = {"late": 0, "short of crews": 1, "on time": 2, "no course": 3}
    lines = sorted(
        stored.document["lines"],
        key=lambda ln: (order.get(ln["state"], 3), -ln.get("days_late", 0), ln["line"]),
    )
    shown = lines if limit is None else lines[:limit]
    table(
        "Platform lines: crews ready against equipment ETA"
        + ("" if limit is None or len(lines) <= limit else f" ({limit} of {len(lines)})"),
        [_line_row(ln) for ln in shown],
        right=("platforms", "days late", "equipment idle", "crews idle"),
    )


def _line_row(line: dict[str, Any]) -> dict[str, Any]:
    return {
        "line": line["line"],
        "platform": line["item_type"],
        "platforms": line.get("platforms", ""),
        "priority": line.get("priority", ""),
        "ETA": line.get("eta", ""),
        "crews ready": line.get("crew_ready") or "—",
        "state": line["state"],
        "days late": line.get("days_late", ""),
        "equipment idle": _weeks(line.get("equipment_idle_platform_weeks")),
        "crews idle": _weeks(line.get("crews_idle_platform_weeks")),
        "unmet need, and why": "; ".join(line["unmet"]),
    }


def _weeks(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f}"


@training_app.command("plan")
@handles_errors
def plan(
    time_limit: TimeLimit = 30.0,
    horizon: Horizon = 104,
    start: Annotated[
        str | None, typer.Option("--from", help="plan from this day, YYYY-MM-DD (default today)")
    ] = None,
    json_out: Json = False,
) -> None:
    """Schedule the cohorts onto intakes so crews are ready when their platforms arrive."""
    from coalition.services import training_plans

    day_zero = parse_day(start, "--from") if start else None
    stored = training_plans.run(principal(), time_limit, day_zero=day_zero, horizon_weeks=horizon)
    if json_out:
        as_json(training_plans.plan_figures(stored))
        return
    render_plan(stored)


@training_app.command("plans")
@handles_errors
def plans(
    limit: Annotated[int, typer.Option(help="how many, newest first")] = 50,
    json_out: Json = False,
) -> None:
    """Stored training plans, newest first."""
    from coalition.services import training_plans
    from coalition.services.database import reading

    with reading(principal()) as uow:
        found, total = training_plans.list_plans(uow, limit)
    rows = [training_plans.plan_summary(p) for p in found]
    if json_out:
        as_json({"items": rows, "total": total})
        return
    if not rows:
        say("No training plans you may see (`coalition training plan` makes one).")
        return
    table(
        f"Training plans ({total})",
        [
            {"id": r["id"], "state": r["state"], "status": r["status"], "from": r["day_zero"],
             "created": r["created_at"][:16], "by": r["created_by"], "lines": r["lines"],
             "on time": r["on_time"], "late": r["late"], "short": r["short"],
             "gap": _pct(r["gap"])}
            for r in rows
        ],
        right=("id", "lines", "on time", "late", "short", "gap"),
    )  # fmt: skip


@training_app.command("show")
@handles_errors
def show(plan_id: int, json_out: Json = False) -> None:
    """One training plan: its headline and every platform line."""
    from coalition.services import training_plans
    from coalition.services.database import reading

    with reading(principal()) as uow:
        stored = training_plans.get_plan(uow, plan_id)
    if json_out:
        as_json(training_plans.plan_figures(stored))
        return
    render_plan(stored)


@training_app.command("accept")
@handles_errors
def accept(plan_id: int) -> None:
    """Accept a training plan: it supersedes the plan in force."""
    from coalition.services import training_plans
    from coalition.services.database import writing

    with writing(principal()) as uow:
        stored = training_plans.accept(uow, plan_id)
    say(f"Training plan {stored.id} accepted: it is the training plan in force.")


@training_app.command("explain")
@handles_errors
def explain(
    line: Annotated[str, typer.Argument(help="a platform line, OFFER_KEY or OFFER>REQUIREMENT")],
    plan_id: Annotated[
        int | None, typer.Option("--plan", help="plan id (default: in force, else newest)")
    ] = None,
    json_out: Json = False,
) -> None:
    """Why a line's crews are ready when they are: per cohort, the binding course and intake."""
    from coalition.services import training_plans
    from coalition.services.database import reading

    with reading(principal()) as uow:
        why = training_plans.explain(uow, line, plan_id)
    if json_out:
        as_json(why)
        return
    say(f"Training plan {why['plan_id']}: {why['summary']}")
    if why["cohorts"]:
        table(
            "Cohorts of the line",
            [
                {"cohort": c["cohort"], "ready": c["ready"] or "—", "days late": c["days_late"],
                 "why": c["text"]}
                for c in why["cohorts"]
            ],
            right=("days late",),
        )  # fmt: skip
    for reason in why["unmet"]:
        say(f"Unmet: {reason}")
