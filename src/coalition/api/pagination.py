"""Cursor pagination over a registry's matching records, in a stable order.

A cursor is opaque to clients: base64 of the sort it was made for and the last record's sort
value and key, written as their spreadsheet text. The next page holds the records strictly
after that position, so a page never repeats or skips a record that did not change between
requests, even when records are added before it. Rows are ordered by (sort column, key): the
key breaks ties, so the order is total.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any

from coalition.api.problems import ApiProblem
from coalition.registries.kinds import Kind
from coalition.services import ledger

Position = tuple[Any, ...]


def _sortable(value: Any) -> tuple[bool, Any]:
    # Blank cells sort first (ascending); (False, None) never compares None with a value.
    return (value is not None, value)


def position(kind: Kind, sort_column: str | None, row: dict[str, Any]) -> Position:
    first = (_sortable(row[sort_column]),) if sort_column else ()
    return (*first, *(_sortable(row[k]) for k in kind.key))


def encode(kind: Kind, sort: str | None, sort_column: str | None, row: dict[str, Any]) -> str:
    texts = ledger.shown_row(kind.name, row)
    names = ([sort_column] if sort_column else []) + list(kind.key)
    values = [None if row[n] is None else texts[n] for n in names]
    raw = json.dumps({"sort": sort, "after": values}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(kind: Kind, sort: str | None, sort_column: str | None, cursor: str) -> Position:
    def refuse(reason: str) -> ApiProblem:
        return ApiProblem(422, f"cursor: {reason}", [("cursor", reason)])

    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        raise refuse("not a cursor from next_cursor") from None
    if not isinstance(data, dict) or set(data) != {"sort", "after"}:
        raise refuse("not a cursor from next_cursor")
    if data["sort"] != sort:
        raise refuse("made for another sort order: keep the same sort while paging")
    names = ([sort_column] if sort_column else []) + list(kind.key)
    values = data["after"]
    if not isinstance(values, list) or len(values) != len(names):
        raise refuse("not a cursor from next_cursor")
    typed = []
    for name, text in zip(names, values, strict=True):
        if text is not None and not isinstance(text, str):
            raise refuse("not a cursor from next_cursor")
        column_type = kind.column(name).type
        try:
            typed.append(None if text is None else column_type.to_db(column_type.parse(text)))
        except ValueError:  # CellError: a value this column cannot hold
            raise refuse("not a cursor from next_cursor") from None
    return tuple(_sortable(v) for v in typed)


def page(
    kind: Kind,
    rows: Sequence[dict[str, Any]],
    sort: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    """The page of `rows` after `cursor` in `sort` order, and the cursor of the next page."""
    descending = bool(sort and sort.startswith("-"))
    sort_column = sort.lstrip("-") if sort else None
    ordered = sorted(rows, key=lambda r: position(kind, sort_column, r), reverse=descending)
    if cursor is not None:
        after = decode(kind, sort, sort_column, cursor)
        if descending:
            ordered = [r for r in ordered if position(kind, sort_column, r) < after]
        else:
            ordered = [r for r in ordered if position(kind, sort_column, r) > after]
    chosen = ordered[:limit]
    more = len(ordered) > limit
    next_cursor = encode(kind, sort, sort_column, chosen[-1]) if more and chosen else None
    return chosen, next_cursor
