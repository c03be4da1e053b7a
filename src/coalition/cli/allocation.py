"""`coalition allocate` and `coalition plan ...`: plans, explanations, acceptance, verification."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from coalition.cli.app import app, handles_errors, principal
from coalition.cli.render import as_json, note, say, table

if TYPE_CHECKING:
    from coalition.planning.allocation import Plan, Reason, Snapshot
    from coalition.services.allocation import StoredPlan

plan_app = typer.Typer(
    help="Stored allocation plans: list, show, accept, compare, verify.", no_args_is_help=True
)
app.add_typer(plan_app, name="plan")
Json = Annotated[bool, typer.Option("--json", help="print JSON")]


@app.command()
@handles_errors
def allocate(
    time_limit: Annotated[float, typer.Option(help="hard limit on solving, seconds")] = 60.0,
    gap: Annotated[float, typer.Option(help="relative optimality gap to stop at")] = 0.001,
    method: Annotated[str, typer.Option(help="milp (optimal) or greedy (baseline)")] = "milp",
    pin: Annotated[list[str] | None, typer.Option(help="force OFFER@REQ=QTY (repeatable)")] = None,
    forbid: Annotated[list[str] | None, typer.Option(help="forbid OFFER@REQ (repeatable)")] = None,
    explain: Annotated[str | None, typer.Option(help="why this requirement is (not) met")] = None,
    explain_offer: Annotated[
        str | None, typer.Option(help="where this offer goes, or why not")
    ] = None,
    export_snapshot: Annotated[
        Path | None, typer.Option(help="write the plan and its inputs here for re-verification")
    ] = None,
    json_out: Json = False,
) -> None:
    """Match offers to approved requirements optimally; store the plan as a new version."""
    from coalition.services import allocation

    parameters = allocation.parameters(time_limit, gap, pin, forbid)
    if explain or explain_offer:
        stored, snapshot, fresh = allocation.current_plan(principal(), parameters)
        if fresh:
            note(f"(solved plan {stored.id} from the current ledger)")
        if explain:
            _explain_requirement(snapshot, stored.plan, explain, json_out)
        if explain_offer:
            _explain_offer(snapshot, stored.plan, explain_offer, json_out)
        return
    stored, snapshot = allocation.run(principal(), parameters, method)
    plan = stored.plan
    if export_snapshot:
        allocation.export_snapshot(snapshot, plan, export_snapshot)
    if json_out:
        as_json({"plan_id": stored.id, **allocation.plan_figures(plan)})
    else:
        render_summary(stored.id, plan)
    if export_snapshot:
        # With --json, stdout carries the JSON document only.
        (note if json_out else say)(
            f"inputs and plan written to {export_snapshot}: check with "
            f"`coalition plan verify {export_snapshot}`"
        )
    if not plan.is_usable:
        raise typer.Exit(1)


def render_summary(plan_id: int, plan: Plan) -> None:
    from coalition.services.allocation import is_empty

    gap = "—" if plan.gap is None else f"{100 * plan.gap:.3f} %"
    bound = "—" if plan.best_bound is None else f"{plan.best_bound:,.3f}"
    say(
        Text.assemble(
            (f"Plan {plan_id}", "bold"),
            f" ({plan.method}, {plan.solver}): {plan.status.value}; "
            f"objective {plan.objective:,.3f}, proven bound {bound}, gap {gap}; "
            f"built in {plan.build_seconds:.2f} s, solved in {plan.solve_seconds:.2f} s; "
            f"{len(plan.assignments)} assignments",
        )
    )
    for message in plan.messages:
        say(Text(f"  {message}", style="yellow"))
    if is_empty(plan):
        say(
            "Nothing to plan: there are no approved requirements still open, or no offers in "
            "status 'offered'. Import or approve some (`coalition list requirements`)."
        )
        return
    with_before = any(a.covered_before for a in plan.area_coverage)
    rows = []
    for a in plan.area_coverage:
        row: dict[str, object] = {
            "capability area": a.capability_area.replace("_", " "),
            "requirements": a.requirements,
        }
        if with_before:
            row["before"] = f"{100 * a.covered_before:.1f} %"
        row["after this plan"] = f"{100 * a.covered_after:.1f} %"
        rows.append(row)
    table(
        "Coverage of open requirements by capability area (priority-weighted)",
        rows,
        right=("requirements", "before", "after this plan"),
    )
    if plan.new_types:
        say(
            "New types introduced (Ukraine does not yet operate them in that family): "
            + ", ".join(f"{t} in {f}" for f, t in plan.new_types)
        )
    unmet = sorted(
        (r for r in plan.requirement_coverage if r.covered_after < 1 - 1e-9),
        key=lambda r: (r.priority, r.covered_after),
    )
    if unmet:
        table(
            f"Still unmet: {len(unmet)} requirements (most urgent first; "
            "`coalition allocate --explain REF` says why)",
            [
                {
                    "requirement": r.requirement_id,
                    "area": r.capability_area,
                    "priority": r.priority,
                    "quantity": r.quantity,
                    "covered": f"{100 * r.covered_after:.0f} %",
                }
                for r in unmet[:15]
            ],
            right=("priority", "quantity", "covered"),
        )


def _reason_rows(reasons: tuple[Reason, ...]) -> list[dict[str, str]]:
    return [{"reason": r.code.value, "explanation": r.text} for r in reasons]


def _explain_requirement(snapshot: Snapshot, plan: Plan, ref: str, json_out: bool) -> None:
    from coalition.services import allocation

    result = allocation.explain_requirement(snapshot, plan, ref)
    if json_out:
        as_json(asdict(result))
        return
    say(
        Text.assemble(
            (ref, "bold"),
            f": {result.covered:g} of {result.quantity} covered, shortfall {result.shortfall:g}",
        )
    )
    if result.served_by:
        table(
            "Served by",
            [
                {
                    "offer": a.offer_id,
                    "units": a.quantity,
                    "arrives": a.arrival,
                    "lateness factor": f"{a.lateness_factor:.2f}",
                }
                for a in result.served_by
            ],
        )
    if result.reasons:
        table("Why the shortfall", _reason_rows(result.reasons))


def _explain_offer(snapshot: Snapshot, plan: Plan, key: str, json_out: bool) -> None:
    from coalition.services import allocation

    result = allocation.explain_offer(snapshot, plan, key)
    if json_out:
        as_json(asdict(result))
        return
    say(Text.assemble((key, "bold"), f": {result.used:g} of {result.quantity} used"))
    if result.assignments:
        table(
            "Goes to",
            [
                {"requirement": a.requirement_id, "units": a.quantity, "arrives": a.arrival}
                for a in result.assignments
            ],
        )
    if result.reasons:
        table("Why units stay unused", _reason_rows(result.reasons))


@plan_app.command("accept")
@handles_errors
def accept(plan_id: Annotated[int, typer.Argument(help="the plan to accept")]) -> None:
    """Accept a plan: its offers become accepted, and it supersedes the plan in force."""
    from coalition.services import allocation
    from coalition.services.database import writing

    with writing(principal()) as uow:
        result = allocation.accept(uow, plan_id)
    say(f"plan {plan_id} accepted: {len(result.offers_accepted)} offers moved to accepted")
    if result.superseded is not None:
        say(f"plan {result.superseded} is superseded: plan {plan_id} now holds the allocation")


@plan_app.command("list")
@handles_errors
def list_plans(
    limit: Annotated[int, typer.Option(help="at most this many plans, newest first")] = 50,
    offset: Annotated[int, typer.Option(help="skip this many newest plans first")] = 0,
    json_out: Json = False,
) -> None:
    """Stored plans, newest first: state, status, objective, gap, who made them."""
    from coalition.services import allocation
    from coalition.services.database import reading

    with reading(principal()) as uow:
        stored, total = allocation.list_plans(uow, limit, offset)
    rows = [_plan_row(s) for s in stored]
    if json_out:
        as_json({"items": rows, "total": total})
        return
    table(f"Plans ({len(rows)} of {total} shown)", rows, right=("objective", "gap", "assignments"))


def _plan_row(stored: StoredPlan) -> dict[str, object]:
    """The service's plan summary, formatted for a person."""
    from coalition.services.allocation import plan_summary

    row = plan_summary(stored)
    return {
        **{k: row[k] for k in ("id", "state", "status", "method")},
        "objective": round(stored.plan.objective, 3),
        "gap": None if row["gap"] is None else f"{100 * row['gap']:.3f} %",
        **{k: row[k] for k in ("assignments", "carried", "builds_on")},
        "created": f"{stored.created_at:%Y-%m-%d %H:%M}",
        "by": stored.created_by,
    }


