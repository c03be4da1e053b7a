"""Lifecycles of requirements, offers and pledges: the only legal status changes, and what each
status means to the rest of the system (coverage, planning, burden-sharing)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from coalition.domain.errors import IllegalTransition


class RequirementStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PARTLY_MET = "partly_met"
    MET = "met"
    CANCELLED = "cancelled"


class OfferStatus(StrEnum):
    OFFERED = "offered"
    ACCEPTED = "accepted"
    COMMITTED = "committed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    OPERATIONAL = "operational"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class PledgeStatus(StrEnum):
    PLEDGE = "pledge"
    COMMITMENT = "commitment"
    DISBURSED = "disbursed"


_R = RequirementStatus
_O = OfferStatus
_P = PledgeStatus

REQUIREMENT_TRANSITIONS: dict[StrEnum, tuple[StrEnum, ...]] = {
    _R.DRAFT: (_R.SUBMITTED, _R.CANCELLED),
    _R.SUBMITTED: (_R.APPROVED, _R.DRAFT, _R.CANCELLED),
    _R.APPROVED: (_R.PARTLY_MET, _R.MET, _R.CANCELLED),
    _R.PARTLY_MET: (_R.MET, _R.CANCELLED),
    _R.MET: (),
    _R.CANCELLED: (),
}

# An offer can be declined or withdrawn until it has left the donor's depot.
OFFER_TRANSITIONS: dict[StrEnum, tuple[StrEnum, ...]] = {
    _O.OFFERED: (_O.ACCEPTED, _O.DECLINED, _O.WITHDRAWN),
    _O.ACCEPTED: (_O.COMMITTED, _O.WITHDRAWN, _O.DECLINED),
    _O.COMMITTED: (_O.SHIPPED, _O.WITHDRAWN),
    _O.SHIPPED: (_O.DELIVERED,),
    _O.DELIVERED: (_O.OPERATIONAL,),
    _O.OPERATIONAL: (),
    _O.DECLINED: (),
    _O.WITHDRAWN: (),
}

PLEDGE_TRANSITIONS: dict[StrEnum, tuple[StrEnum, ...]] = {
    _P.PLEDGE: (_P.COMMITMENT,),
    _P.COMMITMENT: (_P.DISBURSED,),
    _P.DISBURSED: (),
}

TRANSITIONS: dict[str, dict[StrEnum, tuple[StrEnum, ...]]] = {
    "requirement": REQUIREMENT_TRANSITIONS,
    "offer": OFFER_TRANSITIONS,
    "pledge": PLEDGE_TRANSITIONS,
}


def reachable(entity: str, current: str, requested: str) -> bool:
    """True when `requested` can be reached from `current` by legal steps (imports may skip)."""
    table = TRANSITIONS[entity]
    by_value = {state.value: state for state in table}
    frontier, seen = [by_value[current]], set()
    while frontier:
        state = frontier.pop()
        if state.value == requested:
            return True
        if state in seen:
            continue
        seen.add(state)
        frontier.extend(table[state])
    return False


def check_transition(
    entity: str, current: str, requested: str, *, allow_skips: bool = False
) -> None:
    """Raise IllegalTransition unless `current → requested` is a legal change.

    A step-by-step change (CLI) must be one edge of the graph; a bulk import may move a record
    several legal steps at once (offered → shipped), but never backwards or out of a final state.
    """
    table = TRANSITIONS[entity]
    by_value = {state.value: state for state in table}
    if current == requested:
        return
    allowed = tuple(s.value for s in table[by_value[current]])
    ok = requested in allowed or (allow_skips and reachable(entity, current, requested))
    if not ok:
        raise IllegalTransition(entity, current, requested, allowed)


# The date field a status change stamps, so money and deliveries carry their real dates.
STAMPED_ON: dict[tuple[str, str], str] = {
    ("offer", OfferStatus.DELIVERED.value): "delivered_on",
    ("pledge", PledgeStatus.DISBURSED.value): "disbursed_on",
}


@dataclass(frozen=True, slots=True)
class OfferMeaning:
    """What an offer in one status stands for; every module that reads offer statuses asks this.

    alive: still on its way to Ukraine or there (not declined or withdrawn);
    open: on the table for planning (offered, no answer yet);
    accepted: Ukraine has said yes (accepted or any later step);
    committed: the donor is bound (committed or any later step);
    arrived: it has reached Ukraine (delivered or operational).
    """

    alive: bool
    open: bool
    accepted: bool
    committed: bool
    arrived: bool


_M = OfferMeaning
OFFER_MEANING: dict[OfferStatus, OfferMeaning] = {
    _O.OFFERED: _M(alive=True, open=True, accepted=False, committed=False, arrived=False),
    _O.ACCEPTED: _M(alive=True, open=False, accepted=True, committed=False, arrived=False),
    _O.COMMITTED: _M(alive=True, open=False, accepted=True, committed=True, arrived=False),
    _O.SHIPPED: _M(alive=True, open=False, accepted=True, committed=True, arrived=False),
    _O.DELIVERED: _M(alive=True, open=False, accepted=True, committed=True, arrived=True),
    _O.OPERATIONAL: _M(alive=True, open=False, accepted=True, committed=True, arrived=True),
    _O.DECLINED: _M(alive=False, open=False, accepted=False, committed=False, arrived=False),
    _O.WITHDRAWN: _M(alive=False, open=False, accepted=False, committed=False, arrived=False),
}


def offer_meaning(status: str) -> OfferMeaning:
    return OFFER_MEANING[OfferStatus(status)]


def offer_statuses(**wanted: bool) -> tuple[str, ...]:
    """The statuses whose meaning matches, e.g. `offer_statuses(alive=True)`, for queries."""
    return tuple(
        status.value
        for status, meaning in OFFER_MEANING.items()
        if all(getattr(meaning, name) == value for name, value in wanted.items())
    )
