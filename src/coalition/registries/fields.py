"""Spreadsheet field types: parse a cell (CSV text or an XLSX value), render it back, store it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from coalition.domain.catalogue import capability_area
from coalition.domain.errors import InvalidValue


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
    try:
        return int(text)
    except ValueError:
        raise CellError("expected a whole number") from None


def _decimal(cell: Any) -> Decimal:
    if isinstance(cell, float):
        cell = repr(cell)  # XLSX numbers arrive as floats; repr keeps the shortest exact digits
    try:
        value = Decimal(str(cell).strip())
    except InvalidOperation:
        raise CellError("expected a number such as 1250000.00") from None
    if not value.is_finite():
        raise CellError("expected a finite number")
    return value


def _float(cell: Any) -> float:
    try:
        return float(cell)
    except (TypeError, ValueError):
        raise CellError("expected a number") from None


def _date(cell: Any) -> date:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    try:
        return date.fromisoformat(str(cell).strip())
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


TEXT = FieldType("text", _text)
CODES = FieldType("codes separated by ;", _parse_codes, _join_codes, _join_codes, _parse_codes)
INT = FieldType("whole number", _int)
DECIMAL = FieldType("number", _decimal, render=_render_decimal, from_db=_db_decimal)
FLOAT = FieldType("number", _float)
DATE = FieldType("date YYYY-MM-DD", _date, render=date.isoformat, from_db=_db_date)
AREAS = FieldType(
    "capability areas separated by ;", _parse_areas, _join_areas, _join_areas, _split_areas
)
