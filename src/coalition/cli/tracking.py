"""Tracking commands: `track` (a shipment's timeline, `track add-event`), `shipment create` and
`shipment list`, `epcis export` and `epcis import`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text
from typer.core import TyperGroup

from coalition.cli.app import BadInput, app, handles_errors, principal
from coalition.cli.render import as_json, errors, fail, note, say, table

if TYPE_CHECKING:
    from coalition.services.tracking import Timeline

Json = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]
TABLE_ROWS = 50
STEPS = "planned, loaded, departed, at_hub, crossed_border, delivered, received"


class _TrackGroup(TyperGroup):
    """`coalition track SHIPMENT_ID` shows the timeline; `track add-event ...` reports."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["show", *args]
        return super().parse_args(ctx, args)


track_app = typer.Typer(
    cls=_TrackGroup,
    help="A shipment's journey: `track SHIPMENT_ID` shows it, `track add-event` reports.",
    no_args_is_help=True,
)
shipment_app = typer.Typer(help="Shipments: create one from an accepted offer, list them.",
                           no_args_is_help=True)  # fmt: skip
epcis_app = typer.Typer(help="Tracking events as EPCIS 2.0 JSON-LD documents, in and out.",
                        no_args_is_help=True)  # fmt: skip
app.add_typer(track_app, name="track")
app.add_typer(shipment_app, name="shipment")
app.add_typer(epcis_app, name="epcis")


@track_app.command("show")
@handles_errors
def show(
    shipment_id: Annotated[str, typer.Argument(help="the shipment's id")],
    json_out: Json = False,
) -> None:
    """The shipment's timeline: each event's time, place and reporting user, and its receipt."""
    from coalition.services import tracking
    from coalition.services.database import reading

    with reading(principal()) as uow:
        found = tracking.timeline(uow, shipment_id)
    if json_out:
        as_json(found.as_dict())
        return
    render_timeline(found)


def render_timeline(found: Timeline) -> None:
    s = found.shipment
    say(
        f"shipment {s['shipment_id']}: {s['quantity']} units of offer {s['offer_key']} for "
        f"requirement {s['requirement_ref']}, {s['origin']} → {s['destination']} "
        f"(recipient {s['recipient_code']}; {s['marking']})"
    )
    rows = [
        {
            "#": n,
            "event": e["kind"].replace("_", " "),
            "time (UTC)": e["time"],
            "place": e["place"],
            "reported by": e["reported_by"],
            "units": "" if e["quantity"] is None else e["quantity"],
        }
        for n, e in enumerate(found.events, start=1)
    ]
    if rows:
        table(f"timeline of {s['shipment_id']}", rows, right=("#", "units"))
    else:
        say("no event reported yet")
    upcoming = ", ".join(k.replace("_", " ") for k in found.next_allowed) or "nothing (final)"
    say(f"state: {found.state.replace('_', ' ')}; next may come: {upcoming}")
    if found.received is not None:
        if found.discrepancy:
            say(
                Text(
                    f"discrepancy: {found.received} of {s['quantity']} units received, "
                    f"{found.discrepancy} missing",
                    style="bold red",
                )
            )
        else:
            say(f"received in full: {found.received} of {s['quantity']} units")


@track_app.command("add-event")
@handles_errors
def add_event(
    shipment_id: Annotated[str, typer.Argument(help="the shipment's id")],
    kind: Annotated[str, typer.Argument(help=f"what happened: one of {STEPS}")],
    at: Annotated[
        str, typer.Option("--at", help="when, ISO 8601 with its offset: 2026-03-01T08:00Z")
    ],
    place: Annotated[str, typer.Option("--place", help="the node code where it happened")],
    quantity: Annotated[
        int | None, typer.Option("--quantity", help="units counted in (a receipt only)")
    ] = None,
    json_out: Json = False,
) -> None:
    """Report one event; it is checked against the shipment's history, as you."""
    from coalition.services import tracking
    from coalition.services.database import writing

    with writing(principal()) as uow:
        found = tracking.record_event(uow, shipment_id, kind, at, place, quantity)
    if json_out:
        as_json(found.as_dict())
        return
    last = found.events[-1]
    say(f"shipment {shipment_id}: {last['kind'].replace('_', ' ')} at {last['place']} recorded")
    if found.discrepancy:
        say(Text(f"discrepancy: {found.discrepancy} unit(s) missing", style="bold red"))


