"""Languages: English (the source) and Ukrainian, from the Babel catalogue in `locale/`.

The `.po` file is compiled in memory when first needed, so what is served is always the
catalogue in the repository (no compiled file to forget). Numbers and dates are formatted
for the reader's locale by Babel.
"""

from __future__ import annotations

import gettext
import io
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = {"en": "English", "uk": "Українська"}
DEFAULT = "en"
DOMAIN = "messages"


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    if language == DEFAULT:
        return gettext.NullTranslations()
    with catalogue_path(language).open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def chosen(cookie: str | None, accept_language: str | None) -> str:
    """The reader's language: their choice (cookie), else the browser's, else English."""
    if cookie in LANGUAGES:
        return str(cookie)
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT


def number(value: Any, language: str, digits: int = 0) -> str:
    if value is None or value == "":
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return str(format_decimal(value, format=pattern, locale=Locale.parse(language)))


def percent(value: Any, language: str) -> str:
    if value is None:
        return "—"
    return str(format_percent(value, format="#,##0.0%", locale=Locale.parse(language)))


def day(value: Any, language: str) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        return str(format_datetime(value, "medium", locale=Locale.parse(language)))
    return str(format_date(value, "medium", locale=Locale.parse(language)))
