"""No input crashes a command: each mistake gets one clear line and exit status 1, never a
traceback; user text is shown as text (CliRunner, in process, no subprocess)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coalition.cli import app
from coalition.config import get_settings
from coalition.services import ledger
from coalition.storage import migrate
from coalition.storage.engine import make_engine
from support_ledger import BURDEN_SEED, OFFERS_HEADER, SEED, add_admin, import_text

cli_app = sys.modules["coalition.cli.app"]  # the module (coalition.cli.app is the Typer app)

BURDEN = {
    **BURDEN_SEED,
    "offers": OFFERS_HEADER + "DEU,OF-1,PZH2000,4,2025-01-01,DEU,new,,EUR,,offered,\n",
}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A seeded ledger the CLI opens through COALITION_DATABASE_URL; files go in tmp_path."""
    engine = make_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    migrate.upgrade(engine)
    for kind, text in {**SEED, **BURDEN}.items():
        import_text(engine, tmp_path, kind, text)
    monkeypatch.setenv("COALITION_USER", add_admin(engine))
    engine.dispose()
    monkeypatch.setenv("COALITION_DATABASE_URL", f"sqlite:///{tmp_path / 'ledger.db'}")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def refused_in_one_line(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def write(folder: Path, name: str, text: str) -> str:
    (folder / name).write_text(text, encoding="utf-8")
    return name


# --- user text is text ------------------------------------------------------------------------

MARKUP_DONORS = "code,name,kind,parent_code\nFRA,[/],nation,\nITA,[bold]x,nation,\n"


def test_a_donor_name_with_markup_lists_as_text(folder):
    run("import", "donors", write(folder, "d.csv", MARKUP_DONORS))
    result = run("list", "donors")
    assert result.exit_code == 0, result.output
    assert "│ [/]" in result.stdout and "[bold]x" in result.stdout


def test_a_donor_name_with_markup_shows_as_text(folder):
    run("import", "donors", write(folder, "d.csv", MARKUP_DONORS))
    result = run("show", "donors", "FRA")
    assert result.exit_code == 0, result.output
    assert "[/]" in result.stdout


def test_a_donor_name_with_markup_appears_in_the_burden_table(folder):
    names = "code,name,kind,parent_code\nDEU,[/],nation,\nPOL,[bold]x,nation,\n"
    run("import", "donors", write(folder, "d.csv", names))
    result = run("burden", "--year", "2025")
    assert result.exit_code == 0, result.output
    assert "[/]" in result.stdout and "[bold]x" in result.stdout


def test_a_user_name_with_markup_is_refused_as_text_and_history_still_reads(folder):
    # --as now names an account, and account names are codes: markup cannot be one.
    result = run("--as", "[/]", "import", "donors", write(folder, "d.csv", MARKUP_DONORS))
    assert result.exit_code == 1
    assert "no user '[/]'" in result.stderr and "Traceback" not in result.output
    assert run("import", "donors", write(folder, "d.csv", MARKUP_DONORS)).exit_code == 0
    later = run("history", "donors", "FRA")
    assert later.exit_code == 0, later.output
    assert "created" in later.stdout
    shown = run("show", "donors", "FRA")
    assert shown.exit_code == 0 and "[/]" in shown.stdout  # the markup name, shown as text


def test_an_error_message_embedding_a_cell_value_shows_it_as_text(folder):
    text = OFFERS_HEADER + "DEU,OF-2,PZH2000,[/]x,2025-01-01,DEU,new,,EUR,,offered,\n"
    result = run("import", "offers", write(folder, "o.csv", text))
    assert result.exit_code == 1
    assert "o.csv:2 [quantity] '[/]x'" in result.stderr


# --- every reproduced mistake: one line, exit 1 -----------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("set-status", "offers", "DEU:OF-1", "accepted", "--on", "yesterday"),
        ("members", "--on", "2023-13-45"),
        ("list", "offers", "-w", "quantity=abc"),
        ("list", "offers", "-w", "nosuch=1"),
        ("list", "offers", "-w", "quantity"),
        ("burden", "--chart", "share.txt"),
        ("burden", "--timeline", "t.csv"),
        ("burden", "--export", "b.txt"),
        ("burden", "--export", "no/such/folder/b.csv"),
        ("export", "offers", "x.txt"),
        ("template", "offers", "x.txt"),
        ("import", "offers", "missing.csv"),
        ("import", "nosuchkind", "missing.csv"),
        ("list", "nosuchkind"),
    ],
    ids=lambda args: " ".join(args),
)
def test_a_mistaken_option_or_argument_is_one_clear_line(folder, args):
    line = refused_in_one_line(*args)
    assert len(line) < 400  # one line naming every registry (24 now)


def test_a_bad_date_option_says_the_format(folder):
    assert "YYYY-MM-DD" in refused_in_one_line("members", "--on", "2023-13-45")


