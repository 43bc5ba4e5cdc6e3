"""Who runs a crawl and how a crawl that fetched nothing ends: shared by the crawler, which records its
run's owner, the status report, which tells a killed run from a live one, and the commands."""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# Exit code of `newswatch crawl` (and `newswatch run --once`) when every source failed: nothing could
# be fetched (no network, DNS down, every site unreachable). 1 is the run itself failing, 2 a bad config.
EXIT_ALL_SOURCES_FAILED = 3


def run_owner() -> dict[str, Any]:
    """What a crawl run records about its process when it starts."""
    return {"host": socket.gethostname(), "pid": os.getpid()}


def owner_gone(stats: Mapping[str, Any]) -> bool:
    """True when the run was started on this host by a process that no longer runs.

    Runs from another host (a distributed crawl) cannot be checked from here: they count as alive.
    """
    pid = stats.get("pid")
    if stats.get("host") != socket.gethostname() or not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, under another user
        return False
    # A killed child its parent has not reaped yet still answers signal 0: a zombie is gone too.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return state == "Z"
