"""The demo use case: build the demo database from the shipped scenario, once.

A second run keeps what is there: the demo files hold the scenario's first state, and
re-importing them over records a user has since moved along their lifecycle would be refused
(a lifecycle never moves backwards) or would undo the user's work.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from coalition import demo as scenario
from coalition.domain.access import Principal
from coalition.registries.kinds import KINDS
from coalition.services.database import default_engine, initialise, reading, writing
from coalition.services.ledger import ImportResult, import_file
from coalition.services.progress import Progress


@dataclass(frozen=True)
class DemoLoad:
    database: str
    imported: list[ImportResult]
    already_there: int  # records found instead of importing, when the demo had run before


def load(principal: Principal, progress: Progress, engine: Engine | None = None) -> DemoLoad:
    engine = engine or default_engine()
    where = initialise(engine)
    with reading(principal, engine) as uow:
        present = sum(uow.records(kind).count() for kind in KINDS.values())
    if present:
        return DemoLoad(where, [], present)
    results = []
    for kind, path in scenario.files():
        with writing(principal, engine) as uow:
            results.append(import_file(uow, kind, path, progress))
    return DemoLoad(where, results, 0)
