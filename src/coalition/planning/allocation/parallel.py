"""Run component solves in worker processes with a hard deadline.

Workers are fresh interpreters (`python -m coalition.planning.allocation.worker`) talking
pickled messages over dedicated pipes: no fork of a process that may hold solver threads, and
no re-import of the caller's `__main__`. A worker that overruns the hard deadline is
terminated by its own handle; its components are reported as missing so that the caller
falls back to the greedy plan for them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait

from .milp import ComponentOutcome, solve_component
from .model import Linking
from .pairs import PairTable


@dataclass(frozen=True)
class Task:
    index: int
    tables: tuple[PairTable, ...]
    time_limit: float
    mip_gap: float
    epsilon: float
    linking: Linking


def run_task(task: Task) -> list[ComponentOutcome]:
    deadline = time.perf_counter() + task.time_limit
    outcomes = []
    for table in task.tables:
        remaining = max(deadline - time.perf_counter(), 0.05)
        outcomes.append(solve_component(table, remaining, task.mip_gap, task.epsilon, task.linking))
    return outcomes


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    to_worker: Connection
    from_worker: Connection

    @classmethod
    def start(cls) -> _Worker:
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


def run_parallel(
    tasks: list[Task], workers: int, soft_deadline: float, hard_deadline: float
) -> dict[int, list[ComponentOutcome] | str]:
    """Results by task index: outcomes, or a string saying why the task has none."""
    pending = deque(tasks)
    results: dict[int, list[ComponentOutcome] | str] = {}
    busy: dict[Connection, tuple[_Worker, Task]] = {}

    def dispatch(worker: _Worker) -> None:
        task = pending.popleft()
        remaining = max(soft_deadline - time.perf_counter(), 0.05)
        task = replace(task, time_limit=min(task.time_limit, remaining))
        worker.to_worker.send(task)
        busy[worker.from_worker] = (worker, task)

    for _ in range(min(workers, len(tasks))):
        dispatch(_Worker.start())

    while busy:
        timeout = hard_deadline - time.perf_counter()
        ready = wait(list(busy), timeout=timeout) if timeout > 0 else []
        if not ready:
            for worker, task in busy.values():
                worker.stop(kill=True)
                results[task.index] = "worker overran the hard time limit and was stopped"
            busy.clear()
            break
        for conn in ready:
            worker, task = busy.pop(conn)  # type: ignore[call-overload]
            try:
                results[task.index] = worker.from_worker.recv()
            except (EOFError, OSError):
                worker.stop(kill=True)
                results[task.index] = f"worker exited with code {worker.process.returncode}"
                continue
            if pending:
                dispatch(worker)
            else:
                worker.stop(kill=False)
    for task in pending:
        results[task.index] = "no worker left to run it"
    return results
