"""Tracking events in and out as EPCIS 2.0 JSON-LD documents (GS1 EPCIS 2.0 / CBV 2.0).

Export (`export_document`) writes an `EPCISDocument` whose events are ObjectEvents (and an
AggregationEvent for loading); import (`read_document`) reads a partner's document back into
`ShipmentEvent`s, all or nothing: any problem in any event refuses the whole document, each
problem naming the event's index in `epcisBody.eventList` and the reason (`EpcisError`).

**Identifiers.** Coalition's things are HTTP URIs under one base (`Identifiers`, default
`https://id.coalition.invalid/`, a reserved top-level domain that can never resolve to someone
else; a deployment sets its own):

| thing | URI | in the document |
|---|---|---|
| shipment (its units, a class) | `{base}shipment/{id}` | `(child)quantityList` `epcClass` |
| node (depot, hub, border…) | `{base}node/{code}` | `readPoint`, `bizLocation`, `location` |
| donor | `{base}donor/{code}` | `owning_party` / `possessing_party` source |
| recipient | `{base}recipient/{code}` | `owning_party` / `possessing_party` destination |
| event | `{base}event/{sha-256 of shipment, kind, time, place}` | `eventID` |
| who reported it | extension `coalition:reportedBy` (`coalition` = `{base}ns/`) | |

Codes are percent-encoded in URIs. A partner using GS1 keys (SGTIN, SSCC, SGLN…) is read
through `aliases` (URI → shipment id) and `places` (URI → node code) given by the caller.

**Steps.** Each event kind is one CBV business step (`STEPS`). On import the step decides the
kind (`READ_STEPS`, which also reads `shipping` as a departure, `unloading` as a delivery and
`accepting` as a receipt); `arriving` at the shipment's destination is a delivery, elsewhere an
arrival at a hub. A receipt's disposition is `completeness_verified`, or `mismatch_quantity`
when fewer units arrived than were shipped (CBV 2.0 has no `completed` disposition).

**Quantities.** An event counts units: each EPC of an instance (`epcList`, `childEPCs`) is one,
a quantity element without `uom` counts its `quantity` (a whole number); a `parentID` (a pallet
or container) and measured quantities (with a `uom`, e.g. KGM) identify goods but count
nothing. A receipt's count is the units received. Any other event that counts must count the
shipment's quantity: a partner reporting other figures is refused, not rounded.

**Validation at run time** is structural and ours (`check_structure`): every field we read and
every field the GS1 schema constrains in a way a partner commonly gets wrong (document shape,
`@context`, event types, actions, RFC 3339 times and offsets, URIs checked with
`rfc3986-validator`, CBV business steps and dispositions, quantity elements, `ilmd` and
extension names, certification info). GS1's JSON Schema carries no open licence, so it is not
shipped; a caller holding a copy may pass it (`read_document(..., schema=load_schema(path))`)
and the document is then also validated against it (jsonschema, draft 7, with uri formats
checked). The tests validate our exports against GS1's schema.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from rfc3986_validator import validate_rfc3986

from coalition.domain.errors import DomainError, InvalidValue
from coalition.domain.tracking import (
    EventKind,
    Shipment,
    ShipmentEvent,
    check_event,
)

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
DEFAULT_BASE = "https://id.coalition.invalid/"
SCHEMA_VERSION = "2.0"
MAX_EVENTS = 100_000  # events in one document
MAX_PROBLEMS_SHOWN = 10

# Each event kind as EPCIS: (event type, action, CBV business step, disposition).
STEPS: dict[EventKind, tuple[str, str, str, str]] = {
    EventKind.PLANNED: ("ObjectEvent", "ADD", "commissioning", "active"),
    EventKind.LOADED: ("AggregationEvent", "ADD", "loading", "in_progress"),
    EventKind.DEPARTED: ("ObjectEvent", "OBSERVE", "departing", "in_transit"),
    EventKind.AT_HUB: ("ObjectEvent", "OBSERVE", "arriving", "in_transit"),
    EventKind.CROSSED_BORDER: ("ObjectEvent", "OBSERVE", "entering_exiting", "in_transit"),
    EventKind.DELIVERED: ("ObjectEvent", "OBSERVE", "arriving", "in_progress"),
    EventKind.RECEIVED: ("ObjectEvent", "OBSERVE", "receiving", "completeness_verified"),
}
SHORT_RECEIPT = "mismatch_quantity"

# The business steps read on import, and the kind each one reports.
READ_STEPS: dict[str, EventKind] = {
    "commissioning": EventKind.PLANNED,
    "loading": EventKind.LOADED,
    "departing": EventKind.DEPARTED,
    "shipping": EventKind.DEPARTED,
    "arriving": EventKind.AT_HUB,  # a delivery when it arrives at the shipment's destination
    "entering_exiting": EventKind.CROSSED_BORDER,
    "unloading": EventKind.DELIVERED,
    "receiving": EventKind.RECEIVED,
    "accepting": EventKind.RECEIVED,
}
READ_TYPES = ("ObjectEvent", "AggregationEvent")
OTHER_TYPES = ("TransactionEvent", "TransformationEvent", "AssociationEvent")

# CBV 2.0 vocabularies (standard words; anything else must be a URI outside CBV's namespace).
CBV_BIZ_STEPS = frozenset(
    [
        "accepting",
        "arriving",
        "assembling",
        "collecting",
        "commissioning",
        "consigning",
        "creating_class_instance",
        "cycle_counting",
        "decommissioning",
        "departing",
        "destroying",
        "disassembling",
        "dispensing",
        "encoding",
        "entering_exiting",
        "holding",
        "inspecting",
        "installing",
        "killing",
        "loading",
        "other",
        "packing",
        "picking",
        "receiving",
        "removing",
        "repackaging",
        "repairing",
        "replacing",
        "reserving",
        "retail_selling",
        "shipping",
        "staging_outbound",
        "stock_taking",
        "stocking",
        "storing",
        "transporting",
        "unloading",
        "unpacking",
        "void_shipping",
        "sensor_reporting",
        "sampling",
    ]
)
CBV_DISPOSITIONS = frozenset(
    [
        "active",
        "container_closed",
        "damaged",
        "destroyed",
        "dispensed",
        "disposed",
        "encoded",
        "expired",
        "in_progress",
        "in_transit",
        "inactive",
        "no_pedigree_match",
        "non_sellable_other",
        "partially_dispensed",
        "recalled",
        "reserved",
        "retail_sold",
        "returned",
        "sellable_accessible",
        "sellable_not_accessible",
        "stolen",
        "unknown",
        "available",
        "completeness_verified",
        "completeness_inferred",
        "conformant",
        "container_open",
        "mismatch_instance",
        "mismatch_class",
        "mismatch_quantity",
        "needs_replacement",
        "non_conformant",
        "unavailable",
    ]
)
SOURCE_DEST_TYPES = frozenset({"owning_party", "possessing_party", "location"})
_CBV_NAMESPACE = re.compile(r"^(urn:epcglobal:cbv|https?://ns\.gs1\.org/cbv/)")
_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$"
)
_OFFSET = re.compile(r"^[+-]((0\d|1[0-3]):[0-5]\d|14:00)$")
_VERSION = re.compile(r"^\d+(\.\d+)*$")
_UOM = re.compile(r"^[A-Z0-9]{2,3}$")

DOCUMENT_KEYS = frozenset(
    [
        "@context",
        "id",
        "type",
        "schemaVersion",
        "creationDate",
        "instanceIdentifier",
        "sender",
        "receiver",
        "epcisHeader",
        "epcisBody",
    ]
)
COMMON_KEYS = frozenset(
    [
        "@context",
        "type",
        "eventTime",
        "recordTime",
        "eventTimeZoneOffset",
        "eventID",
        "certificationInfo",
        "errorDeclaration",
    ]
)
EVENT_KEYS: dict[str, frozenset[str]] = {
    "ObjectEvent": COMMON_KEYS
    | frozenset(
        [
            "action",
            "epcList",
            "quantityList",
            "bizStep",
            "disposition",
            "persistentDisposition",
            "readPoint",
            "bizLocation",
            "bizTransactionList",
            "sourceList",
            "destinationList",
            "sensorElementList",
            "ilmd",
        ]
    ),
    "AggregationEvent": COMMON_KEYS
    | frozenset(
        [
            "parentID",
            "childEPCs",
            "childQuantityList",
            "action",
            "bizStep",
            "disposition",
            "readPoint",
            "bizLocation",
            "bizTransactionList",
            "sourceList",
            "destinationList",
            "sensorElementList",
        ]
    ),
}


# --- identifiers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identifiers:
    """Coalition's URIs for shipments, nodes, parties and events, under one base."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not self.base.endswith("/") or not is_uri(self.base):
            raise ValueError(f"identifier base must be an absolute URI ending in /: {self.base}")

    @property
    def namespace(self) -> str:
        return f"{self.base}ns/"

    @property
    def reported_by_key(self) -> str:
        return "coalition:reportedBy"

    def _uri(self, what: str, code: str) -> str:
        return f"{self.base}{what}/{quote(code, safe='')}"

    def _code(self, what: str, uri: str) -> str | None:
        prefix = f"{self.base}{what}/"
        if not uri.startswith(prefix):
            return None
        rest = uri[len(prefix) :]
        return unquote(rest) if rest and "/" not in rest else None

    def shipment(self, shipment_id: str) -> str:
        return self._uri("shipment", shipment_id)

    def node(self, code: str) -> str:
        return self._uri("node", code)

    def donor(self, code: str) -> str:
        return self._uri("donor", code)

    def recipient(self, code: str) -> str:
        return self._uri("recipient", code)

    def shipment_of(self, uri: str) -> str | None:
        return self._code("shipment", uri)

    def node_of(self, uri: str) -> str | None:
        return self._code("node", uri)

    def donor_of(self, uri: str) -> str | None:
        return self._code("donor", uri)

    def recipient_of(self, uri: str) -> str | None:
        return self._code("recipient", uri)

    def event(self, event: ShipmentEvent) -> str:
        content = "|".join(
            (event.shipment_id, event.kind.value, event.time.isoformat(), event.place)
        )
        return f"{self.base}event/{hashlib.sha256(content.encode()).hexdigest()[:32]}"


