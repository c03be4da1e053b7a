"""Shipment tracking: a shipment's journey from a donor's depot to its recipient, event by event.

This is the one home of the tracking rules. A shipment carries one line (an offer's units for
one requirement) from an origin node to a destination node of the logistics network
(`domain/network.py`). People and partners (through EPCIS, `io/epcis.py`) report events; an
event is accepted only if `check_event` finds it legal after the shipment's history.

The journey, as a graph (`TRACKING_TRANSITIONS`)::

    (nothing yet) ─▶ planned ─▶ loaded ─▶ departed ─▶ at_hub ─▶ departed ─▶ …   (several hubs)
          │            │                     │ ▲
          └────────────┴──────▶ departed ────┤ └───── at_hub
                                             ├─▶ crossed_border ─▶ delivered ─▶ received
                                             ├─▶ delivered ─▶ received
                                             └─▶ received

- **Repeats:** `departed → at_hub → departed` may repeat, once per hub on the way.
- **Skips:** `planned` and `loaded` may go unreported (a partner often reports the departure
  first); so may `at_hub`, `crossed_border` and `delivered`, because the party that counts the
  goods in is often not the one that saw them cross — refusing its receipt because another
  party's report is missing would keep delivered goods out of every figure. What can never be
  skipped is the departure: nothing arrives that did not leave.
- **Once:** the border is crossed once (no step leads back to `departed` after it), and
  `received` is final: one receipt per shipment, counting what arrived.
- **Order:** an event is not earlier than the last one reported, and not in the future.
- **Place:** `delivered` and `received` happen at the shipment's destination, and an arrival
  there is a delivery, never `at_hub`.
- **Quantity:** only a receipt carries one: the units counted in, from 0 (lost) to the quantity
  shipped. Fewer than shipped is a discrepancy (`discrepancy`); more is refused, because the
  shipment's quantity is the most that can arrive and a figure above it would be false.

Delivered quantities (`delivered_quantities`) count received units only, so coverage never
counts goods still on the road, and a short receipt never counts what did not arrive.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from coalition.domain import checks
from coalition.domain.errors import IllegalEvent, IllegalTransition, InvalidValue
from coalition.domain.markings import DEFAULT_MARKING, check_marking


class EventKind(StrEnum):
    PLANNED = "planned"
    LOADED = "loaded"
    DEPARTED = "departed"
    AT_HUB = "at_hub"
    CROSSED_BORDER = "crossed_border"
    DELIVERED = "delivered"
    RECEIVED = "received"


_K = EventKind
NOT_STARTED = "not_started"  # the state of a shipment with no event yet (not an event kind)

# The legal next events after each state; `None` is a shipment with no event yet.
TRACKING_TRANSITIONS: dict[EventKind | None, tuple[EventKind, ...]] = {
    None: (_K.PLANNED, _K.LOADED, _K.DEPARTED),
    _K.PLANNED: (_K.LOADED, _K.DEPARTED),
    _K.LOADED: (_K.DEPARTED,),
    _K.DEPARTED: (_K.AT_HUB, _K.CROSSED_BORDER, _K.DELIVERED, _K.RECEIVED),
    _K.AT_HUB: (_K.DEPARTED,),
    _K.CROSSED_BORDER: (_K.DELIVERED, _K.RECEIVED),
    _K.DELIVERED: (_K.RECEIVED,),
    _K.RECEIVED: (),
}

# Events that must happen at the shipment's destination.
AT_DESTINATION = frozenset({_K.DELIVERED, _K.RECEIVED})
MAX_USER = 100  # characters of a reporting user's name (the change log's actor)


def offer_key_parts(field: str, value: str) -> tuple[str, str]:
    """An offer's key `DONOR:EXTERNAL_ID` (both codes), as `registries.kinds.OFFERS` writes it."""
    if not isinstance(value, str) or value.count(":") != 1:
        raise InvalidValue(field, value, "must be an offer key DONOR:EXTERNAL_ID, e.g. DEU:OF-1")
    donor, external_id = value.split(":")
    checks.code(field, donor)
    checks.code(field, external_id)
    return donor, external_id


@dataclass(frozen=True, slots=True)
class Shipment:
    """One line on its way: `quantity` units of offer `offer_key` for `requirement_ref`."""

    shipment_id: str
    offer_key: str  # DONOR:EXTERNAL_ID
    requirement_ref: str
    quantity: int  # units shipped
    origin: str  # node code it leaves from
    destination: str  # node code it is delivered to
    recipient_code: str  # the recipient receiving it (the requirement's destination)
    marking: str = DEFAULT_MARKING  # releasability (domain/markings.py)

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("shipment_id", self.shipment_id)
        offer_key_parts("offer_key", self.offer_key)
        checks.code("requirement_ref", self.requirement_ref)
        checks.QUANTITY("quantity", self.quantity)
        checks.code("origin", self.origin)
        checks.code("destination", self.destination)
        checks.code("recipient_code", self.recipient_code)

    @property
    def donor_code(self) -> str:
        return self.offer_key.split(":")[0]


