"""Templates: one Jinja2 environment per language (autoescaped), and rendering a page."""

from __future__ import annotations

from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from coalition.web import i18n

if TYPE_CHECKING:
    from coalition.web.session import Viewer

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def environment(language: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        # User text is data: every value is escaped, in every template (and .svg/.xml).
        autoescape=select_autoescape(["html", "svg", "xml"], default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(i18n.translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters["number"] = lambda v, digits=0: i18n.number(v, language, digits)
    env.filters["percent"] = partial(i18n.percent, language=language)
    env.filters["day"] = partial(i18n.day, language=language)
    env.filters["url_part"] = lambda v: quote(str(v), safe=":")
    env.globals["language"] = language
    env.globals["languages"] = i18n.LANGUAGES
    return env


def gettext(message: str, language: str) -> str:
    """A message of the Python code in the reader's language (the message first, so that
    `pybabel extract` finds it as it finds every `gettext("...")`)."""
    return i18n.translations(language).gettext(message)


def page(
    request: Request,
    template: str,
    viewer: Viewer | None,
    language: str,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    body = (
        environment(language)
        .get_template(template)
        .render(
            request=request,
            viewer=viewer,
            path=request.url.path,
            here=str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
            **context,
        )
    )
    return HTMLResponse(body, status_code=status, headers=headers)