@shipment_app.command("create")
@handles_errors
def create(
    shipment_id: Annotated[str, typer.Argument(help="a new shipment id (a code)")],
    offer: Annotated[str, typer.Option(help="the accepted offer it carries, DONOR:EXTERNAL_ID")],
    requirement: Annotated[str, typer.Option(help="the requirement it serves (its ref)")],
    quantity: Annotated[int, typer.Option(help="units shipped")],
    origin: Annotated[str, typer.Option("--from", help="the node it leaves from")],
    destination: Annotated[str, typer.Option("--to", help="the node it is delivered to")],
    marking: Annotated[
        str | None, typer.Option(help="releasability (default: the offer's)")
    ] = None,
    json_out: Json = False,
) -> None:
    """Create a shipment of an accepted or committed offer."""
    from coalition.services import tracking
    from coalition.services.database import writing

    with writing(principal()) as uow:
        shown = tracking.create_shipment(
            uow, shipment_id, offer, requirement, quantity, origin, destination, marking
        )
    if json_out:
        as_json(shown)
        return
    say(
        f"shipment {shown['shipment_id']} created: {shown['quantity']} units of "
        f"{shown['offer_key']}, {shown['origin']} → {shown['destination']}"
    )


@shipment_app.command("list")
@handles_errors
def list_shipments(
    where: Annotated[
        list[str] | None,
        typer.Option("--where", "-w", help="filter COLUMN=VALUE, e.g. -w donor_code=DEU"),
    ] = None,
    limit: Annotated[
        int | None, typer.Option(help="at most this many (0: all; default 50 in a table)")
    ] = None,
    json_out: Json = False,
) -> None:
    """The shipments you may see, with their state and receipt."""
    from coalition.services import tracking
    from coalition.services.database import reading

    filters = {}
    for item in where or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise BadInput(f"--where {item!r}: write COLUMN=VALUE, e.g. -w donor_code=DEU")
        filters[name.strip()] = value.strip()
    if limit is not None and limit < 0:
        raise BadInput(f"--limit {limit}: give a number of rows, or 0 for all")
    at_most = limit if limit is not None else (0 if json_out else TABLE_ROWS)
    with reading(principal()) as uow:
        page = tracking.list_shipments(uow, filters, at_most or None)
    if json_out:
        as_json(page.rows)
        return
    columns = ["shipment_id", "offer_key", "requirement_ref", "quantity", "origin",
               "destination", "state", "received", "discrepancy"]  # fmt: skip
    more = "; --limit 0 for all" if page.more else ""
    table(f"Shipments ({len(page.rows)} of {page.total} shown{more})", page.rows, columns,
          right=("quantity", "received", "discrepancy"))  # fmt: skip


@epcis_app.command("export")
@handles_errors
def export(
    file: Annotated[Path, typer.Argument(help="the .jsonld/.json file to write")],
    start: Annotated[
        str | None, typer.Option("--from", help="from this date or time (inclusive)")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="up to this date or time (exclusive)")
    ] = None,
) -> None:
    """Write the tracking events you may see as one EPCIS 2.0 document."""
    from coalition.services import tracking
    from coalition.services.database import reading

    low = tracking.parse_bound(start, "--from") if start else None
    high = tracking.parse_bound(end, "--to") if end else None
    with reading(principal()) as uow:
        count = tracking.export_epcis(uow, file, low, high)
    say(f"{count} event(s) written to {file}")


@epcis_app.command("import")
@handles_errors
def import_(
    file: Annotated[Path, typer.Argument(help="an EPCIS 2.0 JSON-LD document")],
    json_out: Json = False,
) -> None:
    """Record a partner's EPCIS document: every event, or none (each problem is listed)."""
    from coalition.services import tracking
    from coalition.services.database import writing
    from coalition.services.errors import EpcisRejected

    try:
        with writing(principal()) as uow:
            result = tracking.import_epcis(uow, file)
    except EpcisRejected as error:
        _show_problems(error.problems)
        fail(f"{file}: EPCIS document refused; nothing was recorded")
        raise typer.Exit(1) from None
    if json_out:
        as_json(result.__dict__)
        return
    say(
        f"{result.recorded} event(s) recorded for {len(result.shipments)} shipment(s)"
        + (f"; {result.skipped} already recorded" if result.skipped else "")
        + f" (batch {result.batch_id})"
    )
    if not result.recorded:
        note("nothing new in the document")


def _show_problems(problems: list[tuple[int, str, str]]) -> None:
    shown: list[Any] = problems[:TABLE_ROWS]
    for index, name, reason in shown:
        where = "document" if index < 0 else f"event {index}"
        line = f"{where}{f' [{name}]' if name else ''}: {reason}"
        errors.print(line, highlight=False, soft_wrap=True, markup=False)
    if len(problems) > TABLE_ROWS:
        errors.print(f"… and {len(problems) - TABLE_ROWS} more", markup=False)
