"""Dependencies every route shares: who is acting, and units of work opened for them.

Routes declare what they need with the `Annotated` aliases below (`CurrentPrincipal`,
`Db`), so authentication and the database live here once. Reads open a reading unit of work
(never the write lock), writes a writing one, exactly as the CLI does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from coalition.domain.access import Principal
from coalition.services import accounts, database
from coalition.services.errors import Unauthenticated

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from coalition.storage.unit_of_work import UnitOfWork

MAX_TOKEN_LENGTH = 512  # issued tokens are far shorter; anything longer is not one of ours

# The unit of work that looks a token up acts for nobody in particular: the accounts store
# is not filtered by principal, and it only reads.
TOKEN_CHECK = Principal("api-token-check")
SIGN_IN = Principal("api-sign-in")

bearer = HTTPBearer(auto_error=False, description="an API token (`coalition user token NAME`)")


def engine_of(request: Request) -> Engine | None:
    """The app's engine (a test's), or None for the configured default."""
    engine: Engine | None = request.app.state.engine
    return engine


def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("send an API token: Authorization: Bearer <token>")
    token = credentials.credentials
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise Unauthenticated("the token is not valid")
    with database.reading(TOKEN_CHECK, engine_of(request)) as uow:
        return accounts.principal_for_token(uow, token)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


@dataclass(frozen=True)
class Database:
    """Units of work for the acting principal on the app's engine."""

    principal: Principal
    engine: Engine | None

    def reading(self) -> UnitOfWork:
        return database.reading(self.principal, self.engine)

    def writing(self) -> UnitOfWork:
        return database.writing(self.principal, self.engine)


def database_for(request: Request, principal: CurrentPrincipal) -> Database:
    return Database(principal, engine_of(request))


Db = Annotated[Database, Depends(database_for)]
