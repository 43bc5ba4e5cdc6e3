"""Storage stage: the item pipeline that stores each kept page and records its announcements.

The inserts themselves live in newswatch/store/ (articles.py, announcements.py): this module picks the
URL an article is stored under, hands the store the detector's merge rules and counts what happened.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from newswatch.crawling.database import crawl_database
from newswatch.crawling.items import PageItem
from newswatch.crawling.signals import origin_incomplete
from newswatch.crawling.stats import bump
from newswatch.store.announcements import MergePolicy, record_announcements
from newswatch.store.articles import STATUS_NEW, StoreResult, ensure_source, store_article
from newswatch.store.db import Database
from newswatch.store.urls import clean_url, in_domains
from pipelines.process import ProcessedItem, ProcessedPage

logger = logging.getLogger(__name__)


def article_url(page: ProcessedPage, fetched_url: str, allowed_domains: Sequence[str]) -> str:
    """The URL an article is stored under: its <link rel=canonical> when that stays on the source's
    domains and is not the home page (some sites point every page's canonical at /), else the URL fetched."""
    fetched = clean_url(fetched_url) or fetched_url
    canonical = clean_url(page.canonical_url) if page.canonical_url else None
    if canonical is None or not in_domains(canonical, allowed_domains or ()):
        return fetched
    if urlsplit(canonical).path in ("", "/"):
        return fetched
    return canonical


class StorePipeline:
    """Item pipeline, after ProcessPipeline: stores each kept page and records its announcements.

    One transaction per article: the article, its URLs and its announcements land together or not
    at all, and a page that could not be stored is fetched again next run (its URL is still unknown).
    """

    def __init__(self, database: Database, homes: dict[str, str], stats: Any, crawler: Any = None) -> None:
        self.database = database
        self.homes = homes
        self.stats = stats
        self.crawler = crawler
        self.source_ids: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        database = crawl_database(crawler)
        homes = {s["name"]: s["home"] for s in crawler.settings.getlist("NEWSWATCH_SOURCES")}
        return cls(database, homes, crawler.stats, crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ProcessedItem):
            return item
        page = item.outcome.page
        if item.outcome.status == "error":
            self._incomplete(item.item)
            return item.result("error")
        if page is None:
            return item.result(item.outcome.status)
        source = item.item.source
        try:
            with self.database.session() as session:
                result = self.store(session, item)
        except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the crawl
            bump(self.stats, "store/error", source, "failed")
            self.stats.set_value(f"source/{source}/last_error", f"store: {type(exc).__name__}: {exc}")
            logger.error("store failed: %s (%s: %s)", item.item.url, type(exc).__name__, exc)
            self._incomplete(item.item)
            return item.result("error")
        if result.status == STATUS_NEW:
            bump(self.stats, "store/new", source, "new")
            logger.debug("stored article %d: %s", result.article_id, item.item.url)
        else:
            bump(self.stats, "store/duplicate", source, "known")
            self.stats.inc_value(f"store/duplicate_{result.reason}")
            logger.info(
                "already stored as article %d (same %s): %s", result.article_id, result.reason, item.item.url
            )
        return item.result(result.status, result.article_id)

    def store(self, session: Session, item: ProcessedItem) -> StoreResult:
        page_item, page = item.item, item.outcome.page
        assert page is not None
        source_id = self.source_ids.get(page_item.source)
        if source_id is None:
            home = self.homes.get(page_item.source, page_item.url)
            source_id = self.source_ids[page_item.source] = ensure_source(session, page_item.source, home)
        url = article_url(page, page_item.url, page_item.allowed_domains)
        result = store_article(session, page, url=url, aliases=page_item.urls, source_id=source_id)
        if result.status == STATUS_NEW and page.investments:
            policy = _merge_policy()
            if policy is not None:
                ids = record_announcements(session, result.article_id, page.investments, policy)
                self.stats.inc_value("detect/announcements", len(ids))
        return result

    def _incomplete(self, page_item: PageItem) -> None:
        if page_item.origins and self.crawler is not None:
            self.crawler.signals.send_catch_log(origin_incomplete, origins=page_item.origins)


def _merge_policy() -> MergePolicy | None:
    """pipelines.announcements' merge rules, or None while that stage is not installed."""
    try:
        from pipelines.announcements import MERGE_POLICY
    except ModuleNotFoundError as exc:
        if exc.name != "pipelines.announcements":
            raise
        return None
    return MERGE_POLICY
