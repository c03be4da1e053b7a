"""The in-memory unit of work answers exactly as the real repository does on SQLite."""

from __future__ import annotations

import pytest

from coalition.domain.access import Principal
from coalition.registries.kinds import OFFERS, REQUIREMENTS
from coalition.services import ledger
from coalition.storage.unit_of_work import UnitOfWork
from fakes import FakeLedger
from support_ledger import OFFERS_HEADER, SEED

OFFERS_TEXT = OFFERS_HEADER + (
    "DEU,OF-1,PZH2000,10,2026-01-01,DEU,new,,EUR,,offered,\n"
    "DEU,OF-2,HE155,500,2026-01-01,DEU,new,,EUR,,accepted,\n"
    "POL,OF-1,KRAB,6,2026-02-01,POL,new,,EUR,,offered,\n"
    "POL,OF-2,HE155,300,2026-02-01,POL,used,,EUR,,offered,\n"
)


@pytest.fixture
def both(sqlite_engine, tmp_path):
    fake = FakeLedger()
    for kind, text in [*SEED.items(), ("offers", OFFERS_TEXT)]:
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        with fake.unit_of_work() as uow:
            ledger.import_file(uow, kind, path)
        with UnitOfWork(sqlite_engine, Principal("tester")) as uow:
            ledger.import_file(uow, kind, path)
    real = UnitOfWork(sqlite_engine, Principal("tester"), write=False)
    with real, fake.unit_of_work(write=False) as pretend:
        yield real, pretend


QUERIES = [
    ("list", lambda r: r.find()),
    ("list filtered", lambda r: r.find({"donor_code": "DEU"})),
    ("list within", lambda r: r.find(within={"status": ["accepted", "shipped"]})),
    ("list paged", lambda r: r.find(limit=2, offset=1)),
    ("count", lambda r: r.count()),
    ("count within", lambda r: r.count(within={"item_type_code": ["HE155"]})),
    ("totals", lambda r: sorted(r.totals(("item_type_code", "status"), "quantity"))),
    ("get", lambda r: r.get("POL:OF-2")),
    ("get missing", lambda r: r.get("POL:OF-9")),
    ("get malformed", lambda r: r.get("POL")),
    ("keys", lambda r: r.keys()),
]


@pytest.mark.parametrize(("name", "query"), QUERIES, ids=[q[0] for q in QUERIES])
def test_the_fake_repository_answers_like_the_real_one(both, name, query):
    real, pretend = both
    assert query(pretend.records(OFFERS)) == query(real.records(OFFERS))


def test_the_fake_totals_match_on_requirements_too(both):
    real, pretend = both

    def totals(uow):
        return sorted(uow.records(REQUIREMENTS).totals(("family_code",), "quantity"))

    assert totals(pretend) == totals(real)