def test_an_unknown_filter_column_suggests_the_right_one(folder):
    line = refused_in_one_line("list", "offers", "-w", "quantty=4")
    assert "did you mean 'quantity'?" in line


def test_a_directory_given_as_a_file_is_named_as_a_directory(folder):
    (folder / "dir.csv").mkdir()
    (folder / "plain").mkdir()
    assert "is a directory" in refused_in_one_line("import", "offers", "dir.csv")
    assert "is a directory" in refused_in_one_line("import", "offers", "plain")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (bytes(range(256)) * 4, "binary"),
        ("code,name,kind\nFRA,Françe,nation\n".encode("cp1252"), "Windows-1252"),
        (b"code;name;kind\nFRA;France;nation\n", ";-separated"),
    ],
    ids=["empty", "binary", "cp1252", "semicolon"],
)
def test_an_unreadable_file_is_one_line_saying_how_to_fix_it(folder, content, expected):
    (folder / "f.csv").write_bytes(content)
    assert expected in refused_in_one_line("import", "donors", "f.csv")


def test_a_damaged_workbook_is_one_line(folder):
    (folder / "f.xlsx").write_bytes(b"PK\x03\x04 not really")
    assert "not a readable XLSX workbook" in refused_in_one_line("import", "donors", "f.xlsx")


def test_a_csv_cell_over_128_kb_is_a_problem_with_row_and_column(folder):
    text = "code,name,kind,parent_code\nFRA," + "x" * 200_000 + ",nation,\n"
    result = run("import", "donors", write(folder, "big.csv", text))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "big.csv:2 [name]" in result.stderr and "at most 200 characters" in result.stderr
    assert len(result.stderr) < 1000  # the cell is not echoed whole


def test_an_export_to_a_workbook_named_with_brackets_works(folder):
    result = run("export", "donors", "donors [draft].xlsx")
    assert result.exit_code == 0, result.output
    assert (folder / "donors [draft].xlsx").stat().st_size > 0


def test_an_unexpected_failure_is_one_line_and_the_traceback_goes_to_the_log(folder, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("boom")

    log_file = folder / "errors.log"
    monkeypatch.setenv("COALITION_LOG_FILE", str(log_file))
    get_settings.cache_clear()
    monkeypatch.setattr(ledger, "list_page", broken)
    line = refused_in_one_line("list", "offers")
    assert line.startswith("error: unexpected failure (KeyError): 'boom' — please report it")
    assert str(log_file) in line
    logged = [json.loads(entry) for entry in log_file.read_text(encoding="utf-8").splitlines()]
    failure = next(e for e in logged if e["message"] == "unexpected failure")
    assert "Traceback" in failure["traceback"] and "KeyError: 'boom'" in failure["traceback"]
    command = next(e for e in logged if e.get("event") == "command")
    assert (command["command"], command["outcome"]) == ("list", "failed")


# --- nothing is dropped silently --------------------------------------------------------------


@pytest.fixture
def sixty_families(folder):
    rows = "".join(f"FAM-{n:02d},family {n},artillery\n" for n in range(60))
    result = run(
        "import", "families", write(folder, "fam.csv", "code,name,capability_area\n" + rows)
    )
    assert result.exit_code == 0, result.output
    return 60 + 2  # and the two seeded families


def test_list_json_prints_every_record_by_default(sixty_families):
    result = run("list", "families", "--json")
    assert len(json.loads(result.stdout)) == sixty_families


def test_list_json_with_a_limit_says_how_many_it_left_out(sixty_families):
    result = run("list", "families", "--json", "--limit", "10")
    assert len(json.loads(result.stdout)) == 10
    assert f"10 of {sixty_families} families shown" in result.stderr


def test_the_list_table_says_n_of_m_shown(sixty_families):
    result = run("list", "families")
    assert f"50 of {sixty_families} shown" in result.stdout


# --- errors all at once -----------------------------------------------------------------------


def many_bad_offers(folder: Path) -> str:
    rows = "".join(
        f"DEU,OF-{n},PZH2000,=1+{n},2025-01-01,DEU,new,,EUR,,offered,\n" for n in range(60)
    )
    return write(folder, "many.csv", OFFERS_HEADER + rows)


def test_many_problems_are_capped_on_screen_with_the_total_and_how_to_get_all(folder):
    result = run("import", "offers", many_bad_offers(folder))
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if "many.csv:" in line]
    assert len(problems) == 50
    assert "… and 10 more; write all 60 with --errors many.csv.errors.csv" in result.stderr
    assert "60 problem(s) found; nothing was imported" in result.stderr


def test_every_problem_is_written_to_a_formula_neutral_errors_csv(folder):
    result = run("import", "offers", many_bad_offers(folder), "--errors", "all.errors.csv")
    assert result.exit_code == 1
    assert "all 60 problem(s) written to all.errors.csv" in result.stderr
    with (folder / "all.errors.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 60
    assert {row["column"] for row in rows} == {"quantity"}
    assert all(row["value"].startswith("'=1+") for row in rows)
