"""NATO Stock Numbers: 4-digit supply classification + 2-digit NCB + 7-digit item number."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coalition.domain.errors import InvalidValue

_WRITTEN = re.compile(r"^\d{4}-\d{2}-\d{3}-\d{4}$")
_PLAIN = re.compile(r"^\d{13}$")

# National Codification Bureau codes (source: docs/formats.md, DOMAIN facts). Unknown codes are
# valid NSNs whose nation we simply cannot name.
NCB_NATIONS: dict[str, str] = {
    "00": "USA",
    "01": "USA",
    "12": "DEU",
    "13": "BEL",
    "14": "FRA",
    "15": "ITA",
    "16": "CZE",
    "20": "CAN",
    "21": "CAN",
    "22": "DNK",
    "23": "GRC",
    "24": "ISL",
    "38": "EST",
    "50": "BGR",
    "51": "HUN",
    "53": "HRV",
    "58": "FIN",
    "59": "ALB",
    "99": "GBR",  # commonly cited, not confirmed by a primary source
}


@dataclass(frozen=True, slots=True)
class Nsn:
    supply_class: str  # NSC: 2-digit group + 2-digit class
    ncb: str
    item_number: str

    @property
    def niin(self) -> str:
        return self.ncb + self.item_number

    @property
    def nation(self) -> str | None:
        return NCB_NATIONS.get(self.ncb)

    def __str__(self) -> str:
        n = self.item_number
        return f"{self.supply_class}-{self.ncb}-{n[:3]}-{n[3:]}"


def parse_nsn(value: str, field: str = "nsn") -> Nsn:
    """Accept `1005-12-123-4567` or 13 plain digits; refuse anything else with the reason."""
    raw = value.strip()
    if not (_WRITTEN.match(raw) or _PLAIN.match(raw)):
        raise InvalidValue(field, value, "an NSN is 13 digits, written 1005-12-123-4567")
    digits = raw.replace("-", "")
    supply_group = int(digits[:2])
    if supply_group < 10:
        raise InvalidValue(field, value, "the supply group (first two digits) starts at 10")
    return Nsn(supply_class=digits[:4], ncb=digits[4:6], item_number=digits[6:])
