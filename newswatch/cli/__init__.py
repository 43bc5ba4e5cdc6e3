"""The `newswatch` command: the group (app.py) and one module per family of subcommands, registered here."""

from __future__ import annotations

from newswatch.cli import alerts_cmd, crawl_cmd, demo_cmd, detect_cmd, ops_cmd, subscribers_cmd, web_cmd
from newswatch.cli.app import main

# Each family module exposes COMMANDS; `newswatch --help` lists them by name.
for _family in (ops_cmd, crawl_cmd, alerts_cmd, demo_cmd, detect_cmd, web_cmd, subscribers_cmd):
    for _command in _family.COMMANDS:
        main.add_command(_command)

__all__ = ["main"]
