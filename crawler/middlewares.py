"""Downloader and spider middlewares that make a crawl incremental and bounded.

- KnownUrlMiddleware: drops article requests whose URL is already stored, or was fetched by an earlier
  run and held no article (crawler/known.py), before any fetch.
- ConditionalGetMiddleware: ETag / Last-Modified for feeds, sitemaps, listing and home pages; 304 means
  nothing new.
- RobotsTxtOnceMiddleware: one robots.txt download per host and crawl, however many ask for it.
- PageBudgetMiddleware: at most N pages per source per run.
- HtmlOnlyMiddleware: article and listing responses that are not HTML are skipped.
- RedirectGuardMiddleware: redirect loops fail loudly (where a hop may go is crawler/scope.py's decision).
- HeadOnlyMetaRefreshMiddleware: Scrapy's meta refresh, without decoding a page that cannot have one.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from datetime import timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from sqlalchemy.exc import SQLAlchemyError
from w3lib.url import canonicalize_url, safe_url_string

from crawler.known import due_again, parse_lastmod
from newswatch.crawling.database import crawl_database
from newswatch.crawling.meta import (
    CONDITIONAL,
    FOUND,
    HTML_KINDS,
    KIND,
    KIND_ARTICLE,
    KIND_LISTING,
    LASTMOD,
    ORIGINS,
    RECHECK,
    REDIRECT_LOOP,
    SKIPPED,
    SOURCE,
)
from newswatch.crawling.signals import origin_incomplete
from newswatch.crawling.stats import bump
from newswatch.store.articles import known_url_hashes
from newswatch.store.db import Database
from newswatch.store.fetch_state import load_validators, save_fetch_state
from newswatch.store.known_pages import KnownRow, load_known_pages
from newswatch.store.models import utcnow
from newswatch.store.urls import key_hash

logger = logging.getLogger(__name__)

# Article requests are checked against the database in batches of this size.
KNOWN_BATCH = 500


def source_budgets(settings: Any) -> tuple[int, dict[str, int]]:
    """The default page budget and each source's own (`max_pages`, else the default)."""
    default = settings.getint("NEWSWATCH_MAX_PAGES")
    return default, {s["name"]: s.get("max_pages") or default for s in settings.getlist("NEWSWATCH_SOURCES")}


