"""Rendering for the CLI: Rich tables for people, JSON for programs, one-line errors.

Everything shown is plain text: donor names, keys, user names and cell values reach the
terminal as they are, never as Rich markup (a name like ``[/]`` or ``[bold]x`` is just text).
Style is given as ``rich.text.Text`` objects, never by formatting markup into a string.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

# Off a terminal (logs, CI, pipes) Rich would assume 80 columns and fold every table.
_WIDTH = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS") or 160)
console = Console(width=_WIDTH)
errors = Console(stderr=True, width=_WIDTH)


def as_json(value: Any) -> None:
    print(json.dumps(value, default=str, indent=2, ensure_ascii=False))


def plain(value: Any) -> Text:
    """A value as literal text (a ``Text`` passes through with its style)."""
    if isinstance(value, Text):
        return value
    return Text("" if value is None else str(value))


def table(
    title: str | Text,
    rows: Sequence[Mapping[str, Any]],
    columns: Iterable[str] | None = None,
    right: Iterable[str] = (),
) -> None:
    names = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    aligned = set(right)
    out = Table(title=plain(title), show_lines=False, header_style="bold")
    for name in names:
        out.add_column(plain(name), justify="right" if name in aligned else "left", overflow="fold")
    for row in rows:
        out.add_row(*(plain(row.get(n)) for n in names))
    console.print(out)


def say(message: str | Text) -> None:
    console.print(plain(message), soft_wrap=True, highlight=False, markup=False)


def note(message: str | Text) -> None:
    """A side remark on stderr, so that --json output on stdout stays parseable."""
    errors.print(plain(message), soft_wrap=True, highlight=False, markup=False)


def fail(message: str) -> None:
    line = Text.assemble(("error:", "bold red"), " ", message)
    errors.print(line, highlight=False, soft_wrap=True, markup=False)
