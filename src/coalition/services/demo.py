"""The demo use case: build the demo database from the shipped scenario, once.

A second run keeps what is there: the demo files hold the scenario's first state, and
re-importing them over records a user has since moved along their lifecycle would be refused
(a lifecycle never moves backwards) or would undo the user's work.

The demo's accounts (one per role, desk officers for three donors) get passwords generated at
the first run and shown once; the code holds none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from coalition import demo as scenario
from coalition.domain.access import Principal, Role
from coalition.registries.kinds import KINDS
from coalition.services.accounts import NewAccount, add_generated_users, has_users, principal_named
from coalition.services.database import default_engine, initialise, reading, writing
from coalition.services.ledger import ImportResult, import_file
from coalition.services.progress import Progress

if TYPE_CHECKING:
    from coalition.services.logistics import StoredLogisticsPlan
    from coalition.services.training_plans import StoredTrainingPlan

DEMO_ACCOUNTS: list[tuple[str, str, str | None]] = [
    ("demo-admin", "admin", None),
    ("coordinator", "coordinator", None),
    ("desk-deu", "donor", "DEU"),
    ("desk-pol", "donor", "POL"),
    ("desk-usa", "donor", "USA"),
    ("logistician", "recipient", None),
    ("analyst", "analyst", None),
    ("auditor", "auditor", None),
]
DEMO_ACTOR = "coordinator"  # whose view the demo summary shows
_BUILDER = Principal("demo", Role.ADMIN)  # acts only while the database has no users


@dataclass(frozen=True)
class DemoLoad:
    database: str
    imported: list[ImportResult]
    already_there: int  # records found instead of importing, when the demo had run before
    accounts: list[NewAccount]  # created by this run (passwords shown once)
    acting: Principal  # the demo coordinator, for the summary


def load(progress: Progress, engine: Engine | None = None) -> DemoLoad:
    engine = engine or default_engine()
    where = initialise(engine)
    with reading(_BUILDER, engine) as uow:
        present = sum(uow.records(kind).count() for kind in KINDS.values())
        users_exist = has_users(uow)
    results = []
    if not present:
        # The builder acts only on a database nobody has been given an account on yet.
        builder = _BUILDER if not users_exist else _existing_admin(engine)
        for kind, path in scenario.files():
            with writing(builder, engine) as uow:
                results.append(import_file(uow, kind, path, progress))
    accounts: list[NewAccount] = []
    if not users_exist:  # after the imports: desk officers' accounts name their donors
        with writing(_BUILDER, engine) as uow:
            accounts = add_generated_users(uow, DEMO_ACCOUNTS)
    with reading(_BUILDER, engine) as uow:
        acting = principal_named(uow, DEMO_ACTOR)
    return DemoLoad(where, results, present, accounts, acting)


def _existing_admin(engine: Engine) -> Principal:
    with reading(_BUILDER, engine) as uow:
        return principal_named(uow, DEMO_ACCOUNTS[0][0])


def route_the_plan(
    acting: Principal, plan_id: int, fresh: bool, engine: Engine | None = None
) -> StoredLogisticsPlan:
    """On the demo's first run, accept its allocation plan (as its coordinator would) and route
    it through the network; later runs route the allocation in force as it stands."""
    from coalition.services import allocation, logistics

    with writing(acting, engine) as uow:
        if fresh and uow.plans.in_force() is None:
            allocation.accept(uow, plan_id)
    return logistics.run(acting, time_limit=20.0, engine=engine)


def train_the_crews(
    acting: Principal, fresh: bool, engine: Engine | None = None
) -> StoredTrainingPlan:
    """Schedule the cohorts against the ETAs now in force; on the demo's first run, accept
    the logistics plan those ETAs come from and then the training plan, as a coordinator would."""
    from coalition.services import logistics, training_plans

    if fresh:
        with writing(acting, engine) as uow:
            if uow.logistics_plans.in_force() is None:
                newest = logistics.list_plans(uow, 1)[0]
                if newest:
                    logistics.accept(uow, newest[0].id)
    stored = training_plans.run(acting, time_limit=20.0, engine=engine)
    if fresh and stored.status != "error":
        with writing(acting, engine) as uow:
            if uow.training_plans.in_force() is None:
                stored = training_plans.accept(uow, stored.id)
    return stored
