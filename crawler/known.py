"""Pages a crawl fetched that are not articles, remembered so that the next runs do not fetch them again.

A page that held no article text, was in another language, answered a lasting HTTP error, was not
HTML or was over max_page_bytes costs a request on every run unless it is remembered. KnownPageMiddleware
records why (the table known_pages); KnownUrlMiddleware (crawler/middlewares.py) asks `due_again`
before requesting a known one: only when a feed or sitemap dates it after its last fetch, or once
`crawl.recheck_days` have passed, and then conditionally (a 304 keeps what was known).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import signals
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from sqlalchemy.exc import SQLAlchemyError

from crawler.spiders.base import OVERSIZE, REFUSING_STATUS, TRANSIENT_STATUS
from newswatch.crawling.database import crawl_database
from newswatch.crawling.meta import KIND, KIND_ARTICLE, LINK, RECHECK, SKIPPED, SOURCE
from newswatch.crawling.stats import bump
from newswatch.store.db import Database
from newswatch.store.known_pages import KnownRow, forget_pages, save_known_pages
from newswatch.store.models import utcnow
from newswatch.store.urls import clean_url, key_hash

logger = logging.getLogger(__name__)

OUTCOME_NO_TEXT = "no_text"
OUTCOME_LANGUAGE = "other_language"
OUTCOME_HTTP = "http_error"
OUTCOME_NOT_HTML = "not_html"
OUTCOME_TOO_LARGE = "too_large"
OUTCOMES = (OUTCOME_NO_TEXT, OUTCOME_LANGUAGE, OUTCOME_HTTP, OUTCOME_NOT_HTML, OUTCOME_TOO_LARGE)
# What the pipelines' ArticleItem.status says about a page that is not an article.
ITEM_OUTCOMES = {"empty": OUTCOME_NO_TEXT, "language": OUTCOME_LANGUAGE}
# A page stored as an article (or as another URL of one) is known through ArticleUrl from then on.
ARTICLE_STATUSES = frozenset({"new", "duplicate"})
# Rows are written in batches of this size, and when the crawl closes.
FLUSH_EVERY = 200


def as_utc(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; they were written in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def parse_lastmod(value: str | None) -> datetime | None:
    """A sitemap <lastmod> or Atom <updated> (W3C datetime), or an RSS <pubDate> (RFC 822), in UTC;
    None when absent or unreadable (then only the re-check age decides)."""
    if not value or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        try:
            moment = parsedate_to_datetime(value.strip())
        except (TypeError, ValueError, IndexError):
            return None
    return as_utc(moment)


def due_again(
    row: KnownRow, lastmod: datetime | None, now: datetime, recheck: timedelta, languages: Iterable[str] = ()
) -> str | None:
    """Why a known page must be fetched again ("lastmod": its feed or sitemap dates it after the last
    fetch; "age": the last fetch is older than the re-check age; "language": the source now keeps the
    page's language, `languages` being what it keeps, empty for all), or None to leave it alone."""
    if row.outcome == OUTCOME_LANGUAGE:
        kept = set(languages)
        if not kept or row.language in kept:
            return "language"
    fetched = as_utc(row.fetched_at)
    if lastmod is not None and lastmod > fetched:
        return "lastmod"
    if now - fetched >= recheck:
        return "age"
    return None


def lasting_error(status: int) -> bool:
    """A 4xx that will answer the same next run (404, 410...). Transient ones (429, 408) and refusals
    (401, 403, which tell that a site shuts newswatch out) are asked again every run."""
    return 400 <= status < 500 and status not in TRANSIENT_STATUS and status not in REFUSING_STATUS


def request_urls(request: Request | Response, response: Response | None = None) -> list[str]:
    """Every URL a page was reached by: the link as found, each redirect hop, the final URL."""
    seen = [request.meta.get(LINK), *request.meta.get("redirect_urls", ()), request.url]
    if response is not None:
        seen.append(response.url)
    return [u for u in dict.fromkeys(seen) if u]


class KnownPageMiddleware:
    """Downloader middleware (above HtmlOnlyMiddleware, below RedirectMiddleware): records why an article
    request's page is not an article, and answers a re-check's 304 by keeping what was known."""

    def __init__(self, database: Database, stats: Any) -> None:
        self.database = database
        self.stats = stats
        self.rows: dict[str, dict[str, Any]] = {}
        self.forget: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> KnownPageMiddleware:
        middleware = cls(crawl_database(crawler), crawler.stats)
        crawler.signals.connect(middleware.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if request.meta.get(KIND) != KIND_ARTICLE:
            return response
        known: KnownRow | None = request.meta.get(RECHECK)
        if response.status == 304 and known is not None:
            bump(self.stats, "known/not_modified", request.meta.get(SOURCE), "known")
            self.remember(request, response, known.outcome, known.http_status, known)
            request.meta[SKIPPED] = "not_modified"
            raise IgnoreRequest(f"not modified since last run: {request.url}")
        if lasting_error(response.status):
            self.remember(request, response, OUTCOME_HTTP, response.status)
        elif response.status == 200 and not isinstance(response, HtmlResponse):
            self.remember(request, response, OUTCOME_NOT_HTML, response.status)
        return response

    def process_exception(self, request: Request, exception: BaseException, spider: Any = None) -> None:
        if (
            request.meta.get(KIND) == KIND_ARTICLE
            and isinstance(exception, DownloadCancelledError)
            and OVERSIZE.search(str(exception))
        ):
            self.remember(request, None, OUTCOME_TOO_LARGE, None)

    def item_scraped(self, item: Any, response: Response, spider: Any = None) -> None:
        status = getattr(item, "status", None)
        if status in ITEM_OUTCOMES:
            self.remember(
                response.request or response,
                response,
                ITEM_OUTCOMES[status],
                response.status,
                language=getattr(item, "language", None) if status == "language" else None,
            )
        elif status in ARTICLE_STATUSES and response.meta.get(RECHECK) is not None:
            # A page re-checked that now holds an article: ArticleUrl knows it from here on.
            self.forget.update(
                h
                for u in request_urls(response.request or response, response)
                if (h := key_hash(u)) is not None
            )

    def remember(
        self,
        request: Any,
        response: Response | None,
        outcome: str,
        http_status: int | None,
        known: KnownRow | None = None,
        *,
        language: str | None = None,
    ) -> None:
        headers = response.headers if response is not None else {}
        etag = headers.get(b"ETag") if response is not None else None
        modified = headers.get(b"Last-Modified") if response is not None else None
        now = utcnow()
        for url in request_urls(request, response):
            digest = key_hash(url)
            if digest is None:
                continue
            self.rows[digest] = {
                "url_hash": digest,
                "url": clean_url(url) or url,
                "source_name": request.meta.get(SOURCE) or "",
                "outcome": outcome,
                "http_status": http_status,
                "language": language if language is not None else (known.language if known else None),
                "etag": etag.decode("latin-1") if etag else (known.etag if known else None),
                "last_modified": modified.decode("latin-1")
                if modified
                else (known.last_modified if known else None),
                "fetched_at": now,
            }
            self.forget.discard(digest)
        self.stats.inc_value(f"known/recorded_{outcome}")
        if len(self.rows) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        rows, gone = list(self.rows.values()), set(self.forget)
        self.rows, self.forget = {}, set()
        if not rows and not gone:
            return
        try:
            with self.database.session() as session:
                save_known_pages(session, rows)
                forget_pages(session, gone)
        except SQLAlchemyError as exc:
            # Losing these only costs requests next run: the pages are fetched again.
            logger.error("cannot remember %d page(s) that are not articles: %s", len(rows), exc)

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        self.flush()
