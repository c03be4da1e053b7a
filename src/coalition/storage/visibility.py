"""The read filter: `domain.access.may_see` as a query condition, applied by every repository.

Nothing else in the code base decides what a principal may read. Today the domain rule lets
every principal see every record, so the filter adds no condition.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, true

from coalition.domain.access import Principal, may_see


def visible(principal: Principal, entity: str, table: Table) -> ColumnElement[bool]:
    """The condition selecting the rows of `table` that `principal` may see."""
    del table
    # Until a rule depends on the row, the decision for "any record" is the decision for all.
    return true() if may_see(principal, entity, None) else ~true()
