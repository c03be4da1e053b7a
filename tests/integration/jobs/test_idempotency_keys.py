"""Idempotency keys: a request repeated with its key is done once, on both backends."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from coalition.domain.access import Principal, Role
from coalition.services import idempotency
from coalition.services.idempotency import (
    IdempotencyConflict,
    IdempotencyInProgress,
    InvalidIdempotencyKey,
    replay_or_run,
)
from coalition.storage.tables import idempotency_keys

DESK = Principal("desk-deu", Role.DONOR, "DEU")
OTHER_DESK = Principal("desk-pol", Role.DONOR, "POL")
BODY = idempotency.body_hash(b'{"quantity": 4}')
PATH = "/api/v1/offers"


class Counter:
    """A request that creates something: counts its runs and answers with the run number."""

    def __init__(self, status=201, pause=None):
        self.runs = 0
        self.status = status
        self.pause = pause
        self.lock = threading.Lock()

    def __call__(self):
        with self.lock:
            self.runs += 1
            number = self.runs
        if self.pause is not None:
            assert self.pause.wait(30), "the test never let the request finish"
        return self.status, {"created": number, "items": [1, 2]}


def send(engine, run, *, key="key-1", principal=DESK, method="POST", path=PATH, body=BODY):
    return replay_or_run(engine, principal, key, method, path, body, run)


def stored_keys(engine):
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(idempotency_keys)).scalar()


def test_a_repeat_with_the_same_key_replays_the_first_response_without_running_again(engine):
    run = Counter()
    first = send(engine, run)
    again = send(engine, run)
    assert first == (201, {"created": 1, "items": [1, 2]}, False)
    assert again == (201, {"created": 1, "items": [1, 2]}, True)
    assert run.runs == 1


@pytest.mark.parametrize(
    "changed",
    [
        {"method": "PUT"},
        {"path": "/api/v1/pledges"},
        {"body": idempotency.body_hash(b'{"quantity": 5}')},
    ],
)
def test_the_same_key_with_another_request_is_a_conflict_and_nothing_runs(engine, changed):
    run = Counter()
    send(engine, run)
    with pytest.raises(IdempotencyConflict, match="key-1"):
        send(engine, run, **changed)
    assert run.runs == 1


def test_keys_belong_to_their_user(engine):
    run = Counter()
    assert send(engine, run)[2] is False
    assert send(engine, run, principal=OTHER_DESK)[2] is False
    assert run.runs == 2


def test_two_concurrent_first_requests_run_once_and_both_get_its_answer(engine):
    release = threading.Event()
    run = Counter(pause=release)
    start = threading.Barrier(2)
    answers = []

    def client():
        start.wait()
        answers.append(send(engine, run))

    threads = [threading.Thread(target=client) for _ in range(2)]
    for thread in threads:
        thread.start()
    # Let the winner run while the other is waiting for its answer, then let it finish.
    deadline = datetime.now(UTC) + timedelta(seconds=10)
    while run.runs == 0 and datetime.now(UTC) < deadline:
        threading.Event().wait(0.01)
    threading.Event().wait(0.3)
    release.set()
    for thread in threads:
        thread.join(timeout=30)
    assert run.runs == 1
    assert sorted(replayed for *_, replayed in answers) == [False, True]
    assert {(status, body["created"]) for status, body, _ in answers} == {(201, 1)}


def test_a_repeat_while_the_first_still_runs_is_told_to_try_again(engine, monkeypatch):
    monkeypatch.setattr(idempotency, "WAIT_FOR_FIRST_S", 0.2)
    release = threading.Event()
    run = Counter(pause=release)
    first = threading.Thread(target=lambda: send(engine, run))
    first.start()
    try:
        while run.runs == 0:
            threading.Event().wait(0.01)
        with pytest.raises(IdempotencyInProgress):
            send(engine, run)
    finally:
        release.set()
        first.join(timeout=30)
    assert run.runs == 1
    assert send(engine, run)[2] is True


def test_a_request_that_raised_or_failed_on_the_server_can_be_retried_with_its_key(engine):
    def broken():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        send(engine, broken)
    run = Counter(status=503)
    assert send(engine, run) == (503, {"created": 1, "items": [1, 2]}, False)
    assert stored_keys(engine) == 0
    run.status = 201
    assert send(engine, run)[:2] == (201, {"created": 2, "items": [1, 2]})
    assert send(engine, run)[2] is True


def test_a_client_error_is_replayed_like_any_answer(engine):
    run = Counter(status=422)
    send(engine, run)
    assert send(engine, run) == (422, {"created": 1, "items": [1, 2]}, True)


def age_keys(engine, by):
    with engine.begin() as connection:
        connection.execute(idempotency_keys.update().values(created_at=datetime.now(UTC) - by))


def test_a_key_older_than_a_day_is_ignored_and_can_be_purged(engine):
    run = Counter()
    send(engine, run)
    age_keys(engine, timedelta(hours=25))
    assert send(engine, run, body=idempotency.body_hash(b"other")) == (
        201,
        {"created": 2, "items": [1, 2]},
        False,
    )
    assert send(engine, run, key="key-2")[2] is False
    age_keys(engine, timedelta(hours=24, seconds=1))
    assert idempotency.purge_expired(engine) == 2
    assert stored_keys(engine) == 0


def test_a_key_younger_than_a_day_is_kept_by_the_purge(engine):
    send(engine, Counter())
    age_keys(engine, timedelta(hours=23))
    assert idempotency.purge_expired(engine) == 0
    assert send(engine, Counter())[2] is True


def test_a_claim_never_answered_is_given_up_after_a_while(engine):
    release = threading.Event()
    stuck = Counter(pause=release)
    first = threading.Thread(target=lambda: send(engine, stuck))
    first.start()
    try:
        while stuck.runs == 0:
            threading.Event().wait(0.01)
        age_keys(engine, idempotency.ABANDONED_AFTER + timedelta(seconds=1))
        run = Counter()
        assert send(engine, run)[2] is False
        assert run.runs == 1
    finally:
        release.set()
        first.join(timeout=30)


@pytest.mark.parametrize("key", ["", "x" * 201, " padded", "tab\there", "ключ"])
def test_a_malformed_key_is_refused(engine, key):
    run = Counter()
    with pytest.raises(InvalidIdempotencyKey):
        send(engine, run, key=key)
    assert run.runs == 0


def test_a_key_of_two_hundred_characters_is_accepted(engine):
    assert send(engine, Counter(), key="k" * 200)[2] is False
