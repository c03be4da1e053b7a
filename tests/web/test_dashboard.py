"""The dashboard shows each reader only what it may see, and says so when a section is empty."""

from __future__ import annotations

from web_support import assert_page

from api.api_support import ADMIN
from coalition.services import ledger
from coalition.storage.unit_of_work import UnitOfWork


def change_the_deu_offer(engine):
    with UnitOfWork(engine, ADMIN) as uow:
        before = ledger.get_record(uow, "offers", "DEU:DEU-OF-0001")
        ledger.update_record(uow, "offers", "DEU:DEU-OF-0001", {"quantity": "3"},
                             before["version"])  # fmt: skip


def test_recent_changes_and_candidates_show_only_visible_offers(signed_in, seeded):
    change_the_deu_offer(seeded)
    staff = assert_page(signed_in("coord").client.get("/"))
    assert "offer DEU:DEU-OF-0001</a>" in staff and "(quantity)" in staff
    assert "REQ-1" in staff and "DEU:DEU-OF-0001</a> — PZH2000" in staff
    other = assert_page(signed_in("desk-pol").client.get("/"))
    assert "DEU:DEU-OF-0001" not in other and "DEU-OF-0002" not in other
    assert "POL:POL-OF-0001</a> — KRAB" in other


def test_sign_ins_are_not_news(signed_in):
    html = assert_page(signed_in("coord").client.get("/"))
    assert "web_session_started" not in html


def test_sections_without_data_say_so(signed_in):
    html = assert_page(signed_in("analyst").client.get("/"))
    assert "No delivered offers you may see yet." in html
    assert "No accepted logistics plan you may see." in html
    assert "No accepted training plan you may see." in html


def test_the_printable_view_has_no_navigation(signed_in):
    html = assert_page(signed_in("coord").client.get("/print"))
    assert '<body class="printable"' in html