def is_uri(value: object) -> bool:
    """An absolute URI (RFC 3986), e.g. `urn:epc:id:sgtin:…`, `https://…`, `example:field`."""
    return isinstance(value, str) and bool(validate_rfc3986(value, rule="URI"))


# --- errors ------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class EpcisProblem:
    index: int  # the event's index in epcisBody.eventList; -1 for the document itself
    field: str
    reason: str

    def __str__(self) -> str:
        where = "document" if self.index < 0 else f"event {self.index}"
        return f"{where}{f' [{self.field}]' if self.field else ''}: {self.reason}"


class EpcisError(ValueError):
    """A document refused as a whole: nothing in it was read. `problems` lists every reason."""

    def __init__(self, problems: Sequence[EpcisProblem]) -> None:
        self.problems = tuple(problems)
        shown = "; ".join(str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN])
        more = len(self.problems) - MAX_PROBLEMS_SHOWN
        tail = f" (and {more} more)" if more > 0 else ""
        super().__init__(f"EPCIS document refused, nothing was read: {shown}{tail}")


# --- export ------------------------------------------------------------------------------------


def export_document(
    events: Iterable[ShipmentEvent],
    shipments: Mapping[str, Shipment],
    *,
    created: datetime,
    ids: Identifiers = Identifiers(),
    sender: str | None = None,
) -> dict[str, Any]:
    """The events as one EPCISDocument (a JSON-ready dict), in the order given."""
    if created.utcoffset() is None:
        raise ValueError("created must be an aware datetime")
    body = [_export_event(e, shipments[e.shipment_id], ids) for e in events]
    document: dict[str, Any] = {
        "@context": [EPCIS_CONTEXT, {"coalition": ids.namespace}],
        "type": "EPCISDocument",
        "schemaVersion": SCHEMA_VERSION,
        "creationDate": _time_text(created),
    }
    if sender is not None:
        document["sender"] = sender
    document["epcisBody"] = {"eventList": body}
    return document


