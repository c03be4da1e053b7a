"""The shipped demo scenario: imports cleanly, real memberships, and generated files never drift."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from coalition import demo
from coalition.demo.generate import DEFAULT_SEED, generate
from coalition.domain.access import Principal
from coalition.domain.donors import Membership, Organisation, members_of_all, members_on
from coalition.registries.kinds import KINDS
from coalition.services.ledger import import_file
from coalition.storage.engine import make_engine
from coalition.storage.migrate import upgrade
from coalition.storage.unit_of_work import UnitOfWork

DATA = demo.data_dir()


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def test_files_come_in_the_ledgers_import_order_with_each_kinds_columns():
    listed = demo.files()
    missing = [kind for kind in KINDS if kind not in demo.DEMO_FILES]
    assert not missing, f"registries with no demo file: {missing} (add one to coalition.demo)"
    assert [kind for kind, _ in listed] == list(KINDS)
    for kind, path in listed:
        assert path.is_file(), path
        # The demo's records are all NATO UNCLASSIFIED: the optional marking column is left out.
        expected = [c.name for c in KINDS[kind].columns if c.name != "marking"]
        assert header(path) == expected, path.name


def test_every_demo_file_imports_cleanly_into_a_fresh_database(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    upgrade(engine)
    try:
        for kind, path in demo.files():
            with UnitOfWork(engine, Principal("test")) as uow:
                result = import_file(uow, kind, path)
            assert result.created == len(rows(path.name)) > 0, path.name
            assert (result.updated, result.unchanged) == (0, 0)
    finally:
        engine.dispose()


def memberships() -> list[Membership]:
    return [
        Membership(
            r["donor_code"],
            Organisation(r["organisation"]),
            date.fromisoformat(r["joined"]),
            date.fromisoformat(r["left"]) if r["left"] else None,
        )
        for r in rows("memberships.csv")
    ]


@pytest.mark.parametrize(
    ("day", "both"),
    [
        (date(2023, 1, 10), 21),
        (date(2023, 4, 4), 22),
        (date(2024, 3, 6), 22),
        (date(2024, 3, 7), 23),
    ],
)
def test_members_of_both_nato_and_the_eu(day, both):
    assert len(members_of_all(memberships(), ["NATO", "EU"], day)) == both


def test_today_nato_has_32_members_and_the_eu_27_without_the_uk():
    today = date(2026, 11, 23)
    nato = members_on(memberships(), "NATO", today)
    eu = members_on(memberships(), "EU", today)
    assert (len(nato), len(eu)) == (32, 27)
    assert "GBR" in members_on(memberships(), "EU", date(2020, 1, 31)) and "GBR" not in eu
    assert eu - nato == {"AUT", "CYP", "IRL", "MLT"}
    assert nato - eu == {"ALB", "CAN", "ISL", "MNE", "MKD", "NOR", "TUR", "GBR", "USA"}


def test_the_generator_reproduces_the_shipped_files_byte_for_byte(tmp_path):
    counts = generate(DEFAULT_SEED, tmp_path)
    assert set(counts) == set(demo.GENERATED)
    for name in demo.GENERATED:
        shipped = (DATA / name).read_bytes()
        assert (tmp_path / name).read_bytes() == shipped, (
            f"{name} drifted: run `python -m coalition.demo.generate` and commit the result"
        )


def test_reference_values_are_cited_or_listed_as_demo_assumptions():
    cited = {r["item_type_code"] for r in rows("platforms.csv") if r["unit_cost_eur_approx"]}
    assumed = {r["item_type_code"]: r for r in rows("assumed_values.csv")}
    assert cited == {"PZH2000", "AMM-155-CZI"}
    for item in rows("item-types.csv"):
        code = item["code"]
        assert item["reference_value_eur"], code
        if code in cited:
            assert code not in assumed
            continue
        assert assumed[code]["reference_value_eur"] == item["reference_value_eur"], code
        assert assumed[code]["basis"].startswith("demo assumption"), code


def test_every_platforms_row_is_an_item_type_with_its_cited_mass():
    items = {r["code"]: r for r in rows("item-types.csv")}
    platforms = rows("platforms.csv")
    assert len(platforms) == 67
    for row in platforms:
        item = items[row["item_type_code"]]
        assert item["name"] == row["name"]
        if row["combat_mass_t"]:
            assert float(item["mass_kg"]) == pytest.approx(float(row["combat_mass_t"]) * 1000)
    kits = [i for i in items.values() if i["code"].startswith("SPK-")]
    assert kits and all(
        items[k["platform_code"]]["platform_code"] == k["platform_code"] for k in kits
    )


def test_every_mass_is_cited_or_listed_as_a_demo_assumption():
    cited = {r["item_type_code"] for r in rows("platforms.csv") if r["combat_mass_t"]}
    assumed = {r["item_type_code"]: r for r in rows("assumed_masses.csv")}
    for item in rows("item-types.csv"):
        code = item["code"]
        assert item["mass_kg"], code  # the logistics planner needs every unit's mass
        if code in cited:
            assert code not in assumed, code
            continue
        assert float(assumed[code]["mass_kg"]) == float(item["mass_kg"]), code
        assert assumed[code]["basis"].startswith("demo assumption"), code


def test_the_scenario_has_the_promised_shape():
    offers = rows("offers.csv")
    assert 1400 <= len(offers) <= 1600
    assert 250 <= len(rows("requirements.csv")) <= 350
    assert 250 <= len(rows("pledges.csv")) <= 350
    declared = sum(1 for o in offers if o["declared_value"]) / len(offers)
    assert 0.5 <= declared <= 0.7
    status = Counter(o["status"] for o in offers)
    assert status.most_common(1)[0][0] == "offered" and status["withdrawn"] and status["declined"]
    for offer in offers:
        arrived = offer["status"] in ("delivered", "operational")
        assert bool(offer["delivered_on"]) == arrived
        if arrived:
            assert "2024-01-01" <= offer["delivered_on"] <= "2026-12-31"
    # Some platforms on offer are not yet in Ukraine's fleet: "new type" decisions for the planner.
    items = {r["code"]: r for r in rows("item-types.csv")}
    operated = {r["item_type_code"] for r in rows("fleet.csv")}
    platforms = {c for c, r in items.items() if r["platform_code"] == c}
    assert 0.5 <= len(operated) / len(platforms) <= 0.7
    assert {o["item_type_code"] for o in offers} & (platforms - operated)
    pledges = rows("pledges.csv")
    channelled = [p for p in pledges if p["channel_code"]]
    assert {p["channel_code"] for p in channelled} == {"NATO-CAP", "EPF"}
    assert {p["donor_code"] for p in pledges} >= {"EPF", "EU", "NATO-CAP"}
    assert all(bool(p["disbursed_on"]) == (p["status"] == "disbursed") for p in pledges)


def test_gdp_import_keeps_the_imf_figures_and_source_verbatim():
    shipped = rows("gdp.csv")
    converted = rows("gdp_import.csv")
    assert [(r["iso3"], r["year"], r["gdp"], r["source"]) for r in shipped] == [
        (r["donor_code"], r["year"], r["amount"], r["source"]) for r in converted
    ]
