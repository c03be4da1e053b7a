"""The cooperation tracker and meetings register through the ledger: status history, period
filtering, the progress report's counts per strand, overdue taskings."""

from __future__ import annotations

from datetime import date

import pytest

from coalition.domain import checks
from coalition.domain.access import Principal, Role
from coalition.domain.cooperation import Strand
from coalition.services import cooperation
from coalition.services.errors import NotFound, ServiceError
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import import_text

FILES = {
    "proposals": "id,set_year,strand,text,illustrative\n"
    "P-HYB-1,2016,hybrid,Join the Hybrid CoE,false\n"
    "P-HYB-2,2016,hybrid,Shared threat picture,true\n"
    "P-CYB-1,2016,cyber,Open cyber courses,false\n",
    "progress-reports": "number,period_from,period_to,presented_on\n"
    "7,2021-06-01,2022-05-31,2022-06-20\n8,2022-06-01,2023-05-31,2023-06-16\n"
    "9,2023-06-01,2024-05-31,2024-06-17\n",
    "proposal-progress": "proposal_id,report_number,status,narrative,next_steps\n"
    "P-HYB-1,7,in_progress,started,keep going\nP-HYB-1,8,completed,done,\n"
    "P-HYB-1,9,completed,done,\nP-HYB-2,7,not_started,,\nP-HYB-2,8,not_started,,wait\n"
    "P-CYB-1,7,advanced,,\nP-CYB-1,8,stalled,blocked,unblock\n",
    "meetings": "code,format,held_on,title\nUDCG-1,udcg,2026-02-11,Contact Group\n"
    "DEFMIN-1,nato_defmin,2026-06-12,Defence ministers\n",
    "taskings": "meeting_code,number,decision,owner,due_on,status,done_on\n"
    "UDCG-1,1,Pool offers,Artillery coalition,2026-03-01,open,\n"
    "UDCG-1,2,Report,NSATU,2026-03-01,done,2026-02-28\n"
    "DEFMIN-1,1,Plan repairs,Armour coalition,2026-07-01,in_progress,\n",
}
STAFF = Principal("coord", Role.COORDINATOR)


@pytest.fixture
def tracker(seeded, tmp_path):
    for kind, text in FILES.items():
        import_text(seeded, tmp_path, kind, text)
    return seeded


def test_a_proposals_status_history_lists_each_report_in_order(tracker):
    with UnitOfWork(tracker, STAFF) as uow:
        history = cooperation.status_history(uow, "P-HYB-1")
        with pytest.raises(NotFound):
            cooperation.status_history(uow, "NOPE")
    assert [(h["report_number"], h["status"]) for h in history] == [
        (7, "in_progress"), (8, "completed"), (9, "completed")
    ]  # fmt: skip
    assert history[1]["period_from"] == "2022-06-01"


def test_a_period_selects_the_reports_it_overlaps(tracker):
    with UnitOfWork(tracker, STAFF) as uow:
        assert [r["number"] for r in cooperation.reports_in_period(
            uow, date(2022, 6, 1), date(2023, 5, 31))] == [8]  # fmt: skip
        assert [r["number"] for r in cooperation.reports_in_period(
            uow, date(2022, 1, 1), date(2023, 12, 31))] == [7, 8, 9]  # fmt: skip
        assert cooperation.reports_in_period(uow, date(2030, 1, 1), date(2030, 12, 31)) == []
        with pytest.raises(ServiceError, match="no progress report covers"):
            cooperation.progress_report(uow, date(2030, 1, 1), date(2030, 12, 31))


def test_the_progress_report_gives_every_strand_its_counts(tracker):
    with UnitOfWork(tracker, STAFF) as uow:
        report = cooperation.progress_report(uow, date(2022, 6, 1), date(2023, 5, 31))
    assert (report["report_number"], report["previous_report_number"]) == (8, 7)
    strands = {s["strand"]: s for s in report["strands"]}
    assert set(strands) == {str(s) for s in Strand}
    hybrid, cyber = strands["hybrid"], strands["cyber"]
    assert hybrid["proposals"] == 2 and hybrid["illustrative"] == 1
    assert hybrid["by_status"]["completed"] == 1 and hybrid["by_status"]["not_started"] == 1
    assert hybrid["moved_forward"] == 1  # in progress -> completed
    assert [e["id"] for e in hybrid["examples"]] == ["P-HYB-1"]
    assert hybrid["next_steps"] == ["wait"]
    assert cyber["by_status"]["stalled"] == 1 and cyber["moved_forward"] == 0
    assert strands["space"]["proposals"] == 0
    assert report["proposals"] == 3
    assert sum(report["by_status"].values()) == 3


def test_overdue_taskings_are_the_open_ones_past_their_date_most_overdue_first(tracker):
    with UnitOfWork(tracker, STAFF) as uow:
        early = cooperation.overdue_taskings(uow, date(2026, 3, 2))
        late = cooperation.overdue_taskings(uow, date(2026, 7, 11))
        with checks.today_is(date(2026, 7, 11)):
            register = cooperation.meetings_register(uow, date(2026, 1, 1), date(2026, 12, 31))
    assert [(t["meeting"], t["number"], t["days_overdue"]) for t in early] == [("UDCG-1", 1, 1)]
    assert [(t["meeting"], t["number"]) for t in late] == [("UDCG-1", 1), ("DEFMIN-1", 1)]
    assert [t["overdue"] for m in register for t in m["taskings"]] == [True, False, True]