def _time_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _export_event(event: ShipmentEvent, shipment: Shipment, ids: Identifiers) -> dict[str, Any]:
    type_, action, step, disposition = STEPS[event.kind]
    counted = event.quantity if event.kind == EventKind.RECEIVED else shipment.quantity
    if event.kind == EventKind.RECEIVED and counted is not None and counted < shipment.quantity:
        disposition = SHORT_RECEIPT
    goods = [{"epcClass": ids.shipment(shipment.shipment_id), "quantity": counted}]
    place = {"id": ids.node(event.place)}
    out: dict[str, Any] = {
        "type": type_,
        "eventTime": _time_text(event.time),
        "eventTimeZoneOffset": "+00:00",
        "eventID": ids.event(event),
        "action": action,
        "bizStep": step,
        "disposition": disposition,
        "readPoint": place,
        "bizLocation": dict(place),
        "childQuantityList" if type_ == "AggregationEvent" else "quantityList": goods,
        "sourceList": [
            {"type": "owning_party", "source": ids.donor(shipment.donor_code)},
            {"type": "possessing_party", "source": ids.donor(shipment.donor_code)},
            {"type": "location", "source": ids.node(shipment.origin)},
        ],
        "destinationList": [
            {"type": "owning_party", "destination": ids.recipient(shipment.recipient_code)},
            {"type": "possessing_party", "destination": ids.recipient(shipment.recipient_code)},
            {"type": "location", "destination": ids.node(shipment.destination)},
        ],
        ids.reported_by_key: event.reported_by,
    }
    return out


