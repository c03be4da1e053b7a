"""`coalition demo`: build the demo database and show what a coordinator would see first."""

from __future__ import annotations

from typing import Annotated

import typer

from coalition.cli import allocation as allocation_cli
from coalition.cli import burden as burden_cli
from coalition.cli import logistics as logistics_cli
from coalition.cli import training as training_cli
from coalition.cli import training_plans as training_plans_cli
from coalition.cli.app import app, handles_errors
from coalition.cli.ledger import render_coverage
from coalition.cli.progress import ProgressBar
from coalition.cli.render import say, table


@app.command()
@handles_errors
def demo(
    year: Annotated[int, typer.Option(help="burden-sharing year to show")] = 2025,
) -> None:
    """Create the demo database from the shipped scenario (kept as it is on a second run)."""
    from coalition.services import allocation, burden, coverage, readiness, training
    from coalition.services import demo as demo_service
    from coalition.services.database import reading

    with ProgressBar() as bar:
        loaded = demo_service.load(bar)
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
    acting = loaded.acting
    stored, _ = allocation.run(acting, allocation.parameters(time_limit=30.0))
    allocation_cli.render_summary(stored.id, stored.plan)
    routed = demo_service.route_the_plan(acting, stored.id, fresh=not loaded.already_there)
    logistics_cli.render_summary(routed)
    trained = demo_service.train_the_crews(acting, fresh=not loaded.already_there)
    say(training_plans_cli.headline(trained))
    with reading(acting) as uow:
        burden_cli.render(burden.report(uow, year))
    with reading(acting) as uow:
        render_coverage(coverage.coverage_rows(uow))
    with reading(acting) as uow:
        funnel, need = training.funnel(uow), training.need(uow)
        totals, ready = training.training_totals(uow), readiness.report(uow)
    training_cli.render_funnel(funnel)
    training_cli.render_need(need, limit=8)
    training_cli.render_totals(totals)
    training_cli.render_readiness(ready, families=False)
    if loaded.accounts:
        table(
            "Demo accounts (passwords generated now and shown only this once; stored hashed)",
            [
                {"user": a.name, "role": a.role, "donor": a.donor_code, "password": a.password}
                for a in loaded.accounts
            ],
        )
    say(
        f"Act as a demo user with `--as NAME` or `export COALITION_USER={acting.user}`; "
        "an API token for one: `coalition --as NAME user token NAME`."
    )
