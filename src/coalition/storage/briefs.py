"""Stored ministerial briefs: the figures each showed, per audience (see tables.briefs).

A brief is read back only by the audience it was made for, so comparing with "the previous
brief" never shows a reader figures computed for a wider view than its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from coalition.domain.access import Principal
from coalition.storage.tables import briefs

if TYPE_CHECKING:
    from coalition.storage.unit_of_work import UnitOfWork

BRIEF_ENTITY = "brief"


def audience_of(principal: Principal) -> str:
    """Who may read a brief made for `principal`: the staff's view, one donor's, or a role's."""
    if principal.sees_all:
        return "staff"
    if principal.donor_code is not None:
        return f"donor:{principal.donor_code}"
    return str(principal.role)


class BriefStore:
    def __init__(self, uow: UnitOfWork) -> None:
        self.connection = uow.connection
        self.audience = audience_of(uow.principal)

    def insert(self, record: Mapping[str, Any]) -> int:
        values = {**record, "audience": self.audience}
        inserted = self.connection.execute(briefs.insert().values(**values)).inserted_primary_key
        assert inserted is not None
        return int(inserted[0])

    def latest(self) -> dict[str, Any] | None:
        """The newest brief made for this audience."""
        query = (
            select(briefs)
            .where(briefs.c.audience == self.audience)
            .order_by(briefs.c.id.desc())
            .limit(1)
        )
        row = self.connection.execute(query).mappings().first()
        return None if row is None else dict(row)
