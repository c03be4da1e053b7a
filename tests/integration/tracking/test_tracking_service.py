"""Tracking through the services, on SQLite and PostgreSQL: shipments are created from
accepted offers, events are checked against the stored history (refused ones change nothing),
receipts record discrepancies, offers follow their shipments, delivered units count in
coverage, and nobody reads a shipment the visibility rule hides."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from coalition.domain.access import Principal, Role
from coalition.services import coverage, ledger, tracking
from coalition.services.errors import Forbidden, InvalidField, NotFound, ServiceError
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import database_content
from support_tracking import ROUTE, T0

COORD = Principal("coord", Role.COORDINATOR)
DESK_DEU = Principal("desk-deu", Role.DONOR, "DEU")
DESK_POL = Principal("desk-pol", Role.DONOR, "POL")
UKRAINE = Principal("ukraine", Role.RECIPIENT)
ANALYST = Principal("analyst", Role.ANALYST)
AUDITOR = Principal("auditor", Role.AUDITOR)


def create(engine: Engine, principal: Principal = COORD, sid: str = "SHP-1", **given):
    fields = dict(offer_key="DEU:DEU-OF-0001", requirement_ref="REQ-1", quantity=4,
                  origin="DEU-DEPOT-1", destination="UKR-DP-LVIV") | given  # fmt: skip
    with UnitOfWork(engine, principal) as uow:
        return tracking.create_shipment(uow, sid, **fields)


def report(engine, kind, hours, principal=COORD, sid="SHP-1", quantity=None, place=None):
    with UnitOfWork(engine, principal) as uow:
        return tracking.record_event(
            uow, sid, kind, T0 + timedelta(hours=hours), place or ROUTE[kind], quantity
        )


def journey(engine, kinds, received=4, sid="SHP-1"):
    for hours, kind in enumerate(kinds):
        report(engine, kind, hours, sid=sid, quantity=received if kind == "received" else None)


def offer(engine, key="DEU:DEU-OF-0001"):
    with UnitOfWork(engine, COORD, write=False) as uow:
        return ledger.get_record(uow, "offers", key)


def test_a_shipment_is_created_from_an_accepted_offer_and_logged(ledger):
    shown = create(ledger, DESK_DEU)
    assert shown["recipient_code"] == "UA-DEP-W1" and shown["version"] == 1
    assert shown["created_by"] == "desk-deu" and shown["marking"] == "NATO UNCLASSIFIED"
    with UnitOfWork(ledger, AUDITOR, write=False) as uow:
        entries = uow.history("shipment", "SHP-1")
    assert [(e["actor"], e["action"]) for e in entries] == [("desk-deu", "create")]


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"offer_key": "DEU:DEU-OF-0003"}, "offer_key"),  # only offered
        ({"offer_key": "DEU:NOPE"}, "offer_key"),
        ({"offer_key": "not a key"}, "offer_key"),
        ({"quantity": 5}, "quantity"),  # more than the offer
        ({"quantity": 0}, "quantity"),
        ({"requirement_ref": "REQ-404"}, "requirement_ref"),
        ({"origin": "XXX-NOWHERE"}, "origin"),
        ({"marking": "SECRET-ish"}, "marking"),
    ],
)
def test_a_shipment_that_cannot_be_is_refused_naming_the_field(ledger, given, field):
    before = database_content(ledger)
    with pytest.raises(InvalidField) as refused:
        create(ledger, **given)
    assert refused.value.field == field
    assert database_content(ledger) == before


def test_all_shipments_of_an_offer_carry_at_most_its_quantity(ledger):
    create(ledger, quantity=3)
    with pytest.raises(InvalidField, match="at most 1"):
        create(ledger, sid="SHP-2", quantity=2)
    with pytest.raises(ServiceError, match="already exists"):
        create(ledger, quantity=1)


def test_a_donor_cannot_ship_another_donors_offer(ledger):
    with pytest.raises(Forbidden):
        create(ledger, DESK_POL)


def test_the_whole_journey_is_recorded_with_who_reported_each_event(ledger):
    create(ledger)
    kinds = ["planned", "loaded", "departed", "at_hub", "departed", "crossed_border",
             "delivered", "received"]  # fmt: skip
    journey(ledger, kinds)
    with UnitOfWork(ledger, DESK_DEU, write=False) as uow:
        shown = tracking.timeline(uow, "SHP-1")
    assert [e["kind"] for e in shown.events] == kinds
    assert {e["reported_by"] for e in shown.events} == {"coord"}
    assert shown.state == "received" and shown.next_allowed == []
    assert shown.received == 4 and shown.discrepancy == 0
    assert shown.shipment["version"] == 1 + len(kinds)  # every event moves the ETag on


@pytest.mark.parametrize(
    ("kinds", "kind", "place", "quantity", "reason"),
    [
        ([], "at_hub", "POL-HUB-RZE", None, "allowed next"),
        (["departed"], "loaded", "DEU-DEPOT-1", None, "allowed next"),
        (["departed"], "delivered", "POL-HUB-RZE", None, "destination"),
        (["departed"], "received", "UKR-DP-LVIV", 5, "only 4 were shipped"),
        (["departed"], "received", "UKR-DP-LVIV", None, "must count"),
        (["departed"], "at_hub", "NOWHERE-1", None, "no node"),
    ],
)
def test_an_illegal_event_is_refused_with_its_reason_and_nothing_changes(
    ledger, kinds, kind, place, quantity, reason
):
    create(ledger)
    journey(ledger, kinds)
    before = database_content(ledger)
    with pytest.raises(ServiceError, match=reason):
        report(ledger, kind, 10, place=place, quantity=quantity)
    assert database_content(ledger) == before


def test_an_event_earlier_than_the_last_one_is_refused(ledger):
    create(ledger)
    report(ledger, "departed", 5)
    with pytest.raises(ServiceError, match="before the last event"):
        report(ledger, "at_hub", 1)


def test_bad_input_is_refused_naming_it(ledger):
    create(ledger)
    with UnitOfWork(ledger, COORD) as uow:
        with pytest.raises(InvalidField, match="kind 'flying'"):
            tracking.record_event(uow, "SHP-1", "flying", T0, "DEU-DEPOT-1")
        with pytest.raises(InvalidField, match="offset"):
            tracking.record_event(uow, "SHP-1", "departed", "2026-03-01T08:00", "DEU-DEPOT-1")
        with pytest.raises(InvalidField, match="place"):
            tracking.record_event(uow, "SHP-1", "departed", T0, "XXX-NOWHERE")
        with pytest.raises(NotFound):
            tracking.record_event(uow, "SHP-404", "departed", T0, "DEU-DEPOT-1")


def test_a_short_receipt_records_the_discrepancy_and_counts_only_what_arrived(ledger):
    create(ledger)
    journey(ledger, ["departed", "received"], received=3)
    with UnitOfWork(ledger, COORD, write=False) as uow:
        shown = tracking.timeline(uow, "SHP-1")
        rows = {r.capability_area: r for r in coverage.coverage_rows(uow)}
    assert (shown.received, shown.discrepancy) == (3, 1)
    artillery = rows["artillery"]
    # PzH 2000 at EUR 7.8m a unit: 3 delivered, the lost one counts nowhere, KRAB (2) accepted
    assert artillery.delivered_eur == 3 * 7_800_000
    assert artillery.accepted_eur == 2 * 7_800_000
    assert offer(ledger)["status"] == "delivered"


def test_the_offer_follows_its_shipments_to_shipped_then_delivered(ledger):
    create(ledger, quantity=3)
    create(ledger, sid="SHP-2", quantity=1)
    report(ledger, "departed", 0)
    assert offer(ledger)["status"] == "shipped"
    journey(ledger, ["departed", "received"], received=1, sid="SHP-2")
    assert offer(ledger)["status"] == "shipped"  # SHP-1 is still on the road
    report(ledger, "received", 3, quantity=3, place="UKR-DP-LVIV")
    after = offer(ledger)
    assert after["status"] == "delivered" and str(after["delivered_on"]) == "2026-03-01"
    with UnitOfWork(ledger, AUDITOR, write=False) as uow:
        entries = uow.history("offer", "DEU:DEU-OF-0001")
    assert [e["actor"] for e in entries][-2:] == ["coord", "coord"]


def test_delivered_units_count_in_coverage_before_the_whole_offer_arrives(ledger):
    create(ledger, quantity=1)
    with UnitOfWork(ledger, COORD, write=False) as uow:
        before = {r.capability_area: r for r in coverage.coverage_rows(uow)}["artillery"]
    journey(ledger, ["departed", "received"], received=1)
    with UnitOfWork(ledger, COORD, write=False) as uow:
        after = {r.capability_area: r for r in coverage.coverage_rows(uow)}["artillery"]
    assert before.delivered_eur == 0 and after.delivered_eur == 7_800_000
    assert after.accepted_eur == before.accepted_eur - 7_800_000
    assert after.covered_eur == before.covered_eur  # moved from accepted to delivered


def test_ukraine_reports_receipts_but_not_departures(ledger):
    create(ledger)
    with pytest.raises(Forbidden):
        report(ledger, "departed", 0, UKRAINE)
    report(ledger, "departed", 0, DESK_DEU)
    shown = report(ledger, "received", 1, UKRAINE, quantity=4)
    assert [e["reported_by"] for e in shown.events] == ["desk-deu", "ukraine"]
    assert offer(ledger)["status"] == "delivered"


def test_a_donor_never_sees_another_donors_shipment(ledger):
    create(ledger)
    create(ledger, sid="SHP-PL", offer_key="POL:POL-OF-0001", quantity=2, origin="POL-DEPOT-1")
    report(ledger, "departed", 0)
    for principal, seen in [(DESK_DEU, ["SHP-1"]), (DESK_POL, ["SHP-PL"]),
                            (COORD, ["SHP-1", "SHP-PL"]), (AUDITOR, ["SHP-1", "SHP-PL"]),
                            (UKRAINE, ["SHP-1", "SHP-PL"]), (ANALYST, [])]:  # fmt: skip
        with UnitOfWork(ledger, principal, write=False) as uow:
            page = tracking.list_shipments(uow)
            assert [r["shipment_id"] for r in page.rows] == seen, principal
            assert page.total == len(seen)
            exported = tracking.epcis_document(uow)
        assert len(exported["epcisBody"]["eventList"]) == (1 if "SHP-1" in seen else 0)
    with UnitOfWork(ledger, DESK_POL) as uow:
        with pytest.raises(NotFound):
            tracking.timeline(uow, "SHP-1")
        with pytest.raises(NotFound):
            tracking.record_event(uow, "SHP-1", "at_hub", T0 + timedelta(hours=1), "POL-HUB-RZE")


def test_ukraine_does_not_see_a_shipment_not_released_to_it(ledger):
    create(ledger, marking="REL TO DEU")
    with UnitOfWork(ledger, UKRAINE, write=False) as uow:
        assert tracking.list_shipments(uow).rows == []
        with pytest.raises(NotFound):
            tracking.get_shipment(uow, "SHP-1")


def test_list_filters_and_pages(ledger):
    create(ledger, quantity=1)
    create(ledger, sid="SHP-2", quantity=1)
    create(ledger, sid="SHP-3", offer_key="DEU:DEU-OF-0002", quantity=100)
    with UnitOfWork(ledger, COORD, write=False) as uow:
        first = tracking.list_shipments(uow, {"external_id": "DEU-OF-0001"}, limit=1)
        assert [r["shipment_id"] for r in first.rows] == ["SHP-1"] and first.more
        assert first.total == 2
        rest = tracking.list_shipments(uow, {"external_id": "DEU-OF-0001"}, 1, after="SHP-1")
        assert [r["shipment_id"] for r in rest.rows] == ["SHP-2"] and not rest.more
        with pytest.raises(InvalidField):
            tracking.list_shipments(uow, {"colour": "red"})


def test_the_change_log_still_verifies_after_a_journey_that_moved_the_offer(ledger):
    from coalition.services import audit

    create(ledger)
    journey(ledger, ["departed", "received"], received=4)
    with UnitOfWork(ledger, AUDITOR, write=False) as uow:
        report_ = audit.verify_change_log(uow, None)
    assert report_.problems == []
    assert report_.chain_only == {"shipment": 1, "shipment_event": 2}
