"""The `coalition` command: thin wrappers that parse, call a service and render."""

from __future__ import annotations

import sys

from coalition.cli import allocation as _allocation  # noqa: F401  (registers commands)
from coalition.cli import burden as _burden  # noqa: F401
from coalition.cli import demo as _demo  # noqa: F401
from coalition.cli import ledger as _ledger  # noqa: F401
from coalition.cli import logistics as _logistics  # noqa: F401
from coalition.cli import reports as _reports  # noqa: F401
from coalition.cli import serve as _serve  # noqa: F401
from coalition.cli import tracking as _tracking  # noqa: F401
from coalition.cli import training as _training  # noqa: F401
from coalition.cli import training_plans as _training_plans  # noqa: F401
from coalition.cli import users as _users  # noqa: F401
from coalition.cli.app import app


def main() -> None:
    sys.exit(app())
