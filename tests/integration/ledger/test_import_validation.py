"""An import with many faults reports every one of them and changes nothing."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from coalition.services.errors import ImportRejected
from support_ledger import OFFERS_HEADER, add_admin, database_content, import_text

FAULTY_OFFERS = (
    OFFERS_HEADER
    + "\n".join(
        [
            "DEU,OF-1,PZH2000,4,2026-13-01,DEU,new,,EUR,,offered,",  # 2: bad date
            "XXX,OF-2,PZH2000,4,2026-01-01,DEU,new,,EUR,,offered,",  # 3: unknown donor
            "DEU,OF-3,PZH2000,-4,2026-01-01,DEU,new,,EUR,,offered,",  # 4: negative quantity
            "DEU,OF-4,LEO9,4,2026-01-01,DEU,new,,EUR,,offered,",  # 5: unknown item type
            "DEU,OF-5,PZH2000,4,2026-01-01,DEU,new,,EUR,,offered,",  # 6: fine
            "DEU,OF-5,KRAB,2,2026-01-01,DEU,new,,EUR,,offered,",  # 7: duplicate id
            "DEU,OF-6,PZH2000,4,2026-01-01,DEU,new,100,EUX,,offered,",  # 8: wrong currency
            "DEU,OF-7,PZH2000,4,2026-01-01,DEU,shiny,,EUR,,offered,",  # 9: bad condition
            "DEU,OF-8,PZH2000,four,2026-01-01,DEU,new,,EUR,,offered,",  # 10: not a number
            "DEU,OF-9,PZH2000,4,2026-01-01,DEU,new,-5,EUR,,offered,",  # 11: negative value
            "DEU,OF-10,PZH2000,4,2026-01-01,DEU,new,,EUR,space,offered,",  # 12: unknown area
            "DEU,OF-11,PZH2000,4,2026-01-01,DEU,new,,EUR,,lost,",  # 13: unknown status
            "DEU,,PZH2000,4,2026-01-01,DEU,new,,EUR,,offered,",  # 14: missing id
            "DEU,OF-12,PZH2000,4,2026-01-01,DEU,new,,EUR,,offered,2026-02-01",  # 15: date too early
        ]
    )
    + "\n"
)

EXPECTED = {
    (2, "available_from"),
    (3, "donor_code"),
    (4, "quantity"),
    (5, "item_type_code"),
    (7, "external_id"),
    (8, "currency"),
    (9, "condition"),
    (10, "quantity"),
    (11, "declared_value"),
    (12, "only_for_areas"),
    (13, "status"),
    (14, "external_id"),
    (15, "delivered_on"),
}


def test_every_fault_is_reported_with_row_and_column_and_nothing_changes(seeded, tmp_path):
    before = database_content(seeded)
    with pytest.raises(ImportRejected) as rejected:
        import_text(seeded, tmp_path, "offers", FAULTY_OFFERS, name="faulty.csv")
    found = {(p.row, p.column) for p in rejected.value.problems}
    assert found == EXPECTED
    assert len(rejected.value.problems) == len(EXPECTED)  # each fault once
    assert all(p.file.endswith("faulty.csv") for p in rejected.value.problems)
    assert database_content(seeded) == before


def test_the_cli_lists_every_fault_and_exits_non_zero(seeded, tmp_path):
    if seeded.dialect.name != "sqlite":
        pytest.skip(
            "the CLI subprocess is pointed at the SQLite file; the service test covers both"
        )
    url = seeded.url.render_as_string(hide_password=False)
    path = tmp_path / "faulty.csv"
    path.write_text(FAULTY_OFFERS)
    user = add_admin(seeded)
    before = database_content(seeded)
    result = subprocess.run(
        [sys.executable, "-m", "coalition", "import", "offers", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "COALITION_DATABASE_URL": url, "COALITION_USER": user},
    )
    assert result.returncode == 1
    pattern = re.compile(r".*faulty\.csv:\d+ \[")
    lines = [line for line in result.stderr.splitlines() if pattern.match(line)]
    assert len(lines) == len(EXPECTED)
    assert "Traceback" not in result.stderr + result.stdout
    assert "nothing was imported" in result.stderr
    assert database_content(seeded) == before


def test_a_file_with_wrong_columns_names_them(seeded, tmp_path):
    with pytest.raises(ImportRejected) as rejected:
        import_text(seeded, tmp_path, "offers", "donor_code,externalid,qty\nDEU,1,2\n")
    reasons = {(p.column, p.reason.split(" (")[0]) for p in rejected.value.problems}
    assert ("externalid", "unknown column") in reasons
    assert ("item_type_code", "required column is missing") in reasons


def test_an_unsupported_file_type_is_refused(seeded, tmp_path):
    with pytest.raises(ImportRejected) as rejected:
        import_text(seeded, tmp_path, "offers", "x", name="offers.txt")
    assert "unsupported file type" in rejected.value.problems[0].reason


def test_a_bad_nsn_and_an_unknown_family_are_named(seeded, tmp_path):
    text = (
        "code,name,family_code,supply_class,nsn\n"
        "X1,Thing,SPH-155,II,1025-12-345-678\n"
        "X2,Other,NOPE,II,\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        import_text(seeded, tmp_path, "item-types", text)
    found = {(p.row, p.column) for p in rejected.value.problems}
    assert found == {(2, "nsn"), (3, "family_code")}
