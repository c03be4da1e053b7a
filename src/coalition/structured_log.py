"""Structured logging: one JSON object per line, for commands, solves and unexpected failures.

Interfaces call `configure()` once at start. Lines (one per command, one per solve, with their
figures; tracebacks of unexpected failures) go to `COALITION_LOG_FILE`: a path, "-" for stderr
(containers), or by default `$XDG_STATE_HOME/coalition/coalition.log`. The terminal never shows
a traceback: a user gets one line, the log keeps the detail.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Attributes every LogRecord has; anything else was passed in `extra=` and is a figure to keep.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def default_log_file() -> Path:
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "coalition" / "coalition.log"


def configure(log_file: str = "", level: str = "INFO") -> str:
    """Send the `coalition` loggers' lines to `log_file` as JSON lines; returns where they go.

    A log that cannot be opened (read-only home, no such folder) never stops a command: the
    lines are then dropped, and the returned text says so.
    """
    root = logging.getLogger("coalition")
    for old in list(root.handlers):
        root.removeHandler(old)
        old.close()
    root.propagate = False
    root.setLevel(level.upper() if level.upper() in logging.getLevelNamesMapping() else "INFO")
    handler: logging.Handler
    if log_file == "-":
        handler, where = logging.StreamHandler(sys.stderr), "stderr"
    else:
        path = Path(log_file) if log_file else default_log_file()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler, where = logging.FileHandler(path, encoding="utf-8", delay=True), str(path)
        except OSError:
            handler, where = logging.NullHandler(), f"nowhere ({path} cannot be written)"
    handler.setFormatter(JsonLines())
    root.addHandler(handler)
    return where
