"""The services behind the web pages: an import check writes nothing at all; a list page
searches, sorts (blank cells last) and pages over what the principal may see."""

from __future__ import annotations

import pytest

from coalition.domain.access import Principal, Role
from coalition.services import ledger
from coalition.services.errors import ImportRejected, ServiceError
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import OFFERS_HEADER, SEED, database_content, import_text

STAFF = Principal("coord")
DESK_POL = Principal("desk-pol", Role.DONOR, "POL")
OFFERS = OFFERS_HEADER + (
    "DEU,DEU-OF-0001,PZH2000,4,2026-02-01,DEU,new,20000000,EUR,,offered,\n"
    "DEU,DEU-OF-0002,HE155,500,2026-02-01,DEU,new,,EUR,,offered,\n"
    "POL,POL-OF-0001,KRAB,2,2026-03-01,POL,new,,EUR,,offered,\n"
)


@pytest.fixture
def ledger_engine(engine, tmp_path):
    for kind, text in {**SEED, "offers": OFFERS}.items():
        import_text(engine, tmp_path, kind, text)
    return engine


def test_a_check_counts_what_an_import_would_do_and_writes_nothing(ledger_engine, tmp_path):
    path = tmp_path / "more.csv"
    path.write_text(OFFERS.replace(",4,", ",5,") + "POL,POL-OF-0002,KRAB,1,2026-03-01,POL,"
                    "new,,EUR,,offered,\n")  # fmt: skip
    before = database_content(ledger_engine)
    with UnitOfWork(ledger_engine, STAFF) as uow:
        result = ledger.check_file(uow, "offers", path)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 2)
    assert database_content(ledger_engine) == before


def test_a_check_reports_every_problem_by_row_and_column(ledger_engine, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(OFFERS_HEADER + "DEU,X-1,PZH2000,many,2026-02-01,DEU,new,,EUR,,offered,\n"
                    "DEU,X-2,NOPE,1,2026-02-01,DEU,new,,EUR,,offered,\n")  # fmt: skip
    with UnitOfWork(ledger_engine, STAFF) as uow, pytest.raises(ImportRejected) as refused:
        ledger.check_file(uow, "offers", path)
    assert {(p.row, p.column) for p in refused.value.problems} == {
        (2, "quantity"),
        (3, "item_type_code"),
    }


def test_browse_searches_sorts_and_pages_what_the_principal_may_see(ledger_engine):
    with UnitOfWork(ledger_engine, STAFF) as uow:
        by_quantity = ledger.browse(uow, "offers", {}, sort="-quantity", per_page=2)
        second = ledger.browse(uow, "offers", {}, sort="-quantity", page=2, per_page=2)
        searched = ledger.browse(uow, "offers", {}, search="krab")
        blanks_last = ledger.browse(uow, "offers", {}, sort="-declared_value")
    assert [r["_key"] for r in by_quantity.rows] == ["DEU:DEU-OF-0002", "DEU:DEU-OF-0001"]
    assert (by_quantity.total, by_quantity.pages) == (3, 2)
    assert [r["_key"] for r in second.rows] == ["POL:POL-OF-0001"]
    assert [r["_key"] for r in searched.rows] == ["POL:POL-OF-0001"]
    assert blanks_last.rows[0]["_key"] == "DEU:DEU-OF-0001"
    with UnitOfWork(ledger_engine, DESK_POL) as uow:
        own = ledger.browse(uow, "offers", {}, search="DEU")
    assert own.total == 0


def test_browse_refuses_an_unknown_sort_column(ledger_engine):
    with UnitOfWork(ledger_engine, STAFF) as uow, pytest.raises(ServiceError, match="sort"):
        ledger.browse(uow, "offers", {}, sort="colour")
