"""`coalition burden`: each ally's fair share of the baseline against what it gave."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from coalition.cli.app import app, handles_errors, principal
from coalition.cli.render import as_json, note, say, table

if TYPE_CHECKING:
    from coalition.planning.burden import BurdenReport


@app.command("burden")
@handles_errors
def burden_command(
    year: Annotated[int, typer.Option(help="the baseline year")] = 2025,
    json_out: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    chart: Annotated[
        Path | None, typer.Option(help="write the fair-share chart (.svg, .png or .html)")
    ] = None,
    timeline: Annotated[
        Path | None, typer.Option(help="write cumulative deliveries over time (.svg/.png/.html)")
    ] = None,
    export: Annotated[Path | None, typer.Option(help="write the table (.csv or .xlsx)")] = None,
) -> None:
    """Burden-sharing per ally: pledged, committed, delivered against the fair share."""
    from coalition.services import burden
    from coalition.services.database import reading

    burden.check_outputs(chart, timeline, export)
    with reading(principal()) as uow:
        report = burden.report(uow, year)
    if json_out:
        as_json(burden.as_dict(report))
    else:
        render(report)
    tell = note if json_out else say
    for excluded in report.excluded:
        note(f"excluded from the figures: {excluded.record_id}: {excluded.reason}")
    if chart:
        tell(f"chart written to {burden.write_fair_share_chart(report, chart)}")
    if timeline:
        tell(f"chart written to {burden.write_timeline_chart(report, timeline)}")
    if export:
        tell(f"table written to {burden.export_table(report, export)}")


def _m(value: object) -> str:
    return "" if value is None else f"{Decimal(str(value)) / 1_000_000:,.0f}"


def _pct(value: object, places: int = 1) -> str:
    return "" if value is None else f"{Decimal(str(value)):.{places}f} %"


def render(report: BurdenReport) -> None:
    from coalition.services.burden import table_rows

    rows = table_rows(report)
    shown = [
        {
            "donor": Text(str(r["name"]), style="" if r["row_type"] == "donor" else "bold"),
            "fair share": _m(r["fair_share_eur"]),
            "pledged": _m(r["pledged_eur"]),
            "committed": _m(r["committed_eur"]),
            "delivered": _m(r["delivered_eur"]),
            "% of share": _pct(r["delivered_pct_of_fair_share"]),
            "% of GDP": _pct(r["delivered_pct_of_gdp"], 2),
            "shortfall": _m(r["shortfall_eur"]),
        }
        for r in rows
        if r["row_type"] != "donor"
        or r["participant"] in (True, "yes", 1, "True")
        or r["delivered_eur"]
    ]
    right = (
        "fair share",
        "pledged",
        "committed",
        "delivered",
        "% of share",
        "% of GDP",
        "shortfall",
    )
    table(
        f"Burden-sharing {report.year} (EUR million; baseline EUR {_m(report.baseline.amount)} m)",
        shown,
        right=right,
    )
