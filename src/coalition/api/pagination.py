"""Cursor pagination over a registry's matching records, in a stable order.

A cursor is opaque to clients: base64 of the sort it was made for and the last record's sort
value and key, written as their spreadsheet text. The next page holds the records strictly
after that position (the service seeks to it in the database: `ledger.seek_page`), so a page
never repeats or skips a record that did not change between requests, even when records are
added before it. Rows are ordered by (sort column, key): the key breaks ties, so the order is
total.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from coalition.api.problems import ApiProblem
from coalition.registries.kinds import Kind
from coalition.services import ledger


def _names(kind: Kind, sort: str | None) -> list[str]:
    return ([sort.removeprefix("-")] if sort else []) + list(kind.key)


def encode(kind: Kind, sort: str | None, row: dict[str, Any]) -> str:
    """The cursor of the page after `row`."""
    texts = ledger.shown_row(kind.name, row)
    values = [None if row[n] is None else texts[n] for n in _names(kind, sort)]
    raw = json.dumps({"sort": sort, "after": values}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(kind: Kind, sort: str | None, cursor: str) -> list[Any]:
    """The position a cursor names (sort value then key values, as stored); 422 if it is not
    one of ours or was made for another sort."""

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
    names = _names(kind, sort)
    values = data["after"]
    if not isinstance(values, list) or len(values) != len(names):
        raise refuse("not a cursor from next_cursor")
    typed: list[Any] = []
    for index, (name, text) in enumerate(zip(names, values, strict=True)):
        if text is None and (index > 0 or not sort):  # key values are never blank
            raise refuse("not a cursor from next_cursor")
        if text is not None and not isinstance(text, str):
            raise refuse("not a cursor from next_cursor")
        column_type = kind.column(name).type
        try:
            typed.append(None if text is None else column_type.to_db(column_type.parse(text)))
        except ValueError:  # CellError: a value this column cannot hold
            raise refuse("not a cursor from next_cursor") from None
    return typed


def offset_of(prefix: str, cursor: str | None) -> int:
    """The offset an offset cursor names (lists a service pages by offset, newest first:
    plans); 0 without one; 422 for a cursor that is not one of this list's."""
    if cursor is None:
        return 0
    try:
        text = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode()
        head = f"{prefix}:"
        if text.startswith(head) and text[len(head) :].isdigit():
            return int(text[len(head) :])
    except (ValueError, binascii.Error, UnicodeError):
        pass
    raise ApiProblem(422, "cursor: not a cursor from next_cursor", [("cursor", "not a cursor")])


def offset_cursor(prefix: str, offset: int) -> str:
    """The cursor of the page starting at `offset`: clients treat every list the same way."""
    return base64.urlsafe_b64encode(f"{prefix}:{offset}".encode()).decode().rstrip("=")


def offset_page(prefix: str, offset: int, items: list[Any], total: int) -> dict[str, Any]:
    """A page of an offset-paged list: its items, the next page's cursor (None at the end)
    and how many the reader may see in all."""
    following = offset + len(items)
    return {
        "items": items,
        "next_cursor": offset_cursor(prefix, following) if following < total else None,
        "total": total,
    }
