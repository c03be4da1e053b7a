"""Burden-sharing: each ally's fair share of a baseline pledge against what it gave.

Pure computation (standard library only). Exchange rates come in through the
``ExchangeRates`` port; ``coalition.io.ecb_rates.EcbRates`` implements it with ECB data.
"""

from coalition.domain.money import (
    ConvertedAmount,
    ExchangeRate,
    ExchangeRateError,
    ExchangeRates,
    MissingRateError,
    UnsupportedCurrencyError,
    convert_to_eur,
    to_cents,
)
from coalition.planning.burden.compute import GROUP_NAMES, compute_burden
from coalition.planning.burden.fair_share import split_by_largest_remainder
from coalition.planning.burden.report import (
    BurdenLine,
    BurdenReport,
    ChannelFlows,
    DonorBurden,
    ExcludedLine,
    GroupTotals,
    StageTotals,
    ValuationCount,
)
from coalition.planning.burden.snapshot import (
    BurdenBaseline,
    BurdenDataError,
    BurdenSnapshot,
    Donor,
    FinancialPledge,
    GdpFigure,
    InKindOffer,
    Membership,
)
from coalition.planning.burden.table import (
    BURDEN_COLUMNS,
    burden_table,
    channel_table,
    report_as_dict,
)
from coalition.planning.burden.valuation import ValuationPolicy

__all__ = [
    "BURDEN_COLUMNS",
    "GROUP_NAMES",
    "BurdenBaseline",
    "BurdenDataError",
    "BurdenLine",
    "BurdenReport",
    "BurdenSnapshot",
    "ChannelFlows",
    "ConvertedAmount",
    "Donor",
    "DonorBurden",
    "ExchangeRate",
    "ExchangeRateError",
    "ExchangeRates",
    "ExcludedLine",
    "FinancialPledge",
    "GdpFigure",
    "GroupTotals",
    "InKindOffer",
    "Membership",
    "MissingRateError",
    "StageTotals",
    "UnsupportedCurrencyError",
    "ValuationCount",
    "ValuationPolicy",
    "burden_table",
    "channel_table",
    "compute_burden",
    "convert_to_eur",
    "report_as_dict",
    "split_by_largest_remainder",
    "to_cents",
]
