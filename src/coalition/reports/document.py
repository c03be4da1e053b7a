"""A report as plain data (title, marking, sections of text, tables and charts) and its three
renderings: PDF (typst, offline), HTML (Jinja2, autoescaped) and its tables as CSV/XLSX.

User text never becomes markup. The typst template reads the document as JSON and places
every value as a string (typst shows a string as it is: `#`, `*`, `_`, `$`, `<`, `@`, `[`,
`]`, `\\` and `/` stay characters); the HTML template autoescapes; spreadsheet cells are
formula-neutralised by `io.spreadsheets`.

PDF output is deterministic: the document date is fixed by the template (`date: none`) and
the inputs are the same bytes, so the same figures give the same file.
"""

from __future__ import annotations

import base64
import json
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from coalition.io.spreadsheets import check_writable

TEMPLATES = "templates"
DOCUMENT_SUFFIXES = (".pdf", ".html")
TABLE_SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class TableView:
    title: str
    columns: list[str]
    rows: list[list[str]]
    right: list[int] = field(default_factory=list)  # columns aligned right (figures)
    name: str = ""  # sheet / file name of the export


@dataclass(frozen=True)
class Chart:
    name: str  # file name inside the document, e.g. coverage.png
    png: bytes
    caption: str


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[TableView] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # small print under the section


@dataclass(frozen=True)
class Document:
    title: str
    marking: str
    subtitle: str
    facts: list[tuple[str, str]]  # label, value lines under the title
    sections: list[Section]

    def tables(self) -> list[TableView]:
        return [t for s in self.sections for t in s.tables]


def _as_json(doc: Document) -> dict[str, Any]:
    data = asdict(doc)
    for section in data["sections"]:
        for chart in section["charts"]:
            del chart["png"]
    return data


def _template(name: str) -> Path:
    return Path(str(resources.files("coalition.reports").joinpath(TEMPLATES, name)))


def render(doc: Document, out: Path) -> Path:
    """Write the document as PDF or HTML, by the suffix of `out`."""
    suffix = check_writable(out, DOCUMENT_SUFFIXES)
    if suffix == ".pdf":
        out.write_bytes(to_pdf(doc))
    else:
        out.write_text(to_html(doc), encoding="utf-8")
    return out


def to_pdf(doc: Document) -> bytes:
    import typst

    with tempfile.TemporaryDirectory(prefix="coalition-report-") as work:
        root = Path(work)
        shutil.copy(_template("document.typ"), root / "document.typ")
        (root / "document.json").write_text(
            json.dumps(_as_json(doc), ensure_ascii=False, sort_keys=True), encoding="utf-8"
        )
        for section in doc.sections:
            for chart in section.charts:
                (root / chart.name).write_bytes(chart.png)
        pdf = typst.compile(str(root / "document.typ"), root=str(root), pdf_tags=False)
    assert isinstance(pdf, bytes)
    return pdf


def to_html(doc: Document) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(_template("document.html.j2").parent)),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    images = {
        c.name: "data:image/png;base64," + base64.b64encode(c.png).decode("ascii")
        for s in doc.sections
        for c in s.charts
    }
    return env.get_template("document.html.j2").render(doc=doc, images=images)


def export_tables(doc: Document, out: Path) -> list[Path]:
    """Every table: one sheet each in an .xlsx, or one CSV each (`out` stem + table name)."""
    from coalition.io.spreadsheets import csv_cell, sheet_title, xlsx_cell

    suffix = check_writable(out, TABLE_SUFFIXES)
    tables = doc.tables()
    names = _unique([t.name or t.title for t in tables])
    if suffix == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        for table, name in zip(tables, names, strict=True):
            sheet = workbook.create_sheet(sheet_title(name))
            sheet.append([xlsx_cell(sheet, c) for c in table.columns])
            for row in table.rows:
                sheet.append([xlsx_cell(sheet, c) for c in row])
        workbook.save(out)
        return [out]
    import csv

    written = []
    for table, name in zip(tables, names, strict=True):
        path = out.with_name(f"{out.stem}-{_slug(name)}.csv")
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([csv_cell(c) for c in table.columns])
            writer.writerows([csv_cell(c) for c in row] for row in table.rows)
        written.append(path)
    return written


def _slug(text: str) -> str:
    kept = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(p for p in kept.split("-") if p)[:40] or "table"


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        short = name[:28]
        seen[short] = seen.get(short, 0) + 1
        out.append(short if seen[short] == 1 else f"{short[:25]} {seen[short]}")
    return out
