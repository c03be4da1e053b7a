"""EPCIS through the services: an export holds only what the reader may see and is a valid
GS1 document; a capture records every event or none, each refusal naming the event's index."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from test_tracking_service import COORD, DESK_DEU, DESK_POL, UKRAINE, create, journey, report

from coalition.io.epcis import load_schema, schema_problems
from coalition.services import tracking
from coalition.services.errors import EpcisRejected, InvalidField
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import database_content
from support_tracking import T0

EPCIS = Path(__file__).parents[3] / ".." / "shared" / "external" / "epcis"
needs_gs1 = pytest.mark.skipif(not EPCIS.is_dir(), reason="shared EPCIS reference files absent")
FULL = ["planned", "loaded", "departed", "at_hub", "departed", "crossed_border", "delivered",
        "received"]  # fmt: skip


def exported(engine, principal=COORD, start=None, end=None):
    with UnitOfWork(engine, principal, write=False) as uow:
        return tracking.epcis_document(uow, start, end)


@needs_gs1
def test_an_export_is_a_valid_gs1_document_and_holds_the_whole_journey(ledger, tmp_path):
    create(ledger)
    journey(ledger, FULL, received=3)
    path = tmp_path / "events.jsonld"
    with UnitOfWork(ledger, DESK_DEU, write=False) as uow:
        assert tracking.export_epcis(uow, path) == len(FULL)
    document = json.loads(path.read_text())
    schema = load_schema(EPCIS / "schema" / "EPCIS-JSON-Schema.json")
    assert schema_problems(document, schema) == []
    steps = [e["bizStep"] for e in document["epcisBody"]["eventList"]]
    assert steps[0] == "commissioning" and steps[-1] == "receiving"
    assert document["epcisBody"]["eventList"][-1]["disposition"] == "mismatch_quantity"


def test_an_export_holds_only_the_window_and_what_the_reader_may_see(ledger):
    create(ledger)
    create(ledger, sid="SHP-PL", offer_key="POL:POL-OF-0001", quantity=2, origin="POL-DEPOT-1")
    journey(ledger, ["planned", "departed"])
    report(ledger, "departed", 0, sid="SHP-PL", place="POL-DEPOT-1")
    assert len(exported(ledger)["epcisBody"]["eventList"]) == 3
    assert len(exported(ledger, DESK_POL)["epcisBody"]["eventList"]) == 1
    window = exported(ledger, DESK_DEU, T0 + timedelta(minutes=30), T0 + timedelta(hours=2))
    assert [e["bizStep"] for e in window["epcisBody"]["eventList"]] == ["departing"]
    with pytest.raises(InvalidField):
        exported(ledger, COORD, T0, T0)


def test_a_document_exported_elsewhere_is_captured_and_a_second_capture_adds_nothing(
    ledger, tmp_path
):
    create(ledger)
    journey(ledger, ["planned", "departed", "received"], received=4)
    document = exported(ledger)
    # The same events on a fresh shipment of the same line: rename the shipment.
    create(ledger, sid="SHP-2", offer_key="DEU:DEU-OF-0002", quantity=500)
    text = json.dumps(document).replace("shipment/SHP-1", "shipment/SHP-2")
    text = text.replace('"quantity": 4', '"quantity": 500')
    path = tmp_path / "partner.jsonld"
    path.write_text(text)
    with UnitOfWork(ledger, DESK_DEU) as uow:
        result = tracking.import_epcis(uow, path)
    assert result.recorded == 3 and result.shipments == ["SHP-2"]
    with UnitOfWork(ledger, DESK_DEU) as uow:
        again = tracking.import_epcis(uow, path)
    assert again.recorded == 0 and again.skipped == 3
    with UnitOfWork(ledger, COORD, write=False) as uow:
        shown = tracking.timeline(uow, "SHP-2")
    assert [e["reported_by"] for e in shown.events] == ["desk-deu"] * 3
    assert shown.received == 500


def test_a_capture_is_all_or_nothing_and_names_the_event_and_reason(ledger, tmp_path):
    create(ledger)
    journey(ledger, ["planned", "departed", "at_hub", "departed"])
    document = exported(ledger)
    create(ledger, sid="SHP-2", offer_key="DEU:DEU-OF-0002", quantity=500)
    good = json.loads(json.dumps(document).replace("shipment/SHP-1", "shipment/SHP-2")
                      .replace('"quantity": 4', '"quantity": 500'))  # fmt: skip
    good["epcisBody"]["eventList"][2]["bizStep"] = "flying"
    path = tmp_path / "bad.jsonld"
    path.write_text(json.dumps(good))
    before = database_content(ledger)
    with UnitOfWork(ledger, DESK_DEU) as uow, pytest.raises(EpcisRejected) as refused:
        tracking.import_epcis(uow, path)
    assert database_content(ledger) == before
    assert [index for index, _, _ in refused.value.problems] == [2]
    assert "event 2" in str(refused.value) and "flying" in str(refused.value)


def test_a_capture_refuses_what_the_reporter_may_not_report_or_see(ledger, tmp_path):
    create(ledger)
    journey(ledger, ["planned"])
    document = exported(ledger)
    path = tmp_path / "doc.jsonld"
    path.write_text(json.dumps(document).replace("T08:00:00", "T07:00:00"))
    document_text = path.read_text()
    with UnitOfWork(ledger, DESK_POL) as uow, pytest.raises(EpcisRejected, match="not known"):
        tracking.import_epcis(uow, path)
    path.write_text(document_text.replace("commissioning", "departing").replace(
        '"active"', '"in_transit"'))  # fmt: skip
    # a departure at 07:00 is before the planned event at 08:00: refused, event 0
    with UnitOfWork(ledger, COORD) as uow, pytest.raises(EpcisRejected, match="event 0"):
        tracking.import_epcis(uow, path)
    refused = pytest.raises(EpcisRejected, match="may not report 'departed'")
    with UnitOfWork(ledger, UKRAINE) as uow, refused:
        tracking.capture(uow, json.loads(
                document_text.replace("T07:00:00", "T09:00:00").replace(
                    "commissioning", "departing").replace('"active"', '"in_transit"')))  # fmt: skip


@pytest.mark.parametrize(
    ("content", "reason"),
    [("{not json", "not JSON"), ('{"type": "EPCISDocument"}', "document"), (None, "no such")],
)
def test_an_unreadable_document_is_refused_in_one_line(ledger, tmp_path, content, reason):
    path = tmp_path / "doc.jsonld"
    if content is not None:
        path.write_text(content)
    before = database_content(ledger)
    with UnitOfWork(ledger, COORD) as uow, pytest.raises((EpcisRejected, InvalidField)) as e:
        tracking.import_epcis(uow, path)
    assert reason in str(e.value)
    assert database_content(ledger) == before
