"""Shipments, their events, and EPCIS 2.0 in and out: thin routes over `services/tracking`."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Body, Path, Query, Response
from fastapi.responses import JSONResponse

from coalition.api.deps import Db
from coalition.api.problems import COMMON, ApiProblem, responses
from coalition.api.schemas import (
    DEFAULT_LIMIT,
    MAX_CODE,
    MAX_CURSOR,
    MAX_LIMIT,
    MAX_TIME,
    CaptureRecord,
    EventCreate,
    Figures,
    ShipmentCreate,
    ShipmentPage,
    ShipmentRecord,
    TimelineRecord,
)
from coalition.services import tracking

API_PREFIX = "/api/v1"
ShipmentId = Annotated[
    str, Path(min_length=1, max_length=MAX_CODE, description="the shipment's id")
]
Filter = Annotated[str | None, Query(max_length=MAX_CODE)]
ETAG_HEADER = {"ETag": {"schema": {"type": "string"}, "description": "the shipment's version"}}

router = APIRouter(prefix="/shipments", tags=["shipments"], responses=responses(*COMMON))
epcis_router = APIRouter(prefix="/epcis", tags=["epcis"], responses=responses(*COMMON))


def _etag(version: int) -> str:
    return f'"{version}"'


def _cursor(last: str) -> str:
    return base64.urlsafe_b64encode(f"shipments:{last}".encode()).decode().rstrip("=")


def _after(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode()
        if text.startswith("shipments:") and len(text) > len("shipments:"):
            return text[len("shipments:") :]
    except (ValueError, binascii.Error, UnicodeError):
        pass
    raise ApiProblem(422, "cursor: not a cursor from next_cursor", [("cursor", "not a cursor")])


def _detail(found: tracking.Timeline) -> dict[str, Any]:
    return {
        **found.shipment,
        "state": found.state,
        "received": found.received,
        "discrepancy": found.discrepancy,
    }


@router.get("", operation_id="list_shipments", response_model=ShipmentPage)
def list_shipments(
    db: Db,
    donor_code: Filter = None,
    external_id: Filter = None,
    requirement_ref: Filter = None,
    recipient_code: Filter = None,
    origin: Filter = None,
    destination: Filter = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=MAX_CURSOR)] = None,
) -> dict[str, Any]:
    """The shipments you may see, in id order, each with its state and receipt."""
    given = {"donor_code": donor_code, "external_id": external_id,
             "requirement_ref": requirement_ref, "recipient_code": recipient_code,
             "origin": origin, "destination": destination}  # fmt: skip
    filters = {name: value for name, value in given.items() if value is not None}
    with db.reading() as uow:
        page = tracking.list_shipments(uow, filters, limit, _after(cursor))
    last = page.rows[-1]["shipment_id"] if page.more and page.rows else None
    return {
        "items": page.rows,
        "next_cursor": None if last is None else _cursor(last),
        "total": page.total,
    }


@router.get(
    "/{shipment_id}",
    operation_id="get_shipment",
    response_model=ShipmentRecord,
    responses={200: {"headers": ETAG_HEADER}},
)
def get_shipment(db: Db, shipment_id: ShipmentId, response: Response) -> dict[str, Any]:
    """One shipment with its state and receipt; its version as ETag."""
    with db.reading() as uow:
        found = tracking.timeline(uow, shipment_id)
    response.headers["ETag"] = _etag(found.shipment["version"])
    return _detail(found)


@router.post(
    "",
    status_code=201,
    operation_id="create_shipment",
    response_model=ShipmentRecord,
    responses={
        201: {
            "model": ShipmentRecord,
            "headers": {"Location": {"schema": {"type": "string"}}, **ETAG_HEADER},
        }
    },
)
def create_shipment(db: Db, body: ShipmentCreate) -> JSONResponse:
    """Create a shipment of an accepted or committed offer, for one requirement."""
    with db.writing() as uow:
        tracking.create_shipment(
            uow, body.shipment_id, body.offer_key, body.requirement_ref, body.quantity,
            body.origin, body.destination, body.marking,
        )  # fmt: skip
        found = tracking.timeline(uow, body.shipment_id)
    record = _detail(found)
    where = f"{API_PREFIX}/shipments/{quote(body.shipment_id, safe='')}"
    headers = {"Location": where, "ETag": _etag(record["version"])}
    return JSONResponse(record, status_code=201, headers=headers)


@router.get("/{shipment_id}/events", operation_id="list_shipment_events",
            response_model=TimelineRecord)  # fmt: skip
def list_events(db: Db, shipment_id: ShipmentId) -> dict[str, Any]:
    """The shipment's timeline: every event in order with who reported it, and its receipt."""
    with db.reading() as uow:
        return tracking.timeline(uow, shipment_id).as_dict()


@router.post(
    "/{shipment_id}/events",
    status_code=201,
    operation_id="record_shipment_event",
    response_model=TimelineRecord,
    responses={201: {"model": TimelineRecord, "headers": ETAG_HEADER}},
)
def record_event(db: Db, shipment_id: ShipmentId, body: EventCreate) -> JSONResponse:
    """Report one event, as you; it is checked against the shipment's history."""
    with db.writing() as uow:
        found = tracking.record_event(
            uow, shipment_id, body.kind, body.time, body.place, body.quantity
        )
    headers = {"ETag": _etag(found.shipment["version"])}
    return JSONResponse(found.as_dict(), status_code=201, headers=headers)


@epcis_router.get("/events", operation_id="epcis_events", response_model=Figures)
def epcis_events(
    db: Db,
    start: Annotated[
        str | None,
        Query(alias="from", max_length=MAX_TIME, description="from this date or time"),
    ] = None,
    end: Annotated[
        str | None,
        Query(alias="to", max_length=MAX_TIME, description="up to this date or time (excl.)"),
    ] = None,
) -> dict[str, Any]:
    """The tracking events you may see, as one EPCIS 2.0 JSON-LD document."""
    low = None if start is None else tracking.parse_bound(start, "from")
    high = None if end is None else tracking.parse_bound(end, "to")
    with db.reading() as uow:
        return tracking.epcis_document(uow, low, high)


@epcis_router.post("/capture", operation_id="epcis_capture", response_model=CaptureRecord)
def epcis_capture(
    db: Db,
    document: Annotated[dict[str, Any], Body(description="an EPCISDocument (JSON-LD)")],
) -> dict[str, Any]:
    """Record a partner's EPCIS document: all its events or none; each problem names the
    event's index in epcisBody.eventList."""
    with db.writing() as uow:
        result = tracking.capture(uow, document)
    return result.__dict__
