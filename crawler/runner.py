"""Run one crawl: pick the sources, record a CrawlRun, run the news spider, store per-source figures.

A Twisted reactor cannot be restarted, so `run_crawl` runs once per process: the CLI calls it
directly, a long-running scheduler starts `python -m newswatch crawl` as a child process.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.settings import build_settings
from crawler.spiders.news import NewsSpider
from newswatch.config import Config, ConfigError, SourceConfig
from newswatch.crawling.database import share_database
from newswatch.crawling.heap import lean_crawl_heap
from newswatch.crawling.stats import SOURCE_COUNTERS, source_counters, source_key
from newswatch.store.articles import ensure_source
from newswatch.store.db import Database
from newswatch.store.models import utcnow
from newswatch.store.runs import close_abandoned_runs, finish_run, start_run
from newswatch.store.urls import clean_url

logger = logging.getLogger("newswatch.crawl")

QUIET_LOGGERS = ("scrapy", "twisted", "filelock", "hpack")
NON_NAME = re.compile(r"[^a-z0-9_.-]+")


@dataclass
class SourceSummary:
    name: str
    pages: int = 0
    new: int = 0
    known: int = 0
    failed: int = 0
    skipped: int = 0
    errors: int = 0
    refused: int = 0
    last_error: str | None = None
    # Why the source failed as a whole (no answer at all in this run), None when it did not.
    failure: str | None = None
    # What the site answered when it refused every request (401, 403): not a failure of the crawl.
    refused_by_site: str | None = None


@dataclass
class CrawlSummary:
    run_id: int
    status: str
    finish_reason: str
    seconds: float
    sources: list[SourceSummary] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    def total(self, counter: str) -> int:
        return sum(getattr(s, counter) for s in self.sources)

    @property
    def all_failed(self) -> bool:
        """Every source failed: the run did nothing useful (no network, every site down). A source
        refused by its site counts neither way: that site answered, and saying no is its choice, not a
        fault of this run, so the exit code is what it would be without that source."""
        judged = [s for s in self.sources if s.refused_by_site is None]
        return bool(judged) and all(s.failure is not None for s in judged)


def adhoc_source(url: str) -> SourceConfig:
    """A source for `crawl --url`: its home page only, every language kept."""
    cleaned = clean_url(url)
    if cleaned is None:
        raise ConfigError(f"--url {url!r}: not an http(s) URL")
    parts = urlsplit(cleaned)
    name = NON_NAME.sub("-", parts.netloc.lower()).strip("-._") or "site"
    return SourceConfig(name=name[:64], home=cleaned, languages=[])


def select_sources(config: Config, names: Sequence[str] = (), urls: Sequence[str] = ()) -> list[SourceConfig]:
    """--source names (even disabled ones, asked for by name) plus --url sites; none given: every enabled source."""
    chosen = [config.source(name) for name in names]
    adhoc = [adhoc_source(url) for url in urls]
    if not names and not urls:
        chosen = [s for s in config.sources if s.enabled]
    taken = {s.name for s in chosen}
    for source in adhoc:
        name, n = source.name, 2
        while name in taken:
            name, n = f"{source.name}-{n}", n + 1
        taken.add(name)
        chosen.append(source.model_copy(update={"name": name}))
    return chosen


def run_crawl(
    config: Config,
    sources: list[SourceConfig],
    *,
    database: Database,
    trigger: str = "cli",
    progress_seconds: float = 5.0,
) -> CrawlSummary:
    """Crawl `sources` once in this process and return the per-source summary.

    `database` records the run and serves the crawl's middlewares and storage pipeline too.
    Raises SQLAlchemyError when the database cannot be reached: that is the run failing, unlike
    pages that 404 or time out, which are counted and reported.
    """
    lean_crawl_heap()
    database.migrate(apart=True)
    started = utcnow()
    with database.session() as session:
        for source in sources:
            ensure_source(session, source.name, str(source.home))
        close_abandoned_runs(session)
        run_id = start_run(session, started=started, trigger=trigger, sources=[s.name for s in sources])
    logger.info("crawl run %d: %d source(s): %s", run_id, len(sources), ", ".join(s.name for s in sources))

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict(
        build_settings(config, sources=sources, database_url=database.url, progress_seconds=progress_seconds),
        priority="cmdline",
    )
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    # CrawlerProcess re-applies Scrapy's logging defaults and logs its banner; the caller's levels
    # (the CLI's -v / -q) win, banner included.
    levels = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    quiet = logging.getLogger("scrapy").getEffectiveLevel() > logging.INFO
    if quiet:
        logging.disable(logging.INFO)
    try:
        process = CrawlerProcess(settings)
    finally:
        if quiet:
            logging.disable(logging.NOTSET)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
    crawler = process.create_crawler(NewsSpider)
    share_database(crawler, database)
    status = "failed"
    try:
        process.crawl(crawler)
        process.start()
    finally:
        stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
        reason = str(stats.get("finish_reason", "failed"))
        status = {"finished": "finished", "shutdown": "interrupted"}.get(reason, "failed")
        summary = _summarize(run_id, status, reason, started, sources, stats)
        _record(database, summary)
    return summary


def _summarize(
    run_id: int,
    status: str,
    reason: str,
    started: datetime,
    sources: list[SourceConfig],
    stats: dict[str, Any],
) -> CrawlSummary:
    summaries = []
    plain = {k: _plain(v) for k, v in stats.items()}
    for source in sources:
        counters = source_counters(stats, source.name)
        last_error = stats.get(f"source/{source.name}/last_error")
        refused = refused_by_site(stats, source.name)
        failure = None if refused else source_failure(stats, source.name)
        if failure is not None:
            plain[source_key(source.name, "failure")] = failure
        if refused is not None:
            plain[source_key(source.name, "refused_by_site")] = refused
        summaries.append(
            SourceSummary(
                name=source.name, last_error=last_error, failure=failure, refused_by_site=refused, **counters
            )
        )
    seconds = (utcnow() - started).total_seconds()
    return CrawlSummary(run_id, status, reason, seconds, summaries, plain)


def source_failure(stats: dict[str, Any], name: str) -> str | None:
    """Why a source failed in this run, or None. It failed when none of its requests got an answer
    under 400 (a 304 counts) and at least one failed or was refused: a 404 on one page is no
    failure; a host that cannot be reached, a feed that only ever answers 5xx or a home that
    redirects off the source's domains is."""
    answered = int(stats.get(source_key(name, "answered"), 0))
    if answered:
        return None
    if stats.get(source_key(name, "errors")):
        return str(stats.get(f"source/{name}/last_error") or "every request failed")
    if stats.get(source_key(name, "refused")):
        return f"every request refused; last: {stats.get(f'source/{name}/last_refused')}"
    return None