# --- structure (run-time validation) -----------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.found: list[EpcisProblem] = []

    def add(self, index: int, field: str, reason: str) -> None:
        self.found.append(EpcisProblem(index, field, reason))


def _shown(value: object) -> str:
    text = (
        repr(value)
        if isinstance(value, str)
        else json.dumps(value, ensure_ascii=False, default=str)
    )
    return text if len(text) <= 60 else f"{text[:60]}…"


def _check_uri(p: _Problems, index: int, field: str, value: object) -> None:
    if not is_uri(value):
        p.add(index, field, f"{_shown(value)} is not an absolute URI (RFC 3986)")


def _check_uris(p: _Problems, index: int, field: str, value: object, *, unique: bool) -> None:
    if not isinstance(value, list):
        p.add(index, field, "must be a list of URIs")
        return
    for position, item in enumerate(value):
        _check_uri(p, index, f"{field}[{position}]", item)
    if unique and len({json.dumps(v) for v in value}) != len(value):
        p.add(index, field, "lists the same identifier twice")


def _check_time(p: _Problems, index: int, field: str, value: object) -> None:
    if not isinstance(value, str) or not _DATE_TIME.match(value):
        p.add(index, field, f"{_shown(value)} is not an RFC 3339 date-time with an offset")
        return
    try:
        parse_time(value)
    except ValueError:
        p.add(index, field, f"{_shown(value)} is not a real date and time")


def parse_time(text: str) -> datetime:
    """An RFC 3339 date-time (any number of fractional digits) as an aware datetime."""
    match = _DATE_TIME.match(text)
    if not match:
        raise ValueError(text)
    fraction = match.group(1) or ""
    digits = (fraction[1:] + "000000")[:6] if fraction else ""
    head = text[: match.start(1)] if fraction else text[: match.start(2)]
    zone = match.group(2)
    zone = "+00:00" if zone in ("Z", "z") else zone
    normal = head.replace("t", "T") + (f".{digits}" if digits else "") + zone
    return datetime.fromisoformat(normal)


def _check_vocabulary(
    p: _Problems, index: int, field: str, value: object, words: frozenset[str], what: str
) -> None:
    if isinstance(value, str) and value in words:
        return
    if isinstance(value, str) and is_uri(value) and not _CBV_NAMESPACE.match(value):
        return  # a partner's own vocabulary, as a URI
    p.add(index, field, f"{_shown(value)} is not a CBV 2.0 {what} nor a URI of one's own")


def _check_names(p: _Problems, index: int, data: Mapping[str, Any], known: frozenset[str]) -> None:
    for name in data:
        if name not in known and not is_uri(name):
            p.add(index, name, "unknown field: an extension's name must be a URI or prefix:name")


def _check_quantities(p: _Problems, index: int, field: str, value: object) -> None:
    if not isinstance(value, list):
        p.add(index, field, "must be a list of quantity elements")
        return
    for position, element in enumerate(value):
        where = f"{field}[{position}]"
        if not isinstance(element, dict):
            p.add(index, where, "must be an object with epcClass, quantity and uom")
            continue
        for name in element:
            if name not in ("epcClass", "quantity", "uom"):
                p.add(index, f"{where}.{name}", "unknown field (epcClass, quantity, uom only)")
        if "epcClass" not in element:
            p.add(index, where, "names no epcClass")
        else:
            _check_uri(p, index, f"{where}.epcClass", element["epcClass"])
        quantity = element.get("quantity")
        if "quantity" in element and (
            isinstance(quantity, bool) or not isinstance(quantity, int | float)
        ):
            p.add(index, f"{where}.quantity", f"{_shown(quantity)} is not a number")
        elif isinstance(quantity, float) and not math.isfinite(quantity):  # lenient parsers
            p.add(index, f"{where}.quantity", f"{quantity} is not a finite number")
        if "uom" in element and (
            not isinstance(element["uom"], str) or not _UOM.match(element["uom"])
        ):
            p.add(index, f"{where}.uom", f"{_shown(element['uom'])} is not a UN/CEFACT unit code")


def _check_place(p: _Problems, index: int, field: str, value: object) -> None:
    if not isinstance(value, dict) or "id" not in value:
        p.add(index, field, "must be an object with an id (a URI)")
        return
    _check_uri(p, index, f"{field}.id", value["id"])


