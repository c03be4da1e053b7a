"""Split a baseline among donors in proportion to weights (GDP), exactly to the cent.

Exact rational arithmetic (``Fraction``) gives each donor its unrounded share; each share is
floored to the cent and the cents left over go, one each, to the largest remainders (ties to the
alphabetically first code). The parts then sum exactly to the total, whatever the input order.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from coalition.domain.money import CENT


def split_by_largest_remainder(
    total: Decimal, weights: Mapping[str, Decimal]
) -> dict[str, Decimal]:
    """Return ``total × weight / Σ weights`` per key, rounded to the cent, summing to ``total``."""
    if total != total.quantize(CENT):
        raise ValueError(f"total {total} is not a whole number of cents")
    if any(weight < 0 for weight in weights.values()):
        raise ValueError("weights must not be negative")
    weight_sum = sum((Fraction(weight) for weight in weights.values()), Fraction(0))
    if weight_sum == 0:
        raise ValueError("weights sum to zero: no basis for shares")

    total_cents = int(total / CENT)
    exact_cents = {
        code: Fraction(total_cents) * Fraction(weight) / weight_sum
        for code, weight in weights.items()
    }
    floored = {code: exact.numerator // exact.denominator for code, exact in exact_cents.items()}
    leftover = total_cents - sum(floored.values())
    by_remainder = sorted(
        exact_cents, key=lambda code: (-(exact_cents[code] - floored[code]), code)
    )
    for code in by_remainder[:leftover]:
        floored[code] += 1
    return {code: Decimal(cents) * CENT for code, cents in sorted(floored.items())}
