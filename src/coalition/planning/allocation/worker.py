"""Worker process entry point: `python -m coalition.planning.allocation.worker IN_FD OUT_FD`.

Receives `Task`s on IN_FD and sends back, on OUT_FD, each table's messages as they come (see
`parallel.run_task`), then None (or a traceback string) when the task is over; stops on None.
Imports only numpy and highspy, so it starts in about 0.15 s.
"""

from __future__ import annotations

import sys
import traceback
from multiprocessing.connection import Connection

from .parallel import run_task


def main(argv: list[str]) -> None:
    tasks = Connection(int(argv[0]), writable=False)
    results = Connection(int(argv[1]), readable=False)
    while True:
        try:
            task = tasks.recv()
        except EOFError:
            return
        if task is None:
            return
        try:
            for message in run_task(task):
                results.send(message)
            results.send(None)  # the task is complete
        except Exception:  # the parent must hear about any failure, then fall back
            results.send(traceback.format_exc())


if __name__ == "__main__":
    main(sys.argv[1:])
