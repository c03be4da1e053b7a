"""Import shows every problem by row and column before anything is written, then imports on
confirmation; an edit shows each validation error beside its field and refuses a stale edit."""

from __future__ import annotations

import re

from web_support import CSRF, assert_page

from api.api_support import ADMIN
from coalition.services import ledger
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import OFFERS_HEADER

BAD = OFFERS_HEADER + (
    "DEU,DEU-OF-0100,PZH2000,many,2026-02-01,DEU,new,,EUR,,offered,\n"
    "DEU,DEU-OF-0101,NOSUCHTYPE,3,2026-02-01,DEU,new,,EUR,,offered,\n"
)
GOOD = OFFERS_HEADER + (
    "DEU,DEU-OF-0100,PZH2000,2,2026-02-01,DEU,new,,EUR,,offered,\n"
    "DEU,DEU-OF-0101,HE155,300,2026-02-01,DEU,new,,EUR,,offered,\n"
)


def offers(engine) -> set[str]:
    with UnitOfWork(engine, ADMIN) as uow:
        return {
            f"{r['donor_code']}:{r['external_id']}" for r in ledger.list_records(uow, "offers", {})
        }


def upload(b, text: str, name: str = "offers.csv"):
    return b.client.post(
        "/import/check",
        data={"kind": "offers", "csrf_token": b.csrf("/import")},
        files={"file": (name, text.encode(), "text/csv")},
    )


def test_a_file_with_errors_shows_them_by_row_and_column_and_writes_nothing(signed_in, seeded):
    b = signed_in("desk-deu")
    before = offers(seeded)
    html = assert_page(upload(b, BAD), 422)
    rows = re.findall(r'<tr><td class="num">(\d+)</td><td>([a-z_]+)</td>', html)
    assert ("2", "quantity") in rows and ("3", "item_type_code") in rows
    assert offers(seeded) == before
    token = re.search(r"/import/problems/([A-Za-z0-9_-]+)\?kind=offers", html).group(1)
    problems = b.client.get(f"/import/problems/{token}?kind=offers")
    assert problems.status_code == 200 and "quantity" in problems.text
    assert problems.text.splitlines()[0].startswith("file,row,column")


def test_a_fixed_file_is_checked_then_imported_on_confirmation(signed_in, seeded):
    b = signed_in("desk-deu")
    html = assert_page(upload(b, GOOD))
    assert "it would create 2" in html and "DEU:DEU-OF-0100" not in offers(seeded)
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    done = b.client.post("/import/confirm", data={"kind": "offers", "token": token,
                         "csrf_token": CSRF.search(html).group(1)})  # fmt: skip
    assert "2 created" in assert_page(done)
    assert {"DEU:DEU-OF-0100", "DEU:DEU-OF-0101"} <= offers(seeded)


def test_another_donors_rows_are_refused_by_row(signed_in, seeded):
    text = OFFERS_HEADER + "POL,POL-OF-0100,KRAB,1,2026-02-01,POL,new,,EUR,,offered,\n"
    html = assert_page(upload(signed_in("desk-deu"), text), 422)
    assert "may not write offers of donor POL" in html
    assert "POL:POL-OF-0100" not in offers(seeded)


def test_only_spreadsheets_are_accepted(signed_in):
    html = assert_page(upload(signed_in("coord"), "x", name="offers.txt"), 422)
    assert "Choose a .csv or .xlsx file." in html


def test_the_template_downloads_with_the_registry_columns(signed_in):
    response = signed_in("coord").client.get("/import/template/offers")
    assert response.status_code == 200
    assert response.text.splitlines()[0].startswith("donor_code,external_id,item_type_code")


def edit_form(b, path):
    html = assert_page(b.client.get(path))
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    return CSRF.search(html).group(1), version


def test_a_validation_error_shows_beside_its_field_and_nothing_is_saved(signed_in, seeded):
    b = signed_in("coord")
    path = "/registries/offers/DEU:DEU-OF-0001/edit"
    csrf, version = edit_form(b, path)
    response = b.client.post(path, data={"csrf_token": csrf, "version": version,
                             "quantity": "-3", "item_type_code": "PZH2000"})  # fmt: skip
    html = assert_page(response, 422)
    assert 'id="field-quantity" name="quantity" value="-3"' in html
    assert re.search(r'id="error-quantity" class="field-error">[^<]+<', html)
    with UnitOfWork(seeded, ADMIN) as uow:
        assert ledger.get_record(uow, "offers", "DEU:DEU-OF-0001")["quantity"] == 4


def test_an_edit_after_someone_elses_is_refused_with_the_conflict_message(signed_in, seeded):
    first, second = signed_in("coord"), signed_in("admin")
    path = "/registries/offers/DEU:DEU-OF-0001/edit"
    csrf_1, version = edit_form(first, path)
    csrf_2, same_version = edit_form(second, path)
    assert version == same_version
    saved = first.client.post(path, data={"csrf_token": csrf_1, "version": version,
                              "quantity": "5"})  # fmt: skip
    assert saved.status_code == 303
    stale = second.client.post(path, data={"csrf_token": csrf_2, "version": version,
                               "quantity": "6"})  # fmt: skip
    html = assert_page(stale, 409)
    assert "Someone else changed this record" in html and 'value="5"' in html
    with UnitOfWork(seeded, ADMIN) as uow:
        assert ledger.get_record(uow, "offers", "DEU:DEU-OF-0001")["quantity"] == 5


def test_an_auditor_cannot_save_an_edit(signed_in, seeded):
    b = signed_in("auditor")
    path = "/registries/donors/DEU/edit"
    csrf, version = edit_form(b, path)
    response = b.client.post(path, data={"csrf_token": csrf, "version": version, "name": "X"})
    assert_page(response, 403)


def test_a_record_offers_exactly_its_legal_lifecycle_steps(signed_in, seeded):
    b = signed_in("coord")
    html = assert_page(b.client.get("/registries/offers/DEU:DEU-OF-0001"))
    steps = re.findall(r'name="status" value="([a-z_]+)"', html)
    assert steps == ["accepted", "declined", "withdrawn"]
    moved = b.post("/registries/offers/DEU:DEU-OF-0001/status", {"status": "accepted"})
    assert moved.status_code == 303
    with UnitOfWork(seeded, ADMIN) as uow:
        assert ledger.get_record(uow, "offers", "DEU:DEU-OF-0001")["status"] == "accepted"
    illegal = b.post("/registries/offers/DEU:DEU-OF-0001/status", {"status": "offered"})
    assert "offered" in assert_page(illegal, 400)


def test_a_donor_cannot_move_another_donors_record(signed_in, seeded):
    b = signed_in("desk-pol")
    response = b.post("/registries/offers/DEU:DEU-OF-0001/status", {"status": "withdrawn"})
    assert_page(response, 404)
    assert 'name="status"' not in assert_page(b.client.get("/registries/donors/DEU"))
