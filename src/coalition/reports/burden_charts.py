"""Burden-sharing charts (Altair → Vega-Lite), rendered offline by vl-convert.

``save_chart`` writes SVG, PNG or self-contained HTML (the Vega JavaScript inlined), so
nothing is fetched from a CDN when the file is opened. Donor names are data: in HTML the
embedded JSON escapes ``< > & /``, so a name can never close the script or inject markup.
"""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert

from coalition.planning.burden import BurdenReport

BILLION = Decimal(10) ** 9
# Financial purposes first, in-kind equipment last; colours stay fixed across charts.
CATEGORY_LABELS = {
    "procurement": "Financial: procurement",
    "training": "Financial: training",
    "sustainment": "Financial: sustainment",
    "industry": "Financial: defence industry",
    "trust_fund": "Financial: NATO trust funds",
    "equipment": "In kind: equipment",
}
CATEGORY_COLOURS = ["#1f77b4", "#6baed6", "#9ecae1", "#17becf", "#9467bd", "#ff7f0e"]
FAIR_SHARE_COLOUR = "#222222"
CHART_SUFFIXES = (".svg", ".png", ".html")
_SPEC_MARK = "const spec = "
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "/": "\\u002f"}


def _labels(rows: list[Any]) -> dict[str, str]:
    """One label per donor code: its name, with the code added where two names coincide."""
    names = [row.name for row in rows]
    return {
        row.code: row.name if names.count(row.name) == 1 else f"{row.name} ({row.code})"
        for row in rows
    }


def _bn(amount: Decimal) -> float:
    return float(amount / BILLION)


def fair_share_chart(report: BurdenReport, width: int = 560) -> alt.TopLevelMixin:
    """Delivered by category per participating ally against its fair share, largest first."""
    allies = [row for row in report.donors if row.participant]
    label = _labels(allies)
    order = [label[row.code] for row in allies]  # the report lists largest fair share first
    delivered = []
    for row in allies:
        parts = [(c, eur) for c, eur in row.delivered_by_category.items() if eur]
        # Every participant keeps its row: a zero bar when it delivered nothing.
        for category, eur in parts or [("equipment", Decimal(0))]:
            delivered.append(
                {
                    "ally": label[row.code],
                    "category": CATEGORY_LABELS.get(category, category),
                    "order": (
                        list(CATEGORY_LABELS).index(category) if category in CATEGORY_LABELS else 99
                    ),
                    "eur_bn": _bn(eur),
                }
            )
    shares = [
        {
            "ally": label[row.code],
            "fair_share_bn": _bn(row.fair_share or Decimal(0)),
            "label_at": _bn(max(row.fair_share or Decimal(0), row.totals.delivered)),
            "attained": f"{row.delivered_pct_of_fair_share or 0:.0f}%",
        }
        for row in allies
    ]
    y = alt.Y("ally:N", sort=order, title=None)
    # Headroom on the right so the % labels of the longest bar stay inside the plot.
    longest = max(
        (_bn(max(r.fair_share or r.totals.delivered, r.totals.delivered)) for r in allies),
        default=0.0,
    )
    x_scale = alt.Scale(domain=[0, longest * 1.12 or 1], nice=False)
    scale = alt.Scale(domain=list(CATEGORY_LABELS.values()), range=CATEGORY_COLOURS)
    bars = (
        alt.Chart({"values": delivered})
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("sum(eur_bn):Q", title="EUR billion delivered", scale=x_scale),
            color=alt.Color("category:N", scale=scale, title="Delivered"),
            order=alt.Order("order:Q"),
            tooltip=["ally:N", "category:N", alt.Tooltip("eur_bn:Q", format=",.3f")],
        )
        .properties(name="delivered")
    )
    ticks = (
        alt.Chart({"values": shares})
        .mark_tick(color=FAIR_SHARE_COLOUR, opacity=1, thickness=3, size=20)
        .encode(
            y=y,
            x=alt.X("fair_share_bn:Q"),
            tooltip=["ally:N", alt.Tooltip("fair_share_bn:Q", format=",.3f", title="fair share")],
        )
        .properties(name="fair_share")
    )
    labels = (
        alt.Chart({"values": shares})
        .mark_text(align="left", dx=6, fontSize=10, color="#444")
        .encode(y=y, x=alt.X("label_at:Q"), text="attained:N")
        .properties(name="attained")
    )
    chart: alt.TopLevelMixin = alt.layer(bars, ticks, labels).properties(
        width=width,
        height=alt.Step(20),
        title={
            "text": f"Delivered vs fair share, {report.year} (EUR billion)",
            "subtitle": (
                f"Tick: fair share of EUR {_bn(report.baseline.amount):g} bn by "
                f"{report.baseline.gdp_year} GDP; label: delivered as % of fair share"
            ),
        },
    )
    return chart


