"""Burden-sharing rules as data: a yearly baseline pledge shared among allies by GDP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from coalition.domain import checks
from coalition.domain.donors import Organisation
from coalition.domain.errors import InvalidValue
from coalition.domain.markings import DEFAULT_MARKING, check_marking

# What a contribution can be counted as: pledge purposes plus in-kind equipment.
CATEGORIES = ("procurement", "training", "sustainment", "industry", "trust_fund", "equipment")


@dataclass(frozen=True, slots=True)
class PledgeBaseline:
    year: int
    amount: Decimal
    currency: str
    participants_group: Organisation  # members of this group on `membership_date`...
    gdp_measure: str
    gdp_year: int
    counted_categories: frozenset[str]
    membership_date: date
    source: str
    excluded: frozenset[str] = frozenset()  # ...minus these (2024: Hungary did not take part)
    marking: str = DEFAULT_MARKING  # releasability (domain/markings.py)

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.year("year", self.year)
        checks.MONEY("amount", self.amount)
        checks.one_of("currency", self.currency, ("EUR",))  # fair shares are set in euros
        checks.one_of("participants_group", self.participants_group, tuple(Organisation))
        checks.text("gdp_measure", self.gdp_measure)
        checks.year("gdp_year", self.gdp_year)
        for code in self.excluded:
            checks.code("excluded", code)
        if not self.counted_categories:
            raise InvalidValue("counted_categories", "", "name at least one category")
        for category in self.counted_categories:
            checks.one_of("counted_categories", category, CATEGORIES)
        checks.is_date("membership_date", self.membership_date)
        checks.text("source", self.source, max_length=1000)
