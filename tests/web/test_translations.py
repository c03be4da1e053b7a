"""Every page in English and Ukrainian: no string of the pages is left untranslated in the
Ukrainian catalogue, placeholders survive translation, and the pages use it."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from web_support import assert_page

from coalition.web import i18n

WEB = Path(i18n.__file__).resolve().parent
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|%%")


def extracted() -> set[str]:
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"trim_blocks": "true", "lstrip_blocks": "true"}}
    return {
        message if isinstance(message, str) else message[0]
        for _, _, message, _, _ in extract_from_dir(WEB, method_map, options)
    }


def catalogue():
    with i18n.catalogue_path("uk").open("rb") as handle:
        return read_po(handle, locale="uk")


def test_every_message_of_the_pages_has_a_ukrainian_translation():
    ukrainian = catalogue()
    wanted = extracted()
    assert len(wanted) > 150
    missing = sorted(m for m in wanted if not (ukrainian.get(m) and ukrainian.get(m).string))
    assert missing == []
    fuzzy = sorted(m.id for m in ukrainian if m.id and m.fuzzy)
    assert fuzzy == []


def test_the_catalogue_holds_no_message_the_pages_no_longer_use():
    unused = sorted(m.id for m in catalogue() if m.id and m.id not in extracted())
    assert unused == []


def test_translations_keep_every_placeholder():
    for message in catalogue():
        if message.id:
            assert sorted(PLACEHOLDER.findall(message.id)) == sorted(
                PLACEHOLDER.findall(message.string)
            ), message.id


def test_the_language_switch_is_remembered_and_pages_are_in_ukrainian(signed_in):
    b = signed_in("coord")
    assert 'lang="en"' in assert_page(b.client.get("/"))
    switched = b.client.get("/language?lang=uk&next=/registries")
    assert switched.status_code == 303 and switched.headers["location"] == "/registries"
    html = assert_page(b.client.get("/registries"))
    assert '<html lang="uk">' in html and "Реєстри" in html and "Донори" in html
    assert "Стан коаліції" in assert_page(b.client.get("/"))


def test_the_browser_language_is_used_until_the_reader_chooses(new_browser):
    b = new_browser()
    html = assert_page(b.client.get("/login", headers={"Accept-Language": "uk-UA,uk;q=0.9"}))
    assert "Увійти" in html


def test_numbers_and_dates_follow_the_locale():
    assert i18n.number(1234567.5, "en", 1) == "1,234,567.5"
    assert i18n.number(1234567.5, "uk", 1) == "1\xa0234\xa0567,5"
    assert i18n.day("2026-03-01", "en") == "Mar 1, 2026"
    assert "2026" in i18n.day("2026-03-01", "uk") and "бер" in i18n.day("2026-03-01", "uk")