class KnownUrlMiddleware:
    """Spider middleware: article URLs already in ArticleUrl are never requested again, and a page an
    earlier run found to be no article (known_pages) only when `due_again` says so, conditionally.

    Looks URLs up by hash in batches (one IN query per KNOWN_BATCH requests a callback yields).
    On a listing page whose every article is known, the next page is not requested either: the
    listing is newest first, so everything further back was stored by an earlier run.
    A source never has more new article requests queued than its page budget: a first run on a
    50 000-entry sitemap queues 300 requests, not 50 000 (the rest waits for the next runs).
    """

    def __init__(
        self,
        database: Database,
        stats: Any,
        budgets: dict[str, int] | None = None,
        default_budget: int | None = None,
        crawler: Any = None,
        *,
        recheck: timedelta,
    ) -> None:
        self.database = database
        self.recheck = recheck
        # The languages each source keeps (empty: all), for pages known to be in another language.
        self.languages: dict[str, tuple[str, ...]] = {}
        self.stats = stats
        self.budgets = budgets or {}
        self.default_budget = default_budget
        self.crawler = crawler
        self.queued: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Any) -> KnownUrlMiddleware:
        default, budgets = source_budgets(crawler.settings)
        days = crawler.settings.getfloat("NEWSWATCH_RECHECK_DAYS")
        middleware = cls(
            crawl_database(crawler), crawler.stats, budgets, default, crawler, recheck=timedelta(days=days)
        )
        middleware.languages = {
            s["name"]: tuple(s.get("languages") or ()) for s in crawler.settings.getlist("NEWSWATCH_SOURCES")
        }
        return middleware

    async def process_spider_output(
        self, response: Response | None, result: AsyncIterator[Any], spider: Any = None
    ) -> AsyncIterator[Any]:
        pending: list[Request] = []
        held_pages: list[Request] = []
        is_listing = response is not None and response.meta.get(KIND) == KIND_LISTING
        articles = fresh = 0
        async for item in result:
            if isinstance(item, Request) and item.meta.get(KIND) == KIND_ARTICLE:
                pending.append(item)
                if len(pending) >= KNOWN_BATCH:
                    kept = self.unknown(pending)
                    articles, fresh = articles + len(pending), fresh + len(kept)
                    pending = []
                    for request in kept:
                        yield request
            elif is_listing and isinstance(item, Request) and item.meta.get(KIND) == KIND_LISTING:
                held_pages.append(item)
            else:
                yield item
        kept = self.unknown(pending) if pending else []
        articles, fresh = articles + len(pending), fresh + len(kept)
        for request in kept:
            yield request
        if held_pages and articles and not fresh:
            self.stats.inc_value("listing/stop_known")
            logger.info(
                "every article on %s is known: not paginating further", response.url if response else "?"
            )
            return
        for request in held_pages:
            yield request

    def unknown(self, requests: list[Request]) -> list[Request]:
        """The requests whose URL is not stored yet; known ones are counted per source."""
        hashes = {id(r): key_hash(r.url) for r in requests}
        try:
            with self.database.session() as session:
                known = known_url_hashes(session, [h for h in hashes.values() if h])
                pages = load_known_pages(session, [h for h in hashes.values() if h and h not in known])
        except SQLAlchemyError as exc:
            # Fetching a known page again costs one request; losing a new one costs an article.
            logger.error("known-URL lookup failed, fetching all %d pages: %s", len(requests), exc)
            return requests
        kept = []
        deferred: set[str] = set()
        now = utcnow()
        for request in requests:
            source = request.meta.get(SOURCE)
            page = pages.get(hashes[id(request)] or "")
            if hashes[id(request)] in known:
                bump(self.stats, "dedup/known", source, "known")
            elif page is not None and not self._recheck(request, page, now):
                bump(self.stats, "dedup/known_page", source, "known")
            elif self._over_budget(source):
                self.stats.inc_value("budget/deferred")
                deferred.update(request.meta.get(ORIGINS, ()))
            else:
                self.queued[source or ""] += 1
                kept.append(request)
        if deferred and self.crawler is not None:
            self.crawler.signals.send_catch_log(origin_incomplete, origins=tuple(deferred))
        return kept

    def _recheck(self, request: Request, page: KnownRow, now: Any) -> bool:
        """Whether a known page is due again; if so the request asks conditionally."""
        why = due_again(
            page,
            parse_lastmod(request.meta.get(LASTMOD)),
            now,
            self.recheck,
            self.languages.get(request.meta.get(SOURCE) or "", ()),
        )
        if why is None:
            return False
        self.stats.inc_value(f"known/recheck_{why}")
        request.meta[RECHECK] = page
        if why == "language":
            # The page itself has not changed, the source's choice has: a 304 would keep it out.
            return True
        request.meta["handle_httpstatus_list"] = [304]
        if page.etag:
            request.headers[b"If-None-Match"] = page.etag
        if page.last_modified:
            request.headers[b"If-Modified-Since"] = page.last_modified
        return True

    def _over_budget(self, source: str | None) -> bool:
        budget = self.budgets.get(source or "", self.default_budget)
        return budget is not None and self.queued[source or ""] >= budget


