"""`coalition allocate` and `coalition plan ...`: plans, explanations, acceptance, verification."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from coalition.cli.app import app, handles_errors, principal
from coalition.cli.render import as_json, note, say, table
from coalition.planning import allocation as planner
from coalition.planning.allocation.snapshot_io import plan_as_dict
from coalition.services import allocation
from coalition.services.database import reading, writing
from coalition.services.errors import ServiceError

plan_app = typer.Typer(
    help="Stored allocation plans: accept, compare, verify.", no_args_is_help=True
)
app.add_typer(plan_app, name="plan")


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
    json_out: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Match offers to approved requirements optimally; store the plan as a new version."""
    parameters = allocation.parameters(time_limit, gap, pin, forbid)
    if explain or explain_offer:
        stored, snapshot, fresh = allocation.current_plan(principal(), parameters)
    else:
        stored, snapshot = allocation.run(principal(), parameters, method)
        fresh = True
    plan = stored.plan
    if explain or explain_offer:
        if fresh:
            note(f"(solved plan {stored.id} from the current ledger)")
        if explain:
            _explain_requirement(snapshot, plan, explain, json_out)
        if explain_offer:
            _explain_offer(snapshot, plan, explain_offer, json_out)
        return
    if export_snapshot:
        planner.export_snapshot(snapshot, plan, export_snapshot)
    if json_out:
        as_json(
            {
                "plan_id": stored.id,
                **plan_as_dict(plan),
                "area_coverage": [asdict(a) for a in plan.area_coverage],
            }
        )
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


def render_summary(plan_id: int, plan: planner.Plan) -> None:
    gap = "—" if plan.gap is None else f"{100 * plan.gap:.3f} %"
    bound = "—" if plan.best_bound is None else f"{plan.best_bound:,.3f}"
    say(
        f"[b]Plan {plan_id}[/b] ({plan.method}, {plan.solver}): {plan.status.value}; "
        f"objective {plan.objective:,.3f}, proven bound {bound}, gap {gap}; "
        f"built in {plan.build_seconds:.2f} s, solved in {plan.solve_seconds:.2f} s; "
        f"{len(plan.assignments)} assignments"
    )
    for message in plan.messages:
        say(f"  [yellow]{message}[/]")
    if plan.status == planner.PlanStatus.EMPTY:
        say(
            "Nothing to plan: there are no approved requirements still open, or no offers in "
            "status 'offered'. Import or approve some (`coalition list requirements`)."
        )
        return
    with_before = any(a.covered_before for a in plan.area_coverage)
    rows = []
    for a in plan.area_coverage:
        row = {
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


def _reason_rows(reasons: tuple[planner.Reason, ...]) -> list[dict[str, str]]:
    return [{"reason": r.code.value, "explanation": r.text} for r in reasons]


def _explain_requirement(
    snapshot: planner.Snapshot, plan: planner.Plan, ref: str, json_out: bool
) -> None:
    result = allocation.explain_requirement(snapshot, plan, ref)
    if json_out:
        as_json(asdict(result))
        return
    say(
        f"[b]{ref}[/b]: {result.covered:g} of {result.quantity} covered, "
        f"shortfall {result.shortfall:g}"
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


def _explain_offer(
    snapshot: planner.Snapshot, plan: planner.Plan, key: str, json_out: bool
) -> None:
    result = allocation.explain_offer(snapshot, plan, key)
    if json_out:
        as_json(asdict(result))
        return
    say(f"[b]{key}[/b]: {result.used:g} of {result.quantity} used")
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
    """Accept a plan: every offer it uses becomes accepted (logged in the change log)."""
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
    json_out: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Stored plans, newest first: state, status, objective, gap, who made them."""
    with reading(principal()) as uow:
        stored, total = allocation.list_plans(uow, limit, offset)
    rows = [_plan_row(s) for s in stored]
    if json_out:
        as_json({"items": rows, "total": total})
        return
    table(f"Plans ({len(rows)} of {total} shown)", rows, right=("objective", "gap", "assignments"))


def _plan_row(stored: allocation.StoredPlan) -> dict[str, object]:
    plan = stored.plan
    return {
        "id": stored.id,
        "state": stored.state.value,
        "status": plan.status.value,
        "method": plan.method,
        "objective": round(plan.objective, 3),
        "gap": None if plan.gap is None else f"{100 * plan.gap:.3f} %",
        "assignments": len(plan.assignments),
        "carried": len(stored.carried),
        "builds_on": stored.builds_on,
        "created": f"{stored.created_at:%Y-%m-%d %H:%M}",
        "by": stored.created_by,
    }


@plan_app.command("show")
@handles_errors
def show_plan(
    plan_id: Annotated[int, typer.Argument(help="the plan's id (`coalition plan list`)")],
    json_out: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """One stored plan: its figures, per-component status, and its assignments."""
    with reading(principal()) as uow:
        stored = allocation.get_plan(uow, plan_id)
    if json_out:
        as_json({**_plan_row(stored), **plan_as_dict(stored.plan)})
        return
    render_summary(stored.id, stored.plan)
    carried = (
        f"; carries {len(stored.carried)} assignments of plan {stored.builds_on}"
        if stored.builds_on
        else ""
    )
    say(f"state: {stored.state.value}{carried}")
    if stored.plan.components:
        table(
            "Components",
            [asdict(c) for c in stored.plan.components],
        )
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
    json_out: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """What changed between two plans: assignments added, removed or changed."""
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
    json_out: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Re-check an exported plan against its inputs: every rule, and the objective."""
    if not directory.is_dir():
        raise ServiceError(f"{directory}: not a directory written by --export-snapshot")
    report = planner.verify_plan(directory)
    if json_out:
        as_json(asdict(report))
    else:
        for violation in report.violations:
            say(f"[red]{violation}[/]")
        say(
            f"{report.assignments} assignments checked; {len(report.violations)} violation(s); "
            f"objective claimed {report.claimed_objective}, recomputed "
            f"{report.recomputed_objective}"
        )
    if not report.passed:
        raise typer.Exit(1)
