"""Charts are checked in the files they produce: marks counted in the SVG, labels present."""

import struct
import xml.etree.ElementTree as ET

import pytest
from burden_testkit import LEDGER, small_coalition, usd_rates

from coalition.planning.burden import compute_burden
from coalition.reports.burden_charts import (
    cumulative_deliveries_chart,
    fair_share_chart,
    save_chart,
)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def report():
    return compute_burden(small_coalition(**LEDGER), 2024, usd_rates())


@pytest.fixture(scope="module")
def fair_share_svg(report, tmp_path_factory):
    path = save_chart(fair_share_chart(report), tmp_path_factory.mktemp("c") / "fair.svg")
    return ET.parse(path).getroot()


def _marks(root, name):
    (group,) = [g for g in root.iter(f"{SVG}g") if f"{name}_marks" in g.get("class", "")]
    return list(group)


def _texts(root):
    return {"".join(t.itertext()) for t in root.iter(f"{SVG}text")}


def test_one_bar_segment_per_ally_and_category_delivered(fair_share_svg):
    # USA procurement; DEU equipment + trust fund; POL training
    assert len(_marks(fair_share_svg, "delivered")) == 4


def test_one_fair_share_tick_and_label_per_participating_ally(fair_share_svg):
    assert len(_marks(fair_share_svg, "fair_share")) == 3
    labels = {"".join(t.itertext()) for t in _marks(fair_share_svg, "attained")}
    assert labels == {"40%", "29%", "125%"}


def test_allies_are_labelled_largest_fair_share_first_and_outsiders_left_out(fair_share_svg):
    texts = [
        "".join(t.itertext())
        for t in fair_share_svg.iter(f"{SVG}text")
        if "".join(t.itertext()) in {"United States", "Germany", "Poland", "Japan", "Hungary"}
    ]
    assert texts == ["United States", "Germany", "Poland"]


def test_legend_names_financial_purposes_and_in_kind(fair_share_svg):
    assert {"Financial: procurement", "In kind: equipment"} <= _texts(fair_share_svg)


def test_png_is_a_real_image_of_useful_size(report, tmp_path):
    data = save_chart(fair_share_chart(report), tmp_path / "fair.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width > 800 and height > 150


@pytest.mark.slow  # bundling the Vega JavaScript takes about a second
def test_html_works_offline_with_the_javascript_inlined(report, tmp_path):
    html = save_chart(fair_share_chart(report), tmp_path / "fair.html").read_text()
    assert "<script src=" not in html and "cdn.jsdelivr" not in html
    assert "United States" in html and len(html) > 100_000  # spec and Vega bundle inside


def test_cumulative_chart_has_a_line_for_the_coalition_and_each_leader(report, tmp_path):
    root = ET.parse(save_chart(cumulative_deliveries_chart(report, top=2), tmp_path / "c.svg"))
    lines = [g for g in root.iter(f"{SVG}g") if "mark-line role-mark" in g.get("class", "")]
    assert len(lines) == 3  # one group per series: Coalition, Poland, United States
    assert {"Coalition", "Poland", "United States"} <= _texts(root.getroot())


def test_an_unknown_suffix_is_refused(report, tmp_path):
    with pytest.raises(ValueError, match=r"\.svg, \.png or \.html"):
        save_chart(fair_share_chart(report), tmp_path / "chart.gif")
