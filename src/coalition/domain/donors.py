"""Donors (nations and organisations), their dated memberships, and GDP figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from coalition.domain import checks
from coalition.domain.errors import InvalidValue
from coalition.domain.markings import DEFAULT_MARKING, check_marking


class DonorKind(StrEnum):
    NATION = "nation"
    ORGANISATION = "organisation"


class Organisation(StrEnum):
    NATO = "NATO"
    EU = "EU"


@dataclass(frozen=True, slots=True)
class Donor:
    """A nation (code = ISO 3166 alpha-3) or an organisation (EU, EPF, a NATO trust fund...)."""

    code: str
    name: str
    kind: DonorKind
    parent_code: str | None = None  # e.g. the European Peace Facility belongs to the EU
    marking: str = DEFAULT_MARKING  # releasability (domain/markings.py)

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("code", self.code)
        checks.text("name", self.name)
        checks.one_of("kind", self.kind, tuple(DonorKind))
        if self.kind == DonorKind.NATION and not (len(self.code) == 3 and self.code.isupper()):
            raise InvalidValue("code", self.code, "a nation's code is its ISO 3166 alpha-3 code")


@dataclass(frozen=True, slots=True)
class Membership:
    """Membership of a donor in NATO or the EU from `joined` until the day before `left`."""

    donor_code: str
    organisation: Organisation
    joined: date
    left: date | None = None
    marking: str = DEFAULT_MARKING  # releasability (domain/markings.py)

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("donor_code", self.donor_code)
        checks.one_of("organisation", self.organisation, tuple(Organisation))
        checks.is_date("joined", self.joined)
        if self.left is not None:
            checks.is_date("left", self.left)
        if self.left is not None and self.left <= self.joined:
            raise InvalidValue("left", self.left, "must be after the joining date")

    def active_on(self, day: date) -> bool:
        return self.joined <= day and (self.left is None or day < self.left)


def members_on(memberships: Iterable[Membership], organisation: str, day: date) -> set[str]:
    """Codes of the donors that belong to `organisation` on `day`."""
    return {
        m.donor_code for m in memberships if m.organisation == organisation and m.active_on(day)
    }


def members_of_all(
    memberships: Iterable[Membership], organisations: Iterable[str], day: date
) -> set[str]:
    """Codes of the donors that belong to every one of `organisations` on `day`."""
    rows = list(memberships)
    groups = [members_on(rows, org, day) for org in organisations]
    return set.intersection(*groups) if groups else set()


GDP_UNIT_PER_BILLION = {"billion": Decimal(1), "million": Decimal(1000), "unit": Decimal(10**9)}


@dataclass(frozen=True, slots=True)
class GdpFigure:
    """Nominal GDP of a donor in a year, as the cited source gives it."""

    donor_code: str
    year: int
    amount: Decimal
    currency: str
    unit: str  # "billion" or "million": the scale the source uses
    source: str
    marking: str = DEFAULT_MARKING  # releasability (domain/markings.py)

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("donor_code", self.donor_code)
        checks.year("year", self.year)
        checks.GDP_AMOUNT("amount", self.amount)
        checks.currency("currency", self.currency)
        checks.one_of("unit", self.unit, tuple(GDP_UNIT_PER_BILLION))
        checks.text("source", self.source, max_length=500)

    def in_billions(self) -> Decimal:
        """The amount in billions of its currency, whatever scale the source used."""
        return self.amount / GDP_UNIT_PER_BILLION[self.unit]
