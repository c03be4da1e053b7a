"""Releasability markings: who a record may be shown to, as written on it.

- `NATO UNCLASSIFIED`: everyone with an account may see it (the default).
- `RESTRICTED`: coordination staff, admins and auditors, and the donor that owns it.
- `REL TO <codes>`: those, plus the donors named (and Ukraine's recipient staff when `UKR` is
  named), e.g. `REL TO UKR`, `REL TO DEU;POL`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coalition.domain.errors import InvalidValue

UNCLASSIFIED = "NATO UNCLASSIFIED"
RESTRICTED = "RESTRICTED"
DEFAULT_MARKING = UNCLASSIFIED
UKRAINE = "UKR"
_REL_TO = re.compile(r"^REL TO ([A-Z0-9][A-Z0-9-]{1,15}(?:[;,] ?[A-Z0-9][A-Z0-9-]{1,15})*)$")
GRAMMAR = "NATO UNCLASSIFIED, RESTRICTED, or REL TO CODE[;CODE...] (e.g. REL TO UKR;DEU)"


@dataclass(frozen=True, slots=True)
class Releasability:
    open_to_all: bool
    released_to: frozenset[str]  # donor codes, and UKR for Ukraine's staff


def parse_marking(text: str) -> Releasability:
    if text == UNCLASSIFIED:
        return Releasability(True, frozenset())
    if text == RESTRICTED:
        return Releasability(False, frozenset())
    match = _REL_TO.match(text)
    if match is None:
        raise InvalidValue("marking", text, f"must be {GRAMMAR}")
    codes = re.split(r"[;,] ?", match.group(1))
    return Releasability(False, frozenset(codes))


def canonical(marking: Releasability) -> str:
    """One spelling per marking (codes sorted, `;`-separated), so a query can match codes."""
    if marking.open_to_all:
        return UNCLASSIFIED
    if not marking.released_to:
        return RESTRICTED
    return "REL TO " + ";".join(sorted(marking.released_to))


def check_marking(field: str, value: str) -> str:
    """The marking in its canonical spelling, or InvalidValue naming `field`."""
    try:
        return canonical(parse_marking(value))
    except InvalidValue as error:
        raise InvalidValue(field, value, error.reason) from None


REL_TO_PREFIX = "REL TO "
