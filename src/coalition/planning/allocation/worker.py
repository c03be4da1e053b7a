"""Worker process entry point: `python -m coalition.planning.allocation.worker IN_FD OUT_FD`.

Receives `Task`s on IN_FD, sends back the outcomes (or a traceback string) on OUT_FD, stops on
None. Imports only numpy and highspy, so it starts in about 0.15 s.
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
            results.send(run_task(task))
        except Exception:  # the parent must hear about any failure, then fall back
            results.send(traceback.format_exc())


if __name__ == "__main__":
    main(sys.argv[1:])
