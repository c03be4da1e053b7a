"""Small field checks shared by the domain records; each raises InvalidValue naming the field."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from coalition.domain.errors import InvalidValue

# ":" is kept out of codes: it joins the parts of a composite key, e.g. DEU:OF-0001.
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def code(field: str, value: str) -> str:
    if not isinstance(value, str) or not _CODE.match(value):
        raise InvalidValue(field, value, "must be 1-64 letters, digits or . _ / - (no spaces)")
    return value


def text(field: str, value: str, *, max_length: int = 200) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(field, value, "must not be empty")
    if len(value) > max_length:
        raise InvalidValue(field, value, f"must be at most {max_length} characters")
    return value


def positive_int(field: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidValue(field, value, "must be a whole number greater than zero")
    return value


def non_negative_int(field: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValue(field, value, "must be a whole number, zero or more")
    return value


def positive_decimal(field: str, value: Decimal) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or value <= 0:
        raise InvalidValue(field, value, "must be a number greater than zero")
    return value


def optional_non_negative_decimal(field: str, value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise InvalidValue(field, value, "must be a number, zero or more")
    return value


def currency(field: str, value: str) -> str:
    """Shape check only; whether the code exists in ISO 4217 is checked against the registry."""
    if not isinstance(value, str) or not _CURRENCY.match(value):
        raise InvalidValue(field, value, "must be a three-letter ISO 4217 code such as EUR")
    return value


def is_date(field: str, value: date) -> date:
    if not isinstance(value, date):
        raise InvalidValue(field, value, "must be a date (YYYY-MM-DD)")
    return value


def year(field: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1990 <= value <= 2100:
        raise InvalidValue(field, value, "must be a year between 1990 and 2100")
    return value


def one_of(field: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise InvalidValue(field, value, "must be one of " + ", ".join(allowed))
    return value
