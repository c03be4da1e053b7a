"""Request and response models. Each registry's models are generated from its `Kind`.

Cell values travel as text, as in the spreadsheets: the registry's column types parse them
(one set of rules for imports, the CLI and the API), and responses render them back the way
an export would. Blank cells are `null`. Every model is strict and refuses unknown fields;
every string is bounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from coalition.registries.kinds import Kind
from coalition.services.logistics import DEFAULT_HORIZON_DAYS, MAX_HORIZON_DAYS, MAX_TIME_LIMIT_S

MAX_CELL = 2000  # the longest free text a registry column accepts (domain.checks)
MAX_KEY = 400  # a record key: up to three codes joined by ':'
MAX_CURSOR = 2000
DEFAULT_LIMIT = 50
MAX_LIMIT = 500

STRICT = ConfigDict(strict=True, extra="forbid")
# Query strings are text by nature (strict would refuse `limit=5`); unknown names are still
# refused, so a misspelt filter is an error rather than silently ignored.
QUERY = ConfigDict(extra="forbid")


def model_name(kind: Kind, suffix: str) -> str:
    return "".join(part.capitalize() for part in kind.name.replace("-", " ").split()) + suffix


def _cell(column: Any, required: bool) -> tuple[Any, Any]:
    described = {"description": column.help, "max_length": MAX_CELL}
    if column.example:
        described["examples"] = [column.example]
    if required:
        return (str, Field(..., min_length=1, **described))
    return (str | None, Field(None, **described))


@dataclass(frozen=True)
class KindModels:
    record: type[BaseModel]
    page: type[BaseModel]
    create: type[BaseModel]
    update: type[BaseModel]
    query: type[BaseModel]
    sort_fields: tuple[str, ...]


def models_for(kind: Kind) -> KindModels:
    """One kind's models: its record, a page of records, create and update bodies, filters."""
    record_fields: dict[str, Any] = {
        c.name: (str | None, Field(..., description=c.help)) for c in kind.columns
    }
    record_fields["version"] = (
        int,
        Field(..., description="row version: send it back in If-Match to update"),
    )
    record = create_model(model_name(kind, "Record"), __config__=STRICT, **record_fields)
    page = create_model(
        model_name(kind, "Page"),
        __config__=STRICT,
        items=(list[record], ...),  # type: ignore[valid-type]
        next_cursor=(str | None, Field(..., description="pass as ?cursor= for the next page")),
        total=(int, Field(..., description="records matching the filters, on all pages")),
    )
    create_fields: dict[str, Any] = {c.name: _cell(c, c.required) for c in kind.columns}
    create = create_model(model_name(kind, "Create"), __config__=STRICT, **create_fields)
    update_fields: dict[str, Any] = {
        c.name: _cell(c, False) for c in kind.columns if c.name not in kind.key
    }
    update = create_model(model_name(kind, "Update"), __config__=STRICT, **update_fields)
    sort_fields = tuple(c.name for c in kind.columns)
    orders = tuple(name for field in sort_fields for name in (field, f"-{field}"))
    query_fields: dict[str, Any] = {
        c.name: (
            str | None,
            Field(None, max_length=MAX_CELL, description=f"only records whose {c.name} is this"),
        )
        for c in kind.columns
    }
    query_fields.update(
        limit=(int, Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="page size")),
        cursor=(str | None, Field(None, max_length=MAX_CURSOR, description="from next_cursor")),
        sort=(
            Literal[orders] | None,
            Field(None, description="a column to sort by; '-column' for descending"),
        ),
    )
    query = create_model(model_name(kind, "Query"), __config__=QUERY, **query_fields)
    return KindModels(record, page, create, update, query, sort_fields)


class StatusChange(BaseModel):
    model_config = STRICT
    status: str = Field(min_length=1, max_length=40, description="the next lifecycle status")
    on: str | None = Field(
        None,
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="date of a dated step (delivered, disbursed), YYYY-MM-DD; default today",
    )


class SustainmentApproval(BaseModel):
    model_config = STRICT
    refs: list[Annotated[str, Field(min_length=1, max_length=MAX_KEY)]] = Field(
        [], max_length=10000, description="draft refs to approve (default: every draft)"
    )
    band: str = Field("medium", max_length=20, description="operating band: low, medium, high")
    months: int = Field(3, description="months the horizon covers (1–60)")
    start: date | None = Field(
        None, strict=False, description="first day of the horizon, YYYY-MM-DD (default today)"
    )
    status: str = Field(
        "approved",
        max_length=20,
        description="status of the requirements written: draft, submitted or approved",
    )


class TokenRequest(BaseModel):
    model_config = STRICT
    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1024)
    expires_in_days: int | None = Field(None, ge=1, le=3650)


class TokenResponse(BaseModel):
    model_config = STRICT
    access_token: str
    token_type: Literal["bearer"]
    expires_in_days: int


class AllocationRequest(BaseModel):
    model_config = STRICT
    time_limit: float = Field(60.0, gt=0, le=86400, description="seconds the solver may use")
    gap: float = Field(0.001, ge=0, lt=1, description="relative optimality gap accepted")
    pins: list[str] = Field(
        [], max_length=1000, description="OFFER@REQUIREMENT=QUANTITY the plan must hold"
    )
    forbids: list[str] = Field(
        [], max_length=1000, description="OFFER@REQUIREMENT the plan must not use"
    )


