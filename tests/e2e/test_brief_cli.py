"""The ministerial brief, the progress report and the IATI export from the demo, as a user runs
them: the PDF's pages are turned into PNG (pdftoppm) and its text (pdftotext) carries every
section's heading and the same figures as `coalition status --json` and `coalition burden
--json`; a donor's brief names no other donor's record."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from coalition.domain.cooperation import STRAND_TITLES

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils"),
]
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SCHEMA = SHARED / "external" / "iati" / "schema" / "iati-activities-schema.xsd"
HEADINGS = (
    "Summary",
    "Coverage by capability area",
    "The ten most critical gaps and who could close them",
    "Deliveries in the period",
    "Logistics",
    "Training output",
    "Readiness and effective capability",
    "Burden-sharing against fair share",
    "Overdue taskings",
)


def run(database: str, *args: str, user: str = "coordinator") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COALITION_DATABASE_URL": database, "COLUMNS": "200",
           "COALITION_USER": user}  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "coalition", *args], capture_output=True,
                          text=True, env=env, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("brief")
    database = f"sqlite:///{folder / 'demo.db'}"
    run(database, "demo")
    return database


def pdf_text(path: Path) -> str:
    pages = subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(path.with_suffix(""))],
                           capture_output=True, check=True)  # fmt: skip
    assert pages.returncode == 0
    assert list(path.parent.glob(f"{path.stem}-*.png"))
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    return re.sub(r"[ \t]+", " ", out)


def millions(value: str) -> str:
    return f"{Decimal(value) / 1_000_000:,.1f}"


def test_the_brief_pdf_shows_every_section_with_the_figures_of_status_and_burden(demo, tmp_path):
    pdf = tmp_path / "brief.pdf"
    run(demo, "report", "brief", "--out", str(pdf), "--no-record")
    text = pdf_text(pdf)
    for number, heading in enumerate(HEADINGS, start=1):
        assert f"{number}. {heading}" in text, heading
    assert text.count("NATO UNCLASSIFIED") >= 2 * text.count("Ministerial brief — page")
    flat = " ".join(text.split())  # the PDF's lines wrap anywhere in a sentence
    assert "trainees graduated in" in flat and "delivered, crewed and operational" in flat
    status = json.loads(run(demo, "status", "--json").stdout)
    for row in status:
        name = row["capability_area"].replace("_", " ") + " "
        line = next((x for x in text.splitlines() if x.strip().startswith(name)
                     and millions(row["required_eur"]) in x), None)  # fmt: skip
        assert line is not None, row["capability_area"]
        assert millions(row["required_eur"]) in line
        assert f"{row['coverage_pct']:.1f} %" in line
    burden = json.loads(run(demo, "burden", "--json").stdout)
    allies = next(g for g in burden["groups"] if g["name"] == "Participating allies")
    assert millions(allies["fair_share"]) in text
    assert f"{Decimal(allies['delivered_pct_of_fair_share']):.2f} %" in text
    for donor in (d for d in burden["donors"] if d["participant"]):
        line = next(x for x in text.splitlines() if x.strip().startswith(donor["name"] + " ")
                    and millions(donor["fair_share"]) in x)  # fmt: skip
        assert f"{Decimal(donor['delivered_pct_of_fair_share']):.2f} %" in line
    overdue = json.loads(run(demo, "cooperation", "overdue", "--json").stdout)
    assert f"{len(overdue)} taskings are overdue" in text


def test_the_brief_figures_are_those_of_the_status_and_burden_commands(demo):
    figures = json.loads(run(demo, "report", "brief", "--json", "--no-record").stdout)
    assert figures["coverage"]["rows"] == json.loads(run(demo, "status", "--json").stdout)
    burden = json.loads(run(demo, "burden", "--json").stdout)
    assert figures["burden"]["groups"] == burden["groups"]
    assert [d["code"] for d in figures["burden"]["donors"]] == [
        d["code"] for d in burden["donors"] if d["participant"]
    ]
    assert len(figures["gaps"]) == 10
    # Training and readiness figures are those of their commands.
    years = figures["training"]["years"]
    totals = json.loads(run(demo, "training", "totals", "--json").stdout)
    assert figures["training"]["graduated"] == sum(
        t["graduated"] for t in totals if t["year"] in years
    )
    assert figures["readiness"]["available"] is True
    # The demo routed its allocation: the brief shows that plan's figures, as the command does.
    routes = figures["logistics"]
    assert routes["available"] is True
    shown = json.loads(run(demo, "logistics", "show", str(routes["plan_id"]), "--json").stdout)
    for name in ("lines", "routed", "late", "unroutable", "busiest_hub"):
        assert routes[name] == shown[name], name


def test_a_donors_brief_contains_no_other_donors_record(demo, tmp_path):
    pdf, html = tmp_path / "deu.pdf", tmp_path / "deu.html"
    figures = json.loads(
        run(demo, "report", "brief", "--json", "--no-record", "--out", str(pdf),
            user="desk-deu").stdout.split("\nbrief written")[0]
    )  # fmt: skip
    run(demo, "report", "brief", "--no-record", "--out", str(html), user="desk-deu")
    for gap in figures["gaps"]:
        closers = gap["closers"]
        for offer in closers.get("offers", []):
            assert offer["donor"] == "DEU"
        for donor in closers.get("donors", []):
            assert donor["code"] == "DEU"
    assert {r["key"].split(":")[0] for r in figures["deliveries"]["records"]} <= {"DEU"}
    assert [d["code"] for d in figures["burden"]["donors"]] == ["DEU"]
    assert figures["logistics"]["available"] is False  # logistics plans name every donor's offers
    others = re.compile(r"\b(?!DEU)[A-Z]{3}:[A-Z]{3}-(OF|FIN)-")
    text = pdf_text(pdf)
    assert not others.search(text)
    assert not others.search(html.read_text())
    for name in ("United States", "United Kingdom", "Poland", "France"):
        assert name not in text
    assert "Germany" in text


def test_a_second_brief_compares_with_the_first_for_the_same_audience(demo, tmp_path):
    run(demo, "report", "brief", "--out", str(tmp_path / "one.html"), user="analyst")
    second = json.loads(run(demo, "report", "brief", "--json", user="analyst").stdout)
    previous = second["coverage"]["previous"]
    assert previous is not None
    assert previous["change_pct_points"]["all areas"] in (0.0, None)
    staff = json.loads(run(demo, "report", "brief", "--json", "--no-record").stdout)
    assert (
        staff["coverage"]["previous"] is None
        or staff["coverage"]["previous"]["brief_id"] != previous["brief_id"]
    )


def test_every_table_of_the_brief_exports(demo, tmp_path):
    run(demo, "report", "brief", "--no-record", "--tables", str(tmp_path / "brief.xlsx"))
    run(demo, "report", "brief", "--no-record", "--tables", str(tmp_path / "brief.csv"))
    names = sorted(p.name for p in tmp_path.glob("brief-*.csv"))
    assert "brief-coverage.csv" in names and "brief-burden.csv" in names
    assert (tmp_path / "brief.xlsx").stat().st_size > 0


def test_the_progress_report_has_every_strand_with_its_counts(demo, tmp_path):
    pdf = tmp_path / "report.pdf"
    report = json.loads(
        run(demo, "cooperation", "report", "--period", "2022-06-01..2023-05-31", "--json",
            "--out", str(pdf)).stdout.split("\nreport written")[0]
    )  # fmt: skip
    assert report["report_number"] == 8 and report["proposals"] == 74
    text = pdf_text(pdf)
    for strand in report["strands"]:
        title = STRAND_TITLES[next(s for s in STRAND_TITLES if s == strand["strand"])]
        assert title in text
        assert title in text.split("Proposals per strand")[1]
    assert "Eighth progress report" in text
    assert f"{report['proposals']} common proposals are tracked" in text


@pytest.mark.skipif(not SCHEMA.is_file(), reason=f"no IATI schema at {SCHEMA}")
def test_the_iati_export_of_the_demo_validates_against_the_2_03_schema(demo, tmp_path):
    from lxml import etree

    out = tmp_path / "demo.xml"
    done = run(demo, "iati", "export", str(out), "--schema", str(SCHEMA))
    assert "valid against the 2.03 schema" in done.stdout
    xsd = etree.XMLSchema(etree.parse(str(SCHEMA)))
    assert xsd.validate(etree.parse(str(out)))
    mine = tmp_path / "deu.xml"
    run(demo, "iati", "export", str(mine), user="desk-deu")
    identifiers = etree.parse(str(mine)).findall(".//iati-identifier")
    assert identifiers and all(i.text.startswith("XM-COALITION-DEU-") for i in identifiers)
