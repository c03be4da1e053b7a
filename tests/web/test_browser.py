"""Browser tests: Debian's Chromium, headless, driven by Playwright against a live server on
the demo ledger. Each main page is checked with axe-core (no serious or critical violation)
and for Content-Security-Policy violations (the console), and saved as a screenshot in both
languages under test-artifacts/."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from coalition.domain.access import Principal, Role
from coalition.services import demo, ledger
from coalition.services.database import reading, writing
from coalition.services.progress import NoProgress
from coalition.storage.engine import make_engine

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's Chromium is not installed (`make browser` installs it)"
)
playwright_api = pytest.importorskip("playwright.sync_api")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AXE_SOURCE = AXE.read_text(encoding="utf-8") + "\n;void 0;"
LAPTOP = {"width": 1366, "height": 768}
READER = Principal("browser-test", Role.ADMIN)


@dataclass(frozen=True)
class Live:
    url: str
    passwords: dict[str, str]
    engine: object
    deu_offer: str
    pol_offer: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The demo ledger served by uvicorn in a thread (the app `coalition serve` runs)."""
    import uvicorn

    from coalition.asgi import create_app

    folder = tmp_path_factory.mktemp("live")
    engine = make_engine(f"sqlite:///{folder / 'coalition.db'}")
    loaded = demo.load(NoProgress(), engine)
    with reading(READER, engine) as uow:
        deu = ledger.list_records(uow, "offers", {"donor_code": "DEU", "status": "offered"}, 1)[0]
        pol = ledger.list_records(uow, "offers", {"donor_code": "POL"}, 1)[0]
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(engine), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield Live(
        f"http://127.0.0.1:{port}",
        {a.name: a.password for a in loaded.accounts},
        engine,
        f"DEU:{deu['external_id']}",
        f"POL:{pol['external_id']}",
    )
    server.should_exit = True
    thread.join(10)
    engine.dispose()  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": LAPTOP}


# Chromium logs every 4xx answer as an error; a page that refuses input on purpose (422, 409,
# 404) is not a fault. Everything else, CSP violations first, is.
ANSWERED_4XX = "Failed to load resource: the server responded with a status of 4"


