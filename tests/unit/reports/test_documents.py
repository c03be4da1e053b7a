"""Reports render user text as text: typst never reads it as markup, HTML escapes it, and a
spreadsheet cell never becomes a formula. PDF output is deterministic."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from coalition.reports.document import Document, Section, TableView, export_tables, to_html, to_pdf

HOSTILE = "#emph[x] $x$ <b> [/] *bold* _u_ `c` @ref \\ // =1+1"


def document(name: str = HOSTILE) -> Document:
    table = TableView("Donors", ["name", "amount"], [[name, "1.0"]], right=[1], name="donors")
    return Document(
        f"Brief {name}", "NATO UNCLASSIFIED", name, [("Prepared for", name)],
        [Section(f"Heading {name}", [f"Text {name}"], [table], notes=[name])],
    )  # fmt: skip


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_a_hostile_name_reaches_the_pdf_as_the_characters_it_is(tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(to_pdf(document()))
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert text.count("#emph[x] $x$ <b> [/] *bold* _u_ `c` @ref \\ // =1+1") >= 5
    assert "NATO UNCLASSIFIED" in text


def test_the_same_document_gives_the_same_pdf_bytes():
    assert to_pdf(document()) == to_pdf(document())


def test_html_escapes_every_user_string():
    html = to_html(document("<script>alert(1)</script>"))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_tables_export_without_formulas(tmp_path):
    (xlsx,) = export_tables(document("=HYPERLINK(1)"), tmp_path / "t.xlsx")
    cell = load_workbook(xlsx)["donors"]["A2"]
    assert cell.data_type == "s"
    csvs = export_tables(document("=HYPERLINK(1)"), tmp_path / "t.csv")
    assert [p.name for p in csvs] == ["t-donors.csv"]
    assert "'=HYPERLINK(1)" in csvs[0].read_text()
