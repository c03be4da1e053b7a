"""A page never renders user text as markup: names holding <script>, {{ }} or [/] show as text
on every page they appear on (lists, record, edit form, dashboard, burden table)."""

from __future__ import annotations

import pytest
from web_support import assert_page

from api.api_support import ADMIN
from coalition.services import ledger
from coalition.storage.unit_of_work import UnitOfWork

HOSTILE = '<script>alert("x")</script> {{ 7*7 }} [/] <b>bold</b>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; {{ 7*7 }} [/] &lt;b&gt;bold&lt;/b&gt;"


@pytest.fixture
def hostile(seeded):
    with UnitOfWork(seeded, ADMIN) as uow:
        before = ledger.get_record(uow, "donors", "DEU")
        ledger.update_record(uow, "donors", "DEU", {"name": HOSTILE}, before["version"])
    with UnitOfWork(seeded, ADMIN) as uow:
        before = ledger.get_record(uow, "requirements", "REQ-1")
        ledger.update_record(uow, "requirements", "REQ-1", {"description": HOSTILE},
                             before["version"])  # fmt: skip
    return seeded


@pytest.mark.parametrize(
    "path",
    [
        "/registries/donors",
        "/registries/donors?q=script",
        "/registries/donors/DEU",
        "/registries/donors/DEU/edit",
        "/registries/requirements/REQ-1",
        "/registries/requirements/REQ-1/edit",
        "/burden?year=2025",
    ],
)
def test_a_hostile_name_shows_as_text(hostile, signed_in, path):
    html = assert_page(signed_in("coord").client.get(path))
    assert ESCAPED in html, path
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert "49" not in html.split(ESCAPED)[0][-40:]  # {{ 7*7 }} was not evaluated


def test_the_chart_escapes_names_too(hostile, signed_in):
    response = signed_in("coord").client.get("/burden/2025/chart.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert "<script" not in response.text and "<b>" not in response.text


def test_a_search_for_markup_is_shown_as_typed(signed_in, seeded):
    html = assert_page(signed_in("coord").client.get("/registries/donors?q=%3Cscript%3E"))
    assert 'value="&lt;script&gt;"' in html
