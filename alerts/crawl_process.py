"""Run one crawl as a child process with a time limit.

A Twisted reactor cannot be restarted, so a long-running service never crawls in its own process:
each crawl is `python -m newswatch --config <file> crawl`, stopped (SIGTERM, then SIGKILL) when it
overruns. NEWSWATCH_CRAWL_COMMAND replaces that command line (e.g. to wrap it in `nice`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shlex
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from newswatch.config import ENV_DATABASE_URL
from newswatch.crawling.runs import EXIT_ALL_SOURCES_FAILED

logger = logging.getLogger(__name__)

ENV_CRAWL_COMMAND = "NEWSWATCH_CRAWL_COMMAND"
# After SIGTERM, Scrapy finishes in-flight requests and closes the spider: give it this long.
TERMINATE_GRACE_SECONDS = 30.0


@dataclass(frozen=True)
class CrawlResult:
    # finished, failed, timeout, stopped, skipped
    status: str
    returncode: int | None
    seconds: float
    detail: str = ""

    def describe(self) -> str:
        code = f" exit={self.returncode}" if self.returncode is not None else ""
        return f"{self.status}{code} in {self.seconds:.1f}s" + (f" ({self.detail})" if self.detail else "")


def crawl_command(config_path: Path | None, *, available: bool) -> list[str] | None:
    """The child's command line, or None when this installation has no `newswatch crawl`."""
    override = os.environ.get(ENV_CRAWL_COMMAND)
    if override:
        return shlex.split(override)
    if not available:
        return None
    command = [sys.executable, "-m", "newswatch"]
    if config_path is not None:
        command += ["--config", str(config_path.resolve())]
    return [*command, "crawl"]


def run_crawl_child(
    command: list[str] | None,
    *,
    time_limit_seconds: float,
    database_url: str | None = None,
    stop: threading.Event | None = None,
    grace_seconds: float = TERMINATE_GRACE_SECONDS,
) -> CrawlResult:
    """Run the crawl child; never raises. `stop` (service shutdown) ends it early, politely.

    The child gets the parent's database URL in NEWSWATCH_DATABASE_URL, so both always work on the
    same database whatever the config file says.
    """
    started = time.monotonic()
    if command is None:
        return CrawlResult("skipped", None, 0.0, "no `newswatch crawl` command in this installation")
    try:
        env = dict(os.environ)
        if database_url:
            env[ENV_DATABASE_URL] = database_url
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, env=env)
    except OSError as exc:
        return CrawlResult("failed", None, time.monotonic() - started, f"cannot start {command[0]}: {exc}")
    deadline = started + time_limit_seconds
    status = "finished"
    while child.poll() is None:
        if stop is not None and stop.is_set():
            status = "stopped"
            break
        if time.monotonic() >= deadline:
            status = "timeout"
            break
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=0.2)
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    code = child.returncode
    if status == "finished" and code != 0:
        status = "failed"
    detail = f"time limit {time_limit_seconds:.0f}s reached" if status == "timeout" else ""
    if status == "failed" and code == EXIT_ALL_SOURCES_FAILED:
        detail = "every source failed"
    return CrawlResult(status, code, time.monotonic() - started, detail)