class ConditionalGetMiddleware:
    """Downloader middleware: conditional GET for feeds, sitemaps, listing and home pages.

    Sends the stored ETag / Last-Modified; counts a 304 as `fetch/not_modified`. New validators
    are saved only when the run finishes and every page found through that feed or sitemap was
    stored (or failed for good), so an interrupted run never turns the next one's 304 into a lost article.
    A home page's validators keep the feeds it declared (FOUND), which its 304 hands back to the spider.
    """

    def __init__(self, database: Database, stats: Any) -> None:
        self.database = database
        self.stats = stats
        self.pending: dict[str, tuple[str | None, str | None, int, dict[str, Any]]] = {}
        self.incomplete: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> ConditionalGetMiddleware:
        middleware = cls(crawl_database(crawler), crawler.stats)
        crawler.signals.connect(middleware.mark_incomplete, signal=origin_incomplete)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_request(self, request: Request, spider: Any = None) -> None:
        if (
            not request.meta.get(CONDITIONAL)
            or b"If-None-Match" in request.headers
            or b"If-Modified-Since" in request.headers
        ):
            return
        try:
            with self.database.session() as session:
                validators = load_validators(session, [request.url]).get(request.url)
        except SQLAlchemyError as exc:
            logger.error("cannot read validators of %s: %s", request.url, exc)
            return
        if validators is None:
            return
        if validators.found:
            request.meta[FOUND] = list(validators.found)
        if validators.etag:
            request.headers[b"If-None-Match"] = validators.etag
        if validators.last_modified:
            request.headers[b"If-Modified-Since"] = validators.last_modified

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if not request.meta.get(CONDITIONAL):
            return response
        if response.status == 304:
            bump(self.stats, "fetch/not_modified")
            logger.debug("not modified since last run: %s", request.url)
        elif response.status == 200:
            etag = response.headers.get(b"ETag")
            modified = response.headers.get(b"Last-Modified")
            if etag or modified:
                self.pending[response.url] = (
                    etag.decode("latin-1") if etag else None,
                    modified.decode("latin-1") if modified else None,
                    response.status,
                    # The callback, which runs later, may add FOUND to this same dict.
                    request.meta,
                )
        return response

    def mark_incomplete(self, origins: Iterable[str]) -> None:
        self.incomplete.update(origins)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if reason != "finished":
            logger.info("crawl ended early (%s): feed and sitemap validators not saved", reason)
            return
        keep = {url: v for url, v in self.pending.items() if url not in self.incomplete}
        if not keep:
            return
        try:
            with self.database.session() as session:
                for url, (etag, modified, status, meta) in keep.items():
                    save_fetch_state(
                        session, url, etag=etag, last_modified=modified, status=status, found=meta.get(FOUND)
                    )
        except SQLAlchemyError as exc:
            logger.error("cannot save feed and sitemap validators: %s", exc)
            return
        self.stats.set_value("fetch/validators_saved", len(keep))
        if self.incomplete & self.pending.keys():
            logger.info(
                "%d feed(s)/sitemap(s) will be read in full next run (pages left to fetch)",
                len(self.incomplete & self.pending.keys()),
            )


class PageBudgetMiddleware:
    """Downloader middleware: stop requesting a source's pages once its budget for this run is spent,
    and count the pages each source got back."""

    def __init__(self, default_budget: int, budgets: dict[str, int], stats: Any, crawler: Any = None) -> None:
        self.default_budget = default_budget
        self.budgets = budgets
        self.stats = stats
        self.crawler = crawler
        self.used: Counter[str] = Counter()
        self.warned: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> PageBudgetMiddleware:
        default, budgets = source_budgets(crawler.settings)
        return cls(default, budgets, crawler.stats, crawler)

    def process_request(self, request: Request, spider: Any = None) -> None:
        source = request.meta.get(SOURCE)
        if source is None:
            return
        budget = self.budgets.get(source, self.default_budget)
        if self.used[source] < budget:
            self.used[source] += 1
            return
        self.stats.inc_value("budget/dropped")
        if source not in self.warned:
            self.warned.add(source)
            self.stats.inc_value("budget/exhausted")
            logger.warning(
                "source %s reached its budget of %d pages for this run; the rest waits for the next",
                source,
                budget,
            )
        origins = tuple(request.meta.get(ORIGINS, ()))
        if origins and self.crawler is not None:
            self.crawler.signals.send_catch_log(origin_incomplete, origins=origins)
        request.meta[SKIPPED] = "budget"
        raise IgnoreRequest(f"page budget of source {source} spent")

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        source = request.meta.get(SOURCE)
        if source is not None:
            bump(self.stats, "fetch/page", source, "pages")
            if response.status < 400:
                # A source with no answer at all in a run has failed (see crawler/runner.py).
                bump(self.stats, "fetch/answered", source, "answered")
        return response


