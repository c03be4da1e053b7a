"""`coalition training need|totals`, `coalition readiness`, `coalition sustainment draft|approve`
and the capability funnel `coalition status` opens with: parse, call one service, render."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coalition.cli.app import app, handles_errors, parse_day, principal
from coalition.cli.render import as_json, note, say, table

if TYPE_CHECKING:
    from coalition.domain.capability import AreaFunnel
    from coalition.domain.readiness import Readiness
    from coalition.domain.sustainment import DraftRequirement
    from coalition.domain.training import TrainingTotals
    from coalition.services.readiness import ReadinessReport
    from coalition.services.training import TrainingNeed

Json = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]
training_app = typer.Typer(help="Training need and totals.", no_args_is_help=True)
app.add_typer(training_app, name="training")
sustainment_app = typer.Typer(
    help="Ammunition and spares the fleet consumes.", no_args_is_help=True
)
app.add_typer(sustainment_app, name="sustainment")

Reserve = Annotated[str | None, typer.Option(help="trainees per seat, e.g. 1.2 (default)")]
Margin = Annotated[int | None, typer.Option(help="days crews graduate before their equipment")]
Band = Annotated[str, typer.Option(help="operating band: low, medium or high")]
Months = Annotated[int, typer.Option(help="months the horizon covers")]
Start = Annotated[str | None, typer.Option(help="first day of the horizon (default today)")]
Rates = Annotated[Path | None, typer.Option(help="usage rates .csv/.xlsx (default: the demo's)")]


@training_app.command("need")
@handles_errors
def training_need(reserve: Reserve = None, margin: Margin = None, json_out: Json = False) -> None:
    """Trainees needed per course, derived from the platforms accepted or delivered."""
    from coalition.services import training
    from coalition.services.database import reading

    params = training.parameters(reserve, margin)
    with reading(principal()) as uow:
        result = training.need(uow, params)
    if json_out:
        as_json(result.as_dict())
        return
    render_need(result)


def render_need(result: TrainingNeed, limit: int | None = None) -> None:
    rows = result.by_shortfall()
    shown = rows if limit is None else rows[:limit]
    table(
        f"Training need (reserve x{result.parameters.reserve_factor}, crews ready "
        f"{result.parameters.margin_days} days before their equipment)"
        + ("" if limit is None or len(rows) <= limit else f" — {limit} of {len(rows)} courses"),
        [
            {
                "course": c.course_code,
                "needed": c.needed,
                "graduated": c.graduated,
                "in training": c.in_training,
                "shortfall": c.shortfall,
                "first needed by": c.earliest_needed_by,
                "start by": c.start_by,
            }
            for c in shown
        ],
        right=("needed", "graduated", "in training", "shortfall"),
    )
    if result.withheld:
        note(f"withheld (drawn on fewer than 3 donors): {', '.join(result.withheld)}")


@training_app.command("totals")
@handles_errors
def training_totals(
    mission: Annotated[str | None, typer.Option(help="EUMAM, NSATU or bilateral")] = None,
    year: Annotated[int | None, typer.Option(help="year of graduation")] = None,
    json_out: Json = False,
) -> None:
    """Trainees enrolled, graduated and failed per mission and year ("EUMAM trained N")."""
    from coalition.services import training
    from coalition.services.database import reading

    with reading(principal()) as uow:
        rows = training.training_totals(uow, mission, year)
    if json_out:
        as_json([r.as_dict() for r in rows])
        return
    render_totals(rows)


def render_totals(rows: list[TrainingTotals]) -> None:
    table(
        "Training by mission and year of graduation",
        [r.as_dict() for r in rows],
        right=("year", "intakes", "enrolled", "graduated", "failed", "in_training"),
    )


@app.command()
@handles_errors
def readiness(json_out: Json = False) -> None:
    """Readiness per capability area and family, and each family's fleet diversity."""
    from coalition.services import readiness as service
    from coalition.services.database import reading

    with reading(principal()) as uow:
        result = service.report(uow)
    if json_out:
        as_json(result.as_dict())
        return
    render_readiness(result)


def _rates(rows: list[Readiness], title: str) -> None:
    def pct(rate: float | None) -> str:
        return "no units" if rate is None else f"{100 * rate:.1f} %"

    table(
        title,
        [
            {
                "group": r.group.replace("_", " "),
                "operational": r.operational,
                "maintenance": r.in_maintenance,
                "awaiting parts": r.awaiting_parts,
                "lost": r.lost,
                "readiness": pct(r.rate),
                "as of": r.as_of,
            }
            for r in rows
        ],
        right=("operational", "maintenance", "awaiting parts", "lost", "readiness"),
    )


