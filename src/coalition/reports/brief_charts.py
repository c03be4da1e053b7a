"""The brief's charts, in greys so they print in black and white (Altair → PNG, offline)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import altair as alt
import vl_convert

GREYS = ["#bdbdbd", "#636363", "#000000"]


def _data(values: list[dict[str, Any]]) -> Any:
    return alt.Data(values=values)  # type: ignore[no-untyped-call]


def _png(chart: alt.TopLevelMixin) -> bytes:
    spec = chart.to_dict()
    return bytes(vl_convert.vegalite_to_png(spec, scale=2))


def coverage_chart(rows: list[dict[str, Any]]) -> bytes | None:
    """Coverage per capability area (accepted or delivered ÷ required), withheld areas left
    out; None when no area can be shown."""
    shown = [
        {"area": r["capability_area"].replace("_", " "), "coverage": float(r["coverage_pct"])}
        for r in rows
        if r["coverage_pct"] is not None and r["capability_area"] != "all areas"
    ]
    if not shown:
        return None
    chart = (
        alt.Chart(_data(shown))
        .mark_bar(color="#636363", stroke="#000000", strokeWidth=0.5)
        .encode(
            y=alt.Y("area:N", sort="-x", title=None),
            x=alt.X(
                "coverage:Q",
                title="coverage, % of required value",
                scale=alt.Scale(domain=[0, 100]),
            ),
        )
        .properties(width=420, height=16 * len(shown))
    )
    rule = alt.Chart(_data([{"x": 100}])).mark_rule(color="#000000").encode(x="x:Q")
    return _png(alt.layer(chart, rule).configure_view(stroke=None))


def burden_chart(donors: list[dict[str, Any]], top: int = 15) -> bytes | None:
    """Delivered against fair share for the participating allies with the largest shares."""
    rows = [d for d in donors if d["fair_share"]][:top]
    if not rows:
        return None
    values = []
    for d in rows:
        values.append(
            {
                "ally": d["name"],
                "measure": "fair share",
                "eur_bn": float(Decimal(d["fair_share"]) / 10**9),
            }
        )
        values.append(
            {
                "ally": d["name"],
                "measure": "delivered",
                "eur_bn": float(Decimal(d["totals"]["delivered"]) / 10**9),
            }
        )
    order = [d["name"] for d in rows]
    chart = (
        alt.Chart(_data(values))
        .mark_bar(stroke="#000000", strokeWidth=0.5)
        .encode(
            y=alt.Y("ally:N", sort=order, title=None),
            yOffset=alt.YOffset("measure:N", sort=["fair share", "delivered"]),
            x=alt.X("eur_bn:Q", title="EUR billion"),
            color=alt.Color(
                "measure:N",
                scale=alt.Scale(domain=["fair share", "delivered"], range=[GREYS[0], GREYS[2]]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
        )
        .properties(width=420, height=24 * len(rows))
    )
    return _png(chart.configure_view(stroke=None))
