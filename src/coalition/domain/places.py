"""Where things are. Depots, hubs and origins are coded after the country they are in.

An origin code starts with the ISO 3166 alpha-3 code of its country: `DEU` (the country as a
whole), `DEU-DEPOT-2`, `POL-HUB-RZE`. Planning tables keyed by country (transit days until a
logistics network exists) read the country from the code through `country_of`.
"""

from __future__ import annotations

import re

_COUNTRY_PREFIX = re.compile(r"^([A-Z]{3})(?:$|[-_.])")


def country_of(place_code: str) -> str | None:
    """The country a place code names (`DEU-DEPOT-2` → `DEU`), or None if it names none."""
    match = _COUNTRY_PREFIX.match(place_code)
    return match.group(1) if match else None
