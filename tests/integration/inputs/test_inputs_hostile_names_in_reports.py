"""Names typed by donors reach charts and exports as text: never script, markup or formula."""

from __future__ import annotations

import csv
from html.parser import HTMLParser

from openpyxl import load_workbook

from coalition.domain.access import Principal
from coalition.reports.burden_charts import fair_share_chart, save_chart, script_safe_json
from coalition.reports.burden_export import export_report
from coalition.services import burden
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import import_text

SCRIPT = "</script><script>alert(1)</script>"


def report_with_names(engine, tmp_path, germany: str, poland: str = "Poland"):
    names = f"code,name,kind,parent_code\nDEU,{germany},nation,\nPOL,{poland},nation,\n"
    import_text(engine, tmp_path, "donors", names, name="names.csv")
    with UnitOfWork(engine, Principal("analyst")) as uow:
        return burden.report(uow, 2025)


class Scripts(HTMLParser):
    """Collects each <script> element's text and every element opened."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.inside = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.scripts[-1] += data


def test_a_script_in_a_donor_name_cannot_close_the_html_charts_script(burden_ledger, tmp_path):
    report = report_with_names(burden_ledger, tmp_path, SCRIPT)
    path = save_chart(fair_share_chart(report), tmp_path / "share.html")
    html = path.read_text(encoding="utf-8")
    parser = Scripts()
    parser.feed(html)
    assert not any("alert(1)" in script and "const spec" not in script for script in parser.scripts)
    assert SCRIPT not in html
    assert script_safe_json(SCRIPT) in html  # the name is there, as escaped JSON text


def test_script_safe_json_escapes_what_could_end_a_script():
    assert script_safe_json("</script>&") == '"\\u003c\\u002fscript\\u003e\\u0026"'


def test_every_participant_appears_in_the_chart_even_with_nothing_delivered(
    burden_ledger, tmp_path
):
    report = report_with_names(burden_ledger, tmp_path, "Germany", "Tiny Poland")
    assert report.donor("POL").totals.delivered == 0
    spec = fair_share_chart(report).to_dict()
    bars = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert {bar["ally"] for bar in bars} == {"Germany", "Tiny Poland"}
    assert [bar["eur_bn"] for bar in bars if bar["ally"] == "Tiny Poland"] == [0.0]


def test_two_donors_with_one_name_keep_two_rows_in_the_chart(burden_ledger, tmp_path):
    report = report_with_names(burden_ledger, tmp_path, "Same", "Same")
    spec = fair_share_chart(report).to_dict()
    bars = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert {bar["ally"] for bar in bars} == {"Same (DEU)", "Same (POL)"}


def test_a_formula_in_a_donor_name_is_exported_as_text_to_xlsx_and_csv(burden_ledger, tmp_path):
    report = report_with_names(burden_ledger, tmp_path, "=1+1", "@SUM(A1)")
    workbook = load_workbook(export_report(report, tmp_path / "b.xlsx"))
    sheet = workbook["Burden sharing"]
    header = [c.value for c in sheet[1]]
    column = header.index("name")
    cells = {row[column].value: row[column] for row in sheet.iter_rows(min_row=2)}
    assert cells["=1+1"].data_type == "s" and cells["@SUM(A1)"].data_type == "s"
    numbers = [c for row in sheet.iter_rows(min_row=2) for c in row if c.data_type == "n"]
    assert numbers  # figures stay numbers
    with export_report(report, tmp_path / "b.csv").open(encoding="utf-8", newline="") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    assert "'=1+1" in names and "'@SUM(A1)" in names
    assert not any(n.startswith(("=", "+", "@")) for n in names)
