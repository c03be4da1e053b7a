"""Field checks shared by the domain records; each raises InvalidValue naming the field.

This is the one home of every field's domain (bounds, places, date ranges). The records call
these checks in ``__post_init__``; the spreadsheet column types reuse the same objects to parse
cells and to describe the rule in docs/formats.md, so no bound is written twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from coalition.domain.errors import InvalidValue

# ":" is kept out of codes: it joins the parts of a composite key, e.g. DEU:OF-0001.
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
CODE_RULE = "1-64 letters, digits or . _ / - (no spaces)"
# Control characters no spreadsheet (XLSX is XML) or terminal shows; tab and line breaks are fine.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Today's date, injectable so that tests (and replays) can fix "now".
_today: ContextVar[date | None] = ContextVar("coalition_today", default=None)


def today() -> date:
    """The date events are checked against: events that happened cannot be after it."""
    return _today.get() or date.today()


@contextmanager
def today_is(day: date) -> Iterator[None]:
    """Within the block, ``today()`` is ``day``."""
    token = _today.set(day)
    try:
        yield
    finally:
        _today.reset(token)


def code(field: str, value: str) -> str:
    if not isinstance(value, str) or not _CODE.match(value):
        raise InvalidValue(field, value, f"must be {CODE_RULE}")
    return value


def text(field: str, value: str, *, max_length: int = 200) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(field, value, "must not be empty")
    return optional_text(field, value, max_length=max_length)


def optional_text(field: str, value: str, *, max_length: int = 2000) -> str:
    """Free text that may be empty, within a length that every report can show."""
    if not isinstance(value, str):
        raise InvalidValue(field, value, "must be text")
    if len(value) > max_length:
        raise InvalidValue(field, value, f"must be at most {max_length} characters")
    if _CONTROL.search(value):
        raise InvalidValue(field, value, "must not contain control characters")
    return value


def _shown(number: int) -> str:
    return f"{number:,}" if abs(number) >= 10_000 else str(number)  # years stay 1990, not 1,990


@dataclass(frozen=True)
class WholeNumbers:
    """Whole numbers from ``low`` to ``high`` inclusive."""

    low: int
    high: int

    @property
    def rule(self) -> str:
        return f"a whole number from {_shown(self.low)} to {_shown(self.high)}"

    def __call__(self, field: str, value: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValue(field, value, f"must be {self.rule}")
        if not self.low <= value <= self.high:
            raise InvalidValue(field, value, f"must be {self.rule}")
        return value


@dataclass(frozen=True)
class Numbers:
    """Exact decimals above ``low`` (or from it, if ``low_included``) up to ``high``."""

    low: Decimal
    high: Decimal
    places: int  # at most this many digits after the decimal point
    low_included: bool = False

    @property
    def rule(self) -> str:
        above = "from" if self.low_included else "greater than"
        return (
            f"a number {above} {self.low:,} up to {self.high:,}, "
            f"with at most {self.places} decimal places"
        )

    def __call__(self, field: str, value: Decimal) -> Decimal:
        if not isinstance(value, Decimal) or not value.is_finite():
            raise InvalidValue(field, value, f"must be {self.rule}")
        too_low = value < self.low if self.low_included else value <= self.low
        if too_low or value > self.high:
            raise InvalidValue(field, value, f"must be {self.rule}")
        if value != value.quantize(Decimal(1).scaleb(-self.places)):
            raise InvalidValue(field, value, f"must have at most {self.places} decimal places")
        return value

    def optional(self, field: str, value: Decimal | None) -> Decimal | None:
        return None if value is None else self(field, value)


@dataclass(frozen=True)
class Dates:
    """Dates from ``earliest`` to ``latest``; ``past`` dates (events) are also not after today."""

    earliest: date
    latest: date
    past: bool = False

    @property
    def rule(self) -> str:
        end = "today" if self.past else self.latest.isoformat()
        return f"a date YYYY-MM-DD from {self.earliest.isoformat()} to {end}"

    def __call__(self, field: str, value: date) -> date:
        if not isinstance(value, date):
            raise InvalidValue(field, value, f"must be {self.rule}")
        if not self.earliest <= value <= self.latest:
            raise InvalidValue(field, value, f"must be {self.rule}")
        if self.past and value > today():
            raise InvalidValue(
                field, value, f"is in the future (today is {today().isoformat()}): {self.rule}"
            )
        return value

    def optional(self, field: str, value: date | None) -> date | None:
        return None if value is None else self(field, value)


@dataclass(frozen=True)
class Degrees:
    """Decimal degrees from ``-limit`` to ``limit`` (latitude 90, longitude 180), finite."""

    limit: float
    axis: str  # latitude or longitude, for the rule's text

    @property
    def rule(self) -> str:
        return f"{self.axis} in decimal degrees from {-self.limit:g} to {self.limit:g}"

    def __call__(self, field: str, value: float) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidValue(field, value, f"must be {self.rule}")
        if not -self.limit <= value <= self.limit:  # NaN fails every comparison
            raise InvalidValue(field, value, f"must be {self.rule}")
        return value


@dataclass(frozen=True)
class Times:
    """Moments (timezone-aware) from ``earliest`` (UTC) to today: events that happened.

    A moment carries its UTC offset; a naive one is refused, because it could be any of 26
    hours. "Today" is ``today()``; a moment on the next UTC day is allowed for clocks east of
    UTC, anything later is in the future.
    """

    earliest: datetime

    @property
    def rule(self) -> str:
        return (
            f"a date and time with its UTC offset (YYYY-MM-DDTHH:MM:SS+00:00) from "
            f"{self.earliest.date().isoformat()} to now"
        )

    def __call__(self, field: str, value: datetime) -> datetime:
        if not isinstance(value, datetime) or value.utcoffset() is None:
            raise InvalidValue(field, value, f"must be {self.rule}")
        if value < self.earliest:
            raise InvalidValue(field, value, f"must be {self.rule}")
        if value.astimezone(UTC).date() > today() + timedelta(days=1):
            raise InvalidValue(
                field, value, f"is in the future (today is {today().isoformat()}): {self.rule}"
            )
        return value


# The domains. Bounds are generous for real data and small enough that no report overflows.
MAX_UNITS = 10_000_000
QUANTITY = WholeNumbers(1, MAX_UNITS)  # units on one offer, requirement line
COUNT = WholeNumbers(0, MAX_UNITS)  # units counted in service (zero allowed)
PRIORITY = WholeNumbers(1, 5)  # 1 is the most urgent
YEARS = WholeNumbers(1990, 2100)
MAX_MONEY = Decimal(10) ** 13
MONEY = Numbers(Decimal(0), MAX_MONEY, places=2)  # an amount in its currency, > 0
VALUE = Numbers(Decimal(0), MAX_MONEY, places=2, low_included=True)  # declared value, >= 0
UNIT_VALUE = Numbers(Decimal(0), MAX_MONEY, places=6, low_included=True)  # per unit, >= 0
GDP_AMOUNT = Numbers(Decimal(0), Decimal(10) ** 15, places=6)  # in the source's unit
MEASURE = Numbers(Decimal(0), Decimal(10) ** 9, places=6, low_included=True)  # kg, m3
DATES = Dates(date(1900, 1, 1), date(2100, 12, 31))
EVENT_DATES = Dates(date(1900, 1, 1), date(2100, 12, 31), past=True)  # delivered, disbursed
EVENT_TIMES = Times(datetime(1990, 1, 1, tzinfo=UTC))  # tracking events
LATITUDE = Degrees(90.0, "latitude")
LONGITUDE = Degrees(180.0, "longitude")
TONNES_PER_DAY = Numbers(Decimal(0), Decimal(10) ** 7, places=3, low_included=True)
TRANSIT_DAYS = Numbers(Decimal(0), Decimal(365), places=2, low_included=True)  # 0.5: same day
COST_PER_TONNE = Numbers(Decimal(0), Decimal(10) ** 7, places=2, low_included=True)  # EUR
# Training and readiness (domain/training.py, readiness.py, sustainment.py).
PER_PLATFORM = WholeNumbers(0, 1_000)  # trainees a course must graduate per platform (crew size)
DURATION_WEEKS = WholeNumbers(1, 260)  # length of a course
SEATS = WholeNumbers(1, 100_000)  # places on an intake, people in a cohort
RESERVE_FACTOR = Numbers(Decimal(1), Decimal(10), places=3, low_included=True)  # 1.2: 20 % more
MARGIN_DAYS = WholeNumbers(0, 3_650)  # crews graduate this many days before their equipment
USAGE_RATE = Numbers(Decimal(0), Decimal(10) ** 6, places=4)  # units per platform per month
MONTHS = WholeNumbers(1, 60)  # a sustainment horizon


def year(field: str, value: int) -> int:
    return YEARS(field, value)


def is_date(field: str, value: date) -> date:
    return DATES(field, value)


def currency(field: str, value: str) -> str:
    """Shape check only; whether the code exists (ISO 4217, ECB rate) is checked at import."""
    if not isinstance(value, str) or not _CURRENCY.match(value):
        raise InvalidValue(field, value, "must be a three-letter ISO 4217 code such as EUR")
    return value


def one_of(field: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise InvalidValue(field, value, "must be one of " + ", ".join(allowed))
    return value
