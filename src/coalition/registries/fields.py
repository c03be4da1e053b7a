"""Spreadsheet field types: parse a cell (CSV text or an XLSX value), render it back, store it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from coalition.domain import checks
from coalition.domain.catalogue import capability_area
from coalition.domain.errors import InvalidValue
from coalition.domain.markings import GRAMMAR, check_marking

MAX_NUMBER_TEXT = 40  # characters in a number cell; longer text is not a number we accept


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message is the reason."""


def identity(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class FieldType:
    name: str  # shown in templates and docs
    parse: Callable[[Any], Any]
    render: Callable[[Any], str] = str
    to_db: Callable[[Any], Any] = identity
    from_db: Callable[[Any], Any] = identity


def _text(cell: Any) -> str:
    return str(cell).strip()


def _int(cell: Any) -> int:
    if isinstance(cell, bool):
        raise CellError("expected a whole number")
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        if cell.is_integer():
            return int(cell)
        raise CellError("expected a whole number")
    text = str(cell).strip().replace("_", "")
    if len(text) > MAX_NUMBER_TEXT:
        raise CellError("expected a whole number (this one has too many digits)")
    try:
        return int(text)
    except ValueError:
        raise CellError("expected a whole number") from None


def _decimal(cell: Any) -> Decimal:
    if isinstance(cell, bool):
        raise CellError("expected a number such as 1250000.00")
    if isinstance(cell, float):
        cell = repr(cell)  # XLSX numbers arrive as floats; repr keeps the shortest exact digits
    text = str(cell).strip()
    if len(text) > MAX_NUMBER_TEXT:
        raise CellError("expected a number such as 1250000.00 (this one is too long)")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CellError("expected a number such as 1250000.00") from None
    if not value.is_finite():
        raise CellError("expected a finite number")
    if abs(value.adjusted()) > 30:  # 1E+400000000 is a short text but an enormous number
        raise CellError("expected a number such as 1250000.00 (this one is out of range)")
    return value


def _float(cell: Any) -> float:
    if isinstance(cell, bool) or (isinstance(cell, str) and len(cell) > MAX_NUMBER_TEXT):
        raise CellError("expected a number")
    try:
        return float(cell)
    except (TypeError, ValueError, OverflowError):
        raise CellError("expected a number") from None


def _date(cell: Any) -> date:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = str(cell).strip()
    if len(text) != 10:  # fromisoformat also takes 20240101 and week dates: not our format
        raise CellError("expected a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CellError("expected a date written YYYY-MM-DD") from None


def _render_decimal(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def _db_date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _db_decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def enum_of(cls: type[StrEnum]) -> FieldType:
    choices = [member.value for member in cls]

    def parse(cell: Any) -> StrEnum:
        try:
            return cls(str(cell).strip())
        except ValueError:
            raise CellError("expected one of " + ", ".join(choices)) from None

    return FieldType(
        name="one of: " + ", ".join(choices),
        parse=parse,
        render=lambda v: str(v.value),
        to_db=lambda v: v.value,
        from_db=cls,
    )


def _parse_areas(cell: Any) -> frozenset[Any]:
    parts = [p for p in str(cell).replace(",", ";").split(";") if p.strip()]
    try:
        return frozenset(capability_area("only_for_areas", p) for p in parts)
    except InvalidValue as error:
        raise CellError(error.reason) from None


def _join_areas(areas: frozenset[Any]) -> str:
    return ";".join(sorted(a.value for a in areas))


def _split_areas(text: str) -> frozenset[Any]:
    return _parse_areas(text) if text else frozenset()


def _parse_codes(cell: Any) -> frozenset[str]:
    return frozenset(p.strip() for p in str(cell).replace(",", ";").split(";") if p.strip())


def _join_codes(codes: frozenset[str]) -> str:
    return ";".join(sorted(codes))


def _domain_parse(parse: Callable[[Any], Any], check: Callable[[str, Any], Any]) -> Any:
    """A cell parser that applies a domain check from domain/checks.py (the one home)."""

    def parse_in_domain(cell: Any) -> Any:
        value = parse(cell)
        try:
            check("", value)
        except InvalidValue as error:
            raise CellError(error.reason) from None
        return value

    return parse_in_domain


def whole_number(domain: checks.WholeNumbers) -> FieldType:
    return FieldType(domain.rule, _domain_parse(_int, domain))


def number(domain: checks.Numbers) -> FieldType:
    return FieldType(
        domain.rule,
        _domain_parse(_decimal, domain),
        render=_render_decimal,
        from_db=_db_decimal,
    )


def date_in(domain: checks.Dates) -> FieldType:
    return FieldType(
        domain.rule, _domain_parse(_date, domain), render=date.isoformat, from_db=_db_date
    )


def _currency(cell: Any) -> str:
    text = _text(cell)
    try:
        return checks.currency("", text)
    except InvalidValue as error:
        raise CellError(error.reason) from None


def _marking(cell: Any) -> str:
    text = _text(cell)
    try:
        return check_marking("marking", text)
    except InvalidValue as error:
        raise CellError(error.reason) from None


def degrees(domain: checks.Degrees) -> FieldType:
    return FieldType(domain.rule, _domain_parse(_float, domain))


_TRUE = ("true", "yes", "1")
_FALSE = ("false", "no", "0")


def _boolean(cell: Any) -> bool:
    if isinstance(cell, bool):
        return cell
    text = str(cell).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError("expected true or false (also yes/no, 1/0)")


def _country(cell: Any) -> str:
    text = _text(cell)
    if len(text) != 3 or not text.isascii() or not text.isalpha() or not text.isupper():
        raise CellError("expected an ISO 3166 alpha-3 country code such as POL")
    return text


TEXT = FieldType("text", _text)
MARKING = FieldType(f"releasability: {GRAMMAR}", _marking)
CODE = FieldType(f"code: {checks.CODE_RULE}", _text)
CURRENCY = FieldType("ISO 4217 code with an ECB euro reference rate, or EUR", _currency)
CODES = FieldType("codes separated by ;", _parse_codes, _join_codes, _join_codes, _parse_codes)
INT = FieldType("whole number", _int)
DECIMAL = FieldType("number", _decimal, render=_render_decimal, from_db=_db_decimal)
FLOAT = FieldType("number", _float)
DATE = date_in(checks.DATES)
EVENT_DATE = date_in(checks.EVENT_DATES)
QUANTITY = whole_number(checks.QUANTITY)
COUNT = whole_number(checks.COUNT)
PRIORITY = whole_number(checks.PRIORITY)
YEAR = whole_number(checks.YEARS)
MONEY = number(checks.MONEY)
VALUE = number(checks.VALUE)
UNIT_VALUE = number(checks.UNIT_VALUE)
GDP_AMOUNT = number(checks.GDP_AMOUNT)
MEASURE = number(checks.MEASURE)
AREAS = FieldType(
    "capability areas separated by ;", _parse_areas, _join_areas, _join_areas, _split_areas
)
LATITUDE = degrees(checks.LATITUDE)
LONGITUDE = degrees(checks.LONGITUDE)
BOOLEAN = FieldType(
    "true or false", _boolean, render=lambda v: "true" if v else "false", from_db=bool
)
COUNTRY = FieldType("ISO 3166 alpha-3 country code", _country)
TONNES_PER_DAY = number(checks.TONNES_PER_DAY)
TRANSIT_DAYS = number(checks.TRANSIT_DAYS)
COST_PER_TONNE = number(checks.COST_PER_TONNE)
PER_PLATFORM = whole_number(checks.PER_PLATFORM)
DURATION_WEEKS = whole_number(checks.DURATION_WEEKS)
SEATS = whole_number(checks.SEATS)
