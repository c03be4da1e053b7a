"""Generic reads and writes for any registry Kind, an array of rows at a time.

This is the one door to the registry tables: every read passes the principal's visibility
filter (`storage.visibility`), so no interface can show a row the filter hides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, case, false, func, or_, select

from coalition.registries.kinds import Kind
from coalition.storage.bulk import insert_rows
from coalition.storage.tables import table_of
from coalition.storage.visibility import visible

if TYPE_CHECKING:
    from coalition.storage.unit_of_work import UnitOfWork


class Repository:
    def __init__(self, uow: UnitOfWork, kind: Kind) -> None:
        self.connection = uow.connection
        self.principal = uow.principal
        self.kind = kind
        self.table = table_of(kind.table_name)

    def _visible(self) -> Any:
        return visible(self.principal, self.kind.entity, self.table, self.kind.owner)

    def _select(self) -> Select[Any]:
        return select(self.table).where(self._visible())

    def totals(
        self,
        group_by: Sequence[str],
        sum_of: str,
        within: Mapping[str, Sequence[Any]] | None = None,
    ) -> list[tuple[Any, ...]]:
        """(group values..., sum of `sum_of`, row count) per group, over the visible rows."""
        rows = self._filtered(None, within).subquery(self.table.name)
        groups = [rows.c[name] for name in group_by]
        query = select(*groups, func.sum(rows.c[sum_of]), func.count()).group_by(*groups)
        return [tuple(row) for row in self.connection.execute(query)]

    def totals_across_owners(self, group_by: Sequence[str], sum_of: str) -> list[tuple[Any, ...]]:
        """(group values..., sum, row count, owning donors) per group over every record of an
        owned kind, whoever may read them one by one: the input of an aggregate that the
        service shows or withholds by `domain.access.aggregate_floor` (never the rows)."""
        owner = self.kind.owner
        if owner is None:
            return [(*row, frozenset()) for row in self.totals(group_by, sum_of)]
        groups = [self.table.c[name] for name in group_by]
        query = select(
            *groups, self.table.c[owner], func.sum(self.table.c[sum_of]), func.count()
        ).group_by(*groups, self.table.c[owner])
        folded: dict[tuple[Any, ...], list[Any]] = {}
        for *group, who, total, count in self.connection.execute(query):
            entry = folded.setdefault(tuple(group), [0, 0, set()])
            entry[0] += total
            entry[1] += count
            entry[2].add(who)
        return [(*g, t, c, frozenset(o)) for g, (t, c, o) in folded.items()]

    def find_for_aggregate(self) -> list[dict[str, Any]]:
        """Every record, whoever may read it one by one: only for a service that computes an
        aggregate and shows the reader what `domain.access` lets it see of the result (the
        burden report's coalition totals). Never returned to an interface as records."""
        query = select(self.table).order_by(*(self.table.c[k] for k in self.kind.key))
        return [dict(row) for row in self.connection.execute(query).mappings()]

    def keys(self) -> set[str]:
        columns = [self.table.c[k] for k in self.kind.key]
        query = select(*columns).where(self._visible())
        return {":".join(str(v) for v in row) for row in self.connection.execute(query)}

    def rows_by_key(self) -> dict[str, dict[str, Any]]:
        result = self.connection.execute(self._select()).mappings()
        rows = [dict(row) for row in result]
        return {self.kind.key_of(row): row for row in rows}

    def get(self, key: str) -> dict[str, Any] | None:
        """The record with this key (`A:B` for composite keys), or None if absent or hidden."""
        parts = key.split(":")
        if len(parts) != len(self.kind.key):
            return None
        try:
            typed = [self._typed(k, v) for k, v in zip(self.kind.key, parts, strict=True)]
        except ValueError:
            return None
        conditions = [self.table.c[k] == v for k, v in zip(self.kind.key, typed, strict=True)]
        found = self.connection.execute(self._select().where(and_(*conditions))).mappings()
        row = found.first()
        return None if row is None else dict(row)

    def find(
        self,
        filters: Mapping[str, Any] | None = None,
        limit: int | None = None,
        offset: int = 0,
        within: Mapping[str, Sequence[Any]] | None = None,
    ) -> list[dict[str, Any]]:
        """Visible rows, in key order: `filters` match a value, `within` one of several."""
        query = self._filtered(filters, within)
        query = query.order_by(*(self.table.c[k] for k in self.kind.key))
        if limit is not None:
            query = query.limit(limit)
        if offset:
            query = query.offset(offset)
        return [dict(row) for row in self.connection.execute(query).mappings()]

    def find_page(
        self,
        filters: Mapping[str, Any],
        sort_column: str | None,
        descending: bool,
        after: Sequence[Any] | None,
        limit: int,
    ) -> list[dict[str, Any]]:
        """Up to `limit` visible rows in (sort column, key) order, strictly after the position
        `after` (the sort value, then the key values, as stored), by keyset: the database
        seeks to the position instead of reading every earlier row. Blank sort values come
        first ascending (last descending); the key breaks ties, so the order is total."""
        order: list[ColumnElement[Any]] = []
        if sort_column is not None:
            column = self.table.c[sort_column]
            order += [case((column.is_(None), 0), else_=1), column]
        order += [self.table.c[k] for k in self.kind.key]
        query = self._filtered(filters, None)
        if after is not None:
            query = query.where(self._beyond(order, sort_column is not None, after, descending))
        query = query.order_by(*(o.desc() if descending else o.asc() for o in order))
        return [dict(row) for row in self.connection.execute(query.limit(limit)).mappings()]

    @staticmethod
    def _beyond(
        order: Sequence[ColumnElement[Any]],
        sorted_by_column: bool,
        after: Sequence[Any],
        descending: bool,
    ) -> ColumnElement[bool]:
        """Rows lexicographically after (before, descending) the position, over `order`."""
        values = list(after)
        pairs: list[tuple[ColumnElement[Any], Any]] = []
        if sorted_by_column:
            sort_value = values.pop(0)
            pairs.append((order[0], 0 if sort_value is None else 1))
            # Among blank sort values the column compares equal: only the key decides.
            if sort_value is not None:
                pairs.append((order[1], sort_value))
            keys = order[2:]
        else:
            keys = order
        pairs += list(zip(keys, values, strict=True))
        condition: ColumnElement[bool] = false()
        for expression, value in reversed(pairs):
            step = expression < value if descending else expression > value
            condition = or_(step, and_(expression == value, condition))
        return condition

    def count(
        self,
        filters: Mapping[str, Any] | None = None,
        within: Mapping[str, Sequence[Any]] | None = None,
    ) -> int:
        query = (
            self._filtered(filters, within).with_only_columns(func.count()).select_from(self.table)
        )
        return int(self.connection.execute(query).scalar_one())

    def _filtered(
        self, filters: Mapping[str, Any] | None, within: Mapping[str, Sequence[Any]] | None
    ) -> Select[Any]:
        query = self._select()
        for name, value in (filters or {}).items():
            query = query.where(self.table.c[name] == value)
        for name, values in (within or {}).items():
            query = query.where(self.table.c[name].in_(list(values)))
        return query

    def insert(self, rows: Sequence[Mapping[str, Any]]) -> None:
        insert_rows(self.connection, self.table, rows)

    def update(self, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        key_match = [self.table.c[k] == bindparam(f"key_{k}") for k in self.kind.key]
        values: dict[str, Any] = {
            c.name: bindparam(f"new_{c.name}")
            for c in self.kind.columns
            if c.name not in self.kind.key
        }
        params = [
            {
                **{f"key_{k}": row[k] for k in self.kind.key},
                **{f"new_{name}": row[name] for name in values},
            }
            for row in rows
        ]
        # Every update moves the row version on: what an ETag / If-Match compares.
        values["version"] = self.table.c.version + 1
        statement = self.table.update().where(and_(*key_match)).values(values)
        self.connection.execute(statement, params)

    def update_if_version(self, row: Mapping[str, Any], expected_version: int) -> bool:
        """Update one row only if it is still at `expected_version`; False if it moved on.

        The check and the write are one statement, so of two concurrent editors of the same
        version exactly one wins."""
        key_match = [self.table.c[k] == row[k] for k in self.kind.key]
        values: dict[str, Any] = {
            c.name: row[c.name] for c in self.kind.columns if c.name not in self.kind.key
        }
        values["version"] = self.table.c.version + 1
        statement = (
            self.table.update()
            .where(and_(*key_match), self.table.c.version == expected_version, self._visible())
            .values(values)
        )
        return bool(self.connection.execute(statement).rowcount == 1)

    def _typed(self, column: str, text: str) -> Any:
        column_type = self.kind.column(column).type
        return column_type.to_db(column_type.parse(text))
