"""Spreadsheets are read completely and written inertly: no formula, no lost row, clear refusals."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from coalition.io.spreadsheets import (
    UnreadableFile,
    neutralise,
    read_table,
    restore,
    write_table,
)

FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")']
# XML normalises a carriage return to a line feed, so XLSX cannot hold "\r" (it is no formula).
XLSX_FORMULAS = [f for f in FORMULAS if not f.startswith("\r")]
TEXTS = [*FORMULAS, "'quoted", "''", "plain", "-5", "-0.25", "[/]"]


@pytest.mark.parametrize("text", XLSX_FORMULAS)
def test_a_formula_exported_to_xlsx_is_read_back_by_openpyxl_as_a_string(tmp_path, text):
    path = tmp_path / "out.xlsx"
    write_table(path, ["name"], [[text]])
    cell = load_workbook(path).active["A2"]
    assert cell.data_type == "s"
    assert cell.value == text


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_exported_to_csv_starts_with_a_quote(tmp_path, text):
    path = tmp_path / "out.csv"
    write_table(path, ["name"], [[text]])
    with path.open(encoding="utf-8", newline="") as handle:
        written = list(csv.reader(handle))[1][0]
    assert written == "'" + text


@pytest.mark.parametrize(
    ("suffix", "text"),
    [(".csv", t) for t in TEXTS] + [(".xlsx", t) for t in TEXTS if not t.startswith("\r")],
)
def test_export_then_import_round_trips_text_exactly(tmp_path, suffix, text):
    path = tmp_path / f"out{suffix}"
    write_table(path, ["name"], [[text]])
    (_, cells), *_ = list(read_table(path).rows)
    assert cells[0] == text


def test_negative_numbers_stay_numbers_in_csv(tmp_path):
    path = tmp_path / "out.csv"
    write_table(path, ["latitude", "note"], [["-33.5", "-5+A1"]])
    assert path.read_text(encoding="utf-8").splitlines()[1] == "-33.5,'-5+A1"


@given(st.text(max_size=30))
def test_neutralise_and_restore_are_inverse_and_never_leave_a_formula(text):
    written = neutralise(text)
    assert restore(written) == text
    if written[:1] in ("=", "+", "@", "\t", "\r"):
        raise AssertionError(f"{written!r} would be a formula")


def test_a_workbook_with_a_stale_dimension_loses_no_row(tmp_path):
    path = tmp_path / "stale.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "name"])
    for number in range(10):
        sheet.append([f"C{number}", f"name {number}"])
    workbook.save(path)
    _rewrite_dimension(path, "A1:B2")  # as some tools leave it: claims one data row
    rows = list(read_table(path).rows)
    assert [cells[0] for _, cells in rows] == [f"C{n}" for n in range(10)]


def _rewrite_dimension(path: Path, ref: str) -> None:
    with zipfile.ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    start = sheet.index('<dimension ref="') + len('<dimension ref="')
    end = sheet.index('"', start)
    members["xl/worksheets/sheet1.xml"] = (sheet[:start] + ref + sheet[end:]).encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)


def test_an_xlsx_named_with_brackets_is_written(tmp_path):
    path = tmp_path / "offers [draft].xlsx"
    write_table(path, ["code"], [["A"]])
    assert load_workbook(path).sheetnames == ["offers _draft_"]


def _refusal(path: Path) -> str:
    with pytest.raises(UnreadableFile) as refused:
        table = read_table(path)
        list(table.rows)
    return str(refused.value)


def test_a_directory_is_named_as_a_directory(tmp_path):
    (tmp_path / "dir.csv").mkdir()
    (tmp_path / "plain").mkdir()
    assert "is a directory" in _refusal(tmp_path / "dir.csv")
    assert "is a directory" in _refusal(tmp_path / "plain")


def test_a_semicolon_separated_csv_is_named(tmp_path):
    path = tmp_path / "semi.csv"
    path.write_text("code;name;kind\nFRA;France;nation\n", encoding="utf-8")
    assert "looks ;-separated: save it as comma-separated CSV" in _refusal(path)


def test_a_windows_1252_csv_is_named(tmp_path):
    path = tmp_path / "cp.csv"
    path.write_bytes("code,name,kind\nFRA,Françe,nation\n".encode("cp1252"))
    assert "not UTF-8 (looks like Windows-1252)" in _refusal(path)


def test_a_binary_file_is_named(tmp_path):
    path = tmp_path / "bin.csv"
    path.write_bytes(bytes(range(256)))
    assert "binary" in _refusal(path)


def test_an_empty_and_a_missing_file_are_named(tmp_path):
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    assert "empty" in _refusal(tmp_path / "empty.csv")
    assert "no such file" in _refusal(tmp_path / "none.csv")


def test_a_damaged_xlsx_is_named(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"not a zip")
    assert "not a readable XLSX workbook" in _refusal(path)


def test_a_csv_cell_over_128_kb_is_read_for_the_domain_check_to_refuse(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("code,name\nFRA," + "x" * 200_000 + "\n", encoding="utf-8")
    (_, cells), *_ = list(read_table(path).rows)
    assert len(cells[1]) == 200_000


def test_an_unknown_suffix_is_refused_when_writing(tmp_path):
    with pytest.raises(UnreadableFile, match=r"unsupported file type '\.txt'"):
        write_table(tmp_path / "x.txt", ["a"], [])
