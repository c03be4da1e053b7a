"""The training plan pages: run a plan as a job, read its lines (what needs a decision first),
accept it, see why a line's crews are late; the dashboard shows the plan in force and the
effective capability headline. Non-staff see no plan."""

from __future__ import annotations

import re
import time

from web_support import assert_page

from api.api_support import TRAINING_LINE, seed_training_plan


def test_a_coordinator_runs_a_plan_reads_it_accepts_it_and_the_dashboard_shows_it(
    signed_in, seeded, tmp_path
):
    seed_training_plan(seeded, tmp_path)  # the accepted PzH 2000 line, plan 1
    b = signed_in("coord")
    listing = assert_page(b.client.get("/training/plans"))
    assert 'href="/training/plans/1"' in listing
    started = b.post("/training/plans/run", {"horizon_weeks": "52", "time_limit": "5"},
                     csrf_from="/training/plans")  # fmt: skip
    assert started.status_code == 303, started.text
    job, deadline = started.headers["location"], time.monotonic() + 90
    while "See training plan" not in (page := assert_page(b.client.get(job))):
        assert "Failed" not in page and time.monotonic() < deadline, page[-2000:]
        time.sleep(0.2)
    plan_id = int(re.search(r'href="/training/plans/(\d+)" id="plan-link"', page).group(1))
    assert plan_id == 2
    shown = assert_page(b.client.get(f"/training/plans/{plan_id}"))
    assert TRAINING_LINE in shown and 'id="accept-training-plan"' in shown
    accepted = b.post(
        f"/training/plans/{plan_id}/accept", {}, csrf_from=f"/training/plans/{plan_id}"
    )
    assert accepted.status_code == 303
    after = assert_page(b.client.get(accepted.headers["location"]))
    assert 'id="accepted"' in after and 'id="accept-training-plan"' not in after
    why = assert_page(b.client.get(f"/training/plans/{plan_id}/explain/{TRAINING_LINE}"))
    assert f"line {TRAINING_LINE}" in why
    dashboard = assert_page(b.client.get("/"))
    assert f'href="/training/plans/{plan_id}" id="training-plan-link"' in dashboard
    assert 'id="capability-headline"' in dashboard


def test_a_donor_sees_no_training_plan_and_cannot_run_one(signed_in, seeded, tmp_path):
    seed_training_plan(seeded, tmp_path)
    desk = signed_in("desk-deu")
    assert "No training plan you may see." in assert_page(desk.client.get("/training/plans"))
    assert_page(desk.client.get("/training/plans/1"), 404)
    refused = desk.post("/training/plans/run", {"time_limit": "5"}, csrf_from="/training/plans")
    assert refused.status_code == 403
    assert "No accepted training plan you may see." in assert_page(desk.client.get("/"))


def test_a_bound_out_of_range_is_shown_on_the_form(signed_in):
    b = signed_in("coord")
    response = b.post("/training/plans/run", {"horizon_weeks": "999", "time_limit": "5"},
                      csrf_from="/training/plans")  # fmt: skip
    assert "999" in assert_page(response, 422)
