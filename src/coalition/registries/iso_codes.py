"""Existence checks against ISO registries (pycountry): countries and currencies."""

from __future__ import annotations

from functools import cache

import pycountry


@cache
def iso_countries() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.countries)


# Withdrawn ISO 4217 codes still met in records dated before the euro replaced them
# (pycountry lists only current codes; Bulgaria's lev went on 2026-01-01).
EURO_LEGACY_CURRENCIES = frozenset({"BGN", "HRK", "CYP", "EEK", "LTL", "LVL", "MTL", "SIT", "SKK"})


@cache
def iso_currencies() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies) | EURO_LEGACY_CURRENCIES
