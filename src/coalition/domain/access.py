"""Who is acting, and what they may read: the one visibility rule.

`read_scope` decides, for a principal and a kind of record, which records it may see; both the
storage filter (`storage/visibility.py`, SQL) and `may_see` (one record in memory) are derived
from it, so the CLI, API, imports, exports, plans and reports cannot disagree.

- Admins, coordinators and auditors see every record.
- A donor's desk officer sees its own donor's offers and pledges, never another donor's; other
  records when their marking releases them to everyone or to that donor.
- Ukraine's recipient staff see requirements, fleet and reference data, and offers whose
  marking releases them (NATO UNCLASSIFIED or REL TO UKR); never a donor's money.
- Analysts see reference data and requirements released to everyone; donors' offers and
  pledges only as aggregates.
- Plans (allocation and logistics) and jobs name donors' offers: coordination staff, admins and
  auditors only.
- Shipments (and their events, visible exactly when their shipment is) are owned by the donor
  of the offer they carry: staff and auditors see all; a donor's desk officer its own donor's
  shipments, never another donor's (404, as for any hidden record); Ukraine's recipient staff
  the shipments released to them (NATO UNCLASSIFIED or REL TO UKR: every shipment goes to
  Ukraine, so "to them" is the marking's release); analysts none in detail (owned records),
  only the delivered figures in coverage aggregates. This is `read_scope` for an owned
  entity, with no special case (`SHIPMENT_ENTITY`).
- Who may report a tracking event (`may_report_event`): staff any event; the owning donor any
  event of its own shipments; Ukraine's recipient staff the events seen on arrival
  (`RECIPIENT_REPORTS`: crossed the border, delivered, received) of shipments they see.
  Creating a shipment is `may_write` for the entity "shipment" (staff, the owning donor).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from coalition.domain import checks
from coalition.domain.errors import InvalidValue
from coalition.domain.markings import UKRAINE, parse_marking


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    DONOR = "donor"
    RECIPIENT = "recipient"
    ANALYST = "analyst"
    AUDITOR = "auditor"


# Roles that see every record (auditors read only: writes check `may_write`).
SEES_ALL = frozenset({Role.ADMIN, Role.COORDINATOR, Role.AUDITOR})
# Records that name donors' offers and are for coordination staff only.
STAFF_ONLY_ENTITIES = frozenset({"plan", "logistics_plan", "training_plan", "job", "user"})
# Donors' money: never shown to Ukraine's staff as records.
MONEY_ENTITIES = frozenset({"pledge"})
# Shipments belong to the donor of their offer (storage filters them by that owner column).
SHIPMENT_ENTITY = "shipment"
# The tracking events Ukraine's recipient staff report (what they see when goods arrive).
RECIPIENT_REPORTS = frozenset({"crossed_border", "delivered", "received"})
# What Ukraine's recipient staff may write: what Ukraine itself knows and reports.
UKRAINE_WRITES = frozenset({"requirement", "fleet", "fleet_status", "cohort"})
# The smallest number of donors an aggregate shown to a restricted principal may draw on.
MIN_DONORS_IN_AGGREGATE = 3


@dataclass(frozen=True, slots=True)
class Principal:
    """The acting user, their role, and the donor a donor desk officer speaks for."""

    user: str
    role: Role = Role.COORDINATOR
    donor_code: str | None = None

    def __post_init__(self) -> None:
        checks.text("user", self.user, max_length=200)
        if (self.role is Role.DONOR) != (self.donor_code is not None):
            raise InvalidValue(
                "donor_code", self.donor_code, "a donor user speaks for exactly one donor"
            )

    @property
    def sees_all(self) -> bool:
        return self.role in SEES_ALL


@dataclass(frozen=True, slots=True)
class ReadScope:
    """Which records of one kind a principal may read.

    everything: no restriction. nothing: none at all. Otherwise a record is visible when it is
    owned by `own_donor`, or when `others` allows records not owned by the principal and its
    marking is NATO UNCLASSIFIED or a REL TO naming `release_code`.
    """

    everything: bool = False
    nothing: bool = False
    own_donor: str | None = None
    others: bool = True
    release_code: str | None = None


def read_scope(principal: Principal, entity: str, owned: bool) -> ReadScope:
    """The rule. `owned`: records of this kind belong to one donor (offers, pledges)."""
    if principal.sees_all:
        return ReadScope(everything=True)
    if entity in STAFF_ONLY_ENTITIES:
        return ReadScope(nothing=True)
    if principal.role is Role.DONOR:
        return ReadScope(own_donor=principal.donor_code, others=not owned,
                         release_code=principal.donor_code)  # fmt: skip
    if principal.role is Role.RECIPIENT:
        if entity in MONEY_ENTITIES:
            return ReadScope(nothing=True)
        return ReadScope(release_code=UKRAINE)
    # Analysts: aggregates only for donors' records; released reference data and needs.
    return ReadScope(nothing=True) if owned else ReadScope()


def may_see(principal: Principal, entity: str, owner_donor: str | None, marking: str) -> bool:
    """`read_scope` applied to one record in memory (the storage filter applies it in SQL)."""
    scope = read_scope(principal, entity, owner_donor is not None)
    if scope.everything:
        return True
    if scope.nothing:
        return False
    if scope.own_donor is not None and owner_donor == scope.own_donor:
        return True
    if not scope.others:
        return False
    released = parse_marking(marking)
    return released.open_to_all or (
        scope.release_code is not None and scope.release_code in released.released_to
    )


def may_write(principal: Principal, entity: str, owner_donor: str | None) -> bool:
    """Admins and coordinators change any record; a donor its own offers and pledges; Ukraine's
    staff what Ukraine itself knows: requirements, fleet, fleet status and the cohorts it sends
    to training; analysts and auditors read only."""
    if principal.role in (Role.ADMIN, Role.COORDINATOR):
        return True
    if principal.role is Role.DONOR:
        return owner_donor is not None and owner_donor == principal.donor_code
    if principal.role is Role.RECIPIENT:
        return entity in UKRAINE_WRITES
    return False


def may_report_event(principal: Principal, owner_donor: str, kind: str) -> bool:
    """Whether `principal` may report a tracking event of `kind` on a shipment of
    `owner_donor` that it can see (visibility is checked first, by `read_scope`)."""
    if principal.role in (Role.ADMIN, Role.COORDINATOR):
        return True
    if principal.role is Role.DONOR:
        return owner_donor == principal.donor_code
    if principal.role is Role.RECIPIENT:
        return kind in RECIPIENT_REPORTS
    return False


def may_report_any(principal: Principal) -> bool:
    """Whether `principal` reports tracking events at all (analysts and auditors read only):
    a capture of a partner's document by one who never may is refused as a whole."""
    return principal.role in (Role.ADMIN, Role.COORDINATOR, Role.DONOR, Role.RECIPIENT)


def may_approve_drafts(principal: Principal) -> bool:
    """Derived drafts (sustainment requirements) become requirements only when coordination
    staff approve them: Ukraine states its own needs by writing requirements directly."""
    return principal.role in (Role.ADMIN, Role.COORDINATOR)


def may_verify_log(principal: Principal) -> bool:
    """Verifying the change log replays every record and names the ones that differ, so it is
    for those who see every record (staff and auditors). Anyone may read the log's head (its
    last hash and length) to record it and have it checked later."""
    return principal.sees_all


def aggregate_floor(principal: Principal) -> int:
    """How many distinct donors an aggregate must draw on before this principal sees it."""
    return 1 if principal.sees_all else MIN_DONORS_IN_AGGREGATE


def may_see_aggregate(principal: Principal, donors: frozenset[str]) -> bool:
    """An aggregate of donors' records: staff see all; others only one drawn on at least
    `MIN_DONORS_IN_AGGREGATE` donors, or on none but themselves."""
    if principal.sees_all or not donors:
        return True
    if principal.donor_code is not None and donors == {principal.donor_code}:
        return True
    return len(donors) >= aggregate_floor(principal)
