"""20 clients × 50 If-Match updates of one record: the final version equals the number of
successful updates plus the first, and every loser got 412 (never a lost update)."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

from coalition.api import create_app

CLIENTS, ROUNDS = 20, 50
PATH = "/api/v1/offers/DEU:DEU-OF-0001"

pytestmark = pytest.mark.slow


def test_concurrent_if_match_updates_lose_nothing(api):
    app = create_app(api.engine)
    headers = api.auth("coord")
    statuses: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)

    def client_loop(number: int) -> None:
        with TestClient(app, raise_server_exceptions=False) as client:
            start.wait()
            for round_ in range(ROUNDS):
                tag = client.get(PATH, headers=headers).headers["ETag"]
                quantity = str(1 + number * ROUNDS + round_)
                response = client.patch(PATH, headers={**headers, "If-Match": tag},
                                        json={"quantity": quantity})  # fmt: skip
                with lock:
                    statuses.append(response.status_code)

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = statuses.count(200)
    assert len(statuses) == CLIENTS * ROUNDS
    assert set(statuses) <= {200, 412}, sorted(set(statuses))
    final = api.client.get(PATH, headers=headers)
    assert final.json()["version"] == 1 + won
    assert final.headers["ETag"] == f'"{1 + won}"'
