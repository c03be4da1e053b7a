"""Run component solves in worker processes with a hard deadline.

Each worker is a separate process (forkserver: forked from a clean server that never ran
HiGHS, so no solver threads are inherited). A worker that overruns the hard deadline is
terminated by its own handle and its components are reported as missing (the caller then
falls back to the greedy plan for them).
"""

from __future__ import annotations

import multiprocessing as mp
import time
import traceback
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


def _worker_loop(conn: Connection) -> None:
    while True:
        task = conn.recv()
        if task is None:
            return
        try:
            conn.send(run_task(task))
        except Exception:  # the parent must hear about any failure, then fall back
            conn.send(traceback.format_exc())


def run_parallel(
    tasks: list[Task], workers: int, soft_deadline: float, hard_deadline: float
) -> dict[int, list[ComponentOutcome] | str]:
    """Results by task index: outcomes, or a string saying why the task has none."""
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    pending = deque(tasks)
    results: dict[int, list[ComponentOutcome] | str] = {}
    busy: dict[Connection, tuple[mp.process.BaseProcess, Task]] = {}

    def dispatch(conn: Connection, proc: mp.process.BaseProcess) -> None:
        task = pending.popleft()
        remaining = max(soft_deadline - time.perf_counter(), 0.05)
        task = replace(task, time_limit=min(task.time_limit, remaining))
        conn.send(task)
        busy[conn] = (proc, task)

    for _ in range(min(workers, len(tasks))):
        parent_end, child_end = ctx.Pipe()
        proc = ctx.Process(target=_worker_loop, args=(child_end,), daemon=True)
        proc.start()
        child_end.close()
        dispatch(parent_end, proc)

    while busy:
        timeout = hard_deadline - time.perf_counter()
        ready = wait(list(busy), timeout=max(timeout, 0.0)) if timeout > 0 else []
        if not ready:
            for conn, (proc, task) in busy.items():
                proc.terminate()
                proc.join()
                conn.close()
                results[task.index] = "worker overran the hard time limit and was stopped"
            busy.clear()
            break
        for conn in ready:
            proc, task = busy.pop(conn)  # type: ignore[index]
            try:
                results[task.index] = conn.recv()  # type: ignore[union-attr]
            except EOFError:
                results[task.index] = f"worker exited with code {proc.exitcode}"
                conn.close()  # type: ignore[union-attr]
                continue
            if pending:
                dispatch(conn, proc)  # type: ignore[arg-type]
            else:
                conn.send(None)  # type: ignore[union-attr]
                proc.join()
                conn.close()  # type: ignore[union-attr]
    for task in pending:
        results[task.index] = "no worker left to run it"
    return results
