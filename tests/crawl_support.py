"""Helpers for the end-to-end crawl tests: a config file, a `newswatch crawl` subprocess, hit-log queries.

A Twisted reactor cannot be restarted, so every crawl runs as `python -m newswatch ... crawl` in a
child process, against demo sites served on 127.0.0.1 by this test process.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
ARTICLE_PATH = re.compile(r"^/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/?(?:[?#].*)?$")
FEED_PATHS = ("/feed/", "/atom.xml")
SUMMARY_ROW = re.compile(
    r"^(?P<source>\S+)\s+(?P<pages>\d+)\s+(?P<new>\d+)\s+(?P<known>\d+)\s+(?P<failed>\d+)"
    r"\s+(?P<skipped>\d+)\s+(?P<errors>\d+)\s+(?P<refused>\d+)$",
    re.MULTILINE,
)
# Fast, still polite to 127.0.0.1: no delay, 4 connections (under the demo server's listen backlog of 5).
FAST_CRAWL: dict[str, Any] = {
    "download_delay": 0,
    "autothrottle": False,
    "concurrency": 16,
    "per_domain_concurrency": 4,
    "timeout_seconds": 10,
    "retries": 1,
    "workers": 0,
    "max_pages_per_source": 1000,
}


def write_config(tmp_path: Path, sources: list[dict[str, Any]], **crawl: Any) -> Path:
    config = {
        "database_url": f"sqlite:///{tmp_path / 'config-default.db'}",
        "crawl": {**FAST_CRAWL, **crawl},
        "sources": sources,
    }
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@dataclass
class CrawlResult:
    returncode: int
    stdout: str
    stderr: str

    def summary(self) -> dict[str, dict[str, int]]:
        """The per-source table `newswatch crawl` printed: source -> counters."""
        return {
            m["source"]: {k: int(v) for k, v in m.groupdict().items() if k != "source"}
            for m in SUMMARY_ROW.finditer(self.stdout)
        }


def newswatch(config: Path, database_url: str, *args: str, timeout: float = 120) -> CrawlResult:
    env = {**os.environ, "NEWSWATCH_DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    env.pop("NEWSWATCH_CONFIG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "newswatch", "--config", str(config), *args],
        cwd=config.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return CrawlResult(proc.returncode, proc.stdout, proc.stderr)


def crawl(config: Path, database_url: str, *args: str, timeout: float = 120) -> CrawlResult:
    result = newswatch(config, database_url, "crawl", "--progress-seconds", "0.5", *args, timeout=timeout)
    assert result.returncode == 0, (
        f"crawl failed ({result.returncode}):\n{result.stdout}\n{result.stderr[-4000:]}"
    )
    return result


def article_hits(server: Any, site: str) -> list[str]:
    """Paths of article pages the site served (any status), in request order."""
    return [h.path for h in server.hits.records() if h.site == site and ARTICLE_PATH.match(h.path)]


def statuses(server: Any, site: str, path: str) -> list[int]:
    return [h.status for h in server.hits.records() if h.site == site and h.path == path]
