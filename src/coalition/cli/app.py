"""The Typer application, its global options and the error boundary every command shares.

No traceback reaches a user: expected failures (a refused import, a rule, a bad option, a file
that cannot be read or written) print what is wrong, where and how to fix it; anything else
prints one line asking for a report, and the traceback goes to the log file, not the terminal.
"""

from __future__ import annotations

import functools
import logging
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from coalition.cli.render import errors as error_console
from coalition.cli.render import fail
from coalition.config import get_settings
from coalition.domain.access import Principal
from coalition.domain.errors import DomainError
from coalition.io.spreadsheets import UnreadableFile
from coalition.io.validation import Problem, write_problems
from coalition.services.errors import ImportRejected, ServiceError
from coalition.storage.errors import DatabaseBusy

app = typer.Typer(
    name="coalition",
    help="Coordinate security assistance among donors: ledger, plans and burden-sharing.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

state: dict[str, str] = {}
SHOWN_PROBLEMS = 50  # problems printed on screen; --errors FILE.csv writes them all
LOG_FILE = Path(tempfile.gettempdir()) / "coalition-errors.log"
log = logging.getLogger("coalition.cli")

F = TypeVar("F", bound=Callable[..., Any])


class BadInput(Exception):
    """An option or argument that cannot be used as given; the message says how to fix it."""


@app.callback()
def _global_options(
    as_user: Annotated[
        str | None, typer.Option("--as", help="act as this user (default: COALITION_USER or you)")
    ] = None,
) -> None:
    state["actor"] = as_user or get_settings().user


def principal() -> Principal:
    """Who the command acts as (`--as`, else COALITION_USER, else the login name)."""
    return Principal(state.get("actor") or get_settings().user)


def parse_day(text: str, option: str) -> date:
    """A date option written YYYY-MM-DD, or BadInput naming the option."""
    try:
        if len(text.strip()) == 10:
            return date.fromisoformat(text.strip())
    except ValueError:
        pass
    raise BadInput(f"{option} {text!r}: expected a date written YYYY-MM-DD, e.g. 2025-03-01")


def report_rejected(
    error: ImportRejected, errors_file: Path | None = None, source: Path | None = None
) -> None:
    """A refused import: one line for a file that cannot be read, else the problems listed."""
    problems = error.problems
    if len(problems) == 1 and problems[0].row == 0 and errors_file is None:
        fail(f"{problems[0]}; nothing was imported")
        return
    show_problems(problems, errors_file, source)
    fail(str(error))


def show_problems(
    problems: Sequence[Problem], errors_file: Path | None = None, source: Path | None = None
) -> None:
    """The first problems on screen, the total, and where all of them are (or can be) written."""
    for problem in problems[:SHOWN_PROBLEMS]:
        error_console.print(str(problem), highlight=False, soft_wrap=True, markup=False)
    hidden = len(problems) - SHOWN_PROBLEMS
    if errors_file is not None:
        write_problems(errors_file, problems)
        error_console.print(
            f"all {len(problems)} problem(s) written to {errors_file}", markup=False
        )
    elif hidden > 0:
        suggestion = f"{source}.errors.csv" if source else "problems.errors.csv"
        error_console.print(
            f"… and {hidden} more; write all {len(problems)} with --errors {suggestion}",
            markup=False,
            soft_wrap=True,
        )


def _log_unexpected(error: Exception) -> str:
    """Log the traceback to the log file (never the terminal); return where it went."""
    if not log.handlers:
        try:
            log.addHandler(logging.FileHandler(LOG_FILE, encoding="utf-8"))
        except OSError:
            log.addHandler(logging.NullHandler())
        log.propagate = True
    log.error("unexpected failure", exc_info=error)
    return str(LOG_FILE)


def handles_errors(command: F) -> F:
    """Turn every failure into one clean line on stderr and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.TyperException):  # Typer's own exits and usage
            raise
        except ImportRejected as error:
            report_rejected(error)
        except (ServiceError, DomainError, BadInput, UnreadableFile, DatabaseBusy) as error:
            fail(str(error))
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            fail(f"{where}{error.strerror or error}")
        except Exception as error:  # the last resort: one line here, the traceback in the log
            logged = _log_unexpected(error)
            fail(
                f"unexpected failure ({type(error).__name__}): {error} — please report it "
                f"(details in {logged})"
            )
        raise typer.Exit(1)

    return wrapper  # type: ignore[return-value]
