"""What an in-kind line is worth in EUR, and by which method.

Declared value (the donor's figure for the whole line) wins when present; otherwise the
catalogue reference unit value × quantity, depreciated for used equipment. Depreciation is
never applied to a declared value unless the policy says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from coalition.domain.money import (
    EUR,
    ConversionRule,
    ConvertedAmount,
    ExchangeRates,
    convert_to_eur,
    to_cents,
)
from coalition.planning.burden.snapshot import BurdenDataError, InKindOffer

ValuationMethod = Literal["declared", "catalogue", "unvalued"]


@dataclass(frozen=True)
class ValuationPolicy:
    used_depreciation: Decimal = Decimal("0.5")  # used = catalogue × (1 − d)
    depreciate_declared: bool = False  # donors usually declare a used item's value already

    def __post_init__(self) -> None:
        if not Decimal(0) <= self.used_depreciation <= Decimal(1):
            raise ValueError(
                f"used_depreciation must be within [0, 1], got {self.used_depreciation}"
            )


@dataclass(frozen=True)
class InKindValue:
    method: ValuationMethod
    value: ConvertedAmount | None  # None when the line has neither declared nor catalogue value


def value_offer(
    offer: InKindOffer,
    on: date,
    rule: ConversionRule,
    rates: ExchangeRates,
    policy: ValuationPolicy,
) -> InKindValue:
    """Value ``offer`` in EUR, converting a declared foreign-currency value at ``on``."""
    used_factor = Decimal(1) - policy.used_depreciation if offer.condition == "used" else Decimal(1)
    if offer.declared_value is not None:
        declared = offer.declared_value
        if policy.depreciate_declared:
            declared = declared * used_factor
        if offer.declared_currency is None:
            raise BurdenDataError(f"in-kind offer {offer.id}: declared value without a currency")
        return InKindValue(
            "declared", convert_to_eur(declared, offer.declared_currency, on, rule, rates)
        )
    if offer.catalogue_unit_value_eur is not None:
        eur = to_cents(offer.catalogue_unit_value_eur * offer.quantity * used_factor)
        return InKindValue("catalogue", convert_to_eur(eur, EUR, on, rule, rates))
    return InKindValue("unvalued", None)
