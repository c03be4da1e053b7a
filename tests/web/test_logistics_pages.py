"""The logistics pages: run a plan as a job and land on it, read its headline, ETAs and
unrouted lines, accept it (the dashboard then shows it), what-if closures, and a shipment's
timeline; donors see no logistics plan and only their own shipments; English and Ukrainian."""

from __future__ import annotations

import re
import time

import pytest
from web_support import assert_page

from api.api_support import ROUTED_LINE, seed_routable, seed_shipment

JOB = re.compile(r"/jobs/([A-Za-z0-9_-]+)$")


@pytest.fixture
def routed(seeded, tmp_path):
    seed_routable(seeded, tmp_path)
    seed_shipment(seeded, tmp_path)
    return seeded


def _run(b, horizon: str = "120") -> str:
    """Run a plan from the logistics page; the plan page the job's status sends htmx to."""
    started = b.post("/logistics/run", {"horizon": horizon, "time_limit": "10"},
                     csrf_from="/logistics")  # fmt: skip
    assert started.status_code == 303, started.text[:800]
    job_id = JOB.search(started.headers["location"]).group(1)
    deadline = time.monotonic() + 60
    while True:
        status = b.client.get(f"/jobs/{job_id}/status", headers={"HX-Request": "true"})
        assert_page(status)
        if "HX-Redirect" in status.headers:
            return status.headers["HX-Redirect"]
        assert "Failed" not in status.text, status.text
        assert time.monotonic() < deadline
        time.sleep(0.1)


def test_a_plan_runs_as_a_job_and_its_page_shows_the_headline_etas_and_chart(routed, signed_in):
    b = signed_in("coord")
    assert "Logistics" in assert_page(b.client.get("/"))  # in the navigation
    where = _run(b)
    assert re.fullmatch(r"/logistics/plans/\d+", where)
    page = assert_page(b.client.get(where))
    assert "Lines routed in full" in page and "DEU:DEU-OF-0002" in page
    etas = page[page.index('id="etas"') :]
    assert "REQ-1" in etas and "2026-" in etas  # the date of the last arrival
    chart = b.client.get(f"{where}/peaks.svg")
    assert chart.status_code == 200 and chart.headers["content-type"].startswith("image/svg")
    assert "POL-HUB-1" in chart.text
    accepted = b.post(f"{where}/accept", {}, csrf_from=where)
    assert accepted.status_code == 303
    assert 'id="accepted"' in assert_page(b.client.get(accepted.headers["location"]))
    dashboard = assert_page(b.client.get("/"))
    section = dashboard[dashboard.index('id="logistics-title"') :]
    assert f'href="{where}"' in section and "Busiest hub" in section
    assert "Delivery schedules" not in dashboard
    listed = assert_page(b.client.get("/logistics"))
    assert f'href="{where}"' in listed


def test_a_whatif_shows_the_delta_and_bad_input_names_what_is_wrong(routed, signed_in):
    b = signed_in("coord")
    where = _run(b)
    shown = b.post("/logistics/whatif", {"close": "POL-HUB-1", "first": "2026-12-01"},
                   csrf_from="/logistics")  # fmt: skip
    page = assert_page(shown)
    assert "Closing POL-HUB-1" in page and 'id="whatif-plan"' in page
    # Now not routed (no path): the line id is text, its ">" escaped.
    assert ROUTED_LINE.replace(">", "&gt;") + '</th><td class="num">12</td><td>no path' in page
    unknown = b.post("/logistics/whatif", {"close": "NO-SUCH", "first": "2026-12-01"},
                     csrf_from="/logistics")  # fmt: skip
    assert "NO-SUCH" in assert_page(unknown, 404)
    backwards = b.post("/logistics/whatif",
                       {"close": "POL-HUB-1", "first": "2026-12-10", "last": "2026-12-01"},
                       csrf_from="/logistics")  # fmt: skip
    assert "before" in assert_page(backwards, 422)
    too_far = b.post("/logistics/run", {"horizon": "731", "time_limit": "10"},
                     csrf_from="/logistics")  # fmt: skip
    assert "730" in assert_page(too_far, 422)
    assert where  # the first plan stays as it was


def test_donors_see_no_logistics_plan_and_only_their_own_shipments(routed, signed_in):
    where = _run(signed_in("coord"))
    for user in ("desk-deu", "desk-pol", "analyst"):
        b = signed_in(user)
        assert_page(b.client.get(where), 404)
        assert "No logistics plan you may see." in assert_page(b.client.get("/logistics"))
        assert "No accepted logistics plan you may see." in assert_page(b.client.get("/"))
        refused = b.post("/logistics/run", {"horizon": "30", "time_limit": "5"},
                         csrf_from="/logistics")  # fmt: skip
        assert "may not plan logistics" in assert_page(refused, 403)
    own = signed_in("desk-deu")
    timeline = assert_page(own.client.get("/shipments/SHP-1"))
    assert "departed" in timeline and "POL-HUB-1" in timeline and "2026-03-01 08:00" in timeline
    assert 'href="/shipments/SHP-1"' in assert_page(own.client.get("/shipments"))
    other = signed_in("desk-pol")
    assert_page(other.client.get("/shipments/SHP-1"), 404)
    assert "SHP-1" not in assert_page(other.client.get("/shipments"))


def test_the_logistics_pages_are_in_ukrainian(routed, signed_in):
    b = signed_in("coord")
    where = _run(b)
    b.client.get("/language?lang=uk&next=/")
    assert "Логістичні плани" in assert_page(b.client.get("/logistics"))
    assert "Рядки з повністю прокладеним маршрутом" in assert_page(b.client.get(where))
    assert "Хронологія" in assert_page(b.client.get("/shipments/SHP-1"))
    assert "відправлено" in assert_page(b.client.get("/shipments/SHP-1"))
