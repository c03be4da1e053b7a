"""The Typer application, its global options and the error boundary every command shares."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from coalition.cli.render import fail
from coalition.config import get_settings
from coalition.domain.access import Principal
from coalition.domain.errors import DomainError
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

F = TypeVar("F", bound=Callable[..., Any])


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


def handles_errors(command: F) -> F:
    """Turn expected failures into one clean line on stderr and a non-zero exit."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ImportRejected as error:
            from coalition.cli.render import errors

            for problem in error.problems:
                errors.print(str(problem), highlight=False, soft_wrap=True, markup=False)
            fail(str(error))
            raise typer.Exit(1) from None
        except (ServiceError, DomainError, DatabaseBusy) as error:
            fail(str(error))
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]