def _check_parties(p: _Problems, index: int, field: str, value: object, key: str) -> None:
    if not isinstance(value, list):
        p.add(index, field, "must be a list")
        return
    for position, entry in enumerate(value):
        where = f"{field}[{position}]"
        if not isinstance(entry, dict) or set(entry) != {"type", key}:
            p.add(index, where, f"must be an object with exactly type and {key}")
            continue
        _check_vocabulary(
            p, index, f"{where}.type", entry["type"], SOURCE_DEST_TYPES, "source/destination type"
        )
        _check_uri(p, index, f"{where}.{key}", entry[key])


def _check_event(p: _Problems, index: int, event: object) -> None:
    if not isinstance(event, dict):
        p.add(index, "", "an event must be a JSON object")
        return
    type_ = event.get("type")
    if not isinstance(type_, str):
        p.add(index, "type", "an event must name its type (ObjectEvent, AggregationEvent…)")
        return
    if type_ not in READ_TYPES:
        return  # another event type: its structure is not read here (`read_document` refuses it)
    _check_names(p, index, event, EVENT_KEYS[type_])
    for required in ("eventTime", "eventTimeZoneOffset", "action"):
        if required not in event:
            p.add(index, required, "is required")
    if "eventTime" in event:
        _check_time(p, index, "eventTime", event["eventTime"])
    if "recordTime" in event:
        _check_time(p, index, "recordTime", event["recordTime"])
    offset = event.get("eventTimeZoneOffset")
    if "eventTimeZoneOffset" in event and (
        not isinstance(offset, str) or not _OFFSET.match(offset)
    ):
        p.add(index, "eventTimeZoneOffset", f"{_shown(offset)} is not an offset such as +02:00")
    if "action" in event and event["action"] not in ("OBSERVE", "ADD", "DELETE"):
        p.add(index, "action", f"{_shown(event['action'])} is not OBSERVE, ADD or DELETE")
    if "eventID" in event:
        _check_uri(p, index, "eventID", event["eventID"])
    if "certificationInfo" in event:
        info = event["certificationInfo"]
        if isinstance(info, list):
            _check_uris(p, index, "certificationInfo", info, unique=False)
        else:
            _check_uri(p, index, "certificationInfo", info)
    for name, words, what in (
        ("bizStep", CBV_BIZ_STEPS, "business step"),
        ("disposition", CBV_DISPOSITIONS, "disposition"),
    ):
        if name in event:
            _check_vocabulary(p, index, name, event[name], words, what)
    if "persistentDisposition" in event:
        persistent = event["persistentDisposition"]
        if not isinstance(persistent, dict) or not persistent or set(persistent) - {"set", "unset"}:
            p.add(index, "persistentDisposition", "must be an object with set and/or unset")
        else:
            for name, values in persistent.items():
                if not isinstance(values, list) or not values:
                    p.add(index, f"persistentDisposition.{name}", "must be a non-empty list")
                    continue
                for value in values:
                    _check_vocabulary(
                        p,
                        index,
                        f"persistentDisposition.{name}",
                        value,
                        CBV_DISPOSITIONS,
                        "disposition",
                    )
    for name in ("readPoint", "bizLocation"):
        if name in event:
            _check_place(p, index, name, event[name])
    if "sourceList" in event:
        _check_parties(p, index, "sourceList", event["sourceList"], "source")
    if "destinationList" in event:
        _check_parties(p, index, "destinationList", event["destinationList"], "destination")
    if "bizTransactionList" in event:
        transactions = event["bizTransactionList"]
        if not isinstance(transactions, list) or not all(
            isinstance(t, dict) and "bizTransaction" in t and set(t) <= {"type", "bizTransaction"}
            for t in transactions
        ):
            p.add(index, "bizTransactionList", "must list objects with bizTransaction and type")
        else:
            for position, t in enumerate(transactions):
                _check_uri(p, index, f"bizTransactionList[{position}]", t["bizTransaction"])
    if "ilmd" in event:
        ilmd = event["ilmd"]
        if not isinstance(ilmd, dict):
            p.add(index, "ilmd", "must be an object")
        else:
            for name in ilmd:
                if not is_uri(name):
                    p.add(
                        index, f"ilmd.{name}", "an ilmd field's name must be a URI or prefix:name"
                    )
    if type_ == "ObjectEvent":
        if "epcList" not in event and "quantityList" not in event:
            p.add(index, "epcList", "names no goods: give an epcList or a quantityList")
        if "epcList" in event:
            _check_uris(p, index, "epcList", event["epcList"], unique=True)
        if "quantityList" in event:
            _check_quantities(p, index, "quantityList", event["quantityList"])
    else:
        if "childEPCs" not in event and "childQuantityList" not in event:
            p.add(index, "childEPCs", "names no goods: give childEPCs or a childQuantityList")
        if "parentID" in event:
            _check_uri(p, index, "parentID", event["parentID"])
        if "childEPCs" in event:
            _check_uris(p, index, "childEPCs", event["childEPCs"], unique=True)
        if "childQuantityList" in event:
            _check_quantities(p, index, "childQuantityList", event["childQuantityList"])


