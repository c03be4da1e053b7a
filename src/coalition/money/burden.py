"""The one call the interfaces make: snapshot → burden report with ECB rates."""

from __future__ import annotations

from coalition.money.fx import EcbRates
from coalition.planning.burden import (
    BurdenReport,
    BurdenSnapshot,
    ExchangeRates,
    ValuationPolicy,
    compute_burden,
)


def burden_report(
    snapshot: BurdenSnapshot,
    year: int,
    policy: ValuationPolicy | None = None,
    rates: ExchangeRates | None = None,
) -> BurdenReport:
    """Burden-sharing for ``year``, converting at ECB reference rates unless told otherwise."""
    return compute_burden(snapshot, year, rates or EcbRates(), policy)
