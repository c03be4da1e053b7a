"""Run the CLI as `python -m coalition`."""

from coalition.cli import main

main()