def _not_read(data: Mapping[str, Any]) -> list[EpcisProblem]:
    """What a well-formed document may hold that tracking does not read, each with a reason."""
    p = _Problems()
    for index, event in enumerate(data["epcisBody"]["eventList"]):
        type_ = event["type"]
        if type_ not in READ_TYPES:
            known = type_ in OTHER_TYPES
            p.add(
                index,
                "type",
                f"{type_} events are not read: only ObjectEvent and "
                f"AggregationEvent move a shipment"
                if known
                else f"{_shown(type_)} is not an EPCIS 2.0 event type",
            )
        if "errorDeclaration" in event:
            p.add(
                index,
                "errorDeclaration",
                "an error declaration retracts an earlier event; "
                "retractions are not read: ask the coordinator to correct the history",
            )
    return p.found


def check_structure(data: object) -> list[EpcisProblem]:
    """Every structural problem of an EPCIS document (empty when it can be read)."""
    p = _Problems()
    if not isinstance(data, dict):
        p.add(-1, "", "an EPCIS document must be a JSON object")
        return p.found
    type_ = data.get("type")
    if type_ != "EPCISDocument":
        reason = (
            "an EPCISQueryDocument answers a query; send the events as an EPCISDocument"
            if type_ == "EPCISQueryDocument"
            else f"type {_shown(type_)}: expected EPCISDocument"
        )
        p.add(-1, "type", reason)
        return p.found
    _check_names(p, -1, data, DOCUMENT_KEYS)
    for required in ("@context", "schemaVersion", "creationDate", "epcisBody"):
        if required not in data:
            p.add(-1, required, "is required")
    if "@context" in data:
        context = data["@context"]
        items = context if isinstance(context, list) else [context]
        if not items or not all(isinstance(i, dict) or is_uri(i) for i in items):
            p.add(-1, "@context", "must be a URI, an object or a list of them")
    version = data.get("schemaVersion")
    if "schemaVersion" in data and (
        not isinstance(version, str) or not _VERSION.match(version) or version.split(".")[0] != "2"
    ):
        p.add(-1, "schemaVersion", f"{_shown(version)}: only EPCIS 2.x documents are read")
    if "creationDate" in data:
        _check_time(p, -1, "creationDate", data["creationDate"])
    body = data.get("epcisBody")
    if "epcisBody" not in data:
        return p.found
    if not isinstance(body, dict) or not isinstance(body.get("eventList"), list):
        p.add(-1, "epcisBody", "must hold an eventList (a list of events)")
        return p.found
    events = body["eventList"]
    if len(events) > MAX_EVENTS:
        p.add(-1, "epcisBody.eventList", f"{len(events):,} events: at most {MAX_EVENTS:,}")
        return p.found
    for index, event in enumerate(events):
        _check_event(p, index, event)
    return p.found


# --- GS1's schema, when the caller holds a copy ------------------------------------------------


def load_schema(path: Path) -> dict[str, Any]:
    """GS1's EPCIS JSON Schema (EPCIS-JSON-Schema.json, one inlined file) from a local copy."""
    loaded = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(loaded, dict):
        raise ValueError(f"{path}: not a JSON Schema")
    return loaded


def schema_problems(data: object, schema: Mapping[str, Any]) -> list[EpcisProblem]:
    """The document's problems against GS1's JSON Schema, with uri formats checked."""
    from jsonschema import Draft7Validator, FormatChecker

    validator = Draft7Validator(schema, format_checker=FormatChecker())
    found = []
    for error in validator.iter_errors(data):
        path = list(error.absolute_path)
        index = -1
        if len(path) >= 3 and path[:2] == ["epcisBody", "eventList"] and isinstance(path[2], int):
            index = path[2]
            path = path[3:]
        field = ".".join(str(part) for part in path)
        found.append(EpcisProblem(index, field, f"GS1 schema: {error.message[:200]}"))
    return sorted(set(found))


# --- import ------------------------------------------------------------------------------------


