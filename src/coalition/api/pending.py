"""Service functions the API is written against that other branches are adding.

The lead adds `ledger.create_record`, `ledger.update_record` and `errors.VersionConflict`;
the jobs branch adds `services.jobs` and `services.idempotency`. Each is looked up when a
request needs it, so this branch runs (and its other routes are tested) before those merge:
a route whose service is missing answers 501 naming it, never a made-up result. Once they are
merged, call them directly and delete this module.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

from coalition.services import errors, ledger


class MissingService(Exception):
    """A service function this build does not have yet (answered 501)."""


class _NeverRaised(Exception):
    """Stands in for VersionConflict until it exists, so `isinstance` checks stay valid."""


def version_conflict() -> type[Exception]:
    found = getattr(errors, "VersionConflict", None)
    return found if isinstance(found, type) and issubclass(found, Exception) else _NeverRaised


def _function(module: ModuleType, name: str) -> Callable[..., Any]:
    found = getattr(module, name, None)
    if not callable(found):
        raise MissingService(f"{module.__name__}.{name} is not in this build yet")
    return found  # type: ignore[no-any-return]


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"coalition.services.{name}")
    except ModuleNotFoundError:
        return None


def create_record() -> Callable[..., Any]:
    return _function(ledger, "create_record")


def update_record() -> Callable[..., Any]:
    return _function(ledger, "update_record")


def jobs(name: str) -> Callable[..., Any]:
    module = _module("jobs")
    if module is None:
        raise MissingService("coalition.services.jobs is not in this build yet")
    return _function(module, name)


def replay_or_run() -> Callable[..., Any] | None:
    """The idempotency service, or None while it is not merged (the key is then ignored)."""
    module = _module("idempotency")
    found = getattr(module, "replay_or_run", None) if module is not None else None
    return found if callable(found) else None


def has(name: str) -> bool:
    """Whether a pending service is present (tests skip, naming what they wait for)."""
    module_name, _, function = name.rpartition(".")
    module = _module(module_name)
    return module is not None and callable(getattr(module, function, None))
