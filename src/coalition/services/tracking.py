"""Shipment tracking use cases: create a shipment, record its events, read its timeline, list
shipments, and exchange events with partners as EPCIS 2.0 documents.

Rules live below: the journey in `domain/tracking.py` (`check_event`), who may see and report
in `domain/access.py`, what a status means for coverage in `domain/coverage.py`, EPCIS in
`io/epcis.py`. This module applies them inside the caller's unit of work, writes the change
log with every change, and commits, or raises a `ServiceError` with nothing changed.

**An offer's lifecycle follows its shipments** (the lifecycle's own rule, `check_transition`,
moving forward as an import may): when a shipment of it leaves (any event from `departed`
on), an accepted or committed offer becomes `shipped`; when every shipment of it is received
and together they carried the whole offer, it becomes `delivered`, dated on the last receipt.
The change is the consequence of the event, logged with it, in the reporter's name (Ukraine's
staff, who report receipts, may not edit offers otherwise).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from coalition.domain.access import (
    SHIPMENT_ENTITY,
    may_report_any,
    may_report_event,
    may_see,
    may_write,
)
from coalition.domain.errors import DomainError, InvalidValue
from coalition.domain.lifecycle import STAMPED_ON, OfferStatus, check_transition, offer_meaning
from coalition.domain.markings import check_marking
from coalition.domain.tracking import (
    EventKind,
    Receipt,
    Shipment,
    ShipmentEvent,
    allowed_next,
    check_event,
    offer_key_parts,
    receipt,
    state_of,
)
from coalition.io import epcis
from coalition.registries.kinds import NODES, OFFERS, REQUIREMENTS
from coalition.services.errors import (
    EpcisRejected,
    Forbidden,
    InvalidField,
    NotFound,
    ServiceError,
)
from coalition.storage.changelog import Change
from coalition.storage.shipments import FILTERABLE, SHIPMENT_EVENT_ENTITY
from coalition.storage.unit_of_work import UnitOfWork

MAX_DOCUMENT_BYTES = 50_000_000  # an EPCIS document read from a file or a request
ON_THE_ROAD = frozenset(
    {
        EventKind.DEPARTED,
        EventKind.AT_HUB,
        EventKind.CROSSED_BORDER,
        EventKind.DELIVERED,
        EventKind.RECEIVED,
    }
)
SHIPPABLE = (OfferStatus.ACCEPTED.value, OfferStatus.COMMITTED.value, OfferStatus.SHIPPED.value)


# --- records and views ---------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    """A stored time in UTC (SQLite hands back naive UTC, PostgreSQL the session's zone)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def shipment_of(row: Mapping[str, Any]) -> Shipment:
    return Shipment(
        row["shipment_id"],
        f"{row['donor_code']}:{row['external_id']}",
        row["requirement_ref"],
        int(row["quantity"]),
        row["origin"],
        row["destination"],
        row["recipient_code"],
        row["marking"],
    )


def event_of(row: Mapping[str, Any]) -> ShipmentEvent:
    return ShipmentEvent(
        row["shipment_id"],
        EventKind(row["kind"]),
        _utc(row["time"]),
        row["place"],
        row["reported_by"],
        None if row["quantity"] is None else int(row["quantity"]),
    )


def shipment_view(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored shipment as interfaces show it."""
    return {
        "shipment_id": row["shipment_id"],
        "offer_key": f"{row['donor_code']}:{row['external_id']}",
        "donor_code": row["donor_code"],
        "requirement_ref": row["requirement_ref"],
        "quantity": int(row["quantity"]),
        "origin": row["origin"],
        "destination": row["destination"],
        "recipient_code": row["recipient_code"],
        "marking": row["marking"],
        "version": int(row["version"]),
        "created_by": row["created_by"],
        "created_at": _utc(row["created_at"]).isoformat(),
    }


def event_view(event: ShipmentEvent, row: Mapping[str, Any] | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "kind": event.kind.value,
        "time": event.time.isoformat(),
        "place": event.place,
        "reported_by": event.reported_by,
        "quantity": event.quantity,
    }
    if row is not None:
        view["recorded_at"] = _utc(row["recorded_at"]).isoformat()
    return view


@dataclass(frozen=True)
class Timeline:
    shipment: dict[str, Any]  # shipment_view
    events: list[dict[str, Any]]  # event_view, in order
    state: str  # the last event's kind, or not_started
    next_allowed: list[str]
    received: int | None  # units received, None until received
    discrepancy: int | None  # units shipped but not received, None until received

    def as_dict(self) -> dict[str, Any]:
        return {
            "shipment": self.shipment,
            "events": self.events,
            "state": self.state,
            "next_allowed": self.next_allowed,
            "received": self.received,
            "discrepancy": self.discrepancy,
        }


# --- input parsing (one place for CLI and API) --------------------------------------------


def parse_kind(text: str) -> EventKind:
    try:
        return EventKind(text.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        raise InvalidField(
            "kind", f"kind {text!r}: one of {', '.join(k.value for k in EventKind)}"
        ) from None


def parse_time(text: str, name: str = "time") -> datetime:
    """An ISO 8601 time with its offset (2026-03-01T08:00:00Z, …+02:00), in UTC."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        moment = None
    if moment is None or moment.utcoffset() is None:
        raise InvalidField(
            name,
            f"{name} {text!r}: expected an ISO 8601 time with its offset, "
            "e.g. 2026-03-01T08:00:00Z or 2026-03-01T10:00:00+02:00",
        )
    return moment.astimezone(UTC)


def parse_bound(text: str, name: str) -> datetime:
    """A --from/--to bound: a date (its midnight UTC) or a time with its offset."""
    stripped = text.strip()
    if len(stripped) == 10:
        try:
            return datetime.combine(date.fromisoformat(stripped), datetime.min.time(), UTC)
        except ValueError:
            pass
    try:
        return parse_time(stripped, name)
    except InvalidField:
        raise InvalidField(
            name, f"{name} {text!r}: expected a date YYYY-MM-DD or an ISO 8601 time with offset"
        ) from None


def _refused(error: DomainError) -> ServiceError:
    if isinstance(error, InvalidValue):
        return InvalidField(error.field, str(error))
    return ServiceError(str(error))


# --- shipments -----------------------------------------------------------------------------


def create_shipment(
    uow: UnitOfWork,
    shipment_id: str,
    offer_key: str,
    requirement_ref: str,
    quantity: int,
    origin: str,
    destination: str,
    marking: str | None = None,
) -> dict[str, Any]:
    """A shipment of units of an accepted (or committed) offer for one requirement.

    The offer must be visible to the principal, accepted, committed or already shipped in
    part; all its shipments together may carry at most its quantity. The recipient is the
    requirement's destination; origin and destination are nodes of the network. The marking
    defaults to the offer's.
    """
    try:
        donor, external_id = offer_key_parts("offer_key", offer_key)
        probe = Shipment(shipment_id, offer_key, requirement_ref, quantity, origin,
                         destination, "X", marking or "NATO UNCLASSIFIED")  # fmt: skip
    except DomainError as error:
        raise _refused(error) from None
    if not may_write(uow.principal, SHIPMENT_ENTITY, donor):
        raise Forbidden(
            f"{uow.actor} ({uow.principal.role}) may not create shipments of donor {donor}"
        )
    offer = uow.records(OFFERS).get(offer_key)
    if offer is None:
        raise InvalidField("offer_key", f"offer_key: no offer '{offer_key}'")
    if offer["status"] not in SHIPPABLE:
        raise InvalidField(
            "offer_key",
            f"offer {offer_key} is {offer['status']}: only an accepted or committed offer "
            "is shipped",
        )
    requirement = uow.records(REQUIREMENTS).get(requirement_ref)
    if requirement is None:
        raise InvalidField(
            "requirement_ref", f"requirement_ref: no requirement '{requirement_ref}'"
        )
    nodes = uow.records(NODES)
    for name, code in (("origin", origin), ("destination", destination)):
        if nodes.get(code) is None:
            raise InvalidField(name, f"{name}: no node '{code}' in the logistics network")
    if origin == destination:
        raise InvalidField("destination", "destination: a shipment goes to another node")
    store = uow.shipments
    if store.exists_anywhere(shipment_id):
        raise ServiceError(f"shipment '{shipment_id}' already exists")
    already = store.shipped_of_offer(donor, external_id)
    if already + quantity > int(offer["quantity"]):
        raise InvalidField(
            "quantity",
            f"quantity {quantity}: offer {offer_key} has {offer['quantity']} units and "
            f"{already} are already on shipments, so at most {int(offer['quantity']) - already}",
        )
    row = {
        "shipment_id": probe.shipment_id,
        "donor_code": donor,
        "external_id": external_id,
        "requirement_ref": requirement_ref,
        "quantity": quantity,
        "origin": origin,
        "destination": destination,
        "recipient_code": requirement["destination_code"],
        "marking": check_marking("marking", marking) if marking else offer["marking"],
        "created_by": uow.actor,
        "created_at": datetime.now(UTC),
    }
    store.insert(row)
    logged = {**row, "created_at": row["created_at"].isoformat()}
    uow.changes.record([Change(SHIPMENT_ENTITY, shipment_id, "create", None, logged)])
    uow.commit()
    return get_shipment(uow, shipment_id)


def _stored(uow: UnitOfWork, shipment_id: str) -> dict[str, Any]:
    row = uow.shipments.get(shipment_id) if isinstance(shipment_id, str) else None
    if row is None:
        raise NotFound(f"no shipment '{shipment_id}'")
    return row


def get_shipment(uow: UnitOfWork, shipment_id: str) -> dict[str, Any]:
    return shipment_view(_stored(uow, shipment_id))


def _history(uow: UnitOfWork, shipment_id: str) -> list[ShipmentEvent]:
    return [event_of(r) for r in uow.shipments.events([shipment_id])[shipment_id]]


def timeline(uow: UnitOfWork, shipment_id: str) -> Timeline:
    row = _stored(uow, shipment_id)
    rows = uow.shipments.events([shipment_id])[shipment_id]
    history = [event_of(r) for r in rows]
    state = state_of(history)
    found: Receipt | None = receipt(shipment_of(row), history)
    return Timeline(
        shipment_view(row),
        [event_view(e, r) for e, r in zip(history, rows, strict=True)],
        state.value if state else "not_started",
        [k.value for k in allowed_next(history)],
        None if found is None else found.received,
        None if found is None else found.discrepancy,
    )


@dataclass(frozen=True)
class ShipmentPage:
    rows: list[dict[str, Any]]  # shipment views with their state
    total: int
    more: bool = False


def list_shipments(
    uow: UnitOfWork,
    filters: Mapping[str, str] | None = None,
    limit: int | None = None,
    after: str | None = None,
) -> ShipmentPage:
    """Visible shipments in id order, each with its state and receipt; `filters` match a
    column (donor_code, external_id, requirement_ref, recipient_code, origin, destination)."""
    given = dict(filters or {})
    unknown = sorted(set(given) - set(FILTERABLE))
    if unknown:
        raise InvalidField(
            unknown[0], f"shipments cannot be filtered by {', '.join(unknown)} "
            f"(filters: {', '.join(FILTERABLE)})"
        )  # fmt: skip
    if limit is not None and limit < 1:
        raise InvalidField("limit", f"limit {limit}: give a page size of at least 1")
    store = uow.shipments
    rows = (
        store.find_after(given, after, limit + 1)
        if limit
        else store.find_after(given, after, 2**31)
    )
    more = limit is not None and len(rows) > limit
    rows = rows[:limit] if limit else rows
    histories = store.events([r["shipment_id"] for r in rows])
    shown = []
    for row in rows:
        history = [event_of(e) for e in histories[row["shipment_id"]]]
        state = state_of(history)
        found = receipt(shipment_of(row), history)
        shown.append({
            **shipment_view(row),
            "state": state.value if state else "not_started",
            "received": None if found is None else found.received,
            "discrepancy": None if found is None else found.discrepancy,
        })  # fmt: skip
    total = len(shown) if not more and after is None else store.count(given)
    return ShipmentPage(shown, total, more)


# --- events ----------------------------------------------------------------------------------


def record_event(
    uow: UnitOfWork,
    shipment_id: str,
    kind: str | EventKind,
    time: datetime | str,
    place: str,
    quantity: int | None = None,
) -> Timeline:
    """Report one event, checked by `domain.tracking.check_event` after the stored history;
    reported by the acting user. Refused: a ServiceError with the reason, nothing changed."""
    row = _stored(uow, shipment_id)
    event_kind = kind if isinstance(kind, EventKind) else parse_kind(kind)
    moment = time if isinstance(time, datetime) else parse_time(time)
    if moment.utcoffset() is None:
        raise InvalidField("time", "time: give a time with its offset (UTC or local)")
    if not may_report_event(uow.principal, row["donor_code"], event_kind.value):
        raise Forbidden(
            f"{uow.actor} ({uow.principal.role}) may not report '{event_kind.value}' on "
            f"shipment {shipment_id}"
        )
    try:
        event = ShipmentEvent(shipment_id, event_kind, moment, place, uow.actor, quantity)
    except DomainError as error:
        raise _refused(error) from None
    if uow.records(NODES).get(place) is None:
        raise InvalidField("place", f"place: no node '{place}' in the logistics network")
    shipment = shipment_of(row)
    try:
        check_event(shipment, _history(uow, shipment_id), event)
    except DomainError as error:
        raise _refused(error) from None
    _append(uow, {shipment_id: row}, [event])
    uow.commit()
    return timeline(uow, shipment_id)


def _append(
    uow: UnitOfWork, rows: Mapping[str, Mapping[str, Any]], events: Sequence[ShipmentEvent]
) -> None:
    """Store checked events, log each, move each shipment's version on, and move the offers
    they carry along their lifecycle (in the caller's transaction; nothing committed)."""
    now = datetime.now(UTC)
    stored = [
        {
            "shipment_id": e.shipment_id,
            "kind": e.kind.value,
            "time": e.time,
            "place": e.place,
            "reported_by": e.reported_by,
            "quantity": e.quantity,
            "recorded_at": now,
            "batch_id": uow.batch_id,
        }
        for e in events
    ]
    store = uow.shipments
    store.add_events(stored)
    changes = [
        Change(SHIPMENT_EVENT_ENTITY, f"{e.shipment_id}:{e.kind.value}:{e.time.isoformat()}",
               "create", None, {**event_view(e), "shipment_id": e.shipment_id})
        for e in events
    ]  # fmt: skip
    touched = sorted({e.shipment_id for e in events})
    for shipment_id in touched:
        store.touch(shipment_id)
    uow.changes.record(changes)
    offers = sorted({(rows[s]["donor_code"], rows[s]["external_id"]) for s in touched})
    for donor, external_id in offers:
        _follow_offer(uow, donor, external_id)


def _follow_offer(uow: UnitOfWork, donor: str, external_id: str) -> None:
    """Move the offer on to shipped / delivered as its shipments say (see the module doc)."""
    store = uow.shipments
    offer = store.offer_row(donor, external_id)
    if offer is None:
        return
    key = f"{donor}:{external_id}"
    shipped = store.for_offer_rule(donor, external_id)
    histories = store.events_for_rule([s["shipment_id"] for s in shipped])
    on_road = any(
        any(EventKind(e["kind"]) in ON_THE_ROAD for e in histories.get(s["shipment_id"], []))
        for s in shipped
    )
    all_received = bool(shipped) and all(s["received"] is not None for s in shipped)
    carried = sum(int(s["quantity"]) for s in shipped)
    target = offer["status"]
    meaning = offer_meaning(target)
    if on_road and meaning.accepted and not meaning.arrived and target != "shipped":
        target = OfferStatus.SHIPPED.value
    delivered_on: date | None = None
    if all_received and carried >= int(offer["quantity"]) and not meaning.arrived:
        target = OfferStatus.DELIVERED.value
        receipts = [
            _utc(e["time"])
            for s in shipped
            for e in histories.get(s["shipment_id"], [])
            if e["kind"] == EventKind.RECEIVED.value
        ]
        delivered_on = max(receipts).date()
    if target == offer["status"]:
        return
    try:
        check_transition("offer", offer["status"], target, allow_skips=True)
        after = {**offer, "status": target}
        stamped = STAMPED_ON.get(("offer", target))
        if stamped and delivered_on is not None:
            after[stamped] = delivered_on
        OFFERS.from_row(after)
    except DomainError as error:
        raise ServiceError(f"offer {key} cannot follow its shipments: {error}") from None
    uow.records(OFFERS).update([after])
    logged_before = {k: v for k, v in offer.items() if k != "version"}
    logged_after = {k: v for k, v in after.items() if k != "version"}
    uow.changes.record([Change("offer", key, "update", logged_before, logged_after)])


# --- EPCIS -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaptureResult:
    recorded: int  # new events recorded
    shipments: list[str]  # shipments they belong to
    batch_id: str
    skipped: int = 0  # events already recorded (a document sent twice)
    events: list[dict[str, Any]] = field(default_factory=list)


def _read_file(path: Path) -> object:
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise InvalidField("file", f"{path}: {size:,} bytes, at most {MAX_DOCUMENT_BYTES:,}")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidField("file", f"{path}: no such file") from None
    except IsADirectoryError:
        raise InvalidField("file", f"{path}: is a folder, not a file") from None
    except UnicodeDecodeError:
        raise InvalidField("file", f"{path}: not UTF-8 text (an EPCIS JSON-LD document)") from None
    except OSError as error:
        raise InvalidField("file", f"{path}: {error.strerror or error}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise EpcisRejected(
            f"{path}: not JSON (line {error.lineno}, column {error.colno}: {error.msg}); "
            "nothing was recorded",
            [(-1, "", f"not JSON: {error.msg}")],
        ) from None


def import_epcis(uow: UnitOfWork, path: Path) -> CaptureResult:
    """Record a partner's EPCIS document from a file: all its events or none."""
    return capture(uow, _read_file(path), source=str(path))


def capture(uow: UnitOfWork, document: object, source: str = "document") -> CaptureResult:
    """Record the events of an EPCIS document, all or nothing (`io.epcis.read_document`):
    every problem names the event's index in epcisBody.eventList and the reason. Shipments
    the principal cannot see are unknown to it; events it may not report are refused."""
    if not may_report_any(uow.principal):
        raise Forbidden(f"{uow.actor} ({uow.principal.role}) does not report tracking events")
    store = uow.shipments
    rows = {r["shipment_id"]: r for r in store.find({})}
    shipments = {sid: shipment_of(r) for sid, r in rows.items()}
    histories = {
        sid: [event_of(e) for e in events] for sid, events in store.events(list(rows)).items()
    }
    nodes = uow.records(NODES).keys()
    try:
        new = epcis.read_document(
            document, shipments, histories, reported_by=uow.actor, known_nodes=nodes
        )
    except epcis.EpcisError as error:
        problems = [(p.index, p.field, p.reason) for p in error.problems]
        raise EpcisRejected(f"{source}: {error}", problems) from None
    events_list = document.get("epcisBody", {}).get("eventList", []) if isinstance(
        document, dict) else []  # fmt: skip
    refused = []
    for event in new:
        owner = rows[event.shipment_id]["donor_code"]
        if not may_report_event(uow.principal, owner, event.kind.value):
            index = _index_of(events_list, event)
            refused.append(
                (index, "", f"{uow.actor} ({uow.principal.role}) may not report "
                 f"'{event.kind.value}' on shipment {event.shipment_id}")
            )  # fmt: skip
    if refused:
        shown = "; ".join(f"event {i}: {r}" for i, _, r in refused[: epcis.MAX_PROBLEMS_SHOWN])
        raise EpcisRejected(
            f"{source}: EPCIS document refused, nothing was recorded: {shown}", refused
        )
    total = len(events_list)
    if new:
        _append(uow, rows, new)
        uow.commit()
    return CaptureResult(
        len(new),
        sorted({e.shipment_id for e in new}),
        uow.batch_id,
        skipped=max(total - len(new), 0),
        events=[{**event_view(e), "shipment_id": e.shipment_id} for e in new],
    )


def _index_of(events: Sequence[Any], event: ShipmentEvent) -> int:
    """The index in the document of the event read as `event` (matched by its time)."""
    for index, item in enumerate(events):
        try:
            if isinstance(item, dict) and epcis.parse_time(item["eventTime"]) == event.time:
                return index
        except (KeyError, TypeError, ValueError):
            continue
    return -1


def epcis_document(
    uow: UnitOfWork, start: datetime | None = None, end: datetime | None = None
) -> dict[str, Any]:
    """The events the principal may see with `start <= time < end`, as one EPCISDocument."""
    if start is not None and end is not None and end <= start:
        raise InvalidField("to", "--to must be after --from")
    store = uow.shipments
    rows = store.events_between(start, end)
    ids = sorted({r["shipment_id"] for r in rows})
    shipments = {sid: shipment_of(_stored(uow, sid)) for sid in ids}
    for sid, shipment in shipments.items():  # the filter has decided; this says so again
        assert may_see(uow.principal, SHIPMENT_ENTITY, shipment.donor_code, shipment.marking), sid
    return epcis.export_document([event_of(r) for r in rows], shipments, created=datetime.now(UTC))


def export_epcis(
    uow: UnitOfWork, path: Path, start: datetime | None = None, end: datetime | None = None
) -> int:
    """Write the visible events in the window to `path` as EPCIS 2.0 JSON-LD; their count."""
    document = epcis_document(uow, start, end)
    try:
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    except OSError as error:
        raise InvalidField("file", f"{path}: {error.strerror or error}") from None
    return len(document["epcisBody"]["eventList"])