def cumulative_deliveries_chart(
    report: BurdenReport, top: int = 5, width: int = 560
) -> alt.TopLevelMixin:
    """Cumulative deliveries over the year: the coalition and its ``top`` largest givers."""
    counted = [
        line
        for line in report.lines
        if line.counted and not line.internal and line.delivered_value and line.delivered_on
    ]
    names = _labels(list(report.donors))
    delivered = {row.code: row.totals.delivered for row in report.donors}
    leaders = sorted(delivered, key=lambda code: (-delivered[code], code))[:top]
    by_series: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for line in counted:
        assert line.delivered_value is not None and line.delivered_on is not None
        day = line.delivered_on.isoformat()
        by_series["Coalition"][day] += line.delivered_value.eur
        if line.donor_code in leaders:
            by_series[names.get(line.donor_code, line.donor_code)][day] += line.delivered_value.eur
    start = f"{report.year}-01-01"  # every line starts at zero on 1 January
    points = []
    for series, per_day in by_series.items():
        points.append({"series": series, "date": start, "cumulative_bn": 0.0})
        running = Decimal(0)
        for day in sorted(per_day):
            running += per_day[day]
            points.append({"series": series, "date": day, "cumulative_bn": _bn(running)})
    series_order = ["Coalition", *(names.get(code, code) for code in leaders)]
    chart: alt.TopLevelMixin = (
        alt.Chart({"values": points})
        .mark_line(interpolate="step-after", point=True)
        .encode(
            x=alt.X("date:T", title="Delivery date"),
            y=alt.Y("cumulative_bn:Q", title="EUR billion delivered (cumulative)"),
            color=alt.Color("series:N", sort=series_order, title=None),
            tooltip=["series:N", "date:T", alt.Tooltip("cumulative_bn:Q", format=",.3f")],
        )
        .properties(width=width, height=300, title=f"Cumulative deliveries, {report.year}")
    )
    return chart


def save_chart(chart: alt.TopLevelMixin, path: Path | str, png_scale: float = 2.0) -> Path:
    """Write ``chart`` as .svg, .png or offline .html, chosen by the file suffix."""
    path = Path(path)
    spec: dict[str, Any] = chart.to_dict()
    suffix = path.suffix.lower()
    if suffix == ".svg":
        path.write_text(vl_convert.vegalite_to_svg(spec), encoding="utf-8")
    elif suffix == ".png":
        path.write_bytes(vl_convert.vegalite_to_png(spec, scale=png_scale))
    elif suffix == ".html":
        html = vl_convert.vegalite_to_html(spec, bundle=True)
        path.write_text(_escape_embedded_spec(html), encoding="utf-8")
    else:
        raise ValueError(f"{path.name}: choose .svg, .png or .html")
    return path


def chart_svg(chart: alt.TopLevelMixin) -> str:
    """A chart as SVG text, for a page to serve as an image."""
    svg: str = vl_convert.vegalite_to_svg(chart.to_dict())
    return svg


def script_safe_json(value: Any) -> str:
    """JSON that is inert inside an HTML <script>: < > & / written as \\u escapes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in _JSON_ESCAPES.items():
        text = text.replace(character, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _escape_embedded_spec(html: str) -> str:
    """Rewrite the spec vl-convert embeds (verbatim, so a name could close the script)."""
    start = html.index(_SPEC_MARK) + len(_SPEC_MARK)
    end = html.index(";\n", start)  # JSON holds no raw newline, so this ends the spec
    embedded = json.loads(html[start:end])
    return html[:start] + script_safe_json(embedded) + html[end:]
