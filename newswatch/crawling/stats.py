"""Crawl counters: global `area/event` stats keys plus the per-source figures of the run summary."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# What `newswatch crawl` reports per source; CrawlRunSource stores all but `skipped` and `refused`,
# which `newswatch status` reads from the run's stats.
SOURCE_COUNTERS = ("pages", "new", "known", "failed", "skipped", "errors", "refused")


def source_key(source: str, counter: str) -> str:
    return f"source/{source}/{counter}"


def bump(stats: Any, key: str, source: str | None = None, counter: str | None = None, count: int = 1) -> None:
    """Increment a global `area/event` key and, when given, one per-source counter."""
    stats.inc_value(key, count)
    if source is not None and counter is not None:
        stats.inc_value(source_key(source, counter), count)
        stats.inc_value(total_key(counter), count)


def total_key(counter: str) -> str:
    """One counter summed over every source (what the progress line shows)."""
    return f"sources/{counter}"


def source_counters(stats: Mapping[str, Any], source: str) -> dict[str, int]:
    return {name: int(stats.get(source_key(source, name), 0)) for name in SOURCE_COUNTERS}
