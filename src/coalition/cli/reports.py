"""`coalition report brief`, `coalition cooperation ...` and `coalition iati export`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coalition.cli.app import BadInput, app, handles_errors, parse_day, parse_period, principal
from coalition.cli.render import as_json, note, say, table

report_app = typer.Typer(help="Reports: the ministerial brief.", no_args_is_help=True)
app.add_typer(report_app, name="report")
cooperation_app = typer.Typer(
    help="EU–NATO cooperation tracker and the meetings register.", no_args_is_help=True
)
app.add_typer(cooperation_app, name="cooperation")
iati_app = typer.Typer(help="Open data out: IATI 2.03 activities.", no_args_is_help=True)
app.add_typer(iati_app, name="iati")

Period = Annotated[
    str | None, typer.Option("--period", help="FROM..TO, dates YYYY-MM-DD (default: 6 months)")
]
Out = Annotated[Path | None, typer.Option("--out", help="write the report (.pdf or .html)")]
Tables = Annotated[
    Path | None,
    typer.Option("--tables", help="write every table (.xlsx: one sheet each; .csv: one file each)"),
]
Json = Annotated[bool, typer.Option("--json", help="print the figures as JSON")]


@report_app.command("brief")
@handles_errors
def brief(
    period: Period = None,
    out: Out = None,
    tables: Tables = None,
    year: Annotated[int | None, typer.Option(help="burden-sharing baseline year")] = None,
    marking: Annotated[
        str | None, typer.Option(help="classification marking (default NATO UNCLASSIFIED)")
    ] = None,
    json_out: Json = False,
    record: Annotated[
        bool, typer.Option("--record/--no-record", help="store it for the next comparison")
    ] = True,
) -> None:
    """The ministerial brief: coverage, critical gaps, deliveries, burden-sharing, taskings."""
    from coalition.services import brief as service

    first, last = parse_period(period)
    _check(out, tables)
    data = service.produce(principal(), first, last, year, marking, record)
    if json_out:
        as_json(data)
    tell = note if json_out else say
    if out is not None:
        tell(f"brief written to {service.render(data, out)}")
    for path in service.export_tables(data, tables) if tables else []:
        tell(f"table written to {path}")
    if not json_out and out is None and tables is None:
        for text in data["summaries"].values():
            say(text)


def _check(out: Path | None, tables: Path | None) -> None:
    from coalition.services.brief import check_output

    if out is not None:
        check_output(out)
    if tables is not None:
        check_output(tables, (".csv", ".xlsx"))


@cooperation_app.command("report")
@handles_errors
def cooperation_report(
    period: Annotated[str, typer.Option("--period", help="FROM..TO, dates YYYY-MM-DD")],
    out: Out = None,
    tables: Tables = None,
    marking: Annotated[str | None, typer.Option(help="classification marking")] = None,
    json_out: Json = False,
) -> None:
    """A progress report on the common proposals for a period: per strand, progress,
    examples and next steps."""
    from coalition.services import cooperation
    from coalition.services.database import reading

    first, last = parse_period(period)
    if first is None or last is None:
        raise BadInput("--period: give both ends, e.g. 2022-06-01..2023-05-31")
    _check(out, tables)
    with reading(principal()) as uow:
        report = cooperation.progress_report(uow, first, last)
    report["marking"] = cooperation.marking(marking)
    if json_out:
        as_json(report)
    tell = note if json_out else say
    if out is not None:
        tell(f"report written to {cooperation.render(report, out)}")
    for path in cooperation.export_tables(report, tables) if tables else []:
        tell(f"table written to {path}")
    if not json_out and out is None and tables is None:
        table(
            f"Progress report {report['report_number']} ({first}..{last})",
            [
                {
                    "strand": s["title"],
                    "proposals": s["proposals"],
                    **s["by_status"],
                    "moved forward": s["moved_forward"],
                }
                for s in report["strands"]
            ],
        )


@cooperation_app.command("history")
@handles_errors
def history(
    proposal: Annotated[str, typer.Argument(help="a proposal's id")], json_out: Json = False
) -> None:
    """A proposal's status in each progress report."""
    from coalition.services import cooperation
    from coalition.services.database import reading

    with reading(principal()) as uow:
        rows = cooperation.status_history(uow, proposal)
    if json_out:
        as_json(rows)
        return
    table(f"Status history of {proposal}", rows)


@cooperation_app.command("overdue")
@handles_errors
def overdue(
    on: Annotated[str | None, typer.Option(help="date YYYY-MM-DD (default: today)")] = None,
    json_out: Json = False,
) -> None:
    """Taskings of the meetings register still open after their due date."""
    from coalition.services import cooperation
    from coalition.services.database import reading

    day = parse_day(on, "--on") if on else None
    with reading(principal()) as uow:
        rows = cooperation.overdue_taskings(uow, day)
    if json_out:
        as_json(rows)
        return
    table(
        f"{len(rows)} overdue taskings",
        rows,
        columns=("meeting", "number", "owner", "due_on", "days_overdue", "decision"),
    )


@iati_app.command("export")
@handles_errors
def iati_export(
    file: Annotated[Path, typer.Argument(help="the IATI activity file to write (.xml)")],
    donor: Annotated[str | None, typer.Option(help="only this donor's pledges")] = None,
    schema: Annotated[
        Path | None, typer.Option(help="validate against this iati-activities-schema.xsd too")
    ] = None,
) -> None:
    """Pledges and disbursements as IATI 2.03 activities and transactions."""
    from coalition.services import iati

    with_reading = iati.export(principal(), file, donor, schema)
    say(
        f"{with_reading.activities} activities, {with_reading.transactions} transactions "
        f"written to {file}"
        + (" (valid against the 2.03 schema)" if with_reading.validated else "")
    )