def refused_by_site(stats: dict[str, Any], name: str) -> str | None:
    """What the site answered when it refused every request of the source (home, robots.txt, feeds,
    sitemaps...: nothing under 400, and every failure a 401 or 403), or None. A site that answers some
    requests and refuses others (a paywalled article) is not refused as a whole: those are errors."""
    forbidden = int(stats.get(source_key(name, "forbidden"), 0))
    if not forbidden or int(stats.get(source_key(name, "answered"), 0)):
        return None
    if int(stats.get(source_key(name, "errors"), 0)) > forbidden:
        return None
    status = stats.get(f"source/{name}/forbidden_status") or "401/403"
    return f"HTTP {status} to all {forbidden} request(s)"


def _record(database: Database, summary: CrawlSummary) -> None:
    with database.session() as session:
        if not finish_run(
            session, summary.run_id, status=summary.status, stats=summary.stats, sources=summary.sources
        ):
            return
    logger.info(
        "crawl run %d %s in %.1fs: %d pages, %d new, %d known, %d failed",
        summary.run_id,
        summary.status,
        summary.seconds,
        summary.total("pages"),
        summary.total("new"),
        summary.total("known"),
        summary.total("failed"),
    )


def _plain(value: Any) -> Any:
    """Stats values as JSON-able data (datetimes become ISO strings)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


__all__ = ["SOURCE_COUNTERS", "CrawlSummary", "SourceSummary", "adhoc_source", "run_crawl", "select_sources"]
