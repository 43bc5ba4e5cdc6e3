"""Crawl extensions: a progress line every few seconds while a crawl runs."""

from __future__ import annotations

import logging
import time
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from newswatch.crawling.stats import total_key

logger = logging.getLogger("newswatch.crawl")


class ProgressLog:
    """Logs pages fetched and articles new / known / failed every `NEWSWATCH_PROGRESS_SECONDS`."""

    def __init__(self, stats: Any, interval: float) -> None:
        self.stats = stats
        self.interval = interval
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressLog:
        interval = crawler.settings.getfloat("NEWSWATCH_PROGRESS_SECONDS")
        if interval <= 0:
            # Without a message: Scrapy would log the user's own choice (--progress-seconds 0) as a warning.
            raise NotConfigured
        extension = cls(crawler.stats, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.log)
        self.loop.start(self.interval, now=False)

    def line(self) -> str:
        def get(counter: str) -> int:
            return int(self.stats.get_value(total_key(counter), 0))

        elapsed = time.monotonic() - self.started
        return (
            f"progress: {elapsed:.0f}s, {get('pages')} pages fetched, articles {get('new')} new, "
            f"{get('known')} known, {get('failed')} failed, {get('skipped')} skipped"
        )

    def log(self) -> None:
        logger.info("%s", self.line())

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        logger.info("%s (%s)", self.line(), reason)
