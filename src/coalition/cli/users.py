"""`coalition user ...`: accounts and API tokens."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from coalition.cli.app import app, handles_errors, principal
from coalition.cli.render import as_json, say, table

user_app = typer.Typer(help="Accounts and API tokens.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("add")
@handles_errors
def add(
    name: Annotated[str, typer.Argument(help="the user's name (letters, digits, . _ -)")],
    role: Annotated[
        str,
        typer.Option(help="admin, coordinator, donor, recipient, analyst or auditor"),
    ],
    donor: Annotated[
        str | None, typer.Option(help="the donor a donor user speaks for (role donor only)")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from standard input")
    ] = False,
) -> None:
    """Add a user (an admin's job; the first user of a fresh database must be an admin)."""
    from coalition.services import accounts
    from coalition.services.database import writing
    from coalition.services.errors import ServiceError

    if not password_stdin:
        raise ServiceError("give the password on standard input with --password-stdin")
    password = sys.stdin.readline().rstrip("\r\n")
    with writing(principal(bootstrap=True)) as uow:
        view = accounts.add_user(uow, name, role, donor, password)
    suffix = f" for donor {view.donor_code}" if view.donor_code else ""
    say(f"user {view.name} added with role {view.role}{suffix}")


@user_app.command("token")
@handles_errors
def token(
    name: Annotated[str, typer.Argument(help="the user the token acts as")],
    expires: Annotated[int, typer.Option(help="days until the token expires (1-365)")] = 30,
) -> None:
    """Issue an API token; it is printed once, alone on stdout, and stored only as a hash."""
    from coalition.services import accounts
    from coalition.services.database import writing

    with writing(principal()) as uow:
        issued = accounts.issue_token(uow, name, expires)
    print(issued)


@user_app.command("disable")
@handles_errors
def disable(name: Annotated[str, typer.Argument(help="the user to disable")]) -> None:
    """Disable a user at once: their tokens stop working."""
    from coalition.services import accounts
    from coalition.services.database import writing

    with writing(principal()) as uow:
        revoked = accounts.disable_user(uow, name)
    say(f"user {name} disabled; {revoked} token(s) revoked")


@user_app.command("list")
@handles_errors
def list_users(
    json_out: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Every user with role, donor and whether disabled (admins and auditors)."""
    from coalition.services import accounts
    from coalition.services.database import reading

    with reading(principal()) as uow:
        views = accounts.list_users(uow)
    rows = [
        {
            "name": v.name,
            "role": v.role,
            "donor": v.donor_code,
            "disabled": "yes" if v.disabled else "",
            "created": f"{v.created_at:%Y-%m-%d %H:%M}",
        }
        for v in views
    ]
    if json_out:
        as_json(rows)
        return
    table(f"Users ({len(rows)})", rows)
