"""Stored shipments and their events, read through the principal's filter.

A shipment is owned by the donor of its offer (`donor_code`), so `storage/visibility.py`
applies `domain.access.read_scope` for the entity "shipment" with that owner column; an event
is visible exactly when its shipment is (every event read joins its shipment's filter).
Events are appended, never changed: recording one moves its shipment's version on, which is
the shipment's ETag.

Two reads are unfiltered, each named for the rule it serves and never returned to an
interface as records: `for_offer_rule` (an offer's lifecycle follows all of its shipments)
and `tracked_offers_across_owners` (coverage, an aggregate that the coverage service shows or
withholds by `domain.access.may_see_aggregate`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, and_, func, select

from coalition.domain.tracking import EventKind
from coalition.storage.bulk import insert_rows
from coalition.storage.tables import offers, shipment_events, shipments
from coalition.storage.visibility import visible

if TYPE_CHECKING:
    from coalition.storage.unit_of_work import UnitOfWork

SHIPMENT_ENTITY = "shipment"
SHIPMENT_EVENT_ENTITY = "shipment_event"
OWNER_COLUMN = "donor_code"
FILTERABLE = ("donor_code", "external_id", "requirement_ref", "recipient_code", "origin",
              "destination")  # fmt: skip


class ShipmentStore:
    def __init__(self, uow: UnitOfWork) -> None:
        self.connection = uow.connection
        self.principal = uow.principal

    def _visible(self) -> ColumnElement[bool]:
        return visible(self.principal, SHIPMENT_ENTITY, shipments, OWNER_COLUMN)

    def _select(self) -> Select[Any]:
        return select(shipments).where(self._visible())

    def _filtered(self, filters: Mapping[str, Any]) -> Select[Any]:
        query = self._select()
        for name, value in filters.items():
            query = query.where(shipments.c[name] == value)
        return query

    # --- shipments -----------------------------------------------------------------------

    def get(self, shipment_id: str) -> dict[str, Any] | None:
        query = self._select().where(shipments.c.shipment_id == shipment_id)
        row = self.connection.execute(query).mappings().first()
        return None if row is None else dict(row)

    def exists_anywhere(self, shipment_id: str) -> bool:
        """Whether the id is taken, whoever may see it: ids are unique across donors. A
        service refusing a taken id says only that it is taken, never whose it is."""
        query = select(func.count()).where(shipments.c.shipment_id == shipment_id)
        return bool(self.connection.execute(query).scalar_one())

    def find(
        self, filters: Mapping[str, Any], limit: int | None = None, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Visible shipments matching `filters` (column = value), in id order."""
        query = self._filtered(filters).order_by(shipments.c.shipment_id)
        if limit is not None:
            query = query.limit(limit)
        if offset:
            query = query.offset(offset)
        return [dict(r) for r in self.connection.execute(query).mappings()]

    def find_after(
        self, filters: Mapping[str, Any], after: str | None, limit: int
    ) -> list[dict[str, Any]]:
        """Up to `limit` visible shipments with an id after `after` (keyset), in id order."""
        query = self._filtered(filters)
        if after is not None:
            query = query.where(shipments.c.shipment_id > after)
        query = query.order_by(shipments.c.shipment_id).limit(limit)
        return [dict(r) for r in self.connection.execute(query).mappings()]

    def count(self, filters: Mapping[str, Any]) -> int:
        query = self._filtered(filters).with_only_columns(func.count()).select_from(shipments)
        return int(self.connection.execute(query).scalar_one())

    def insert(self, row: Mapping[str, Any]) -> None:
        self.connection.execute(shipments.insert().values(**row))

    def touch(self, shipment_id: str) -> None:
        """Move the shipment's version on (an event was recorded: its timeline changed)."""
        self.connection.execute(
            shipments.update()
            .where(shipments.c.shipment_id == shipment_id)
            .values(version=shipments.c.version + 1)
        )

    def for_offer_rule(self, donor_code: str, external_id: str) -> list[dict[str, Any]]:
        """Every shipment of one offer with its receipt (units received, None while not
        received), whoever may read them: the offer's lifecycle follows all its shipments."""
        received = self._receipts().subquery()
        query = (
            select(shipments, received.c.received)
            .select_from(shipments.outerjoin(received, received.c.shipment_id
                                             == shipments.c.shipment_id))
            .where(shipments.c.donor_code == donor_code, shipments.c.external_id == external_id)
            .order_by(shipments.c.shipment_id)
        )  # fmt: skip
        return [dict(r) for r in self.connection.execute(query).mappings()]

    def offer_row(self, donor_code: str, external_id: str) -> dict[str, Any] | None:
        """The offer a shipment carries, whoever may read it (for the lifecycle rule)."""
        query = select(offers).where(
            offers.c.donor_code == donor_code, offers.c.external_id == external_id
        )
        row = self.connection.execute(query).mappings().first()
        return None if row is None else dict(row)

    def shipped_of_offer(self, donor_code: str, external_id: str) -> int:
        """Units already put on shipments of one offer, whoever may read them."""
        query = select(func.coalesce(func.sum(shipments.c.quantity), 0)).where(
            shipments.c.donor_code == donor_code, shipments.c.external_id == external_id
        )
        return int(self.connection.execute(query).scalar_one())

    # --- events --------------------------------------------------------------------------

    def events(self, shipment_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """The events of visible shipments, each shipment's in the order recorded."""
        found: dict[str, list[dict[str, Any]]] = {sid: [] for sid in shipment_ids}
        if not shipment_ids:
            return found
        query = (
            select(shipment_events)
            .join(shipments, shipments.c.shipment_id == shipment_events.c.shipment_id)
            .where(self._visible(), shipment_events.c.shipment_id.in_(list(shipment_ids)))
            .order_by(shipment_events.c.shipment_id, shipment_events.c.id)
        )
        for row in self.connection.execute(query).mappings():
            found[row["shipment_id"]].append(dict(row))
        return found

    def events_between(self, start: datetime | None, end: datetime | None) -> list[dict[str, Any]]:
        """Events of visible shipments with `start <= time < end`, in time order."""
        query = (
            select(shipment_events)
            .join(shipments, shipments.c.shipment_id == shipment_events.c.shipment_id)
            .where(self._visible())
        )
        if start is not None:
            query = query.where(shipment_events.c.time >= start)
        if end is not None:
            query = query.where(shipment_events.c.time < end)
        query = query.order_by(shipment_events.c.time, shipment_events.c.id)
        return [dict(r) for r in self.connection.execute(query).mappings()]

    def events_for_rule(self, shipment_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """The events of the given shipments, whoever may read them (the offer's lifecycle
        rule reads all of an offer's shipments), each shipment's in the order recorded."""
        found: dict[str, list[dict[str, Any]]] = {sid: [] for sid in shipment_ids}
        if not shipment_ids:
            return found
        query = (
            select(shipment_events)
            .where(shipment_events.c.shipment_id.in_(list(shipment_ids)))
            .order_by(shipment_events.c.shipment_id, shipment_events.c.id)
        )
        for row in self.connection.execute(query).mappings():
            found[row["shipment_id"]].append(dict(row))
        return found

    def add_events(self, rows: Sequence[Mapping[str, Any]]) -> None:
        insert_rows(self.connection, shipment_events, rows)

    # --- aggregates ----------------------------------------------------------------------

    def _receipts(self) -> Select[Any]:
        return select(
            shipment_events.c.shipment_id, shipment_events.c.quantity.label("received")
        ).where(shipment_events.c.kind == EventKind.RECEIVED.value)

    def tracked_offers_across_owners(self) -> list[dict[str, Any]]:
        """Per offer with at least one received shipment, over every donor's shipments: its
        item type, status, quantity and owner, units received and units lost (shipped on a
        received shipment but not received). The input of coverage, an aggregate."""
        received = self._receipts().subquery()
        per_offer = (
            select(
                shipments.c.donor_code,
                shipments.c.external_id,
                func.sum(received.c.received).label("received"),
                func.sum(shipments.c.quantity - received.c.received).label("lost"),
            )
            .select_from(
                shipments.join(received, received.c.shipment_id == shipments.c.shipment_id)
            )
            .group_by(shipments.c.donor_code, shipments.c.external_id)
            .subquery()
        )
        query = select(
            offers.c.donor_code,
            offers.c.external_id,
            offers.c.item_type_code,
            offers.c.status,
            offers.c.quantity,
            per_offer.c.received,
            per_offer.c.lost,
        ).select_from(
            offers.join(
                per_offer,
                and_(
                    per_offer.c.donor_code == offers.c.donor_code,
                    per_offer.c.external_id == offers.c.external_id,
                ),
            )
        )
        return [dict(r) for r in self.connection.execute(query).mappings()]
