"""Money values for burden-sharing: Decimal amounts, EUR conversion with its rate and date.

The rate source is a port (``ExchangeRates``): this module stays pure, and the ECB adapter
lives in ``coalition.io.ecb_rates``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Literal, Protocol

EUR = "EUR"
CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# Which date a conversion used, so every figure says why it has its rate.
ConversionRule = Literal["pledge date", "delivery date", "no conversion (EUR)"]


def to_cents(amount: Decimal) -> Decimal:
    """Round to the cent, half to even (banker's rounding: no upward drift over many lines)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_EVEN)


class ExchangeRateError(Exception):
    """No trustworthy ECB rate for a conversion; the message names currency and date."""

    def __init__(self, currency: str, on: date | None, reason: str) -> None:
        self.currency = currency
        self.on = on
        when = f" on {on.isoformat()}" if on else ""
        super().__init__(f"cannot convert {currency}{when} to EUR: {reason}")


class UnsupportedCurrencyError(ExchangeRateError):
    """The ECB publishes no reference rate for this currency at all."""


class MissingRateError(ExchangeRateError):
    """The currency is supported but no rate exists within the fallback window of the date."""


@dataclass(frozen=True)
class ExchangeRate:
    """ECB reference rate: units of ``currency`` per 1 EUR, as published for ``rate_date``."""

    currency: str
    per_eur: Decimal
    rate_date: date
    basis: str  # e.g. "ECB reference rate" or "ECB annual average 2023"


class ExchangeRates(Protocol):
    """Port for the rate source (ECB data in production, a dict in tests)."""

    def rate_on(self, currency: str, on: date) -> ExchangeRate:
        """Rate for ``on`` or the documented fallback; raise ExchangeRateError otherwise."""
        ...

    def annual_average(self, currency: str, year: int) -> ExchangeRate:
        """Mean of the daily reference rates of ``year`` (the ECB's annual average)."""
        ...


@dataclass(frozen=True)
class ConvertedAmount:
    """A figure in EUR that remembers where it came from."""

    amount: Decimal
    currency: str
    eur: Decimal
    rate: Decimal  # units of ``currency`` per 1 EUR; 1 for EUR
    rate_date: date
    rule: ConversionRule


def convert_to_eur(
    amount: Decimal,
    currency: str,
    on: date,
    rule: ConversionRule,
    rates: ExchangeRates,
) -> ConvertedAmount:
    """Convert at the ECB rate of ``on`` (the date named by ``rule``), rounded to the cent."""
    if currency == EUR:
        return ConvertedAmount(amount, EUR, to_cents(amount), Decimal(1), on, "no conversion (EUR)")
    rate = rates.rate_on(currency, on)
    return ConvertedAmount(
        amount=amount,
        currency=currency,
        eur=to_cents(amount / rate.per_eur),
        rate=rate.per_eur,
        rate_date=rate.rate_date,
        rule=rule,
    )
