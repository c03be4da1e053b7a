"""The change log: one record's history, the chain's verification, and its head."""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query

from coalition.api.deps import Db
from coalition.api.encode import document, plain
from coalition.api.problems import COMMON, responses
from coalition.api.schemas import MAX_KEY
from coalition.registries.kinds import KINDS
from coalition.services import audit, ledger

router = APIRouter(prefix="/changes", tags=["changes"], responses=responses(*COMMON))

KIND_OF_ENTITY = {kind.entity: kind.name for kind in KINDS.values()}
Entity = StrEnum("Entity", {e: e for e in KIND_OF_ENTITY})  # type: ignore[misc]


@router.get("", operation_id="record_history")
def history(
    db: Db,
    entity: Annotated[Entity, Query(description="the record's entity, e.g. offer")],
    key: Annotated[str, Query(min_length=1, max_length=MAX_KEY, description="its key, A:B")],
) -> dict[str, Any]:
    """Every change of one record, oldest first (who, when, batch, before, after, hash)."""
    with db.reading() as uow:
        entries = ledger.history(uow, KIND_OF_ENTITY[str(entity.value)], key)
    return {"items": [plain(_decoded(e)) for e in entries]}


def _decoded(entry: dict[str, Any]) -> dict[str, Any]:
    # The log stores before/after as the JSON text that was hashed; clients get the objects.
    shown = dict(entry)
    for side in ("before", "after"):
        if isinstance(shown.get(side), str):
            shown[side] = json.loads(shown[side])
    return shown


@router.get("/verify", operation_id="verify_change_log")
def verify(
    db: Db,
    expect_head: Annotated[
        str | None, Query(max_length=128, description="a head hash recorded earlier")
    ] = None,
) -> dict[str, Any]:
    """Check the hash chain and replay it against the registry tables."""
    with db.reading() as uow:
        report = audit.verify_change_log(uow, expect_head)
    return document(asdict(report))


@router.get("/head", operation_id="change_log_head")
def head(db: Db) -> dict[str, Any]:
    """The last entry's hash and the number of entries: keep both to check the log later."""
    with db.reading() as uow:
        return document(asdict(audit.head(uow)))