@plan_app.command("show")
@handles_errors
def show_plan(
    plan_id: Annotated[int, typer.Argument(help="the plan's id (`coalition plan list`)")],
    json_out: Json = False,
) -> None:
    """One stored plan: its figures, per-component status, and its assignments."""
    from coalition.services import allocation
    from coalition.services.database import reading

    with reading(principal()) as uow:
        stored = allocation.get_plan(uow, plan_id)
    if json_out:
        as_json({**_plan_row(stored), **allocation.plan_figures(stored.plan)})
        return
    render_summary(stored.id, stored.plan)
    carried = (
        f"; carries {len(stored.carried)} assignments of plan {stored.builds_on}"
        if stored.builds_on
        else ""
    )
    say(f"state: {stored.state.value}{carried}")
    if stored.plan.components:
        table("Components", [asdict(c) for c in stored.plan.components])
    table(
        f"Assignments ({len(stored.plan.assignments)})",
        [
            {
                "offer": a.offer_id,
                "requirement": a.requirement_id,
                "units": a.quantity,
                "arrives": a.arrival,
                "lateness factor": f"{a.lateness_factor:.2f}",
            }
            for a in stored.plan.assignments
        ],
        right=("units", "lateness factor"),
    )


@plan_app.command("diff")
@handles_errors
def diff(
    first: Annotated[int, typer.Argument(help="a plan id")],
    second: Annotated[int, typer.Argument(help="another plan id")],
    json_out: Json = False,
) -> None:
    """What changed between two plans: assignments added, removed or changed."""
    from coalition.services import allocation
    from coalition.services.database import reading

    with reading(principal()) as uow:
        result = allocation.diff(uow, first, second)
    if json_out:
        as_json(result)
        return
    objective = result["objective"]
    say(
        f"objective: plan {first} {objective[str(first)]:,.3f} → "
        f"plan {second} {objective[str(second)]:,.3f}"
    )
    table(f"{len(result['assignments'])} assignments differ", result["assignments"])


@plan_app.command("verify")
@handles_errors
def verify(
    directory: Annotated[Path, typer.Argument(help="a directory from --export-snapshot")],
    json_out: Json = False,
) -> None:
    """Re-check an exported plan from its files: inputs hash, every rule, objective, bound."""
    from coalition.services import allocation

    report = allocation.verify_export(directory)
    if json_out:
        as_json(asdict(report))
    else:
        for violation in report.violations:
            say(Text(str(violation), style="red"))
        say(
            f"{report.assignments} assignments checked; {len(report.violations)} violation(s); "
            f"objective claimed {report.claimed_objective}, recomputed "
            f"{report.recomputed_objective}"
        )
    if not report.passed:
        raise typer.Exit(1)
