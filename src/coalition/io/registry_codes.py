"""Existence checks against ISO registries (pycountry): countries and currencies."""

from __future__ import annotations

from functools import cache

import pycountry


@cache
def iso_countries() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.countries)


@cache
def iso_currencies() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


def country_name(alpha3: str) -> str | None:
    country = pycountry.countries.get(alpha_3=alpha3)
    return None if country is None else country.name
