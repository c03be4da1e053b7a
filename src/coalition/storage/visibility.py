"""The read filter: `domain.access.read_scope` as a query condition, applied by every repository.

Nothing else in the code base decides what a principal may read. Markings are stored in their
canonical spelling (`REL TO A;B`, codes sorted), so a code is matched between `;` delimiters.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, and_, false, func, literal, or_, true

from coalition.domain.access import Principal, read_scope
from coalition.domain.markings import REL_TO_PREFIX, UNCLASSIFIED


def visible(
    principal: Principal, entity: str, table: Table, owner_column: str | None = None
) -> ColumnElement[bool]:
    """The condition selecting the rows of `table` that `principal` may see."""
    scope = read_scope(principal, entity, owner_column is not None)
    if scope.everything:
        return true()
    if scope.nothing:
        return false()
    conditions: list[ColumnElement[bool]] = []
    if scope.own_donor is not None and owner_column is not None:
        conditions.append(table.c[owner_column] == scope.own_donor)
    if scope.others and "marking" in table.c:
        marking = table.c["marking"]
        released = [marking == UNCLASSIFIED]
        if scope.release_code is not None:
            codes = literal(";") + _after_prefix(marking) + literal(";")
            released.append(
                and_(
                    marking.startswith(REL_TO_PREFIX),
                    codes.contains(f";{scope.release_code};", autoescape=True),
                )
            )
        conditions.append(or_(*released))
    elif scope.others:
        conditions.append(true())
    return or_(*conditions) if conditions else false()


def _after_prefix(marking: ColumnElement[str]) -> ColumnElement[str]:
    return func.substr(marking, len(REL_TO_PREFIX) + 1)
