"""For operators and their monitoring: /healthz (database reachable, age of the last crawl) and /metrics
in the Prometheus text format."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from newswatch.config import Config

from .api import iso

DELIVERY_STATES = ("pending", "sending", "sent", "failed")
# A crawl older than this many crawl intervals makes /healthz say "stale".
STALE_INTERVALS = 3


def health(config: Config, last_crawl: datetime | None, now: datetime) -> dict[str, Any]:
    """The body of /healthz once the database has answered."""
    age = (now - last_crawl).total_seconds() if last_crawl is not None else None
    schedule = config.schedule
    # A cron schedule has no fixed interval to judge by: then only "never crawled" is stale.
    limit = None if schedule.crawl_cron else STALE_INTERVALS * schedule.crawl_every_minutes * 60
    stale = age is None or (limit is not None and age > limit)
    return {
        "status": "stale" if stale else "ok",
        "database": "ok",
        "last_crawl_at": iso(last_crawl),
        "last_crawl_age_seconds": round(age) if age is not None else None,
        "stale_after_seconds": limit,
    }


class _Figures(Collector):
    def __init__(self, figures: dict[str, Any]) -> None:
        self.figures = figures

    def collect(self) -> Iterator[GaugeMetricFamily]:
        f = self.figures
        yield GaugeMetricFamily("newswatch_articles_stored", "Articles stored.", value=f["articles"])
        announcements = GaugeMetricFamily(
            "newswatch_announcements", "Announcements stored, by status.", labels=["status"]
        )
        for status in sorted({"announced", "abandoned", *f["announcements"]}):
            announcements.add_metric([status], f["announcements"].get(status, 0))
        yield announcements
        deliveries = GaugeMetricFamily(
            "newswatch_deliveries", "Rows of the delivery ledger, by state.", labels=["state"]
        )
        for state in sorted({*DELIVERY_STATES, *f["deliveries"]}):
            deliveries.add_metric([state], f["deliveries"].get(state, 0))
        yield deliveries
        yield GaugeMetricFamily(
            "newswatch_unsubscribed_subscribers",
            "Subscribers who used the one-click unsubscribe link.",
            value=f["unsubscribed"],
        )
        started = GaugeMetricFamily(
            "newswatch_last_crawl_timestamp_seconds",
            "Start of the last crawl run of each source (Unix time).",
            labels=["source"],
        )
        pages = GaugeMetricFamily(
            "newswatch_last_crawl_pages",
            "Pages fetched by the last crawl run of each source.",
            labels=["source"],
        )
        errors = GaugeMetricFamily(
            "newswatch_last_crawl_errors", "Errors in the last crawl run of each source.", labels=["source"]
        )
        new = GaugeMetricFamily(
            "newswatch_last_crawl_new_articles",
            "New articles stored by the last crawl run of each source.",
            labels=["source"],
        )
        for crawl in sorted(f["last_crawl"], key=lambda c: c["source"]):
            started.add_metric([crawl["source"]], crawl["started_at"].timestamp())
            pages.add_metric([crawl["source"]], crawl["pages"])
            errors.add_metric([crawl["source"]], crawl["errors"])
            new.add_metric([crawl["source"]], crawl["new"])
        yield from (started, pages, errors, new)


def metrics_text(figures: dict[str, Any]) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Figures(figures))
    return generate_latest(registry)
