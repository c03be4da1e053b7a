"""`coalition serve`: the web pages and the REST API, one ASGI app on uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from coalition.cli.app import BadInput, app, handles_errors

# Loaded by uvicorn from this string (a worker process imports it afresh), so the CLI never
# imports the API package itself: the two interfaces stay independent layers.
APP_FACTORY = "coalition.asgi:create_app"


@app.command()
@handles_errors
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(help="worker processes")] = 1,
) -> None:
    """Serve the web pages at http://HOST:PORT/ and the REST API at /api/v1."""
    if not 1 <= port <= 65535:
        raise BadInput(f"--port {port}: give a TCP port from 1 to 65535")
    if not 1 <= workers <= 64:
        raise BadInput(f"--workers {workers}: give 1 to 64 worker processes")
    from coalition.services import database

    database.require_schema(database.default_engine())  # refuse at once, not per request
    import uvicorn

    uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, workers=workers)