@dataclass
class _Goods:
    shipments: set[str]
    count: int
    counted: bool  # some identifier counted units (an EPC, or a quantity without uom)


def _goods(
    p: _Problems,
    index: int,
    event: Mapping[str, Any],
    ids: Identifiers,
    aliases: Mapping[str, str],
) -> _Goods:
    instances = [*event.get("epcList", ()), *event.get("childEPCs", ())]
    elements = [*event.get("quantityList", ()), *event.get("childQuantityList", ())]
    containers = [event["parentID"]] if "parentID" in event else []
    goods = _Goods(set(), 0, False)
    for uri in [*instances, *containers, *(e["epcClass"] for e in elements)]:
        shipment = ids.shipment_of(uri) or aliases.get(uri)
        if shipment is None:
            p.add(index, "", f"{_shown(uri)} is not a known shipment's identifier")
        else:
            goods.shipments.add(shipment)
    goods.count += len(instances)
    goods.counted = bool(instances)
    for element in elements:
        if "uom" in element or "quantity" not in element:
            continue  # a measure (kg, m3) or no figure: identifies, counts nothing
        quantity = element["quantity"]
        if quantity != int(quantity) or quantity < 0:
            p.add(index, "quantity", f"{quantity} is not a whole number of units")
            continue
        goods.count += int(quantity)
        goods.counted = True
    return goods


def _place(
    p: _Problems,
    index: int,
    event: Mapping[str, Any],
    ids: Identifiers,
    places: Mapping[str, str],
    known_nodes: frozenset[str] | None,
) -> str | None:
    name = "bizLocation" if "bizLocation" in event else "readPoint"
    if name not in event:
        p.add(index, "bizLocation", "names no place: give a bizLocation or a readPoint")
        return None
    uri = event[name]["id"]
    node = ids.node_of(uri) or places.get(uri)
    if node is None:
        p.add(index, name, f"{_shown(uri)} is not a known node's identifier")
        return None
    if known_nodes is not None and node not in known_nodes:
        p.add(index, name, f"node {node} is not in the logistics network")
        return None
    return node


def _check_parties_agree(
    p: _Problems, index: int, event: Mapping[str, Any], shipment: Shipment, ids: Identifiers
) -> None:
    """Parties and locations written in Coalition's URIs must be the shipment's own."""
    for entry in event.get("sourceList", ()):
        uri = entry["source"]
        donor, node = ids.donor_of(uri), ids.node_of(uri)
        if donor is not None and donor != shipment.donor_code:
            p.add(
                index,
                "sourceList",
                f"donor {donor} does not send shipment "
                f"{shipment.shipment_id} ({shipment.donor_code} does)",
            )
        if node is not None and entry["type"] == "location" and node != shipment.origin:
            p.add(
                index,
                "sourceList",
                f"shipment {shipment.shipment_id} leaves from {shipment.origin}, not {node}",
            )
    for entry in event.get("destinationList", ()):
        uri = entry["destination"]
        recipient, node = ids.recipient_of(uri), ids.node_of(uri)
        if recipient is not None and recipient != shipment.recipient_code:
            p.add(
                index,
                "destinationList",
                f"recipient {recipient} does not receive shipment "
                f"{shipment.shipment_id} ({shipment.recipient_code} does)",
            )
        if node is not None and entry["type"] == "location" and node != shipment.destination:
            p.add(
                index,
                "destinationList",
                f"shipment {shipment.shipment_id} goes to {shipment.destination}, not {node}",
            )


