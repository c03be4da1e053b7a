"""Start-up benchmark: how long `coalition --help`, `list` and `show` take as whole processes.

Run: .venv/bin/python bench/startup.py [--repeat 7]
Each command runs as a fresh process (what a user waits for) against a demo database built in
a temporary folder; the baseline is a bare `python -c pass` from the same interpreter, measured
in the same run. The table shows the median and the best of the repeats, and each command's
margin over the bare start (the issue's aim: at most 0.3 s for all three).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

COMMANDS = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "coalition --help": [sys.executable, "-m", "coalition", "--help"],
    "coalition list offers --limit 20": [
        sys.executable, "-m", "coalition", "list", "offers", "--limit", "20"
    ],
    "coalition show offers DEU:DEU-OF-0002": [
        sys.executable, "-m", "coalition", "show", "offers", "DEU:DEU-OF-0002"
    ],
}  # fmt: skip


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "COALITION_DATABASE_URL": f"sqlite:///{Path(folder) / 'demo.db'}",
            "COALITION_LOG_FILE": str(Path(folder) / "coalition.log"),
        }
        subprocess.run(
            [sys.executable, "-m", "coalition", "demo"], env=env, check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        results = {
            name: [timed(command, env) for _ in range(args.repeat)]
            for name, command in COMMANDS.items()
        }
    base = statistics.median(results["python -c pass (baseline)"])
    table = Table(title=f"Whole-process start-up, {args.repeat} runs each")
    for column in ("command", "median s", "best s", "over bare python s"):
        table.add_column(column, justify="left" if column == "command" else "right")
    for name, times in results.items():
        median = statistics.median(times)
        table.add_row(name, f"{median:.3f}", f"{min(times):.3f}", f"{median - base:+.3f}")
    Console().print(table)


if __name__ == "__main__":
    main()