def render_readiness(result: ReadinessReport, families: bool = True) -> None:
    _rates(result.by_area, "Readiness by capability area (operational ÷ (total − lost))")
    if families:
        _rates(result.by_family, "Readiness by family")
    if result.unreported:
        note(f"no fleet-status report for: {', '.join(result.unreported)}")
    changed = [d for d in result.diversity if d.withheld or d.new_types or d.types_before > 1]
    if not changed:
        say("Fleet diversity: every family runs one type, and no accepted offer adds another")
        return
    table(
        "Fleet diversity by family (HHI = Σ share² of types; after: with platforms accepted "
        "and not yet arrived)",
        [
            {
                "family": d.family_code,
                "types": d.types_before,
                "HHI": "" if d.hhi_before is None else f"{float(d.hhi_before):.3f}",
                "types after": "withheld" if d.withheld else d.types_after,
                "HHI after": "withheld"
                if d.withheld
                else ""
                if d.hhi_after is None
                else f"{float(d.hhi_after):.3f}",
                "new types": ", ".join(d.new_types),
            }
            for d in changed
        ],
        right=("types", "HHI", "types after", "HHI after"),
    )


def render_funnel(rows: list[AreaFunnel]) -> None:
    def millions(value: Decimal | None) -> str:
        return "withheld" if value is None else f"{value / 1_000_000:,.1f}"

    def share(row: AreaFunnel) -> str:
        value = row.stage("operational")
        if value is None:
            return "withheld"
        return f"{100 * value / row.required_eur:.1f} %" if row.required_eur else "0.0 %"

    table(
        "Effective capability (EUR million of requirements met): offered → accepted → "
        "delivered → crewed → operational",
        [
            {
                "capability area": r.capability_area.replace("_", " "),
                "required": millions(r.required_eur),
                **{
                    name: millions(r.stage(name))
                    for name in ("offered", "accepted", "delivered", "crewed", "operational")
                },
                "effective": share(r),
            }
            for r in rows
        ],
        right=(
            "required",
            "offered",
            "accepted",
            "delivered",
            "crewed",
            "operational",
            "effective",
        ),
    )


@sustainment_app.command("draft")
@handles_errors
def sustainment_draft(
    band: Band = "medium",
    months: Months = 3,
    start: Start = None,
    rates: Rates = None,
    json_out: Json = False,
) -> None:
    """Draft requirements for the ammunition and spares the fleet uses (nothing written)."""
    from coalition.services import sustainment
    from coalition.services.database import reading

    params = sustainment.parameters(band, months, parse_day(start, "--start") if start else None)
    with reading(principal()) as uow:
        drafts = sustainment.draft(uow, params, rates)
    if json_out:
        as_json([d.as_dict() for d in drafts])
        return
    render_drafts(drafts)


def render_drafts(drafts: list[DraftRequirement]) -> None:
    table(
        f"Sustainment drafts ({len(drafts)}; `coalition sustainment approve` writes them)",
        [
            {
                "ref": d.ref,
                "family": d.family_code,
                "platform": d.platform_code,
                "quantity": d.quantity,
                "needed by": d.needed_by,
                "destination": d.destination_code,
            }
            for d in drafts
        ],
        right=("quantity",),
    )


@sustainment_app.command("approve")
@handles_errors
def sustainment_approve(
    ref: Annotated[list[str] | None, typer.Argument(help="draft refs (default: every one)")] = None,
    band: Band = "medium",
    months: Months = 3,
    start: Start = None,
    rates: Rates = None,
    status: Annotated[str, typer.Option(help="draft, submitted or approved")] = "approved",
) -> None:
    """Write sustainment drafts into the requirements registry (logged; all or none)."""
    from coalition.services import sustainment
    from coalition.services.database import writing

    params = sustainment.parameters(band, months, parse_day(start, "--start") if start else None)
    with writing(principal()) as uow:
        result = sustainment.approve(uow, params, rates, ref or None, status)
    say(
        f"{len(result.created)} requirement(s) created as {status}"
        + (f" (batch {result.batch_id})" if result.batch_id else "")
    )
    if result.already:
        say(f"{len(result.already)} draft(s) already in the registry, left as they are")