@dataclass(frozen=True, slots=True)
class ShipmentEvent:
    """Something that happened to a shipment, where, when and who said so.

    `time` is stored in UTC: an aware time in any offset is converted, so two reports of the
    same moment are equal. `quantity` is the units counted in, on a receipt only.
    """

    shipment_id: str
    kind: EventKind
    time: datetime
    place: str  # node code
    reported_by: str  # the user (account name) who reported it
    quantity: int | None = None

    def __post_init__(self) -> None:
        checks.code("shipment_id", self.shipment_id)
        checks.one_of("kind", self.kind, tuple(EventKind))
        if not isinstance(self.kind, EventKind):
            object.__setattr__(self, "kind", EventKind(self.kind))
        checks.EVENT_TIMES("time", self.time)
        object.__setattr__(self, "time", self.time.astimezone(UTC))
        checks.code("place", self.place)
        checks.text("reported_by", self.reported_by, max_length=MAX_USER)
        if self.kind == EventKind.RECEIVED:
            if self.quantity is None:
                raise InvalidValue("quantity", None, "a receipt must count the units received")
            checks.COUNT("quantity", self.quantity)
        elif self.quantity is not None:
            raise InvalidValue(
                "quantity", self.quantity, "only a receipt carries a quantity (units received)"
            )


def state_of(history: Sequence[ShipmentEvent]) -> EventKind | None:
    """The shipment's state: its last event's kind, None before any event."""
    return history[-1].kind if history else None


def allowed_next(history: Sequence[ShipmentEvent]) -> tuple[EventKind, ...]:
    return TRACKING_TRANSITIONS[state_of(history)]


def check_event(shipment: Shipment, history: Sequence[ShipmentEvent], event: ShipmentEvent) -> None:
    """Raise unless `event` may follow `history` (the shipment's events so far, in order).

    IllegalTransition names the step and what may follow instead; IllegalEvent names any other
    contradiction (another shipment, time order, place, quantity).
    """
    sid, kind = shipment.shipment_id, event.kind.value
    if event.shipment_id != sid:
        raise IllegalEvent(sid, kind, f"the event belongs to shipment {event.shipment_id}")
    state = state_of(history)
    allowed = TRACKING_TRANSITIONS[state]
    if event.kind not in allowed:
        current = state.value if state else NOT_STARTED
        raise IllegalTransition(f"shipment {sid}", current, kind, tuple(k.value for k in allowed))
    if history and event.time < history[-1].time:
        last = history[-1]
        raise IllegalEvent(
            sid,
            kind,
            f"its time {event.time.isoformat()} is before the last event reported "
            f"('{last.kind.value}' at {last.time.isoformat()})",
        )
    if event.kind in AT_DESTINATION and event.place != shipment.destination:
        raise IllegalEvent(
            sid,
            kind,
            f"it happens at the destination {shipment.destination}, not at {event.place}",
        )
    if event.kind == EventKind.AT_HUB and event.place == shipment.destination:
        raise IllegalEvent(
            sid, kind, f"{event.place} is the shipment's destination: arriving there is 'delivered'"
        )
    if event.kind == EventKind.RECEIVED:
        assert event.quantity is not None  # ShipmentEvent checks it
        if event.quantity > shipment.quantity:
            raise IllegalEvent(
                sid,
                kind,
                f"{event.quantity} units received but only {shipment.quantity} were shipped",
            )


def replay(shipment: Shipment, events: Iterable[ShipmentEvent]) -> tuple[ShipmentEvent, ...]:
    """The events as a checked history: each must follow the ones before it."""
    history: list[ShipmentEvent] = []
    for event in events:
        check_event(shipment, history, event)
        history.append(event)
    return tuple(history)


@dataclass(frozen=True, slots=True)
class Receipt:
    shipped: int
    received: int

    @property
    def discrepancy(self) -> int:
        """Units shipped but not received (0 when everything arrived)."""
        return self.shipped - self.received


def receipt(shipment: Shipment, history: Sequence[ShipmentEvent]) -> Receipt | None:
    """The shipment's receipt (shipped against received), or None while not received."""
    for event in history:
        if event.kind == EventKind.RECEIVED and event.quantity is not None:
            return Receipt(shipment.quantity, event.quantity)
    return None


def discrepancy(shipment: Shipment, history: Sequence[ShipmentEvent]) -> int | None:
    """Units missing at receipt; None until the shipment is received."""
    found = receipt(shipment, history)
    return None if found is None else found.discrepancy


@dataclass(frozen=True, slots=True)
class Delivered:
    """Units received, per offer key, per requirement ref and per (offer, requirement) line."""

    by_offer: Mapping[str, int]
    by_requirement: Mapping[str, int]
    by_line: Mapping[tuple[str, str], int]

    def offer(self, offer_key: str) -> int:
        return self.by_offer.get(offer_key, 0)

    def requirement(self, ref: str) -> int:
        return self.by_requirement.get(ref, 0)


def delivered_quantities(
    shipments: Iterable[Shipment], histories: Mapping[str, Sequence[ShipmentEvent]]
) -> Delivered:
    """Units received per offer and per requirement: received units only, never units shipped.

    A shipment with no receipt counts nothing yet; a short receipt counts what arrived.
    """
    by_offer: dict[str, int] = {}
    by_requirement: dict[str, int] = {}
    by_line: dict[tuple[str, str], int] = {}
    for shipment in shipments:
        found = receipt(shipment, histories.get(shipment.shipment_id, ()))
        if found is None:
            continue
        line = (shipment.offer_key, shipment.requirement_ref)
        by_offer[line[0]] = by_offer.get(line[0], 0) + found.received
        by_requirement[line[1]] = by_requirement.get(line[1], 0) + found.received
        by_line[line] = by_line.get(line, 0) + found.received
    return Delivered(by_offer, by_requirement, by_line)
