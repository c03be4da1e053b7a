"""`coalition demo`: build the demo database and show what a coordinator would see first."""

from __future__ import annotations

from typing import Annotated

import typer

from coalition import demo as demo_scenario
from coalition.cli import allocation as allocation_cli
from coalition.cli import burden as burden_cli
from coalition.cli.app import app, handles_errors, principal
from coalition.cli.ledger import render_coverage
from coalition.cli.progress import ProgressBar
from coalition.cli.render import say, table
from coalition.planning import allocation as planner
from coalition.services import allocation, burden, coverage, ledger
from coalition.services.database import default_engine, reading, writing
from coalition.storage import migrate


@app.command()
@handles_errors
def demo(
    year: Annotated[int, typer.Option(help="burden-sharing year to show")] = 2025,
) -> None:
    """Create (or refresh) the demo database from the shipped scenario and summarise it."""
    engine = default_engine()
    migrate.upgrade(engine)
    say(f"Demo database: {engine.url.render_as_string(hide_password=True)}")
    results = []
    for kind, path in demo_scenario.files():
        with writing(principal(), engine) as uow, ProgressBar() as bar:
            results.append(ledger.import_file(uow, kind, path, bar))
    table(
        "Demo scenario imported (a second run changes nothing: imports are idempotent)",
        [
            {
                "registry": r.kind,
                "created": r.created,
                "updated": r.updated,
                "unchanged": r.unchanged,
            }
            for r in results
        ],
        right=("created", "updated", "unchanged"),
    )
    with writing(principal(), engine) as uow:
        stored, _ = allocation.run(uow, planner.Parameters(time_limit_s=30.0))
    allocation_cli.render_summary(stored.id, stored.plan)
    with reading(principal(), engine) as uow:
        burden_cli.render(burden.report(uow, year))
    with reading(principal(), engine) as uow:
        render_coverage(coverage.coverage_rows(uow))
