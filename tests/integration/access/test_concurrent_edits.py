"""Concurrent If-Match edits of one record: every winner moved the version once, every loser
was told its copy was stale, and no loser's change was applied."""

from __future__ import annotations

import json
import threading

from coalition.domain.access import Principal, Role
from coalition.services import ledger
from coalition.services.errors import DatabaseBusy, VersionConflict
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import OFFERS_HEADER, import_text

CLIENTS, ATTEMPTS = 20, 50
DESK = Principal("desk-deu", Role.DONOR, "DEU")


def test_twenty_clients_updating_one_offer_fifty_times_each_lose_only_to_stale_versions(
    seeded, tmp_path
):
    import_text(
        seeded,
        tmp_path,
        "offers",
        OFFERS_HEADER + "DEU,OF-1,HE155,1,2026-01-01,DEU,new,,EUR,,offered,\n",
    )
    wins: list[int] = []
    stale: list[int] = []
    busy: list[int] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        for attempt in range(ATTEMPTS):
            with UnitOfWork(seeded, DESK, write=False) as uow:
                seen = ledger.get_record(uow, "offers", "DEU:OF-1")["version"]
            quantity = str(1000 * number + attempt + 2)  # every change is distinguishable
            try:
                with UnitOfWork(seeded, DESK, busy_timeout=30) as uow:
                    ledger.update_record(uow, "offers", "DEU:OF-1", {"quantity": quantity}, seen)
                outcome = wins
            except VersionConflict:
                outcome = stale
            except DatabaseBusy:
                outcome = busy
            with lock:
                outcome.append(int(quantity))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not busy
    assert len(wins) + len(stale) == CLIENTS * ATTEMPTS
    assert wins and stale
    with UnitOfWork(seeded, DESK, write=False) as uow:
        final = ledger.get_record(uow, "offers", "DEU:OF-1")
        logged = [e for e in ledger.history(uow, "offers", "DEU:OF-1") if e["action"] == "update"]
    # The version moved once per winner, the log holds one update per winner, and the value
    # kept is a winner's (a loser's change was never applied).
    assert final["version"] == 1 + len(wins)
    assert len(logged) == len(wins)
    assert final["quantity"] in wins
    assert not set(stale) & {int(json.loads(e["after"])["quantity"]) for e in logged}
