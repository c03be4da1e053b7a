"""The one ASGI app `coalition serve` runs: the REST API under /api/v1, the web pages at /.

Both interfaces are independent layers that never import each other; this module, above them,
only puts them side by side on one server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coalition.api import create_app as create_api
from coalition.web.app import create_app as create_web

if TYPE_CHECKING:
    from fastapi import FastAPI
    from sqlalchemy import Engine


def create_app(engine: Engine | None = None) -> FastAPI:
    app = create_api(engine)
    # Mounted last: the API's routes are matched first, everything else is a page.
    app.mount("/", create_web(engine))
    return app