class HtmlOnlyMiddleware:
    """Downloader middleware: article, listing and home responses must be HTML; others are skipped."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> HtmlOnlyMiddleware:
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        kind = request.meta.get(KIND)
        if kind not in HTML_KINDS or response.status != 200 or isinstance(response, HtmlResponse):
            return response
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1") or "no Content-Type"
        source = request.meta.get(SOURCE)
        bump(self.stats, "fetch/not_html", source, "skipped")
        logger.info("skipped non-HTML %s page: %s (%s)", kind, response.url, content_type)
        request.meta[SKIPPED] = "not_html"
        raise IgnoreRequest(f"not HTML: {content_type}")


REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})


class RedirectGuardMiddleware:
    """Downloader middleware, placed before Scrapy's RedirectMiddleware (600) sees a response.

    A redirect back to a URL already in the request's chain is a loop. Left to Scrapy, the repeated
    URL goes to the duplicate filter, which drops it without a word: the page would vanish from the
    run's figures. Here the request fails with REDIRECT_LOOP, which the spider's errback counts and logs.
    Where a hop may go is ScopeMiddleware's decision, taken on the hop's own request.
    """

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        location = response.headers.get(b"Location")
        if response.status not in REDIRECT_STATUS or not location or request.meta.get("dont_redirect"):
            return response
        # Scrapy's RedirectMiddleware leaves these to the callback; so do we.
        handled = request.meta.get("handle_httpstatus_list", ())
        if request.meta.get("handle_httpstatus_all") or response.status in handled:
            return response
        target = safe_url_string(urljoin(request.url, location.decode("latin-1").strip()))
        chain = [*request.meta.get("redirect_urls", ()), request.url]
        if _canonical(target) in {_canonical(u) for u in chain}:
            request.meta[REDIRECT_LOOP] = target
            raise IgnoreRequest(f"{REDIRECT_LOOP}: {request.url} -> {target}")
        return response


def _canonical(url: str) -> str:
    """The URL with its query sorted and escapes normalised; as given when w3lib cannot parse it."""
    try:
        return canonicalize_url(url)
    except ValueError:
        return url


ROBOTS_PATH = "/robots.txt"


class RobotsTxtOnceMiddleware:
    """Downloader middleware, just after Scrapy's RobotsTxtMiddleware (100): robots.txt is downloaded once
    per host and crawl. Scrapy fetches it to obey it, and a source given only by its home page asks for it
    again to find its sitemaps: that second request gets a copy of the first answer, without a download."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats
        self.answers: dict[str, Response] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> RobotsTxtOnceMiddleware:
        return cls(crawler.stats)

    def process_request(self, request: Request, spider: Any = None) -> Response | None:
        origin = _robots_origin(request.url)
        answer = self.answers.get(origin) if origin else None
        if answer is None:
            return None
        self.stats.inc_value("robots/reused")
        # Without a request, the engine ties the copy to this one.
        return answer.replace(url=request.url, request=None)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        origin = _robots_origin(request.url)
        # A 5xx may pass within the run; anything else is the host's answer for this crawl.
        if origin and response.status < 500:
            self.answers.setdefault(origin, response)
        return response


def _robots_origin(url: str) -> str | None:
    """scheme://host:port of a robots.txt URL; None for any other URL."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.path != ROBOTS_PATH or parts.query:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


# Scrapy looks for <meta http-equiv="refresh"> in a page's first 4,096 characters: at most 4 bytes
# each in any encoding where "refresh" is written in ASCII bytes.
META_REFRESH_HEAD_BYTES = 4 * 4096
# "refresh" in any case; a NUL in the head is a UTF-16 or UTF-32 page, where it does not show as bytes.
MAY_REFRESH = re.compile(rb"refresh|\x00", re.IGNORECASE)


class HeadOnlyMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware, which decodes the whole page to read its first 4,096
    characters; the decoded text then stays with the response until the page is stored. A page
    whose head holds no "refresh" is passed on undecoded, so that the article callback decodes it
    once, as it decides (crawler/spiders/base.py): one text per page in the crawl process, not two."""

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        if isinstance(response, HtmlResponse) and not MAY_REFRESH.search(
            response.body, 0, META_REFRESH_HEAD_BYTES
        ):
            return response
        return super().process_response(request, response)
