from datetime import date

import pytest

from coalition.domain.errors import IllegalTransition, InvalidValue
from coalition.domain.lifecycle import check_transition
from coalition.domain.offers import Offer


def test_an_offer_moves_along_its_lifecycle_one_step_at_a_time():
    for current, nxt in [("offered", "accepted"), ("accepted", "committed"),
                         ("committed", "shipped"), ("shipped", "delivered"),
                         ("delivered", "operational")]:  # fmt: skip
        check_transition("offer", current, nxt)


def test_an_offer_cannot_jump_from_offered_to_delivered_by_hand():
    with pytest.raises(IllegalTransition) as error:
        check_transition("offer", "offered", "delivered")
    assert "cannot go from 'offered' to 'delivered'" in str(error.value)
    assert "accepted" in str(error.value)  # names what is allowed


def test_an_import_may_skip_forward_but_never_go_back():
    check_transition("offer", "offered", "delivered", allow_skips=True)
    with pytest.raises(IllegalTransition):
        check_transition("offer", "delivered", "offered", allow_skips=True)


def test_final_states_allow_nothing():
    with pytest.raises(IllegalTransition) as error:
        check_transition("offer", "withdrawn", "offered")
    assert "none (final state)" in str(error.value)


def test_requirement_and_pledge_lifecycles():
    check_transition("requirement", "draft", "submitted")
    check_transition("requirement", "approved", "partly_met")
    check_transition("pledge", "pledge", "commitment")
    with pytest.raises(IllegalTransition):
        check_transition("pledge", "disbursed", "pledge")
    with pytest.raises(IllegalTransition):
        check_transition("requirement", "met", "approved")


def _offer(**changes):
    values = dict(donor_code="DEU", external_id="OF-1", item_type_code="PZH2000", quantity=4,
                  available_from=date(2026, 1, 1), origin="DEU")  # fmt: skip
    values.update(changes)
    return Offer(**values)


def test_an_offer_needs_a_positive_quantity():
    with pytest.raises(InvalidValue) as error:
        _offer(quantity=-3)
    assert error.value.field == "quantity"


def test_a_delivery_date_is_only_set_once_delivered():
    with pytest.raises(InvalidValue) as error:
        _offer(delivered_on=date(2026, 2, 1))
    assert error.value.field == "delivered_on"
    assert _offer(status="delivered", delivered_on=date(2026, 2, 1)).delivered_on
