"""The Typer application, its global options and the error boundary every command shares.

No traceback reaches a user: expected failures (a refused import, a rule, a bad option, a file
that cannot be read or written) print what is wrong, where and how to fix it; anything else
prints one line asking for a report, and the traceback goes to the structured log.

Only Typer and the CLI's own modules load at start, so `coalition --help` answers at once;
each command imports the services it calls when it runs.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from coalition.cli.render import errors as error_console
from coalition.cli.render import fail

if TYPE_CHECKING:
    from coalition.domain.access import Principal
    from coalition.io.validation import Problem
    from coalition.services.errors import ImportRejected

app = typer.Typer(
    name="coalition",
    help="Coordinate security assistance among donors: ledger, plans and burden-sharing.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

state: dict[str, Any] = {}
SHOWN_PROBLEMS = 50  # problems printed on screen; --errors FILE.csv writes them all
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
    state["actor"] = as_user


def principal(*, bootstrap: bool = False) -> Principal:
    """The user the command acts as (`--as`, else COALITION_USER, else the login name),
    looked up in the database: role and donor come from the account, never from the caller.

    `bootstrap`: the command may act on a database with no users yet (as its first admin).
    """
    from coalition.config import get_settings
    from coalition.services.accounts import acting

    name = state.get("actor") or get_settings().user
    return acting(name, bootstrap=bootstrap)


def parse_day(text: str, option: str) -> date:
    """A date option written YYYY-MM-DD, or BadInput naming the option."""
    try:
        if len(text.strip()) == 10:
            return date.fromisoformat(text.strip())
    except ValueError:
        pass
    raise BadInput(f"{option} {text!r}: expected a date written YYYY-MM-DD, e.g. 2025-03-01")


def parse_period(text: str | None, option: str = "--period") -> tuple[date | None, date | None]:
    """A period written FROM..TO (either end may be left out), or BadInput naming the option."""
    if text is None:
        return None, None
    first, sep, last = text.partition("..")
    if not sep:
        raise BadInput(f"{option} {text!r}: expected FROM..TO, e.g. 2026-06-01..2026-11-30")
    start = parse_day(first, option) if first.strip() else None
    end = parse_day(last, option) if last.strip() else None
    if start and end and end < start:
        raise BadInput(f"{option} {text!r}: the period ends before it starts")
    return start, end


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
    from coalition.services.ledger import write_problems

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


def _start_log() -> str:
    """Point the structured log where the settings say; returns where it goes."""
    from coalition.config import get_settings
    from coalition.structured_log import configure

    try:
        settings = get_settings()
        wanted = (settings.log_file, settings.log_level)
    except Exception:  # a broken setting must not hide the command's own answer
        wanted = ("", "INFO")
    if state.get("log_key") != wanted:
        state["log_to"] = configure(*wanted)
        state["log_key"] = wanted
    return str(state["log_to"])


def _expected(error: Exception) -> str | None:
    """The one line for a failure a user can act on, or None for a defect."""
    from coalition.domain.errors import DomainError
    from coalition.services.errors import DatabaseBusy, ServiceError, UnreadableFile

    if isinstance(error, ServiceError | DomainError | BadInput | UnreadableFile | DatabaseBusy):
        return str(error)
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror or error}"
    return None


def handles_errors(command: F) -> F:
    """Turn every failure into one clean line on stderr and exit status 1; log each command."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        where = _start_log()
        outcome = "ok"
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort) as stop:
            code = getattr(stop, "exit_code", 1)
            outcome = "ok" if code == 0 else "refused"
            raise
        except typer.BadParameter:
            outcome = "refused"
            raise
        except Exception as error:
            from coalition.services.errors import ImportRejected

            if isinstance(error, ImportRejected):
                outcome = "refused"
                report_rejected(error)
            elif (message := _expected(error)) is not None:
                outcome = "refused"
                fail(message)
            else:  # the last resort: one line here, the traceback in the log
                outcome = "failed"
                log.error("unexpected failure", exc_info=error)
                fail(
                    f"unexpected failure ({type(error).__name__}): {error} — please report it "
                    f"(details in {where})"
                )
            raise typer.Exit(1) from None
        finally:
            log.info(
                "command",
                extra={
                    "event": "command",
                    "command": command.__name__.strip("_").replace("_", "-"),
                    "user": state.get("actor"),
                    "outcome": outcome,
                    "seconds": round(time.perf_counter() - started, 3),
                },
            )

    return wrapper  # type: ignore[return-value]
