"""Financial pledges: money from pledge through commitment to disbursement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from coalition.domain import checks
from coalition.domain.errors import InvalidValue
from coalition.domain.lifecycle import PledgeStatus
from coalition.domain.markings import DEFAULT_MARKING, check_marking


class Purpose(StrEnum):
    PROCUREMENT = "procurement"
    TRAINING = "training"
    SUSTAINMENT = "sustainment"
    INDUSTRY = "industry"
    TRUST_FUND = "trust_fund"


@dataclass(frozen=True, slots=True)
class Pledge:
    donor_code: str
    external_id: str
    amount: Decimal
    currency: str
    year: int
    pledged_on: date
    purpose: Purpose
    status: PledgeStatus = PledgeStatus.PLEDGE
    channel_code: str | None = None  # organisation the money flows through; None: bilateral
    disbursed_on: date | None = None
    marking: str = DEFAULT_MARKING  # releasability (domain/markings.py)

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("donor_code", self.donor_code)
        checks.code("external_id", self.external_id)
        checks.MONEY("amount", self.amount)
        checks.currency("currency", self.currency)
        checks.year("year", self.year)
        checks.is_date("pledged_on", self.pledged_on)
        checks.one_of("purpose", self.purpose, tuple(Purpose))
        checks.one_of("status", self.status, tuple(PledgeStatus))
        if self.channel_code is not None:
            checks.code("channel_code", self.channel_code)
            if self.channel_code == self.donor_code:
                raise InvalidValue(
                    "channel_code", self.channel_code, "a donor is not its own channel"
                )
        checks.EVENT_DATES.optional("disbursed_on", self.disbursed_on)
        if self.disbursed_on is not None and self.status != PledgeStatus.DISBURSED:
            raise InvalidValue("disbursed_on", self.disbursed_on, "set only once disbursed")
        if self.disbursed_on is None and self.status == PledgeStatus.DISBURSED:
            raise InvalidValue("disbursed_on", "", "required once disbursed: give the date")
        if self.disbursed_on is not None and self.disbursed_on < self.pledged_on:
            raise InvalidValue("disbursed_on", self.disbursed_on, "before the pledge was made")
