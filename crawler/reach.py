"""Hosts that cannot be resolved or reached: how to tell from a download error, and keeping Scrapy
from logging a traceback for each of their requests (the spider logs one line per host per run)."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.exceptions import CannotResolveHostError, DownloadConnectionRefusedError
from twisted.internet.error import ConnectError, DNSLookupError, NoRouteError, TCPTimedOutError
from twisted.internet.error import ConnectionRefusedError as TxConnectionRefusedError

# Scrapy components that log every such failure again: robots.txt downloads (with two chained
# tracebacks each) and the retry middleware giving up.
NOISY_LOGGERS = ("scrapy.downloadermiddlewares.robotstxt", "scrapy.downloadermiddlewares.retry")


def unreachable_reason(error: BaseException | None) -> str | None:
    """What kept a download from reaching its host at all, None for any other error (an HTTP
    status, a timeout once connected, a broken body...)."""
    if isinstance(error, CannotResolveHostError | DNSLookupError):
        return "host name not found (DNS lookup failed)"
    if isinstance(error, DownloadConnectionRefusedError | TxConnectionRefusedError):
        return "connection refused"
    if isinstance(error, TCPTimedOutError):
        return "connection timed out"
    if isinstance(error, NoRouteError):
        return "no route to host"
    if isinstance(error, ConnectError):
        return f"cannot connect ({error})"
    return None


class UnreachableFilter(logging.Filter):
    """Drops the records of NOISY_LOGGERS that are about a host that cannot be reached."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is None and isinstance(record.args, dict):
            error = record.args.get("reason")  # the retry middleware's "Gave up retrying ...: %(reason)s"
        return not (isinstance(error, BaseException) and unreachable_reason(error) is not None)


class QuietUnreachable:
    """Extension: while a crawl runs, Scrapy's own lines about unreachable hosts are dropped."""

    def __init__(self) -> None:
        self.filter = UnreachableFilter()

    @classmethod
    def from_crawler(cls, crawler: Any) -> QuietUnreachable:
        extension = cls()
        crawler.signals.connect(extension.install, signal=signals.engine_started)
        crawler.signals.connect(extension.remove, signal=signals.engine_stopped)
        return extension

    def install(self) -> None:
        for name in NOISY_LOGGERS:
            logging.getLogger(name).addFilter(self.filter)

    def remove(self) -> None:
        for name in NOISY_LOGGERS:
            logging.getLogger(name).removeFilter(self.filter)
