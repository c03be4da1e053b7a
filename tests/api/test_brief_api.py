"""The brief's figures over the API: each reader gets its own view (need-to-know)."""

from __future__ import annotations

import json

V1 = "/api/v1"
PATH = f"{V1}/brief?from=2025-01-01&to=2026-12-31&year=2025"


def test_a_donor_sees_only_its_own_records_in_the_brief(sqlite_api):
    client = sqlite_api.client
    staff = client.get(PATH, headers=sqlite_api.auth("coord"))
    assert staff.status_code == 200, staff.text
    mine = client.get(PATH, headers=sqlite_api.auth("desk-deu"))
    assert mine.status_code == 200, mine.text
    body = mine.json()
    text = json.dumps(body)
    assert "POL-OF-0001" not in text and "POL-FIN" not in text
    assert "POL-OF-0001" in json.dumps(staff.json())
    assert [d["code"] for d in body["burden"]["donors"]] in ([], ["DEU"])
    assert body["logistics"]["available"] is False  # logistics plans are for staff


def test_a_period_that_ends_before_it_starts_is_refused(sqlite_api):
    response = sqlite_api.client.get(
        f"{V1}/brief?from=2026-06-01&to=2026-01-01", headers=sqlite_api.auth("coord")
    )
    assert response.status_code in (400, 422)
    assert "ends before it starts" in response.text
