"""Rendering for the CLI: Rich tables for people, JSON for programs, one-line errors."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

# Off a terminal (logs, CI, pipes) Rich would assume 80 columns and fold every table.
_WIDTH = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS") or 160)
console = Console(width=_WIDTH)
errors = Console(stderr=True, width=_WIDTH)


def as_json(value: Any) -> None:
    print(json.dumps(value, default=str, indent=2, ensure_ascii=False))


def table(
    title: str,
    rows: Sequence[Mapping[str, Any]],
    columns: Iterable[str] | None = None,
    right: Iterable[str] = (),
) -> None:
    names = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    aligned = set(right)
    out = Table(title=title, show_lines=False, header_style="bold")
    for name in names:
        out.add_column(name, justify="right" if name in aligned else "left", overflow="fold")
    for row in rows:
        out.add_row(*("" if row.get(n) is None else str(row.get(n)) for n in names))
    console.print(out)


def say(message: str) -> None:
    console.print(message, soft_wrap=True, highlight=False)


def note(message: str) -> None:
    """A side remark on stderr, so that --json output on stdout stays parseable."""
    errors.print(message, soft_wrap=True, highlight=False)


def fail(message: str) -> None:
    errors.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
