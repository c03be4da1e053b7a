"""Who is acting: the principal that enters every use case, and what it may see.

`may_see` is the one visibility decision. The storage read path turns it into a query filter
(`storage/visibility.py`), so the CLI, imports, exports, plans and reports cannot disagree.
Today every principal sees every record; need-to-know rules (donor, releasability) will be
filled in here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from coalition.domain import checks
from coalition.domain.errors import InvalidValue


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    DONOR = "donor"
    RECIPIENT = "recipient"
    ANALYST = "analyst"
    AUDITOR = "auditor"


@dataclass(frozen=True, slots=True)
class Principal:
    """The acting user, their role, and the donor a donor desk officer speaks for."""

    user: str
    role: Role = Role.COORDINATOR
    donor_code: str | None = None

    def __post_init__(self) -> None:
        checks.text("user", self.user, max_length=200)
        if (self.role is Role.DONOR) != (self.donor_code is not None):
            raise InvalidValue(
                "donor_code", self.donor_code, "a donor user speaks for exactly one donor"
            )


def may_see(principal: Principal, entity: str, owner_donor: str | None) -> bool:
    """Whether `principal` may see a record of `entity` owned by `owner_donor` (None: nobody's).

    No rule restricts reading yet: every principal sees every record.
    """
    del principal, entity, owner_donor
    return True
