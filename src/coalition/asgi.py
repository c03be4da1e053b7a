"""The one ASGI app `coalition serve` runs: the REST API under /api, the web pages elsewhere.

Both interfaces are independent layers that never import each other; this module, above them,
only puts them side by side on one server. Requests are dispatched by path before either app
routes them, so the API keeps its own answers for its whole prefix (a 404 or 405 problem for
a path or method it does not have) and the pages theirs for everything else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coalition.api import create_app as create_api
from coalition.web.app import create_app as create_web

if TYPE_CHECKING:
    from fastapi import FastAPI
    from sqlalchemy import Engine
    from starlette.types import Receive, Scope, Send

API_ROOT = "/api"


def is_api_path(path: str) -> bool:
    return path == API_ROOT or path.startswith(f"{API_ROOT}/")


class ServedApp:
    """The API and the web pages as one ASGI application."""

    def __init__(self, api: FastAPI, web: FastAPI) -> None:
        self.api = api
        self.web = web

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and not is_api_path(scope.get("path", "")):
            await self.web(scope, receive, send)
        else:  # the API's paths, and lifespan events (the API owns the server's start-up)
            await self.api(scope, receive, send)


def create_app(engine: Engine | None = None) -> ServedApp:
    return ServedApp(create_api(engine), create_web(engine))
