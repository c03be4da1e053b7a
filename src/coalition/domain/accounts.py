"""Accounts: who may sign in, with which role, and how failed sign-ins slow an attacker down."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from coalition.domain import checks
from coalition.domain.access import Principal, Role
from coalition.domain.errors import InvalidValue

# After this many failed sign-ins in a row an account is locked for a while, doubling each
# time (1 min, 2 min, 4 min ... at most 15 min); a successful sign-in resets the count.
FREE_FAILURES = 5
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(minutes=15)
# API tokens live for 1 to 365 days (default 30).
TOKEN_DAYS = (1, 365)
DEFAULT_TOKEN_DAYS = 30
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024


@dataclass(frozen=True, slots=True)
class Account:
    name: str
    role: Role
    donor_code: str | None = None
    disabled: bool = False

    def __post_init__(self) -> None:
        checks.code("name", self.name)
        if self.role not in tuple(Role):
            raise InvalidValue("role", self.role, "must be one of " + ", ".join(Role))
        if (self.role is Role.DONOR) != (self.donor_code is not None):
            raise InvalidValue(
                "donor", self.donor_code, "a donor user needs --donor CODE; other roles take none"
            )

    def principal(self) -> Principal:
        return Principal(self.name, Role(self.role), self.donor_code)


def role_named(text: str) -> Role:
    try:
        return Role(text)
    except ValueError:
        raise InvalidValue("role", text, "must be one of " + ", ".join(Role)) from None


def check_password(password: str) -> str:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise InvalidValue(
            "password",
            "(hidden)",
            f"must be {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters",
        )
    return password


def check_token_days(days: int) -> int:
    low, high = TOKEN_DAYS
    if isinstance(days, bool) or not low <= days <= high:
        raise InvalidValue("expires", days, f"must be {low} to {high} days")
    return days


def lock_after(failures: int) -> timedelta | None:
    """How long an account stays locked after `failures` failed sign-ins in a row."""
    if failures < FREE_FAILURES:
        return None
    doubled: timedelta = FIRST_LOCK * 2 ** min(failures - FREE_FAILURES, 10)
    return min(doubled, LONGEST_LOCK)
