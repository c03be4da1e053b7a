"""The capability and training pages: the services' figures for the signed-in reader, the
funnel withheld (never zero) for a donor who may not see an area, Ukrainian text."""

from __future__ import annotations

import re

from web_support import assert_page

from coalition.domain.access import Principal, Role
from coalition.services import training
from coalition.storage.unit_of_work import UnitOfWork


def _row(html: str, table: str, header: str) -> list[str]:
    """The cells of the row of `table` whose header cell is `header`."""
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if cells and cells[0] == header:
            return cells
    raise AssertionError(f"no row {header!r} in {table}")


def test_the_funnel_shows_the_services_figures_for_the_staff(signed_in, seeded):
    html = assert_page(signed_in("coord").client.get("/capability"))
    with UnitOfWork(seeded, Principal("coord", Role.COORDINATOR)) as uow:
        total = training.funnel(uow)[-1]
    cells = _row(html, "funnel-table", "All areas")
    expected = [f"{float(total.required_eur) / 1e6:,.1f}"] + [
        f"{float(total.stage(s)) / 1e6:,.1f}"
        for s in ("offered", "accepted", "delivered", "crewed", "operational")
    ]
    assert cells[1:7] == expected
    assert "withheld" not in cells
    assert "Readiness by family" in html and "SPH-155" in html


def test_a_donor_sees_an_area_drawn_on_another_donor_withheld(signed_in):
    html = assert_page(signed_in("desk-deu").client.get("/capability"))
    cells = _row(html, "funnel-table", "artillery")  # the seed's artillery: DEU and POL offers
    assert cells[2:] == ["withheld"] * 6


def test_the_training_page_lists_the_need_and_who_trained(signed_in):
    html = assert_page(signed_in("analyst").client.get("/training"))
    assert _row(html, "totals-table", "EUMAM")[1:5] == ["2026", "1", "20", "19"]
    # The seed's platforms are offered, none accepted: no crews are needed yet.
    assert "No platform accepted or delivered needs trained crews yet." in html


def test_the_pages_speak_ukrainian(signed_in):
    b = signed_in("ukraine")
    b.client.get("/language?lang=uk&next=/")
    assert "Потреба в навчанні" in assert_page(b.client.get("/training"))
    assert "Готовність парку" in assert_page(b.client.get("/capability"))


def test_a_year_out_of_range_is_a_clear_page_not_a_traceback(signed_in):
    response = signed_in("coord").client.get("/training?year=99999")
    assert "year" in assert_page(response, 400)


def test_a_coordinator_approves_the_drafts_shown_and_a_donor_cannot(signed_in, seeded):
    coord = signed_in("coord")
    page = assert_page(coord.client.get("/sustainment?band=high&months=6"))
    refs = re.findall(r'<th scope="row">(SUS-[^<]+)</th>', page)
    assert refs and 'id="approve-drafts"' in page
    start = re.search(r'name="start" value="([^"]+)"', page).group(1)
    form = {"band": "high", "months": "6", "start": start}
    desk = signed_in("desk-deu")
    assert 'id="approve-drafts"' not in assert_page(desk.client.get("/sustainment"))
    assert desk.post("/sustainment/approve", form).status_code == 403
    done = coord.post("/sustainment/approve", form, csrf_from="/sustainment")
    assert done.status_code == 303
    shown = assert_page(coord.client.get(done.headers["location"]))
    assert f"{len(refs)} requirements written, 0 already" in shown
    for ref in refs:
        assert_page(coord.client.get(f"/registries/requirements/{ref}"))
    again = coord.post("/sustainment/approve", form, csrf_from="/sustainment")
    assert f"0 requirements written, {len(refs)} already" in assert_page(
        coord.client.get(again.headers["location"])
    )
