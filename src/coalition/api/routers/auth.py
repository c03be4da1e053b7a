"""Sign in with a password and receive an API token (the only route without a token)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from coalition.api.deps import SIGN_IN, engine_of
from coalition.api.problems import responses
from coalition.api.schemas import TokenRequest, TokenResponse
from coalition.domain.accounts import DEFAULT_TOKEN_DAYS
from coalition.services import accounts, database

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/token",
    response_model=TokenResponse,
    operation_id="issue_token",
    responses=responses(400, 401, 422, 503),
)
def issue_token(request: Request, body: TokenRequest) -> TokenResponse:
    """Check the password (failures are counted and lock the account), then issue a token."""
    engine = engine_of(request)
    days = body.expires_in_days or DEFAULT_TOKEN_DAYS
    # Signing in writes (failure counts); the token is then issued by the user themself, as
    # `issue_token` allows a user to ask only for their own.
    with database.writing(SIGN_IN, engine) as uow:
        principal = accounts.sign_in(uow, body.username, body.password)
    with database.writing(principal, engine) as uow:
        token = accounts.issue_token(uow, principal.user, days)
    return TokenResponse(access_token=token, token_type="bearer", expires_in_days=days)