class Console:
    """Errors the page reports: CSP violations, failed scripts, uncaught exceptions."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        page.on("console", self._message)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _message(self, message) -> None:
        if message.type == "error" and not message.text.startswith(ANSWERED_4XX):
            self.errors.append(message.text)


def log_in(page, live: Live, user: str) -> None:
    page.goto(f"{live.url}/login")
    page.fill("#username", user)
    page.fill("#password", live.passwords[user])
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live.url}/")


def serious_violations(page) -> list[str]:
    # Evaluated through the DevTools protocol, which the page's CSP does not govern (a script
    # tag would be refused by it, as it should be).
    page.evaluate(AXE_SOURCE)
    found = page.evaluate("async () => (await axe.run()).violations")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def test_every_main_page_in_both_languages_is_accessible_and_keeps_the_policy(page, live):
    console = Console(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{live.url}/login")
    assert serious_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "en-login.png"))
    log_in(page, live, "coordinator")
    pages = {
        "dashboard": "/",
        "registries": "/registries",
        "offers": "/registries/offers?sort=-quantity",
        "offer": f"/registries/offers/{live.deu_offer}",
        "edit": f"/registries/offers/{live.deu_offer}/edit",
        "import": "/import",
        "plans": "/plans",
        "burden": "/burden",
        "capability": "/capability",
        "training": "/training",
        "print": "/print",
    }
    for language in ("en", "uk"):
        page.goto(f"{live.url}/language?lang={language}&next=/")
        assert page.get_attribute("html", "lang") == language
        for name, path in pages.items():
            response = page.goto(live.url + path)
            assert response is not None and response.status == 200, path
            policy = response.headers["content-security-policy"]
            assert "script-src 'self'" in policy and "unsafe-inline" not in policy
            assert serious_violations(page) == [], (language, path)
            page.screenshot(path=str(ARTIFACTS / f"{language}-{name}.png"), full_page=False)
    assert console.errors == []


def test_import_shows_errors_by_row_and_column_writes_nothing_then_imports_the_fix(
    page, live, tmp_path
):
    console = Console(page)
    log_in(page, live, "desk-deu")
    header = (
        "donor_code,external_id,item_type_code,quantity,available_from,origin,condition,"
        "declared_value,currency,only_for_areas,status,delivered_on\n"
    )
    bad = tmp_path / "offers.csv"
    bad.write_text(
        header
        + "DEU,DEU-WEB-1,PZH2000,lots,2026-02-01,DEU,new,,EUR,,offered,\n"
        + "DEU,DEU-WEB-2,NOSUCH,3,2026-02-01,DEU,new,,EUR,,offered,\n"
    )
    page.goto(f"{live.url}/import?kind=offers")
    page.set_input_files("#file", str(bad))
    page.click("text=Check the file")
    problems = page.locator("#problems tbody tr")
    assert problems.count() >= 2
    cells = [problems.nth(i).locator("td").all_inner_texts()[:2] for i in range(problems.count())]
    assert ["2", "quantity"] in cells and ["3", "item_type_code"] in cells
    page.screenshot(path=str(ARTIFACTS / "en-import-problems.png"))
    with reading(READER, live.engine) as uow:  # type: ignore[arg-type]
        assert not ledger.list_records(uow, "offers", {"external_id": "DEU-WEB-1"})
    good = tmp_path / "offers-fixed.csv"
    good.write_text(header + "DEU,DEU-WEB-1,PZH2000,2,2026-02-01,DEU,new,,EUR,,offered,\n")
    page.set_input_files("#file", str(good))
    page.click("text=Check the file")
    assert "would create 1" in page.inner_text("#check-ok")
    page.click("text=Confirm the import")
    assert "1 created" in page.inner_text("#import-done")
    with reading(READER, live.engine) as uow:  # type: ignore[arg-type]
        assert ledger.list_records(uow, "offers", {"external_id": "DEU-WEB-1"})
    assert console.errors == []


def test_run_review_forbid_a_pair_and_accept_a_plan(page, live):
    console = Console(page)
    log_in(page, live, "coordinator")
    page.goto(f"{live.url}/plans")
    page.fill("#time_limit", "20")
    page.click("#run-allocation")
    page.wait_for_url(re.compile(r".*/plans/\d+$"), timeout=60_000)  # htmx follows the job
    first = page.url
    assert page.locator("#assignments tbody tr").count() > 0
    assert "optimal" in page.inner_text("#figures-title + dl") or "feasible" in page.inner_text(
        "#figures-title + dl"
    )
    assert serious_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "en-plan.png"))
    row = page.locator("#assignments tbody tr").first
    offer, requirement = row.locator("td").all_inner_texts()[:2]
    row.locator("button", has_text="Forbid").click()
    page.wait_for_url(lambda url: re.search(r"/plans/\d+$", url) is not None and url != first,
                      timeout=60_000)  # fmt: skip
    pairs = [r[:2] for r in (page.locator("#assignments tbody tr").all_inner_texts())]
    assert not any(offer in p and requirement in p for p in pairs)
    page.click("#accept-plan")
    page.wait_for_selector("#accepted")
    assert "accepted" in page.inner_text("h1")
    first_id = first.rsplit("/", 1)[1]
    second_id = page.url.rsplit("/", 1)[1].split("?")[0]
    page.goto(f"{live.url}/plans/compare?a={first_id}&b={second_id}")
    assert page.locator("#differences tbody tr").count() >= 1
    assert serious_violations(page) == []
    page.goto(f"{live.url}/language?lang=uk&next=/plans/{second_id}")
    assert serious_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "uk-plan.png"))
    page.goto(f"{live.url}/language?lang=en&next=/plans")
    assert console.errors == []


def test_an_edit_after_another_sessions_edit_gets_the_conflict_message(browser, live):
    first, second = browser.new_context(), browser.new_context()
    a, b = first.new_page(), second.new_page()
    log_in(a, live, "coordinator")
    log_in(b, live, "demo-admin")
    edit = f"{live.url}/registries/offers/{live.deu_offer}/edit"
    a.goto(edit)
    b.goto(edit)
    a.fill("#field-origin", "DEU")
    a.fill("#field-quantity", "7")
    a.click("form button[type=submit] >> text=Save")
    a.wait_for_selector("text=Saved.")
    b.fill("#field-quantity", "9")
    b.click("form button[type=submit] >> text=Save")
    assert "Someone else changed this record" in b.inner_text("#conflict")
    assert b.input_value("#field-quantity") == "7"
    b.screenshot(path=str(ARTIFACTS / "en-edit-conflict.png"))
    first.close()
    second.close()


def test_a_donor_never_sees_another_donors_offer(page, live):
    log_in(page, live, "desk-deu")
    page.goto(f"{live.url}/registries/offers?donor_code=POL")
    assert "No records match." in page.inner_text("main")
    page.fill("#q", "POL")  # the search updates the list in place (htmx) and the address
    page.wait_for_url(re.compile(r".*q=POL.*"))
    assert "No records match." in page.inner_text("#results")
    page.goto(f"{live.url}/registries/offers")
    keys = page.locator("tbody th[scope=row]").all_inner_texts()
    assert keys and all(k.startswith("DEU:") for k in keys)
    response = page.goto(f"{live.url}/registries/offers/{live.pol_offer}")
    assert response is not None and response.status == 404
    assert page.inner_text("h1") == "Not found"  # the message only repeats the key asked for


def test_switching_to_ukrainian_is_remembered(page, live):
    log_in(page, live, "analyst")
    page.click("header a[lang=uk]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "uk"
    assert "Стан коаліції" in page.inner_text("h1")
    page.goto(f"{live.url}/plans")
    assert "Плани розподілу" in page.inner_text("h1")


def test_logistics_plan_whatif_and_shipment_pages_in_both_languages(page, live):
    """The demo's logistics plan: its page (headline, chart, ETAs), accepted, the dashboard
    showing it, a what-if closing the busiest hub, and a shipment's timeline; screenshots."""
    from coalition.services import allocation

    with reading(READER, live.engine) as uow:
        in_force = uow.plans.in_force()
    if in_force is None:  # the demo's allocation, accepted as `coalition demo` does
        stored, _ = allocation.run(READER, allocation.parameters(time_limit=20),
                                   engine=live.engine)  # fmt: skip
        with writing(READER, live.engine) as uow:
            allocation.accept(uow, stored.id)
    console = Console(page)
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, live, "coordinator")
    page.goto(f"{live.url}/logistics")
    page.fill("#horizon", "180")
    page.fill("#time_limit", "20")
    page.click("#run-logistics")
    page.wait_for_url(re.compile(r".*/logistics/plans/\d+$"), timeout=90_000)  # via the job
    plan_url = page.url
    page.wait_for_function(
        "() => { const i = document.querySelector('#peaks-chart'); return i && i.naturalWidth > 0 }"
    )
    assert page.locator("#etas tbody tr").count() > 0
    assert serious_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "en-logistics-plan.png"))
    page.locator("#peaks-chart").screenshot(path=str(ARTIFACTS / "en-logistics-peaks.png"))
    page.locator("#etas-title").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "en-logistics-etas.png"))
    hub = page.inner_text(".headline dd:nth-of-type(4)").split(" ")[0]
    if page.locator("#accept-logistics-plan").count():
        page.click("#accept-logistics-plan")
        page.wait_for_selector("#accepted")
    page.goto(f"{live.url}/")
    assert page.locator("#logistics-title").count() == 1
    page.locator("#logistics-title").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "en-dashboard-logistics.png"))
    page.goto(f"{live.url}/logistics")
    assert serious_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "en-logistics.png"))
    page.fill("#close", hub)
    page.fill("#first", "2026-12-10")
    page.fill("#last", "2026-12-20")
    page.click("#run-whatif", no_wait_after=True)  # the re-plan answers when it is done
    page.wait_for_selector("#whatif-summary", timeout=120_000)
    assert serious_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "en-logistics-whatif.png"))
    with reading(READER, live.engine) as uow:
        from coalition.services import tracking

        shipments = tracking.list_shipments(uow, limit=1).rows
    if shipments:
        page.goto(f"{live.url}/shipments/{shipments[0]['shipment_id']}")
        assert serious_violations(page) == []
        page.screenshot(path=str(ARTIFACTS / "en-shipment.png"))
    page.goto(f"{live.url}/language?lang=uk&next={plan_url.removeprefix(live.url)}")
    assert serious_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "uk-logistics-plan.png"))
    page.goto(f"{live.url}/language?lang=en&next=/logistics")
    assert console.errors == []
