"""The progress a solving job shows, and when a job counts as left behind by a dead process."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coalition.services import jobs

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def test_solving_progress_rises_with_time_and_stays_below_storing():
    shown = [jobs.solving_progress(t, 60.0) for t in (0, 1, 10, 30, 59, 60, 61, 600)]
    assert shown == sorted(shown)
    assert shown[0] == jobs.SOLVING_FROM
    assert shown[-1] == jobs.SOLVING_UP_TO < jobs.STORING[0]
    assert jobs.solving_progress(30, 60.0) == pytest.approx(
        (jobs.SOLVING_FROM + jobs.SOLVING_UP_TO) / 2, abs=1e-3
    )


def test_a_zero_time_limit_shows_the_start_of_solving():
    assert jobs.solving_progress(5, 0.0) == jobs.SOLVING_FROM


def row(status, *, started_ago=None, heartbeat_ago=0.0, time_limit_s=60.0):
    return {
        "status": status,
        "started_at": None if started_ago is None else NOW - timedelta(seconds=started_ago),
        "heartbeat_at": NOW - timedelta(seconds=heartbeat_ago),
        "time_limit_s": time_limit_s,
    }


@pytest.mark.parametrize(
    ("job", "stale"),
    [
        (row("running", started_ago=10, heartbeat_ago=1), False),
        (row("queued", heartbeat_ago=jobs.STALE_AFTER_S - 1), False),
        (row("queued", heartbeat_ago=jobs.STALE_AFTER_S + 1), True),
        (row("running", started_ago=10, heartbeat_ago=jobs.STALE_AFTER_S + 1), True),
        (row("running", started_ago=60 + jobs.OVERRUN_MARGIN_S - 1, heartbeat_ago=1), False),
        (row("running", started_ago=60 + jobs.OVERRUN_MARGIN_S + 1, heartbeat_ago=1), True),
        (row("succeeded", started_ago=99999, heartbeat_ago=99999), False),
        (row("failed", started_ago=99999, heartbeat_ago=99999), False),
    ],
)
def test_a_job_is_stale_when_its_heartbeat_stopped_or_it_overran_its_limit(job, stale):
    assert jobs.is_stale(job, NOW) is stale
