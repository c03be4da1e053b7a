"""Every shortfall and unused-offer reason, each on an instance where it is the true cause."""

from __future__ import annotations

import pytest
from allocation_builders import offer, req, snapshot

from coalition.planning.allocation import (
    OfferReason,
    ShortfallReason,
    allocate,
    explain_offer,
    explain_requirement,
)


def reasons_of(snap, requirement_id: str) -> dict[ShortfallReason, object]:
    plan = allocate(snap)
    return {r.code: r for r in explain_requirement(snap, plan, requirement_id).reasons}


def offer_reasons(snap, offer_id: str) -> dict[OfferReason, object]:
    plan = allocate(snap)
    return {r.code: r for r in explain_offer(snap, plan, offer_id).reasons}


def test_a_fully_covered_requirement_has_no_reason_and_names_its_offer():
    snap = snapshot([req("R1", priority=1)], [offer("O1")])
    explanation = explain_requirement(snap, allocate(snap), "R1")
    assert explanation.shortfall == 0 and explanation.reasons == ()
    assert [a.offer_id for a in explanation.served_by] == ["O1"]


def test_no_compatible_offer_at_all():
    snap = snapshot([req("R1", family="air defence missile", area="air defence")], [offer("O1")])
    assert ShortfallReason.NO_COMPATIBLE_OFFER in reasons_of(snap, "R1")


def test_no_compatible_offer_when_every_donor_condition_excludes_the_area():
    snap = snapshot([req("R1")], [offer("O1", allowed=frozenset({"air defence"}))])
    reason = reasons_of(snap, "R1")[ShortfallReason.NO_COMPATIBLE_OFFER]
    assert "conditions" in reason.text and reason.offers == ("O1",)


def test_taken_by_a_higher_value_requirement_names_it_with_its_value_per_unit():
    snap = snapshot([req("R-low", priority=3), req("R-high", priority=1)], [offer("O1")])
    reason = reasons_of(snap, "R-low")[ShortfallReason.TAKEN_BY_HIGHER_VALUE]
    assert reason.requirements == ("R-high",)
    assert "R-high (1 units at 16/unit)" in reason.text


def test_only_late_offers():
    snap = snapshot([req("R1", priority=1)], [offer("O1", available_in=200)])
    assert set(reasons_of(snap, "R1")) == {ShortfallReason.ONLY_LATE_OFFERS}


def test_new_type_not_worth_its_penalty():
    snap = snapshot([req("R1", priority=5)], [offer("O1", item_type="Caesar")])
    reason = reasons_of(snap, "R1")[ShortfallReason.NEW_TYPE_NOT_WORTH_PENALTY]
    assert reason.offers == ("O1",) and "penalty of 4" in reason.text


def test_forbidden_by_the_coordinator():
    snap = snapshot([req("R1")], [offer("O1")], forbids=frozenset({("O1", "R1")}))
    assert set(reasons_of(snap, "R1")) == {ShortfallReason.FORBIDDEN}


def test_an_unknown_requirement_is_a_key_error():
    snap = snapshot([req("R1")], [offer("O1")])
    with pytest.raises(KeyError):
        explain_requirement(snap, allocate(snap), "nope")


def test_a_used_offer_shows_where_its_units_go():
    snap = snapshot([req("R1", priority=1)], [offer("O1", quantity=3)])
    explanation = explain_offer(snap, allocate(snap), "O1")
    assert explanation.used == 1 and explanation.unused == 2
    assert [a.requirement_id for a in explanation.assignments] == ["R1"]
    assert OfferReason.REQUIREMENTS_SERVED_BY_BETTER_OFFERS in {r.code for r in explanation.reasons}


def test_an_offer_with_no_compatible_requirement():
    snap = snapshot([req("R1")], [offer("O1", item_type="Patriot-PAC3")])
    assert set(offer_reasons(snap, "O1")) == {OfferReason.NO_COMPATIBLE_REQUIREMENT}


def test_an_offer_unused_because_better_offers_serve_the_requirement():
    snap = snapshot([req("R1")], [offer("O-late", available_in=60), offer("O-on-time")])
    reason = offer_reasons(snap, "O-late")[OfferReason.REQUIREMENTS_SERVED_BY_BETTER_OFFERS]
    assert "R1 by O-on-time" in reason.text


def test_an_offer_arriving_too_late():
    snap = snapshot([req("R1")], [offer("O1", available_in=300)])
    assert set(offer_reasons(snap, "O1")) == {OfferReason.ARRIVES_TOO_LATE}


def test_an_offer_whose_condition_excludes_the_requirement():
    snap = snapshot([req("R1")], [offer("O1", allowed=frozenset({"air defence"}))])
    assert set(offer_reasons(snap, "O1")) == {OfferReason.CONDITION_EXCLUDES}


def test_an_offer_held_back_by_the_new_type_penalty():
    snap = snapshot([req("R1", priority=5)], [offer("O1", item_type="Caesar")])
    assert set(offer_reasons(snap, "O1")) == {OfferReason.NEW_TYPE_PENALTY}


def test_an_offer_forbidden_for_the_requirement():
    snap = snapshot([req("R1")], [offer("O1")], forbids=frozenset({("O1", "R1")}))
    assert set(offer_reasons(snap, "O1")) == {OfferReason.FORBIDDEN}