class JobAccepted(BaseModel):
    model_config = STRICT
    job_id: str
    location: str


class Figures(BaseModel):
    """A JSON document of figures (coverage rows, burden report, plan...)."""

    model_config = ConfigDict(extra="allow")


class ItemsPage(BaseModel):
    model_config = STRICT
    items: list[dict[str, Any]]
    next_cursor: str | None
    total: int


# --- tracking (services/tracking.py) ---------------------------------------------------------

MAX_CODE = 64  # a code: shipment id, node, requirement ref (domain.checks.code)
MAX_TIME = 40  # an ISO 8601 time with its offset
MAX_UNITS = 10**12  # domain.checks.MAX_UNITS bounds it further
EVENT_KINDS = ("planned", "loaded", "departed", "at_hub", "crossed_border", "delivered",
               "received")  # fmt: skip


class ShipmentCreate(BaseModel):
    model_config = STRICT
    shipment_id: str = Field(min_length=1, max_length=MAX_CODE, examples=["SHP-1"])
    offer_key: str = Field(
        min_length=1, max_length=MAX_KEY, description="the accepted offer, DONOR:EXTERNAL_ID"
    )
    requirement_ref: str = Field(min_length=1, max_length=MAX_CODE)
    quantity: int = Field(ge=1, le=MAX_UNITS, description="units shipped")
    origin: str = Field(min_length=1, max_length=MAX_CODE, description="node it leaves from")
    destination: str = Field(min_length=1, max_length=MAX_CODE, description="node it goes to")
    marking: str | None = Field(
        None, max_length=120, description="releasability; default: the offer's"
    )


class ShipmentRecord(BaseModel):
    model_config = STRICT
    shipment_id: str
    offer_key: str
    donor_code: str
    requirement_ref: str
    quantity: int
    origin: str
    destination: str
    recipient_code: str
    marking: str
    version: int = Field(description="moves on with every event: the ETag")
    created_by: str
    created_at: str
    state: str = Field(description="the last event's kind, or not_started")
    received: int | None = Field(description="units received; null until received")
    discrepancy: int | None = Field(description="units shipped but not received")


class ShipmentPage(BaseModel):
    model_config = STRICT
    items: list[ShipmentRecord]
    next_cursor: str | None = Field(description="pass as ?cursor= for the next page")
    total: int = Field(description="shipments matching the filters, on all pages")


class EventCreate(BaseModel):
    model_config = STRICT
    kind: Literal[EVENT_KINDS] = Field(description="what happened")  # type: ignore[valid-type]
    time: str = Field(
        min_length=1, max_length=MAX_TIME, description="ISO 8601 with offset",
        examples=["2026-03-01T08:00:00Z"],
    )  # fmt: skip
    place: str = Field(min_length=1, max_length=MAX_CODE, description="the node's code")
    quantity: int | None = Field(
        None, ge=0, le=MAX_UNITS, description="units counted in: a receipt only"
    )


class EventRecord(BaseModel):
    model_config = STRICT
    kind: str
    time: str
    place: str
    reported_by: str
    quantity: int | None
    recorded_at: str | None = None


class TimelineRecord(BaseModel):
    model_config = STRICT
    shipment: dict[str, Any]
    events: list[EventRecord]
    state: str
    next_allowed: list[str]
    received: int | None
    discrepancy: int | None


class CaptureRecord(BaseModel):
    model_config = STRICT
    recorded: int = Field(description="new events recorded")
    shipments: list[str]
    batch_id: str
    skipped: int = Field(description="events already recorded (a document sent twice)")
    events: list[dict[str, Any]]


# --- training plans (services/training_plans.py) ---------------------------------------------


class TrainingRunRequest(BaseModel):
    model_config = STRICT
    horizon_weeks: int = Field(104, description="weeks planned ahead (1–260)")
    time_limit: float = Field(30.0, gt=0, description="hard limit on scheduling, seconds (≤ 3600)")


# --- logistics (services/logistics.py) -------------------------------------------------------

# A what-if answers while the client waits: its time limit is bounded well below a run's.
MAX_WHATIF_TIME_LIMIT_S = 120.0


class LogisticsRunRequest(BaseModel):
    model_config = STRICT
    horizon: int = Field(
        DEFAULT_HORIZON_DAYS, ge=1, le=MAX_HORIZON_DAYS, description="days planned ahead"
    )
    time_limit: float = Field(
        30.0, gt=0, le=MAX_TIME_LIMIT_S, description="hard limit on planning, seconds"
    )


class WhatIfRequest(BaseModel):
    model_config = STRICT
    close: str = Field(
        min_length=1, max_length=MAX_CODE, description="the node or lane to close",
        examples=["POL-HUB-1"],
    )  # fmt: skip
    first: date = Field(alias="from", strict=False, description="first closed day, YYYY-MM-DD")
    last: date | None = Field(
        None, alias="to", strict=False, description="last closed day; default: the horizon's end"
    )
    time_limit: float = Field(
        30.0, gt=0, le=MAX_WHATIF_TIME_LIMIT_S, description="hard limit on re-planning, seconds"
    )
