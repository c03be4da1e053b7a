"""Shipment tracking: the legal journey, receipts and the delivered figures coverage will use."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.domain.checks import today_is
from coalition.domain.errors import IllegalEvent, IllegalTransition, InvalidValue
from coalition.domain.tracking import (
    TRACKING_TRANSITIONS,
    EventKind,
    Shipment,
    ShipmentEvent,
    check_event,
    delivered_quantities,
    discrepancy,
    receipt,
    replay,
)

K = EventKind
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
SHIP = Shipment("SHP-1", "DEU:DEU-OF-0001", "UA-REQ-0001", 10, "DEU-DEPOT-1", "UA-DP-1", "UA-DP-1")


def ev(kind: EventKind, hours: int = 0, place: str = "", quantity: int | None = None):
    where = place or ("UA-DP-1" if kind in (K.DELIVERED, K.RECEIVED) else "POL-HUB-RZE")
    return ShipmentEvent("SHP-1", kind, T0 + timedelta(hours=hours), where, "desk.deu", quantity)


def journey(*kinds: EventKind, received: int = 10) -> tuple[ShipmentEvent, ...]:
    return tuple(
        ev(k, i, quantity=received if k == K.RECEIVED else None) for i, k in enumerate(kinds)
    )


def test_a_shipment_travels_through_two_hubs_across_the_border_to_its_receipt():
    steps = [K.PLANNED, K.LOADED, K.DEPARTED, K.AT_HUB, K.DEPARTED, K.AT_HUB, K.DEPARTED,
             K.CROSSED_BORDER, K.DELIVERED, K.RECEIVED]  # fmt: skip
    history = replay(SHIP, journey(*steps))
    assert history[-1].kind == K.RECEIVED
    assert discrepancy(SHIP, history) == 0


def test_unreported_steps_may_be_skipped_but_never_the_departure():
    replay(SHIP, journey(K.DEPARTED, K.RECEIVED))  # a partner reports only departure and receipt
    with pytest.raises(IllegalTransition) as error:
        replay(SHIP, journey(K.LOADED, K.RECEIVED))
    assert "cannot go from 'loaded' to 'received'" in str(error.value)
    assert "allowed next: departed" in str(error.value)


def test_the_first_event_cannot_be_an_arrival():
    with pytest.raises(IllegalTransition) as error:
        check_event(SHIP, (), ev(K.AT_HUB))
    assert "'not_started'" in str(error.value) and "planned, loaded, departed" in str(error.value)


def test_the_border_is_crossed_once_and_a_receipt_is_final():
    with pytest.raises(IllegalTransition):
        replay(SHIP, journey(K.DEPARTED, K.CROSSED_BORDER, K.AT_HUB))
    with pytest.raises(IllegalTransition) as error:
        replay(SHIP, journey(K.DEPARTED, K.RECEIVED, K.RECEIVED))
    assert "none (final state)" in str(error.value)


def test_an_event_before_the_last_one_is_refused_with_both_times():
    history = journey(K.DEPARTED, K.AT_HUB)
    late = ShipmentEvent("SHP-1", K.DEPARTED, T0, "POL-HUB-RZE", "desk.deu")
    with pytest.raises(IllegalEvent) as error:
        check_event(SHIP, history, late)
    assert "before the last event reported ('at_hub'" in str(error.value)


def test_an_event_at_the_same_moment_as_the_last_is_accepted():
    check_event(SHIP, journey(K.LOADED), ev(K.DEPARTED, 0))


def test_delivery_and_receipt_happen_at_the_destination():
    with pytest.raises(IllegalEvent) as error:
        check_event(SHIP, journey(K.DEPARTED), ev(K.DELIVERED, 1, place="UA-DP-9"))
    assert "at the destination UA-DP-1, not at UA-DP-9" in str(error.value)


def test_an_event_of_another_shipment_is_refused():
    other = ShipmentEvent("SHP-2", K.DEPARTED, T0, "X", "u")
    with pytest.raises(IllegalEvent, match="belongs to shipment SHP-2"):
        check_event(SHIP, (), other)


def test_a_short_receipt_is_a_discrepancy_and_an_excess_is_refused():
    history = replay(SHIP, journey(K.DEPARTED, K.RECEIVED, received=7))
    assert receipt(SHIP, history).discrepancy == 3  # type: ignore[union-attr]
    assert discrepancy(SHIP, history) == 3
    assert discrepancy(SHIP, history[:1]) is None  # not received yet
    with pytest.raises(IllegalEvent, match="11 units received but only 10 were shipped"):
        replay(SHIP, journey(K.DEPARTED, K.RECEIVED, received=11))


def test_a_lost_shipment_is_received_as_zero():
    history = replay(SHIP, journey(K.DEPARTED, K.RECEIVED, received=0))
    assert discrepancy(SHIP, history) == 10


@pytest.mark.parametrize(
    ("kind", "quantity", "reason"),
    [
        (K.RECEIVED, None, "must count the units received"),
        (K.RECEIVED, -1, "whole number from 0"),
        (K.DEPARTED, 5, "only a receipt carries a quantity"),
    ],
)
def test_quantities_belong_to_receipts_only(kind, quantity, reason):
    with pytest.raises(InvalidValue, match=reason):
        ShipmentEvent("SHP-1", kind, T0, "UA-DP-1", "u", quantity)


def test_times_are_aware_stored_in_utc_and_never_in_the_future():
    kyiv = timezone(timedelta(hours=2))
    event = ShipmentEvent("SHP-1", K.DEPARTED, datetime(2026, 3, 1, 10, tzinfo=kyiv), "X", "u")
    assert event.time == T0 and event.time.tzinfo is UTC
    with pytest.raises(InvalidValue, match="UTC offset"):
        ShipmentEvent("SHP-1", K.DEPARTED, datetime(2026, 3, 1, 10), "X", "u")
    with today_is(date(2026, 3, 1)), pytest.raises(InvalidValue, match="in the future"):
        ShipmentEvent("SHP-1", K.DEPARTED, T0 + timedelta(days=3), "X", "u")


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("offer_key", {"offer_key": "DEU-OF-1"}),
        ("quantity", {"quantity": 0}),
        ("shipment_id", {"shipment_id": "has space"}),
        ("destination", {"destination": ""}),
    ],
)
def test_a_shipment_checks_its_fields(field, changes):
    values = {
        "shipment_id": "S", "offer_key": "DEU:OF-1", "requirement_ref": "R", "quantity": 1,
        "origin": "O", "destination": "D", "recipient_code": "UA",
    }  # fmt: skip
    with pytest.raises(InvalidValue) as error:
        Shipment(**{**values, **changes})
    assert error.value.field == field


def test_delivered_quantities_count_received_units_only():
    second = Shipment("SHP-2", "DEU:DEU-OF-0001", "UA-REQ-0002", 5, "O", "UA-DP-1", "UA-DP-1")
    third = Shipment("SHP-3", "POL:POL-OF-0001", "UA-REQ-0001", 4, "O", "UA-DP-1", "UA-DP-1")
    histories = {
        "SHP-1": journey(K.DEPARTED, K.RECEIVED, received=8),
        "SHP-2": tuple(
            ShipmentEvent("SHP-2", e.kind, e.time, e.place, e.reported_by, e.quantity)
            for e in journey(K.DEPARTED, K.RECEIVED, received=5)
        ),
        "SHP-3": (),  # still planned: counts nothing
    }
    delivered = delivered_quantities([SHIP, second, third], histories)
    assert delivered.offer("DEU:DEU-OF-0001") == 13
    assert delivered.requirement("UA-REQ-0001") == 8
    assert delivered.requirement("UA-REQ-0002") == 5
    assert delivered.offer("POL:POL-OF-0001") == 0
    assert delivered.by_line == {
        ("DEU:DEU-OF-0001", "UA-REQ-0001"): 8,
        ("DEU:DEU-OF-0001", "UA-REQ-0002"): 5,
    }


# --- properties: the checker accepts exactly the walks of the graph ---------------------------

kinds = st.lists(st.sampled_from(list(EventKind)), max_size=12)


def is_walk(sequence: list[EventKind]) -> bool:
    state: EventKind | None = None
    for kind in sequence:
        if kind not in TRACKING_TRANSITIONS[state]:
            return False
        state = kind
    return True


@settings(max_examples=300, deadline=None)
@given(kinds, st.integers(0, 10))
def test_a_sequence_is_accepted_exactly_when_it_is_a_walk_of_the_graph(sequence, received):
    events = journey(*sequence, received=received)
    try:
        replay(SHIP, events)
        accepted = True
    except IllegalTransition:
        accepted = False
    assert accepted == is_walk(sequence)


@st.composite
def walks(draw: st.DrawFn) -> list[EventKind]:
    state: EventKind | None = None
    walk: list[EventKind] = []
    for _ in range(draw(st.integers(0, 14))):
        options = TRACKING_TRANSITIONS[state]
        if not options:
            break
        state = draw(st.sampled_from(options))
        walk.append(state)
    return walk


@settings(max_examples=200, deadline=None)
@given(walks(), st.integers(0, 10))
def test_every_walk_is_accepted_and_departs_before_it_arrives(walk, received):
    history = replay(SHIP, journey(*walk, received=received))
    found = [e.kind for e in history]
    arrivals = {K.AT_HUB, K.CROSSED_BORDER, K.DELIVERED, K.RECEIVED}
    if arrivals & set(found):
        first_arrival = min(found.index(k) for k in arrivals if k in found)
        assert K.DEPARTED in found[:first_arrival]
    assert found.count(K.CROSSED_BORDER) <= 1 and found.count(K.RECEIVED) <= 1
    counted = delivered_quantities([SHIP], {"SHP-1": history}).offer(SHIP.offer_key)
    assert counted == (received if K.RECEIVED in found else 0) <= SHIP.quantity
