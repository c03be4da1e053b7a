"""IATI 2.03 out: activities valid against the published XSD (read from ../shared), and
malformed records refused before anything is written, each named with its field."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from coalition.io.iati import Funder, IatiRefused, PledgeRecord, build, validate

SCHEMA = (
    Path(__file__).resolve().parents[3].parent
    / "shared" / "external" / "iati" / "schema" / "iati-activities-schema.xsd"
)  # fmt: skip
needs_schema = pytest.mark.skipif(not SCHEMA.is_file(), reason=f"no IATI schema at {SCHEMA}")
FUNDERS = {"DEU": Funder("DEU", "Germany"), "EPF": Funder("EPF", "European Peace Facility", True)}
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def pledge(**changes: object) -> PledgeRecord:
    values: dict[str, object] = {
        "donor_code": "DEU", "external_id": "DEU-FIN-2025-01", "amount": Decimal("500000000"),
        "currency": "EUR", "year": 2025, "pledged_on": date(2025, 2, 12),
        "purpose": "procurement", "status": "disbursed", "channel_code": "EPF",
        "disbursed_on": date(2025, 3, 1),
    }  # fmt: skip
    values.update(changes)
    return PledgeRecord(**values)  # type: ignore[arg-type]


@needs_schema
def test_pledges_at_every_stage_are_valid_iati_2_03():
    records = [
        pledge(),
        pledge(external_id="P-2", status="pledge", disbursed_on=None, channel_code=None),
        pledge(external_id="P-3", status="commitment", disbursed_on=None, currency="USD"),
    ]
    document = build(records, FUNDERS, NOW)
    assert validate(document, SCHEMA) == []
    tree = etree.fromstring(document)
    assert tree.get("version") == "2.03"
    kinds = "transaction/transaction-type"
    types = {
        a.findtext("iati-identifier"): [t.get("code") for t in a.iterfind(kinds)]
        for a in tree.iterfind("iati-activity")
    }
    assert types == {
        "XM-COALITION-DEU-DEU-FIN-2025-01": ["2", "3"],
        "XM-COALITION-DEU-P-2": ["12"],
        "XM-COALITION-DEU-P-3": ["2"],
    }


@needs_schema
def test_the_validator_reports_an_invalid_document():
    document = (
        build([pledge()], FUNDERS, NOW)
        .replace(b"<title>", b"<titel>")
        .replace(b"</title>", b"</titel>")
    )
    assert validate(document, SCHEMA)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": Decimal("-5")}, "amount"),
        ({"amount": Decimal("NaN")}, "amount"),
        ({"currency": "euro"}, "currency"),
        ({"donor_code": "XXX"}, "not a known donor"),
        ({"disbursed_on": None}, "disbursed_on is required"),
        ({"disbursed_on": date(2024, 1, 1)}, "before the pledge"),
        ({"status": "promised"}, "status"),
        ({"external_id": "has space"}, "external_id"),
        ({"channel_code": "NOPE"}, "channel_code"),
    ],
)
def test_a_malformed_record_is_refused_before_export_naming_it(changes, message):
    with pytest.raises(IatiRefused, match=message) as refused:
        build([pledge(**changes)], FUNDERS, NOW)
    assert "pledge DEU:" in str(refused.value) or "pledge XXX:" in str(refused.value)


def test_user_text_is_escaped_in_the_xml():
    funders = {"DEU": Funder("DEU", "<b>&Germany</b>")}
    document = build([pledge(channel_code=None)], funders, NOW)
    assert b"&lt;b&gt;&amp;Germany&lt;/b&gt;" in document
