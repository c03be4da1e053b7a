"""Flat rows of a burden report for tables (Rich, CSV, XLSX) and JSON.

Cells keep Decimal values (None when not applicable); renderers choose the format.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from coalition.planning.burden.report import BurdenReport, StageTotals

Cell = str | int | Decimal | None

BURDEN_COLUMNS = (
    "row_type",
    "code",
    "name",
    "groups",
    "participant",
    "gdp_usd_bn",
    "fair_share_eur",
    "pledged_eur",
    "committed_eur",
    "delivered_eur",
    "delivered_pct_of_fair_share",
    "delivered_pct_of_gdp",
    "shortfall_eur",
)


def _stage_cells(totals: StageTotals) -> dict[str, Cell]:
    return {
        "pledged_eur": totals.pledged,
        "committed_eur": totals.committed,
        "delivered_eur": totals.delivered,
    }


def burden_table(report: BurdenReport) -> list[dict[str, Cell]]:
    """One row per nation (largest fair share first), then one per grouping."""
    rows: list[dict[str, Cell]] = []
    for donor in report.donors:
        rows.append(
            {
                "row_type": "donor",
                "code": donor.code,
                "name": donor.name,
                "groups": " ".join(sorted(donor.groups)),
                "participant": "yes" if donor.participant else "no",
                "gdp_usd_bn": donor.gdp,
                "fair_share_eur": donor.fair_share,
                **_stage_cells(donor.totals),
                "delivered_pct_of_fair_share": donor.delivered_pct_of_fair_share,
                "delivered_pct_of_gdp": donor.delivered_pct_of_gdp,
                "shortfall_eur": donor.shortfall,
            }
        )
    for group in report.groups:
        rows.append(
            {
                "row_type": "group",
                "code": group.name,
                "name": f"{group.name} ({len(group.member_codes)})",
                "groups": None,
                "participant": None,
                "gdp_usd_bn": None,
                "fair_share_eur": group.fair_share,
                **_stage_cells(group.totals),
                "delivered_pct_of_fair_share": group.delivered_pct_of_fair_share,
                "delivered_pct_of_gdp": None,
                "shortfall_eur": group.shortfall,
            }
        )
    return rows


def channel_table(report: BurdenReport) -> list[dict[str, Cell]]:
    """Flows through channels: contributions in (counted at source) and outflows (internal)."""
    return [
        {
            "code": channel.code,
            "name": channel.name,
            "incoming_pledged_eur": channel.incoming.pledged,
            "incoming_delivered_eur": channel.incoming.delivered,
            "outgoing_pledged_eur": channel.outgoing.pledged,
            "outgoing_delivered_eur": channel.outgoing.delivered,
        }
        for channel in report.channels
    ]


def _json_safe(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: _json_safe(getattr(value, field.name))
            for field in dataclasses.fields(value)
        }
    if isinstance(value, Decimal):
        return str(value)  # exact: JSON floats would lose cents
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(_json_safe(item) for item in value)
    if isinstance(value, tuple | list):
        return [_json_safe(item) for item in value]
    return value


def report_as_dict(report: BurdenReport) -> dict[str, Any]:
    """The whole report as JSON-ready data (Decimals as strings, dates as ISO strings)."""
    result: dict[str, Any] = _json_safe(report)
    return result
