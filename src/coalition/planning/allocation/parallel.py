"""Run component solves in worker processes with a hard deadline.

Workers are fresh interpreters (`python -m coalition.planning.allocation.worker`) talking
pickled messages over dedicated pipes: no fork of a process that may hold solver threads, and
no re-import of the caller's `__main__`. A worker that overruns the hard deadline is
terminated by its own handle. Each table's result is sent as soon as it is known (first its
greedy fallback, then its audited outcome), so a killed worker loses only the table it was
solving, and even that one keeps the greedy plan the worker had already sent.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from typing import Any

from . import budget
from .milp import ComponentOutcome, checked_greedy, fallback_outcome, solve_component
from .model import Linking
from .pairs import FloatArray, PairTable


@dataclass(frozen=True)
class Task:
    index: int
    tables: tuple[PairTable, ...]
    time_limit: float  # seconds for the whole task, shared among its tables (budget.share)
    mip_gap: float
    epsilon: float
    linking: Linking
    # Wall-clock time (time.time(), shared by all processes) when the time limit was set: a
    # worker deducts what passed before it could read the task.
    dispatched_at: float = 0.0
    # A known plan per table (warm start and fallback); empty: the greedy plan is computed.
    starts: tuple[FloatArray, ...] = ()


# Below this, a table is not given to HiGHS at all (its time limit cannot be shorter).
MIN_SOLVE_S = 0.01

# What a task reports, table by table, as soon as it is known:
#   ("fallback", position, x)      the checked greedy plan of the table about to be solved
#   ("outcome", position, outcome) the table's audited outcome
Message = tuple[str, int, Any]


def run_task(task: Task) -> Iterator[Message]:
    """Solve the task's tables in order, each with its share of the time left to the task."""
    waited = max(0.0, time.time() - task.dispatched_at) if task.dispatched_at else 0.0
    deadline = time.perf_counter() + task.time_limit - waited
    weights = [budget.weight(t) for t in task.tables]
    for k, table in enumerate(task.tables):
        greedy_x = task.starts[k] if task.starts else checked_greedy(table)
        yield ("fallback", k, greedy_x)
        remaining = deadline - time.perf_counter()
        limit = budget.share(remaining, weights[k], sum(weights[k:]))
        if remaining < MIN_SOLVE_S:  # out of time: HiGHS could not even start
            yield ("outcome", k, fallback_outcome(table, greedy_x, "no time left"))
            continue
        outcome = solve_component(
            table, limit, task.mip_gap, task.epsilon, task.linking, greedy_x=greedy_x
        )
        yield ("outcome", k, outcome)


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    to_worker: Connection
    from_worker: Connection

    @classmethod
    def start(cls) -> Worker:
        task_read, task_write = os.pipe()
        result_read, result_write = os.pipe()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "coalition.planning.allocation.worker",
                str(task_read),
                str(result_write),
            ],
            pass_fds=(task_read, result_write),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            env=env,
        )
        os.close(task_read)
        os.close(result_write)
        return cls(
            process, Connection(task_write, readable=False), Connection(result_read, writable=False)
        )

    def stop(self, kill: bool) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.to_worker.send(None)
            except OSError:
                self.process.kill()
        self.process.wait()
        self.to_worker.close()
        self.from_worker.close()


@dataclass
class TaskResult:
    """What came back from one task: audited outcomes and greedy fallbacks by position."""

    outcomes: dict[int, ComponentOutcome] = field(default_factory=dict)
    fallbacks: dict[int, FloatArray] = field(default_factory=dict)
    failure: str = ""  # why the task stopped before every table had an outcome

    def take(self, message: Message) -> None:
        kind, position, payload = message
        if kind == "outcome":
            self.outcomes[position] = payload
        else:
            self.fallbacks[position] = payload


def start_workers(n: int) -> list[Worker]:
    """Start `n` workers now; they import numpy and highspy while the caller builds tables."""
    return [Worker.start() for _ in range(n)]


def _send(worker: Worker, task: Task) -> None:
    # The worker may be killed meanwhile; its task is then reported as failed.
    with contextlib.suppress(OSError, TypeError, ValueError):  # closed by the kill
        worker.to_worker.send(task)


def run_parallel(
    tasks: list[Task],
    workers: int | list[Worker],
    solve_deadline: float,
    hard_deadline: float,
    keep: list[Worker] | None = None,
) -> dict[int, TaskResult]:
    """Results by task index. Tasks are dispatched largest first; each gets its share of the
    time left (see budget.py). A worker still busy at the hard deadline is killed by its own
    handle; the tables it had finished are kept. `workers` is a count or workers already
    started (`start_workers`); those left idle are stopped, or appended to `keep`.

    A task is sent from a thread: a large table fills the pipe until the worker reads it,
    and the deadlines must be kept meanwhile."""
    idle = list(workers) if isinstance(workers, list) else []
    count = len(idle) if isinstance(workers, list) else workers
    weight_left = {t.index: sum(budget.weight(x) for x in t.tables) for t in tasks}
    # Largest first (as `tasks` come). Measured smallest first on the loaded bench machine:
    # better under 2 s (L: 32 instead of 170 components without a plan), worse under 10 s
    # (L: 15 instead of 0 without a plan), so the order stays.
    pending = deque(tasks)
    results: dict[int, TaskResult] = {t.index: TaskResult() for t in tasks}
    busy: dict[Connection, tuple[Worker, Task]] = {}
    slots = min(count, len(tasks))

    def dispatch(worker: Worker) -> None:
        task = pending.popleft()
        remaining = solve_deadline - time.perf_counter()
        waiting = sum(weight_left[t.index] for t in pending) + weight_left[task.index]
        limit = budget.share(remaining, weight_left[task.index], waiting, slots)
        timed = replace(task, time_limit=limit, dispatched_at=time.time())
        threading.Thread(target=_send, args=(worker, timed), daemon=True).start()
        busy[worker.from_worker] = (worker, task)

    def release(worker: Worker) -> None:
        if keep is None:
            worker.stop(kill=False)
        else:
            keep.append(worker)

    for _ in range(slots):
        dispatch(idle.pop() if idle else Worker.start())
    for worker in idle:
        release(worker)

    while busy:
        timeout = hard_deadline - time.perf_counter()
        ready = wait(list(busy), timeout=timeout) if timeout > 0 else []
        if not ready:
            for worker, task in busy.values():
                worker.stop(kill=True)
                results[task.index].failure = "worker overran the hard time limit and was killed"
            busy.clear()
            break
        for conn in ready:
            worker, task = busy[conn]  # type: ignore[index]
            try:
                message = worker.from_worker.recv()
            except (EOFError, OSError):
                del busy[conn]  # type: ignore[arg-type]
                worker.stop(kill=True)
                results[task.index].failure = f"worker exited with code {worker.process.returncode}"
                continue
            if isinstance(message, str):  # a traceback: the task is over
                results[task.index].failure = message
            elif message is not None:
                results[task.index].take(message)
                continue
            del busy[conn]  # type: ignore[arg-type]
            if pending:
                dispatch(worker)
            else:
                release(worker)
    for task in pending:
        results[task.index].failure = "no worker left to run it"
    return results
