"""Ledger commands: init, import, export, template, list, show, history, set-status, status."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from coalition.cli.app import (
    BadInput,
    app,
    handles_errors,
    parse_day,
    principal,
    report_rejected,
)
from coalition.cli.progress import ProgressBar
from coalition.cli.render import as_json, note, say, table
from coalition.registries.kinds import KINDS

if TYPE_CHECKING:
    from coalition.domain.coverage import AreaCoverage
    from coalition.storage.changelog import LogReport

KIND_HELP = "one of: " + ", ".join(KINDS)
Json = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]


@app.command()
@handles_errors
def init() -> None:
    """Create or upgrade the database schema (safe to run again)."""
    from coalition.services import database

    say(f"database ready at {database.initialise()}")


@app.command("import")
@handles_errors
def import_(
    kind: Annotated[str, typer.Argument(help=KIND_HELP)],
    file: Annotated[Path, typer.Argument(help="a .csv or .xlsx file in the kind's template")],
    json_out: Json = False,
    errors_file: Annotated[
        Path | None,
        typer.Option("--errors", help="write every problem to this CSV (e.g. FILE.errors.csv)"),
    ] = None,
) -> None:
    """Import a spreadsheet: every problem is listed, and either all rows land or none."""
    from coalition.services import ledger
    from coalition.services.database import writing
    from coalition.services.errors import ImportRejected

    try:
        with writing(principal()) as uow, ProgressBar() as bar:
            result = ledger.import_file(uow, kind, file, bar)
    except ImportRejected as error:
        report_rejected(error, errors_file, file)
        raise typer.Exit(1) from None
    if json_out:
        as_json(result.__dict__)
        return
    say(
        f"{result.kind}: {result.created} created, {result.updated} updated, "
        f"{result.unchanged} unchanged (batch {result.batch_id})"
    )


@app.command()
@handles_errors
def export(
    kind: Annotated[str, typer.Argument(help=KIND_HELP)],
    file: Annotated[Path, typer.Argument(help="a .csv or .xlsx file to write")],
) -> None:
    """Export a registry in its import template (re-importing it changes nothing)."""
    from coalition.services import ledger
    from coalition.services.database import reading

    with reading(principal()) as uow:
        count = ledger.export_file(uow, kind, file)
    say(f"{count} {kind} written to {file}")


@app.command()
@handles_errors
def template(
    kind: Annotated[str, typer.Argument(help=KIND_HELP)],
    file: Annotated[Path, typer.Argument(help="a .csv or .xlsx file to write")],
) -> None:
    """Write an empty import template (the header row) for a registry."""
    from coalition.services import ledger

    ledger.write_template(kind, file)
    say(f"template for {kind} written to {file} (columns: see docs/formats.md)")


@app.command("list")
@handles_errors
def list_(
    kind: Annotated[str, typer.Argument(help=KIND_HELP)],
    where: Annotated[
        list[str] | None, typer.Option("--where", "-w", help="filter COLUMN=VALUE (repeatable)")
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(help="at most this many rows (0: all; default 50 in a table, all in JSON)"),
    ] = None,
    json_out: Json = False,
) -> None:
    """List records of a registry, optionally filtered (e.g. -w status=approved)."""
    from coalition.services import ledger
    from coalition.services.database import reading

    filters = ledger.parse_filters(kind, where or [])
    if limit is not None and limit < 0:
        raise BadInput(f"--limit {limit}: give a number of rows, or 0 for all")
    shown_at_most = limit if limit is not None else (0 if json_out else TABLE_ROWS)
    with reading(principal()) as uow:
        page = ledger.list_page(uow, kind, filters, shown_at_most or None)
    rows, total = page.rows, page.total
    if json_out:
        as_json(rows)
        if len(rows) < total:
            note(f"{len(rows)} of {total} {kind} shown; --limit 0 for all")
        return
    shown = [ledger.shown_row(kind, r) for r in rows]
    more = "" if len(rows) == total else "; --limit 0 for all"
    title = ledger.resolve_kind(kind).title
    table(f"{title} ({len(rows)} of {total} shown{more})", shown)


TABLE_ROWS = 50


@app.command()
@handles_errors
def show(
    kind: Annotated[str, typer.Argument(help=KIND_HELP)],
    key: Annotated[str, typer.Argument(help="the record's key; composite keys joined by ':'")],
    json_out: Json = False,
) -> None:
    """Show one record."""
    from coalition.services import ledger
    from coalition.services.database import reading

    with reading(principal()) as uow:
        row = ledger.get_record(uow, kind, key)
    if json_out:
        as_json(row)
        return
    fields = [{"field": name, "value": v} for name, v in ledger.shown_row(kind, row).items()]
    table(f"{ledger.resolve_kind(kind).entity.replace('_', ' ')} {key}", fields)


@app.command()
@handles_errors
def history(
    kind: Annotated[
        str | None,
        typer.Argument(help=KIND_HELP + "; or plans, logistics-plans, training-plans"),
    ] = None,
    key: Annotated[str | None, typer.Argument(help="the record's key (a plan's id)")] = None,
    verify: Annotated[
        bool,
        typer.Option(
            help="check the whole change log: its hash chain, and that replaying it gives "
            "exactly the records in the registry tables"
        ),
    ] = False,
    expect_head: Annotated[
        str | None,
        typer.Option(
            help="with --verify: a head hash recorded earlier (from --head); fails if it is "
            "no longer an entry of the chain (the log was truncated or rewritten)"
        ),
    ] = None,
    head: Annotated[
        bool,
        typer.Option(
            "--head",
            help="print the change log's head hash and entry count, to keep somewhere else "
            "and check later with --verify --expect-head",
        ),
    ] = False,
    json_out: Json = False,
) -> None:
    """Show every change to a record: who, when, batch, before and after."""
    from coalition.services import audit, ledger
    from coalition.services.database import reading

    if expect_head is not None and not verify:
        raise typer.BadParameter("--expect-head needs --verify", param_hint="--expect-head")
    if head and verify:
        raise typer.BadParameter("give --head or --verify, not both", param_hint="--head")
    with reading(principal()) as uow:
        if head:
            tip = audit.head(uow)
            if json_out:
                as_json({"head": tip.hash, "entries": tip.entries})
            else:
                say(f"head {tip.hash}\nentries {tip.entries}")
            return
        if verify:
            report = audit.verify_change_log(uow, expect_head)
            _show_verification(report, json_out)
            if report.problems:
                raise typer.Exit(1)
            return
        if kind is None or key is None:
            raise typer.BadParameter(
                "give a kind and the record's key, or --verify, or --head", param_hint="KEY"
            )
        if kind in audit.PLAN_HISTORIES:
            entries = audit.plan_history(uow, kind, key)
        else:
            entries = ledger.history(uow, kind, key)
    if json_out:
        as_json(entries)
        return
    rows = [
        {
            "when": e["at"],
            "who": e["actor"],
            "batch": e["batch_id"][:12],
            "action": e["action"],
            "changed": _changed_fields(e["before"], e["after"]),
        }
        for e in entries
    ]
    table(f"history of {kind} {key}", rows)


# A wiped log on a large ledger yields one problem per record: show the first ones, count all.
SHOWN_PROBLEMS = 100


def _show_verification(report: LogReport, json_out: bool) -> None:
    if json_out:
        as_json(report.__dict__)
        return
    for problem in report.problems[:SHOWN_PROBLEMS]:
        say(Text(problem, style="red"))
    hidden = len(report.problems) - SHOWN_PROBLEMS
    if hidden > 0:
        say(Text(f"... and {hidden} more (--json lists them all)", style="red"))
    skipped = ", ".join(f"{n} {entity}" for entity, n in sorted(report.chain_only.items()))
    say(
        f"{report.records_compared} registry record(s) compared with the replayed log"
        + (
            f"; entries of non-registry records ({skipped}) are checked in the chain only"
            if skipped
            else ""
        )
    )
    if report.expected_head_at is not None:
        later = report.entries - report.expected_head_at
        say(
            f"the expected head is entry {report.expected_head_at} of {report.entries}: "
            f"{later} entr{'y' if later == 1 else 'ies'} came after it"
        )
    say(f"{report.entries} change-log entries checked, {len(report.problems)} problem(s)")


def _changed_fields(before: str | None, after: str | None) -> str:
    old = json.loads(before) if before else {}
    new = json.loads(after) if after else {}
    if not old:
        return "created"
    parts = [f"{k}: {old.get(k)} → {new.get(k)}" for k in sorted(new) if old.get(k) != new.get(k)]
    return "; ".join(parts) or "no field changed"


@app.command("set-status")
@handles_errors
def set_status(
    kind: Annotated[str, typer.Argument(help="requirements, offers or pledges")],
    key: Annotated[str, typer.Argument(help="the record's key")],
    status: Annotated[str, typer.Argument(help="the next status")],
    on: Annotated[str | None, typer.Option(help="date of a delivery/disbursement")] = None,
) -> None:
    """Move a record one legal step along its lifecycle (e.g. offered → accepted)."""
    from coalition.services import ledger
    from coalition.services.database import writing

    when = parse_day(on, "--on") if on else None
    with writing(principal()) as uow:
        after = ledger.change_status(uow, kind, key, status, when)
    say(f"{kind} {key} is now {after['status']}")


@app.command()
@handles_errors
def status(json_out: Json = False) -> None:
    """The capability funnel (offered → accepted → delivered → crewed → operational), then
    coverage per capability area (EUR value) and overdue taskings. --json prints the
    coverage rows."""
    from coalition.cli.training import render_funnel
    from coalition.services import cooperation, coverage, training
    from coalition.services.database import reading

    with reading(principal()) as uow:
        rows = coverage.coverage_rows(uow)
        overdue = cooperation.overdue_taskings(uow)
        funnel = [] if json_out else training.funnel(uow)
    if json_out:
        as_json([r.as_dict() for r in rows])
        if overdue:
            note(f"{len(overdue)} taskings overdue: coalition cooperation overdue --json")
        return
    if funnel:
        render_funnel(funnel)
    render_coverage(rows)
    if overdue:
        table(
            f"{len(overdue)} overdue taskings (meetings register)",
            [
                {
                    "tasking": f"{t['meeting']}/{t['number']}",
                    "owner": t["owner"],
                    "due": t["due_on"],
                    "days over": t["days_overdue"],
                    "decision": t["decision"],
                }
                for t in overdue
            ],
            right=("days over",),
        )


def render_coverage(rows: list[AreaCoverage]) -> None:
    withheld = "withheld"  # drawn on fewer donors than this reader may see an aggregate of

    def millions(value: Decimal | None) -> str:
        return withheld if value is None else f"{value / 1_000_000:,.1f}"

    def percent(value: float | None) -> str:
        return withheld if value is None else f"{100 * value:.1f} %"

    shown = [
        {
            "capability area": r.capability_area.replace("_", " "),
            "lines": r.requirement_lines,
            "required": millions(r.required_eur),
            "offered": millions(r.offered_eur),
            "accepted": millions(r.accepted_eur),
            "delivered": millions(r.delivered_eur),
            "coverage": percent(r.coverage),
        }
        for r in rows
    ]
    if any(r.withheld for r in rows):
        note("'withheld': that supply draws on fewer than 3 donors, so it is not shown to you")
    table(
        "Coverage by capability area (EUR million; coverage = accepted or delivered ÷ required)",
        shown,
        right=("lines", "required", "offered", "accepted", "delivered", "coverage"),
    )


@app.command()
@handles_errors
def members(
    org: Annotated[list[str] | None, typer.Option(help="NATO or EU (repeat for both)")] = None,
    on: Annotated[str | None, typer.Option(help="date YYYY-MM-DD (default: today)")] = None,
    json_out: Json = False,
) -> None:
    """Who belonged to NATO, the EU, or both on a date (e.g. --on 2023-01-10)."""
    day = parse_day(on, "--on") if on else date.today()
    from coalition.services import ledger
    from coalition.services.database import reading

    organisations = org or ["NATO", "EU"]
    with reading(principal()) as uow:
        rows = ledger.members(uow, organisations, day)
    if json_out:
        as_json(rows)
        return
    say(f"{len(rows)} members of {' and '.join(organisations)} on {day}")
    table("", rows)
