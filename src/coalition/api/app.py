"""The application factory: `create_app(engine)` builds the REST API under /api/v1.

Tests pass their own engine; `coalition serve` passes none, so services use the configured
database. The interactive Swagger/ReDoc pages of FastAPI load their scripts from a CDN, which
the users' closed networks cannot reach, so they are switched off: /api/v1/docs is a plain
page generated here from the OpenAPI document, with no script at all.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import HTMLResponse

from coalition import __version__
from coalition.api import problems
from coalition.api.deps import current_principal
from coalition.api.routers import (
    auth,
    capability,
    changes,
    figures,
    logistics,
    plans,
    registries,
    tracking,
    training_plans,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

API_PREFIX = registries.API_PREFIX
OPENAPI_URL = f"{API_PREFIX}/openapi.json"
DOCS_URL = f"{API_PREFIX}/docs"
REF = "#/components/schemas/{model}"


def create_app(engine: Engine | None = None) -> FastAPI:
    app = FastAPI(
        title="Coalition",
        version=__version__,
        description="Coordinate security assistance among donors: registries, plans, "
        "burden-sharing and the change log. Authenticate with a bearer token "
        "(POST /api/v1/auth/token).",
        openapi_url=OPENAPI_URL,
        docs_url=None,
        redoc_url=None,
    )
    app.state.engine = engine
    problems.install(app)

    api = APIRouter(prefix=API_PREFIX)
    api.include_router(auth.router)
    # Everything else needs a token: the dependency sits on the router, so a new route
    # cannot forget it.
    secured = APIRouter(dependencies=[Depends(current_principal)])
    secured.include_router(figures.router)
    secured.include_router(capability.router)
    secured.include_router(training_plans.router)
    secured.include_router(plans.router)
    secured.include_router(plans.jobs_router)
    secured.include_router(changes.router)
    secured.include_router(logistics.router)
    secured.include_router(tracking.router)
    secured.include_router(tracking.epcis_router)
    secured.include_router(registries.build_router())
    api.include_router(secured)
    app.include_router(api)

    @app.get(DOCS_URL, include_in_schema=False, response_class=HTMLResponse)
    def docs() -> str:
        return reference_page(app.openapi())

    _add_problem_schema(app)
    return app


def _add_problem_schema(app: FastAPI) -> None:
    """Put the Problem model in the document's components, which every error refers to."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            definition = problems.Problem.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
            for name, nested in definition.pop("$defs", {}).items():
                components[name] = nested
            components["Problem"] = definition
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def reference_page(schema: dict[str, Any]) -> str:
    """Every operation with its summary, grouped by tag; the JSON document is linked."""
    rows: dict[str, list[str]] = {}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            tag = (operation.get("tags") or ["other"])[0]
            summary = operation.get("summary") or operation.get("description") or ""
            rows.setdefault(tag, []).append(
                f"<tr><td><code>{html.escape(method.upper())}</code></td>"
                f"<td><code>{html.escape(path)}</code></td><td>{html.escape(summary)}</td></tr>"
            )
    sections = "".join(
        f"<h2>{html.escape(tag)}</h2><table>{''.join(items)}</table>" for tag, items in rows.items()
    )
    title = html.escape(str(schema.get("info", {}).get("title", "API")))
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title} API</title></head>"
        f"<body><h1>{title} API</h1><p>The machine-readable description is "
        f"<a href='{OPENAPI_URL}'>{OPENAPI_URL}</a>; load it into any OpenAPI tool.</p>"
        f"{sections}</body></html>"
    )
