"""How a report writes a figure: one place, so the PDF, the HTML, the tables and the tests that
read figures back from a rendered page agree on every digit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

WITHHELD = "withheld"
MILLION = Decimal(1_000_000)


def eur_m(value: Any) -> str:
    """EUR as millions with one decimal (`14,849.2`); `withheld` for a withheld figure."""
    if value is None:
        return WITHHELD
    # As `coalition status` prints it (Decimal formatting rounds half to even).
    return f"{Decimal(str(value)) / MILLION:,.1f}"


def pct(value: Any, places: int = 1) -> str:
    """A percentage as given (`57.9 %`); `withheld` for a withheld figure."""
    if value is None:
        return WITHHELD
    return f"{Decimal(str(value)):.{places}f} %"


def points(value: Any) -> str:
    """A change in percentage points, signed (`+1.2 pts`); `n/a` without a comparison."""
    if value is None:
        return "n/a"
    return f"{Decimal(str(value)):+.1f} pts"


def count(value: Any) -> str:
    return WITHHELD if value is None else f"{int(value):,}"


def area(name: str) -> str:
    return name.replace("_", " ")
