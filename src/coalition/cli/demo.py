"""`coalition demo`: build the demo database and show what a coordinator would see first."""

from __future__ import annotations

from typing import Annotated

import typer

from coalition.cli import allocation as allocation_cli
from coalition.cli import burden as burden_cli
from coalition.cli.app import app, handles_errors, principal
from coalition.cli.ledger import render_coverage
from coalition.cli.progress import ProgressBar
from coalition.cli.render import say, table


@app.command()
@handles_errors
def demo(
    year: Annotated[int, typer.Option(help="burden-sharing year to show")] = 2025,
) -> None:
    """Create the demo database from the shipped scenario (kept as it is on a second run)."""
    from coalition.services import allocation, burden, coverage
    from coalition.services import demo as demo_service
    from coalition.services.database import reading

    with ProgressBar() as bar:
        loaded = demo_service.load(principal(), bar)
    say(f"Demo database: {loaded.database}")
    if loaded.already_there:
        say(
            f"The database already holds {loaded.already_there} records: kept as they are "
            "(delete the database file to start the demo afresh)."
        )
    else:
        table(
            "Demo scenario imported",
            [
                {
                    "registry": r.kind,
                    "created": r.created,
                    "updated": r.updated,
                    "unchanged": r.unchanged,
                }
                for r in loaded.imported
            ],
            right=("created", "updated", "unchanged"),
        )
    stored, _ = allocation.run(principal(), allocation.parameters(time_limit=30.0))
    allocation_cli.render_summary(stored.id, stored.plan)
    with reading(principal()) as uow:
        burden_cli.render(burden.report(uow, year))
    with reading(principal()) as uow:
        render_coverage(coverage.coverage_rows(uow))