def read_document(
    data: object,
    known_shipments: Mapping[str, Shipment],
    histories: Mapping[str, Sequence[ShipmentEvent]],
    *,
    reported_by: str,
    ids: Identifiers = Identifiers(),
    aliases: Mapping[str, str] | None = None,
    places: Mapping[str, str] | None = None,
    known_nodes: Iterable[str] | None = None,
    trust_reporters: bool = False,
    schema: Mapping[str, Any] | None = None,
) -> list[ShipmentEvent]:
    """A partner's EPCISDocument as new tracking events, or EpcisError listing every problem.

    `histories` holds each known shipment's events so far. Events are applied in time order
    (document order for equal times), each checked by `domain.tracking.check_event` after the
    history and the document's earlier events; an event already in the history (same
    shipment, kind, time, place and quantity) is skipped, so sending a document twice records
    it once. Each event is reported by `reported_by` (the importing account) unless
    `trust_reporters`, when the document's `coalition:reportedBy` is kept. Nothing is returned
    unless every event can be read.
    """
    problems = check_structure(data)
    if schema is not None:
        problems = sorted(set(problems) | set(schema_problems(data, schema)))
    if problems:
        raise EpcisError(problems)
    assert isinstance(data, dict)
    refused = _not_read(data)
    if refused:
        raise EpcisError(refused)
    events: list[Any] = data["epcisBody"]["eventList"]
    nodes = None if known_nodes is None else frozenset(known_nodes)
    p = _Problems()
    read: list[tuple[datetime, int, ShipmentEvent]] = []
    for index, event in enumerate(events):
        candidate = _read_event(
            p,
            index,
            event,
            known_shipments,
            ids=ids,
            aliases=aliases or {},
            places=places or {},
            known_nodes=nodes,
            reported_by=reported_by,
            trust_reporters=trust_reporters,
        )
        if candidate is not None:
            read.append((candidate.time, index, candidate))
    accepted: dict[str, list[ShipmentEvent]] = {}
    new: list[ShipmentEvent] = []
    for _, index, event in sorted(read, key=lambda item: (item[0], item[1])):
        shipment = known_shipments[event.shipment_id]
        history = accepted.setdefault(
            event.shipment_id, list(histories.get(shipment.shipment_id, ()))
        )
        if any(_same(event, earlier) for earlier in history):
            continue
        try:
            check_event(shipment, history, event)
        except DomainError as error:
            p.add(index, "", str(error))
            continue
        history.append(event)
        new.append(event)
    if p.found:
        raise EpcisError(sorted(p.found))
    return new


def _same(a: ShipmentEvent, b: ShipmentEvent) -> bool:
    """The same report (who reported it aside)."""
    return (a.shipment_id, a.kind, a.time, a.place, a.quantity) == (
        b.shipment_id,
        b.kind,
        b.time,
        b.place,
        b.quantity,
    )


def _read_event(
    p: _Problems,
    index: int,
    event: Mapping[str, Any],
    known_shipments: Mapping[str, Shipment],
    *,
    ids: Identifiers,
    aliases: Mapping[str, str],
    places: Mapping[str, str],
    known_nodes: frozenset[str] | None,
    reported_by: str,
    trust_reporters: bool,
) -> ShipmentEvent | None:
    before = len(p.found)
    step = event.get("bizStep")
    kind = READ_STEPS.get(step) if isinstance(step, str) else None
    if step is None:
        p.add(index, "bizStep", "names no business step, so it says nothing of the journey")
    elif kind is None:
        p.add(
            index,
            "bizStep",
            f"{_shown(step)} is not a step of a shipment's journey "
            f"(one of {', '.join(READ_STEPS)})",
        )
    action = event["action"]
    if action == "DELETE" and step != "unloading":
        p.add(index, "action", "DELETE removes goods from the record; only an unloading may")
    goods = _goods(p, index, event, ids, aliases)
    place = _place(p, index, event, ids, places, known_nodes)
    shipment = None
    if len(goods.shipments) > 1:
        p.add(
            index,
            "",
            f"names goods of several shipments ({', '.join(sorted(goods.shipments))}):"
            " report one shipment per event",
        )
    elif goods.shipments:
        (shipment_id,) = goods.shipments
        shipment = known_shipments.get(shipment_id)
        if shipment is None:
            p.add(index, "", f"shipment {shipment_id} is not known")
    if shipment is None or kind is None or place is None or len(p.found) > before:
        return None
    _check_parties_agree(p, index, event, shipment, ids)
    if kind == EventKind.AT_HUB and place == shipment.destination:
        kind = EventKind.DELIVERED  # arriving at the destination is the delivery
    quantity = None
    if kind == EventKind.RECEIVED:
        if not goods.counted:
            p.add(
                index,
                "quantityList",
                "a receipt must count the units received (a quantity "
                "without uom, or the EPCs of the units)",
            )
        quantity = goods.count
    elif goods.counted and goods.count != shipment.quantity:
        p.add(
            index,
            "quantityList",
            f"counts {goods.count} units; shipment "
            f"{shipment.shipment_id} carries {shipment.quantity}",
        )
    reporter = reported_by
    declared = event.get(ids.reported_by_key, event.get(f"{ids.namespace}reportedBy"))
    if trust_reporters and isinstance(declared, str):
        reporter = declared
    if len(p.found) > before:
        return None
    try:
        return ShipmentEvent(
            shipment.shipment_id,
            kind,
            parse_time(event["eventTime"]),
            place,
            reporter,
            quantity,
        )
    except InvalidValue as error:
        p.add(index, error.field, f"{_shown(error.value)}: {error.reason}")
        return None
