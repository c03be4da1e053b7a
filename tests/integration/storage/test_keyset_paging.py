"""Keyset pages (`ledger.seek_page`): walking every page in any sort order visits each visible
record once, in the order a full sort gives, with blank values first ascending and ties
broken by the key — on each backend, where NULL ordering differs."""

from __future__ import annotations

import random

import pytest

from coalition.domain.access import Principal, Role
from coalition.registries.kinds import KINDS
from coalition.services import ledger
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import OFFERS_HEADER, SEED, import_text

OFFERS = KINDS["offers"]


def offers_text() -> str:
    """60 offers from two donors with many equal quantities and blank declared values."""
    pick = random.Random(7)
    lines = []
    for n in range(60):
        donor = "DEU" if n % 3 else "POL"
        value = "" if n % 4 == 0 else str(pick.choice([1000, 2500, 2500, 9000]))
        day = f"2026-0{pick.randint(1, 9)}-0{pick.randint(1, 9)}"
        lines.append(
            f"{donor},{donor}-X-{n:03d},HE155,{pick.choice([1, 2, 2, 5])},{day},{donor},new,"
            f"{value},EUR,,offered,"
        )
    return OFFERS_HEADER + "\n".join(lines) + "\n"


@pytest.fixture
def seeded(engine, tmp_path):
    for kind, text in {**SEED, "offers": offers_text()}.items():
        import_text(engine, tmp_path, kind, text)
    return engine


def walk(engine, principal, sort, size, filters=None):
    rows, after, pages = [], None, 0
    while True:
        with UnitOfWork(engine, principal, write=False) as uow:
            page = ledger.seek_page(uow, "offers", filters or {}, sort, size, after)
        rows += page.rows
        pages += 1
        assert pages <= 100
        if not page.more:
            return rows, page.total
        last = page.rows[-1]
        column = sort.removeprefix("-") if sort else None
        after = ([last[column]] if column else []) + [last[k] for k in OFFERS.key]


def reference(rows, sort):
    column = sort.removeprefix("-") if sort else None

    def position(row):
        first = [(row[column] is not None, row[column])] if column else []
        return [*first, *(row[k] for k in OFFERS.key)]

    return sorted(rows, key=position, reverse=bool(sort and sort.startswith("-")))


@pytest.mark.parametrize("sort", [None, "quantity", "-quantity", "declared_value",
                                  "-declared_value", "available_from"])  # fmt: skip
@pytest.mark.parametrize("size", [1, 7, 60])
def test_every_page_in_order_each_record_once(seeded, sort, size):
    coordinator = Principal("coord", Role.COORDINATOR)
    walked, total = walk(seeded, coordinator, sort, size)
    with UnitOfWork(seeded, coordinator, write=False) as uow:
        everything = ledger.list_records(uow, "offers", {})
    keys = [OFFERS.key_of(r) for r in walked]
    assert total == len(everything) == len(keys) == len(set(keys)) == 60
    assert keys == [OFFERS.key_of(r) for r in reference(everything, sort)]


def test_pages_hold_only_what_the_principal_sees_and_filters_select(seeded):
    desk = Principal("desk", Role.DONOR, "POL")
    walked, total = walk(seeded, desk, "-declared_value", 4)
    assert total == len(walked) == 20 and {r["donor_code"] for r in walked} == {"POL"}
    coordinator = Principal("coord", Role.COORDINATOR)
    filtered, total = walk(seeded, coordinator, "quantity", 3, {"quantity": "2"})
    assert total == len(filtered) and {r["quantity"] for r in filtered} == {2}


def test_a_page_size_below_one_or_an_unknown_sort_is_refused(seeded):
    with UnitOfWork(seeded, Principal("coord"), write=False) as uow:
        with pytest.raises(ledger.ServiceError, match="page size"):
            ledger.seek_page(uow, "offers", {}, None, 0)
        with pytest.raises(ledger.ServiceError, match="colour"):
            ledger.seek_page(uow, "offers", {}, "-colour", 5)
