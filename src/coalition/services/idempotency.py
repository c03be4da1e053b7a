"""Idempotency keys: a creating request sent twice with the same key is done once.

`replay_or_run` runs a request the first time a user sends a key and stores its response; the
same user sending the same key with the same request (method, path, body hash) gets the stored
response back, replayed, without the request running again. The same key with a different
request is refused (`IdempotencyConflict`, which the API answers with 422). Keys are per user
and expire after 24 hours: an expired key is as good as new (`purge_expired` deletes them).

Two concurrent first requests with one key: the unique (user, key) constraint lets exactly one
claim the key and run. The other waits up to `WAIT_FOR_FIRST_S` for that response and replays
it; if the first is still running then, it gets `IdempotencyInProgress` (a conflict: try again
later) and nothing runs twice.

What is stored: the status and JSON body `run()` returned, when the status is below 500. A
server error, or an exception out of `run()`, releases the key so that a retry runs afresh
(nothing was done, or nothing the client was told of). A claim whose process died before it
answered is given up after `ABANDONED_AFTER`, then the key runs again.

`run()` must return a JSON-ready body (dicts, lists, str, numbers, bools, None): the replay is
that body read back from JSON.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from coalition.domain.access import Principal
from coalition.services.database import default_engine, require_schema
from coalition.services.errors import ServiceError
from coalition.storage.idempotency import IdempotencyStore
from coalition.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

KEY_MAX = 200
PATH_MAX = 2000
LIFETIME = timedelta(hours=24)
# How long a repeat waits for the answer of a first request still running with its key.
WAIT_FOR_FIRST_S = 10.0
POLL_S = 0.05
# A claim without an answer for this long was left by a process that died.
ABANDONED_AFTER = timedelta(minutes=10)


class IdempotencyConflict(ServiceError):
    """The key was already used for a different request (the API answers 422)."""


class IdempotencyInProgress(IdempotencyConflict):
    """The first request with this key is still running; try again in a moment."""


class InvalidIdempotencyKey(ServiceError):
    pass


@dataclass(frozen=True)
class _Request:
    key: str
    method: str
    path: str
    body_hash: str

    def same_as(self, row: dict[str, Any]) -> bool:
        return (row["method"], row["path"], row["body_hash"]) == (
            self.method,
            self.path,
            self.body_hash,
        )


def body_hash(body: bytes) -> str:
    """The hash of a request body as `replay_or_run` expects it (SHA-256, hex)."""
    return hashlib.sha256(body).hexdigest()


def check_key(key: str) -> str:
    if not isinstance(key, str) or not 0 < len(key) <= KEY_MAX:
        raise InvalidIdempotencyKey(f"Idempotency-Key must be 1 to {KEY_MAX} characters")
    if not key.isprintable() or not key.isascii() or key != key.strip():
        raise InvalidIdempotencyKey(
            "Idempotency-Key must be printable ASCII without leading or trailing spaces"
        )
    return key


def replay_or_run(
    engine: Engine | None,
    principal: Principal,
    key: str,
    method: str,
    path: str,
    body_hash: str,
    run: Callable[[], tuple[int, Any]],
) -> tuple[int, Any, bool]:
    """(status, body, replayed): the stored response of this key, or `run()`'s, now stored."""
    engine = engine or default_engine()
    require_schema(engine)
    if len(path) > PATH_MAX:
        raise ServiceError(f"the path is longer than {PATH_MAX} characters")
    request = _Request(check_key(key), method.upper(), path, body_hash)
    deadline = time.monotonic() + WAIT_FOR_FIRST_S
    while True:
        claim, row = _claim(engine, principal, request)
        if claim is not None:
            break
        if row is not None:
            if not request.same_as(row):
                raise IdempotencyConflict(
                    f"Idempotency-Key '{key}' was used for {row['method']} {row['path']} "
                    "with another body: use a new key for a new request"
                )
            if row["response_status"] is not None:
                return int(row["response_status"]), json.loads(row["response_body"]), True
        if time.monotonic() >= deadline:
            raise IdempotencyInProgress(
                f"a request with Idempotency-Key '{key}' is still being processed; "
                "try again in a moment"
            )
        time.sleep(POLL_S)
    try:
        status, body = run()
        stored = json.dumps(body, sort_keys=True, ensure_ascii=False) if status < 500 else None
    except BaseException:
        _release(engine, principal, claim)
        raise
    if stored is None:
        _release(engine, principal, claim)
    else:
        with UnitOfWork(engine, principal) as uow:
            IdempotencyStore(uow).complete(claim, status, stored)
            uow.commit()
    return status, body, False


def _claim(
    engine: Engine, principal: Principal, request: _Request
) -> tuple[int | None, dict[str, Any] | None]:
    """(our claim's id, None) when we may run; else (None, the row holding the key, if any)."""
    now = datetime.now(UTC)
    try:
        with UnitOfWork(engine, principal) as uow:
            store = IdempotencyStore(uow)
            row = store.get(principal.user, request.key)
            if row is not None and _gone(row, now):
                store.delete(row["id"])
                row = None
            if row is not None:
                return None, row
            claim = store.claim(
                {
                    "user_name": principal.user,
                    "key": request.key,
                    "method": request.method,
                    "path": request.path,
                    "body_hash": request.body_hash,
                    "created_at": now,
                }
            )
            uow.commit()
            return claim, None
    except IntegrityError:
        # Another first request claimed the key between our read and our insert (PostgreSQL;
        # SQLite's writers are serialised): read its claim on the next round.
        return None, None


def _gone(row: dict[str, Any], now: datetime) -> bool:
    """Expired, or a claim its process never answered."""
    age = now - row["created_at"]
    return age >= LIFETIME or (row["response_status"] is None and age >= ABANDONED_AFTER)


def _release(engine: Engine, principal: Principal, claim: int) -> None:
    try:
        with UnitOfWork(engine, principal) as uow:
            IdempotencyStore(uow).delete(claim)
            uow.commit()
    except Exception:  # the claim is given up after ABANDONED_AFTER
        log.exception("idempotency claim not released", extra={"event": "idempotency"})


def purge_expired(engine: Engine | None = None, principal: Principal | None = None) -> int:
    """Delete the keys older than their lifetime; how many were deleted."""
    engine = engine or default_engine()
    require_schema(engine)
    with UnitOfWork(engine, principal or Principal("coalition-idempotency")) as uow:
        count = IdempotencyStore(uow).purge(datetime.now(UTC) - LIFETIME)
        uow.commit()
    return count
