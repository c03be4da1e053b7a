"""EPCIS 2.0: our exports are valid GS1 documents, they read back as the same events, a partner's
document is read all or nothing, and every refusal names the event and the reason.

GS1's schema and examples carry no open licence, so they are not copied into the project: the
tests read them from the shared reference folder next to the repository (skipped without it).
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.domain.tracking import (
    TRACKING_TRANSITIONS,
    EventKind,
    Shipment,
    ShipmentEvent,
    replay,
)
from coalition.io.epcis import (
    EpcisError,
    Identifiers,
    check_structure,
    export_document,
    load_schema,
    read_document,
    schema_problems,
)

EPCIS = Path(__file__).parents[3] / ".." / "shared" / "external" / "epcis"
needs_gs1 = pytest.mark.skipif(not EPCIS.is_dir(), reason="shared EPCIS reference files absent")
K = EventKind
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
IDS = Identifiers()

SHIP = Shipment("SHP-1", "DEU:DEU-OF-0001", "UA-REQ-0001", 10, "DEU-DEPOT-1", "UKR-DP-LVIV", "UA-1")
OTHER = Shipment("SHP-2", "POL:POL-OF-0001", "UA-REQ-0002", 4, "POL-DEPOT-1", "UKR-DP-LVIV", "UA-1")
SHIPMENTS = {s.shipment_id: s for s in (SHIP, OTHER)}
PLACES = {
    K.PLANNED: "DEU-DEPOT-1",
    K.LOADED: "DEU-DEPOT-1",
    K.DEPARTED: "DEU-DEPOT-1",
    K.AT_HUB: "POL-HUB-RZE",
    K.CROSSED_BORDER: "UKR-BX-SHEHYNI",
    K.DELIVERED: "UKR-DP-LVIV",
    K.RECEIVED: "UKR-DP-LVIV",
}


def journey(kinds, *, received=10, shipment=SHIP, user="desk.deu"):
    return [
        ShipmentEvent(
            shipment.shipment_id,
            kind,
            T0 + timedelta(hours=i),
            PLACES[kind],
            user,
            received if kind == K.RECEIVED else None,
        )
        for i, kind in enumerate(kinds)
    ]


FULL = [K.PLANNED, K.LOADED, K.DEPARTED, K.AT_HUB, K.DEPARTED, K.CROSSED_BORDER,
        K.DELIVERED, K.RECEIVED]  # fmt: skip


def export(events) -> dict[str, Any]:
    return export_document(events, SHIPMENTS, created=T0 + timedelta(days=1))


def read(document, histories=None, **options):
    options.setdefault("reported_by", "partner.pol")
    return read_document(document, SHIPMENTS, histories or {}, **options)


@pytest.fixture(scope="module")
def gs1_schema():
    if not EPCIS.is_dir():
        pytest.skip("shared EPCIS reference files absent")
    return load_schema(EPCIS / "schema" / "EPCIS-JSON-Schema.json")


# --- export --------------------------------------------------------------------------------------


@needs_gs1
def test_an_export_of_a_whole_journey_validates_against_gs1s_schema(gs1_schema):
    document = export(journey(FULL, received=7) + journey([K.DEPARTED], shipment=OTHER))
    assert schema_problems(document, gs1_schema) == []
    assert check_structure(document) == []


@needs_gs1
def test_the_schema_check_really_checks_uri_formats(gs1_schema):
    document = export(journey([K.DEPARTED]))
    document["epcisBody"]["eventList"][0]["bizStep"] = "transforming"  # neither CBV nor a URI
    problems = schema_problems(document, gs1_schema)
    assert problems and all(p.index == 0 for p in problems)


def test_an_export_names_steps_dispositions_places_and_parties():
    events = export(journey(FULL, received=7))["epcisBody"]["eventList"]
    steps = [(e["type"], e["action"], e["bizStep"], e["disposition"]) for e in events]
    assert steps[1] == ("AggregationEvent", "ADD", "loading", "in_progress")
    assert steps[2] == ("ObjectEvent", "OBSERVE", "departing", "in_transit")
    assert steps[-1] == ("ObjectEvent", "OBSERVE", "receiving", "mismatch_quantity")
    receipt = events[-1]
    assert receipt["quantityList"] == [{"epcClass": IDS.shipment("SHP-1"), "quantity": 7}]
    assert receipt["bizLocation"] == {"id": "https://id.coalition.invalid/node/UKR-DP-LVIV"}
    assert {"type": "owning_party", "source": IDS.donor("DEU")} in receipt["sourceList"]
    assert {"type": "possessing_party", "destination": IDS.recipient("UA-1")} in receipt[
        "destinationList"
    ]
    assert receipt["eventTime"] == "2026-03-01T15:00:00Z"
    assert receipt["eventTimeZoneOffset"] == "+00:00"
    assert receipt["coalition:reportedBy"] == "desk.deu"
    assert len({e["eventID"] for e in events}) == len(events)


def test_a_full_receipt_is_completeness_verified():
    (receipt,) = export(journey([K.DEPARTED, K.RECEIVED]))["epcisBody"]["eventList"][1:]
    assert receipt["disposition"] == "completeness_verified"


# --- round trip ----------------------------------------------------------------------------------


def test_an_export_reads_back_as_the_same_events():
    events = journey(FULL, received=7) + journey([K.DEPARTED, K.AT_HUB], shipment=OTHER)
    document = json.loads(json.dumps(export(events)))  # through JSON text, as a partner sends it
    assert read(document, trust_reporters=True) == sorted(events, key=lambda e: e.time)


def test_imported_events_are_reported_by_the_importer_unless_reporters_are_trusted():
    back = read(export(journey([K.DEPARTED])))
    assert [e.reported_by for e in back] == ["partner.pol"]


def test_sending_the_same_document_twice_records_it_once():
    events = journey([K.DEPARTED, K.AT_HUB])
    assert read(export(events), {"SHP-1": events}) == []
    more = journey([K.DEPARTED, K.AT_HUB, K.DEPARTED])
    assert read(export(more), {"SHP-1": events}, trust_reporters=True) == more[2:]


def test_events_are_applied_in_time_order_whatever_the_document_order():
    events = journey([K.DEPARTED, K.AT_HUB, K.DEPARTED])
    document = export(list(reversed(events)))
    assert read(document, trust_reporters=True) == events


walks = st.lists(st.integers(0, 3), max_size=10)


@settings(max_examples=100, deadline=None)
@given(walks, st.integers(0, 10))
def test_every_legal_history_survives_a_round_trip(choices, received):
    state, kinds = None, []
    for choice in choices:
        options = TRACKING_TRANSITIONS[state]
        if not options:
            break
        state = options[choice % len(options)]
        kinds.append(state)
    events = list(replay(SHIP, journey(kinds, received=received)))
    assert read(export(events), trust_reporters=True) == events


# --- refusals: one clear error, nothing read -----------------------------------------------------


def refusal(document, histories=None, **options) -> EpcisError:
    with pytest.raises(EpcisError) as error:
        read(document, histories, **options)
    return error.value


def test_an_unknown_shipment_is_refused_with_the_events_index():
    document = export(journey([K.DEPARTED]))
    stranger = copy.deepcopy(document["epcisBody"]["eventList"][0])
    stranger["quantityList"][0]["epcClass"] = IDS.shipment("SHP-404")
    document["epcisBody"]["eventList"].append(stranger)
    error = refusal(document)
    assert [(p.index, p.reason) for p in error.problems] == [(1, "shipment SHP-404 is not known")]
    assert "nothing was read" in str(error) and "event 1" in str(error)


def test_a_foreign_identifier_without_an_alias_is_refused():
    document = export(journey([K.DEPARTED]))
    document["epcisBody"]["eventList"][0]["quantityList"][0]["epcClass"] = "urn:epc:class:x"
    error = refusal(document)
    assert "'urn:epc:class:x' is not a known shipment's identifier" in str(error)
    assert read(document, aliases={"urn:epc:class:x": "SHP-1"})  # with its alias it reads


def test_an_illegal_transition_refuses_the_whole_document():
    good = journey([K.DEPARTED])
    bad = ShipmentEvent("SHP-2", K.RECEIVED, T0, "UKR-DP-LVIV", "u", 4)  # never departed
    error = refusal(export([*good, bad]))
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert problem.index == 1
    assert "cannot go from 'not_started' to 'received'" in problem.reason


def test_a_receipt_of_more_than_was_shipped_is_refused():
    document = export(journey([K.DEPARTED, K.RECEIVED], received=10))
    document["epcisBody"]["eventList"][1]["quantityList"][0]["quantity"] = 11
    assert "11 units received but only 10 were shipped" in str(refusal(document))


def test_a_departure_counting_other_units_than_the_shipment_is_refused():
    document = export(journey([K.DEPARTED]))
    document["epcisBody"]["eventList"][0]["quantityList"][0]["quantity"] = 9
    assert "counts 9 units; shipment SHP-1 carries 10" in str(refusal(document))


def test_a_fraction_of_a_unit_is_refused():
    document = export(journey([K.DEPARTED, K.RECEIVED]))
    document["epcisBody"]["eventList"][1]["quantityList"][0]["quantity"] = 2.5
    assert "2.5 is not a whole number of units" in str(refusal(document))


@pytest.mark.parametrize("quantity", [float("inf"), float("nan"), 10**40, -3, True, "7"])
def test_a_quantity_that_is_no_count_is_refused(quantity):
    document = export(journey([K.DEPARTED, K.RECEIVED]))
    document["epcisBody"]["eventList"][1]["quantityList"][0]["quantity"] = quantity
    assert refusal(document).problems[0].index == 1


def test_an_event_naming_two_shipments_is_refused():
    document = export(journey([K.DEPARTED]))
    event = document["epcisBody"]["eventList"][0]
    event["quantityList"].append({"epcClass": IDS.shipment("SHP-2"), "quantity": 4})
    assert "several shipments (SHP-1, SHP-2)" in str(refusal(document))


def test_a_place_outside_the_network_is_refused():
    document = export(journey([K.DEPARTED]))
    error = refusal(document, known_nodes={"POL-HUB-RZE"})
    assert "node DEU-DEPOT-1 is not in the logistics network" in str(error)


def test_a_party_that_is_not_the_shipments_is_refused():
    document = export(journey([K.DEPARTED]))
    document["epcisBody"]["eventList"][0]["sourceList"][0]["source"] = IDS.donor("FRA")
    assert "donor FRA does not send shipment SHP-1 (DEU does)" in str(refusal(document))


def test_arriving_at_the_destination_is_read_as_the_delivery():
    document = export(journey([K.DEPARTED, K.DELIVERED]))
    assert document["epcisBody"]["eventList"][1]["bizStep"] == "arriving"
    assert [e.kind for e in read(document)] == [K.DEPARTED, K.DELIVERED]


@pytest.mark.parametrize(
    ("change", "index", "reason"),
    [
        ({"bizStep": "inspecting"}, 0, "'inspecting' is not a step of a shipment's journey"),
        ({"action": "DELETE"}, 0, "DELETE removes goods"),
        ({"eventTime": "2026-03-01 08:00"}, 0, "not an RFC 3339 date-time"),
        ({"eventTime": "2026-02-30T08:00:00Z"}, 0, "not a real date and time"),
        ({"eventTime": "2999-01-01T08:00:00Z"}, 0, "is in the future"),
        ({"eventTimeZoneOffset": "+15:00"}, 0, "not an offset"),
        ({"readPoint": "here"}, 0, "must be an object with an id"),
        ({"bizLocation": {"id": "urn:x:nowhere"}}, 0, "'urn:x:nowhere' is not a known node"),
        ({"coalition:reportedBy": None, "whoSaidSo": "me"}, 0, "unknown field"),
    ],
)
def test_each_bad_field_is_named_with_its_event(change, index, reason):
    document = export(journey([K.DEPARTED]))
    document["epcisBody"]["eventList"][index].update(change)
    error = refusal(document)
    assert any(p.index == index and reason in str(p) for p in error.problems), error


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ([], "must be a JSON object"),
        ({"type": "EPCISDocument"}, "[@context]: is required"),
        ({**export([]), "schemaVersion": "1.2"}, "only EPCIS 2.x documents"),
        ({**export([]), "epcisBody": {}}, "must hold an eventList"),
        ({**export([]), "type": "EPCISQueryDocument"}, "answers a query"),
    ],
)
def test_a_malformed_document_is_refused_as_a_whole(document, reason):
    error = refusal(document)
    assert reason in str(error)
    assert error.problems[0].index == -1


def test_a_transaction_event_is_refused_with_its_reason():
    document = export(journey([K.DEPARTED]))
    document["epcisBody"]["eventList"][0]["type"] = "TransactionEvent"
    assert "event 0 [type]: TransactionEvent events are not read" in str(refusal(document))


# --- GS1's own examples and openepcis's invalid documents ----------------------------------------


def example_files() -> list[Path]:
    return sorted((EPCIS / "examples").rglob("*.jsonld")) if EPCIS.is_dir() else []


def events_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    body = document.get("epcisBody", {})
    return body.get("eventList") or body.get("queryResults", {}).get("resultsBody", {}).get(
        "eventList", []
    )


def as_known(document: dict[str, Any], shipped: int):
    """The test's way of making an example's goods known: every identifier in it names one
    shipment, EX-1; the place of a receipt is its destination, every other place its origin."""
    aliases: dict[str, str] = {}
    places: dict[str, str] = {}
    for event in events_of(document):
        for uri in [*event.get("epcList", ()), *event.get("childEPCs", ())]:
            aliases[uri] = "EX-1"
        if "parentID" in event:
            aliases[event["parentID"]] = "EX-1"
        for element in [*event.get("quantityList", ()), *event.get("childQuantityList", ())]:
            aliases[element["epcClass"]] = "EX-1"
        for name in ("readPoint", "bizLocation"):
            if name in event:
                receiving = event.get("bizStep") == "receiving"
                places[event[name]["id"]] = "UKR-DP-EX" if receiving else "DEU-DEPOT-EX"
    shipment = Shipment(
        "EX-1", "DEU:OF-EX", "UA-REQ-EX", shipped, "DEU-DEPOT-EX", "UKR-DP-EX", "UA"
    )
    return {"EX-1": shipment}, aliases, places


DEPARTED_EARLIER = [
    ShipmentEvent("EX-1", K.DEPARTED, datetime(2013, 6, 1, tzinfo=UTC), "DEU-DEPOT-EX", "u")
]
# name: (units shipped, history before the document, kinds read, units received)
IMPORTED = {
    "Example_9.6.1-ObjectEvent.jsonld": (2, [], [K.DEPARTED, K.RECEIVED], 1),
    "Example_9.6.1-with-comment.jsonld": (2, [], [K.DEPARTED, K.RECEIVED], 1),
    "Example_9.6.1-ObjectEvent-with-pseudo-SBDH-headers.jsonld": (
        2, [], [K.DEPARTED, K.RECEIVED], 1,
    ),
    "Example_9.6.1-ObjectEventWithDigitalLink.jsonld": (2, [], [K.DEPARTED, K.RECEIVED], 1),
    # 2 child EPCs + 10 counted units; the 200.5 KGM identify goods but count nothing.
    "Example_9.6.3-AggregationEvent.jsonld": (12, DEPARTED_EARLIER, [K.RECEIVED], 12),
    "Example_9.6.3-AggregationEventWithDigitalLink.jsonld": (
        12, DEPARTED_EARLIER, [K.RECEIVED], 12,
    ),
}  # fmt: skip
# name fragment → the reason a refused example gives
REFUSED = {
    "AssociationEvent": "AssociationEvent events are not read",
    "Example-Type-sourceOrDestination": "AssociationEvent events are not read",
    "TransactionEvent": "TransactionEvent events are not read",
    "transaction_event": "TransactionEvent events are not read",
    "SensorDataExample11": "TransactionEvent events are not read",
    "Transformation": "TransformationEvent events are not read",
    "transformation_event": "TransformationEvent events are not read",
    "SensorDataExample12": "TransformationEvent events are not read",
    "ErrorDeclarationAndCorrectiveEvent": "TransformationEvent events are not read",
    "association_event": "AssociationEvent events are not read",
    "error-declaration": "retractions are not read",
    "all_possible_fields": "retractions are not read",
    "EPCISQueryDocument": "answers a query",
    "9.6.2-ObjectEvent": "a receipt must count the units received",  # only 200 KGM
    "SensorDataExample1.": "'inspecting' is not a step of a shipment's journey",
    "SensorDataExample2": "'inspecting' is not a step of a shipment's journey",
    "SensorDataExample8": "'packing' is not a step of a shipment's journey",
    "PersistentDisposition": "'inspecting' is not a step of a shipment's journey",
}


def expected_refusal(name: str) -> str:
    reasons = [reason for fragment, reason in REFUSED.items() if fragment in name]
    assert reasons, f"{name}: add it to IMPORTED or REFUSED"
    return reasons[0]


@needs_gs1
def test_the_examples_are_all_classified():
    names = [p.name for p in example_files()]
    assert len(names) == 34
    assert set(IMPORTED) <= set(names)
    for name in names:
        if name not in IMPORTED:
            expected_refusal(name)


@needs_gs1
@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
def test_each_gs1_example_imports_for_known_shipments_or_is_refused_with_its_reason(path):
    document = json.loads(path.read_text(encoding="utf-8"))
    shipped, history, kinds, received = IMPORTED.get(path.name, (1, [], None, None))
    shipments, aliases, places = as_known(document, shipped)
    options = {"reported_by": "partner", "aliases": aliases, "places": places}
    histories = {"EX-1": history}
    if kinds is None:
        with pytest.raises(EpcisError) as error:
            read_document(document, shipments, histories, **options)
        assert expected_refusal(path.name) in str(error.value)
        return
    events = read_document(document, shipments, histories, **options)
    assert [e.kind for e in events] == kinds
    assert events[-1].quantity == received
    assert events[-1].place == "UKR-DP-EX"


@needs_gs1
@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
def test_our_structure_check_accepts_every_document_gs1s_schema_accepts(path, gs1_schema):
    document = json.loads(path.read_text(encoding="utf-8"))
    assert schema_problems(document, gs1_schema) == []
    if document["type"] == "EPCISDocument":
        assert check_structure(document) == []


def invalid_files() -> list[Path]:
    return sorted((EPCIS / "invalid-openepcis").glob("*.json")) if EPCIS.is_dir() else []


@needs_gs1
def test_there_are_fifteen_invalid_documents():
    assert len(invalid_files()) == 15


@needs_gs1
@pytest.mark.parametrize("path", invalid_files(), ids=lambda p: p.name)
def test_every_invalid_openepcis_document_is_refused_at_run_time_without_gs1s_schema(path):
    document = json.loads(path.read_text(encoding="utf-8"))
    shipments, aliases, places = as_known(document, 1)
    histories: dict[str, list[ShipmentEvent]] = {"EX-1": []}
    with pytest.raises(EpcisError) as error:
        read_document(
            document, shipments, histories, reported_by="p", aliases=aliases, places=places
        )
    assert error.value.problems, path.name
    for problem in error.value.problems:
        assert problem.reason and (problem.index >= 0 or problem.field)
    assert histories == {"EX-1": []}  # nothing recorded
    assert check_structure(document)  # refused for its structure, not for an unknown shipment


@needs_gs1
@pytest.mark.parametrize("path", invalid_files(), ids=lambda p: p.name)
def test_a_caller_holding_gs1s_schema_gets_its_findings_too(path, gs1_schema):
    document = json.loads(path.read_text(encoding="utf-8"))
    with pytest.raises(EpcisError) as error:
        read_document(document, {}, {}, reported_by="p", schema=gs1_schema)
    assert error.value.problems


# --- no input crashes the reader -----------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
EVENT_FIELDS = [
    "type",
    "action",
    "bizStep",
    "disposition",
    "eventTime",
    "eventTimeZoneOffset",
    "quantityList",
    "epcList",
    "readPoint",
    "bizLocation",
    "sourceList",
    "destinationList",
    "childEPCs",
    "parentID",
    "certificationInfo",
    "ilmd",
]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(range(8)), st.sampled_from(EVENT_FIELDS), json_values)
def test_any_value_in_any_field_is_read_or_refused_never_a_crash(index, field, value):
    document = export(journey(FULL, received=7))
    document["epcisBody"]["eventList"][index][field] = value
    try:
        read(document)
    except EpcisError as error:
        assert error.problems


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_any_json_at_all_is_refused_never_a_crash(value):
    with pytest.raises(EpcisError):
        read(value)
