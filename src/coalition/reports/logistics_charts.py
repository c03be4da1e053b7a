"""The logistics plan's busiest hubs, nodes and lanes (Altair → Vega-Lite → SVG, offline).

One bar per node or lane: its highest daily use as a share of its capacity, labelled with the
day of that peak; a rule at 100 %. Codes are data: the SVG renderer escapes them as XML.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import altair as alt

NODE_COLOUR, LANE_COLOUR, FULL_COLOUR = "#1f77b4", "#ff7f0e", "#b22222"


def peaks_chart(
    peaks: dict[str, list[list[Any]]], day_zero: date, titles: dict[str, str], width: int = 520
) -> alt.TopLevelMixin | None:
    """`peaks`: the plan document's {"nodes": [[code, use, day]...], "lanes": [...]};
    `titles`: the words shown (node, lane, axis, title), in the reader's language."""
    rows: list[dict[str, Any]] = [
        {
            "what": f"{code} ({titles[kind]})",
            "kind": titles[kind],
            "use": float(use),
            "label": f"{100 * float(use):.0f} % · {day_zero + timedelta(days=int(day))}",
        }
        for kind in ("nodes", "lanes")
        for code, use, day in peaks.get(kind, [])
    ]
    if not rows:
        return None
    order = [r["what"] for r in sorted(rows, key=lambda r: -r["use"])]
    longest = max(1.0, max(r["use"] for r in rows))
    y = alt.Y("what:N", sort=order, title=None, axis=alt.Axis(labelLimit=360))
    x_scale = alt.Scale(domain=[0, longest * 1.35], nice=False)
    colour = alt.Color(
        "kind:N",
        scale=alt.Scale(
            domain=[titles["nodes"], titles["lanes"]], range=[NODE_COLOUR, LANE_COLOUR]
        ),
        title=None,
        legend=alt.Legend(orient="bottom"),
    )
    data: Any = {"values": rows}
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("use:Q", title=titles["axis"], scale=x_scale, axis=alt.Axis(format="%")),
            color=colour,
        )
    )
    labels = (
        alt.Chart(data)
        .mark_text(align="left", dx=4, fontSize=10, color="#333")
        .encode(y=y, x=alt.X("use:Q"), text="label:N")
    )
    full = (
        alt.Chart({"values": [{"x": 1.0}]})
        .mark_rule(color=FULL_COLOUR, strokeDash=[4, 3])
        .encode(x="x:Q")
    )
    chart: alt.TopLevelMixin = alt.layer(bars, labels, full).properties(
        width=width, height=alt.Step(18), title=titles["title"]
    )
    return chart
