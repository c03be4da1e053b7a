"""The tracker's rules: overdue taskings, periods, and records that check their own fields."""

from __future__ import annotations

from datetime import date

import pytest

from coalition.domain.cooperation import (
    STRAND_TITLES,
    ProgressReport,
    Strand,
    Tasking,
    TaskingStatus,
    days_overdue,
    is_overdue,
    overlaps,
)
from coalition.domain.errors import InvalidValue

DUE = date(2026, 5, 15)


@pytest.mark.parametrize(
    ("status", "on", "overdue"),
    [
        ("open", date(2026, 5, 16), True),
        ("in_progress", date(2026, 6, 1), True),
        ("open", DUE, False),  # due today is not overdue yet
        ("done", date(2026, 6, 1), False),
        ("cancelled", date(2026, 6, 1), False),
    ],
)
def test_a_tasking_is_overdue_only_while_open_after_its_due_date(status, on, overdue):
    assert is_overdue(status, DUE, on) is overdue


def test_days_overdue_count_from_the_due_date_and_never_go_negative():
    assert days_overdue(DUE, date(2026, 5, 25)) == 10
    assert days_overdue(DUE, date(2026, 5, 1)) == 0


def test_periods_overlap_when_they_share_a_day():
    eighth = (date(2022, 6, 1), date(2023, 5, 31))
    assert overlaps(*eighth, date(2023, 5, 31), date(2023, 12, 31))
    assert overlaps(*eighth, date(2022, 1, 1), date(2022, 6, 1))
    assert not overlaps(*eighth, date(2023, 6, 1), date(2024, 5, 31))


def test_a_done_tasking_needs_its_date():
    with pytest.raises(InvalidValue, match="done_on"):
        Tasking("UDCG-1", 1, "Pool offers", "Artillery coalition", DUE, TaskingStatus.DONE)


def test_a_report_period_cannot_end_before_it_starts():
    with pytest.raises(InvalidValue, match="period_to"):
        ProgressReport(8, date(2023, 5, 31), date(2022, 6, 1), date(2023, 6, 16))


def test_every_strand_has_its_published_title_including_the_later_strands():
    assert set(STRAND_TITLES) == set(Strand)
    for later in ("Military mobility", "Resilience", "Space", "Climate and defence",
                  "Emerging and disruptive technologies"):  # fmt: skip
        assert later in STRAND_TITLES.values()
