"""The OpenAPI document holds: schemathesis calls every operation, as each role, in process.

Per role and operation a few generated requests (deterministic under the CI profile): no
server error, every status, content type, header and body as the document declares.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from api_support import USERS, seed, seed_logistics_plan, seed_shipment
from hypothesis import HealthCheck, settings
from schemathesis import checks
from sqlalchemy import Engine

from coalition.api import create_app
from coalition.storage import migrate
from coalition.storage.engine import make_engine

# The document does not depend on the database; the engine is set once the ledger is seeded.
APP = create_app()
SCHEMA = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture(scope="module")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    folder = tmp_path_factory.mktemp("schemathesis")
    engine: Engine = make_engine(f"sqlite:///{folder / 'coalition.db'}")
    migrate.upgrade(engine)
    issued = seed(engine, folder)
    seed_shipment(engine, folder)
    seed_logistics_plan(engine)
    APP.state.engine = engine
    yield issued
    APP.state.engine = None
    engine.dispose()


pytestmark = pytest.mark.slow


@pytest.mark.parametrize("user", [user for user, _, _ in USERS])
@SCHEMA.parametrize()
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.filter_too_much],
)  # fmt: skip
def test_every_operation_answers_as_documented(case, tokens, user):
    case.call_and_validate(headers={"Authorization": f"Bearer {tokens[user]}"}, checks=CHECKS)
