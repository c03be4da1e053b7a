"""A Rich progress bar behind the services' Progress protocol."""

from __future__ import annotations

from types import TracebackType

from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeRemainingColumn
from rich.progress import Progress as RichBar

from coalition.cli.render import errors


class ProgressBar:
    def __init__(self) -> None:
        self._bar = RichBar(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=errors,
            transient=True,
            disable=not errors.is_terminal,  # a bar in a log file is noise
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._task: TaskID | None = None
        self._pending = 0

    def __enter__(self) -> ProgressBar:
        self._bar.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._bar.stop()

    def start(self, phase: str, total: int) -> None:
        self._flush()
        if self._task is not None:
            self._bar.remove_task(self._task)
        self._task = self._bar.add_task(phase, total=max(total, 1))

    def advance(self, amount: int = 1) -> None:
        # Redrawing per row would cost more than validating it: batch the updates.
        self._pending += amount
        if self._pending >= 1000:
            self._flush()

    def _flush(self) -> None:
        if self._task is not None and self._pending:
            self._bar.advance(self._task, self._pending)
        self._pending = 0
