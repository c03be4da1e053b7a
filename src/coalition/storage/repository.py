"""Generic reads and writes for any registry Kind, an array of rows at a time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, and_, bindparam, select

from coalition.io.kinds import Kind
from coalition.storage.bulk import insert_rows


class Repository:
    def __init__(self, connection: Connection, kind: Kind) -> None:
        self.connection = connection
        self.kind = kind
        self.table = kind.table

    def keys(self) -> set[str]:
        columns = [self.table.c[k] for k in self.kind.key]
        return {":".join(str(v) for v in row) for row in self.connection.execute(select(*columns))}

    def rows_by_key(self) -> dict[str, dict[str, Any]]:
        result = self.connection.execute(select(self.table)).mappings()
        return {self.kind.key_of(row): dict(row) for row in result}

    def get(self, key: str) -> dict[str, Any] | None:
        parts = key.split(":")
        if len(parts) != len(self.kind.key):
            return None
        conditions = [
            self.table.c[k] == self._typed(k, v) for k, v in zip(self.kind.key, parts, strict=True)
        ]
        row = self.connection.execute(select(self.table).where(and_(*conditions))).mappings()
        found = row.first()
        return None if found is None else dict(found)

    def list(self, filters: Mapping[str, Any], limit: int | None = None) -> list[dict[str, Any]]:
        query = select(self.table)
        for name, value in filters.items():
            query = query.where(self.table.c[name] == value)
        query = query.order_by(*(self.table.c[k] for k in self.kind.key))
        if limit is not None:
            query = query.limit(limit)
        return [dict(row) for row in self.connection.execute(query).mappings()]

    def insert(self, rows: Sequence[Mapping[str, Any]]) -> None:
        insert_rows(self.connection, self.table, rows)

    def update(self, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        key_match = [self.table.c[k] == bindparam(f"key_{k}") for k in self.kind.key]
        values = {
            c.name: bindparam(f"new_{c.name}")
            for c in self.kind.columns
            if c.name not in self.kind.key
        }
        statement = self.table.update().where(and_(*key_match)).values(values)
        params = [
            {
                **{f"key_{k}": row[k] for k in self.kind.key},
                **{f"new_{name}": row[name] for name in values},
            }
            for row in rows
        ]
        self.connection.execute(statement, params)

    def _typed(self, column: str, text: str) -> Any:
        column_type = self.kind.column(column).type
        return column_type.to_db(column_type.parse(text))
