"""What every spider shares: the sources from settings, the article filter and the ONE article callback.

Spiders differ only in how they find article URLs (feeds, sitemaps, listing pages); each adds its
requests in `requests_for(source)` and hands the URLs it finds to `article_requests`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

import scrapy
from lxml import etree
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

from crawler.reach import unreachable_reason
from newswatch.crawling.items import Markup, PageItem
from newswatch.crawling.meta import (
    CONDITIONAL,
    KIND,
    KIND_ARTICLE,
    LASTMOD,
    LINK,
    ORIGINS,
    REDIRECT_LOOP,
    SKIPPED,
    SOURCE,
)
from newswatch.crawling.signals import origin_incomplete
from newswatch.crawling.stats import bump
from newswatch.store.urls import clean_url, in_domains, url_key

logger = logging.getLogger(__name__)

# Scrapy's RobotsTxtMiddleware message.
ROBOTS_FORBIDDEN = "Forbidden by robots.txt"
# Scrapy's RedirectMiddleware message once REDIRECT_MAX_TIMES hops are spent.
MAX_REDIRECTS = "max redirections reached"
# Scrapy's download handler message for a body over DOWNLOAD_MAXSIZE (crawl.max_page_bytes).
OVERSIZE = re.compile(r"(\d+) bytes which is larger than download max size \((\d+)\)")

# Discovery first (a feed yields many articles), then articles, then the next listing page, so a
# listing page's articles are checked before deciding whether to paginate further.
PRIORITY_DISCOVERY = 20
PRIORITY_ARTICLE = 10
PRIORITY_NEXT_PAGE = 0

# Without an article_pattern, a link found on a page counts as an article when its last path
# segment reads like a slug of several words or carries a long numeric id.
ARTICLE_SLUG = re.compile(r"(?:[^\W_]+-){2,}[^\W_]+|\d{5,}", re.UNICODE)
NON_ARTICLE_EXT = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|pdf|zip|mp3|mp4|css|js|xml|rss|json)$", re.IGNORECASE
)
# What browsers assume for a Western page that declares no charset and is not UTF-8.
FALLBACK_ENCODING = "cp1252"
# Feeds and sitemaps are read with lxml's recovering parser; this strict one only tells whether
# the document was well-formed, so a broken one is reported even when some entries were recovered.
STRICT_XML_PARSER = etree.XMLParser(recover=False, resolve_entities=False, no_network=True, huge_tree=False)
# Transient HTTP failures: the page may come back, so its feed must be read in full next run.
TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 524})
# A site saying no to newswatch (a bot wall, a paywall's "Access Denied"). Counted per source
# (`forbidden`): a source whose every answer is one of these was refused by the site (crawler/runner.py).
REFUSING_STATUS = frozenset({401, 403})


@dataclass(frozen=True)
class SourceSpec:
    """A source as the spiders see it: built from the NEWSWATCH_SOURCES setting."""

    name: str
    home: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    article_pattern: re.Pattern[str] | None = None
    languages: tuple[str, ...] = ()
    max_pages: int | None = None

    @classmethod
    def from_settings(cls, data: dict[str, Any]) -> SourceSpec:
        pattern = data.get("article_pattern")
        domains = tuple(data.get("allowed_domains") or ()) or (_bare_host(data["home"]),)
        return cls(
            name=data["name"],
            home=data["home"],
            feeds=tuple(data.get("feeds") or ()),
            sitemaps=tuple(data.get("sitemaps") or ()),
            listings=tuple(data.get("listings") or ()),
            allowed_domains=domains,
            article_pattern=re.compile(pattern) if pattern else None,
            languages=tuple(data.get("languages") or ()),
            max_pages=data.get("max_pages"),
        )

    @property
    def discover(self) -> bool:
        """Only a home page given: feeds and sitemaps are found from it and from robots.txt."""
        return not (self.feeds or self.sitemaps or self.listings)

    def is_article(self, url: str, *, from_links: bool = False) -> bool:
        """Whether a clean URL may go to extraction. Feed and sitemap entries are articles by
        definition; a link picked off a page must also look like one when no pattern is set."""
        if not in_domains(url, self.allowed_domains):
            return False
        if self.article_pattern is not None:
            return self.article_pattern.search(url) is not None
        if not from_links:
            return True
        return looks_like_article(url)


def looks_like_article(url: str) -> bool:
    path = urlsplit(url).path
    if NON_ARTICLE_EXT.search(path):
        return False
    segments = [s for s in path.split("/") if s]
    if not segments:
        return False
    last = re.sub(r"\.html?$", "", segments[-1], flags=re.IGNORECASE)
    return ARTICLE_SLUG.search(last) is not None


def page_markup(response: TextResponse) -> Markup:
    """The page's bytes and the codec that reads them right, for trafilatura (which garbles accents when
    left to guess from bytes); decoded in the extraction worker, not here.

    The codec is that of the BOM, the HTTP header or the <meta> tag, as Scrapy reads them. With none of
    them and a body that is not UTF-8, Scrapy's statistical guess can pick a Baltic or Central-European
    code page for a French page ("À" read as "Ą"); browsers fall back to windows-1252 there, and so do we.
    """
    body = response.body
    bom_encoding, bom = read_bom(body)
    if bom_encoding and bom:
        return Markup(body[len(bom) :], bom_encoding)
    declared = http_content_type_encoding(
        (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    ) or html_body_declared_encoding(body)
    if declared is not None:
        return Markup(body, response.encoding)  # a declared codec, as Scrapy names it: nothing decoded yet
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return Markup(body, FALLBACK_ENCODING)
    return Markup(body, "utf-8")


def xml_syntax_error(body: bytes) -> str | None:
    """The first well-formedness error of an XML document ("Opening and ending tag mismatch ..., line 4,
    column 9"), or None when it parses cleanly."""
    try:
        etree.fromstring(body, parser=STRICT_XML_PARSER)
    except etree.XMLSyntaxError as exc:
        return str(exc.msg or exc)
    except ValueError as exc:
        return str(exc)
    return None


def _bare_host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


class ArticleSpider(scrapy.Spider):
    """Base of every newswatch spider. `-a source=a,b` restricts a `scrapy crawl` to some sources."""

    sources: list[SourceSpec]

    def __init__(self, *args: Any, source: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.only = {s.strip() for s in source.split(",")} if source else None
        self.sources = []
        self.by_name: dict[str, SourceSpec] = {}
        self._seen_keys: set[str] = set()
        # (why, host:port) already reported in this run, for a host that cannot be reached or that refuses
        # newswatch: one line each, not one per request.
        self._told: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)
        specs = [SourceSpec.from_settings(d) for d in crawler.settings.getlist("NEWSWATCH_SOURCES")]
        spider.sources = [s for s in specs if spider.only is None or s.name in spider.only]
        spider.by_name = {s.name: s for s in spider.sources}
        if not spider.sources:
            logger.warning("no source to crawl (NEWSWATCH_SOURCES is empty or -a source matched none)")
        return spider

    async def start(self) -> AsyncIterator[Any]:
        for source in self.sources:
            for request in self.requests_for(source):
                yield request

    def requests_for(self, source: SourceSpec) -> Iterable[Request]:
        """The first requests for a source; each way of finding articles adds its own."""
        return ()

    # --- building requests ----------------------------------------------------------------------
    def page_request(
        self,
        url: str,
        source: SourceSpec,
        kind: str,
        callback: Any,
        *,
        origins: tuple[str, ...] = (),
        priority: int = PRIORITY_DISCOVERY,
        conditional: bool = False,
    ) -> Request:
        meta: dict[str, Any] = {SOURCE: source.name, KIND: kind, ORIGINS: origins}
        if conditional:
            meta[CONDITIONAL] = True
            meta["handle_httpstatus_list"] = [304]
        return Request(url, callback=callback, errback=self.on_error, meta=meta, priority=priority)

    def article_requests(
        self,
        urls: Iterable[str],
        source: SourceSpec,
        *,
        origins: tuple[str, ...] = (),
        base: str | None = None,
        from_links: bool = False,
        dates: Mapping[str, str] | None = None,
    ) -> list[Request]:
        """Requests for the article URLs among `urls`, each URL identity once per run. `dates`: the date
        a feed or sitemap gives each URL (as written there), for pages known from an earlier run."""
        requests = []
        for raw in urls:
            url = clean_url(raw, base)
            if url is None or not source.is_article(url, from_links=from_links):
                continue
            key = url_key(url)
            if key is None or key in self._seen_keys:
                continue
            self._seen_keys.add(key)
            meta = {SOURCE: source.name, KIND: KIND_ARTICLE, ORIGINS: origins, LINK: url}
            if dates and (date := dates.get(raw)):
                meta[LASTMOD] = date
            requests.append(
                Request(
                    url,
                    callback=self.parse_article,
                    errback=self.on_error,
                    meta=meta,
                    priority=PRIORITY_ARTICLE,
                )
            )
        return requests

    def page_links(self, response: Response) -> list[str]:
        """Every link of an HTML page, as absolute URLs."""
        return [response.urljoin(href) for href in response.xpath("//a/@href").getall()]

    def home_fallback(self, response: Response, source: SourceSpec) -> Iterable[Request]:
        """A home page without feeds: take the articles it links to (the home page is their origin, so
        its validators wait until they are stored)."""
        origins = (*response.meta.get(ORIGINS, ()), response.url)
        return self.article_requests(self.page_links(response), source, origins=origins, from_links=True)

    # --- the article callback -------------------------------------------------------------------
    def parse_article(self, response: Response) -> Iterable[PageItem]:
        """The one article callback: hand the decoded page to the pipelines (extract -> detect -> store)."""
        source = self.by_name[response.meta[SOURCE]]
        seen = [response.meta.get(LINK), *response.meta.get("redirect_urls", ()), response.url]
        urls = tuple(dict.fromkeys(u for u in seen if u))
        yield PageItem(
            source=source.name,
            url=response.url,
            urls=urls,
            allowed_domains=source.allowed_domains,
            languages=source.languages,
            origins=tuple(response.meta.get(ORIGINS, ())),
            # HtmlOnlyMiddleware lets only HTML answers reach the article callback.
            html=page_markup(cast(TextResponse, response)),
        )

    # --- failures -------------------------------------------------------------------------------
    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        source = request.meta.get(SOURCE)
        kind = request.meta.get(KIND, "page")
        url = request.url
        transient = True
        message = str(failure.value)
        unreachable = None
        once_per_host: str | None = None
        if failure.check(HttpError):
            status = cast(HttpError, failure.value).response.status
            reason = f"HTTP {status}"
            transient = status in TRANSIENT_STATUS
            self.crawler.stats.inc_value(f"fetch/http_{status}")
            bump(self.crawler.stats, "fetch/http_error", source, "errors")
            if status in REFUSING_STATUS:
                bump(self.crawler.stats, "fetch/forbidden", source, "forbidden")
                if source is not None:
                    self.crawler.stats.set_value(f"source/{source}/forbidden_status", status)
                once_per_host = "forbidden"
                reason = f"{urlsplit(url).netloc} answered HTTP {status}"
        elif failure.check(IgnoreRequest) and request.meta.get(SKIPPED):
            # The page budget, non-HTML pages and refused URLs say why in their own stats and log lines.
            return
        elif failure.check(IgnoreRequest) and message.startswith(ROBOTS_FORBIDDEN):
            # Scrapy says this at DEBUG only; the operator should see which pages robots.txt keeps out.
            logger.info("robots.txt forbids %s page: %s", kind, url)
            return
        elif failure.check(DownloadCancelledError) and (size := OVERSIZE.search(message)):
            # Over crawl.max_page_bytes is a choice, not a fault: counted as skipped, and not transient
            # (it will be as big next run), so its feed is not re-read in full for ever because of it.
            bump(self.crawler.stats, "fetch/too_big", source, "skipped")
            logger.info(
                "skipped oversize %s page: %s (%s bytes, max_page_bytes %s)", kind, url, *size.groups()
            )
            return
        elif failure.check(IgnoreRequest) and (request.meta.get(REDIRECT_LOOP) or message == MAX_REDIRECTS):
            # Named after the URL the crawl asked for, not the last hop; a loop or a chain past
            # REDIRECT_MAX_TIMES does not fix itself within a run or two: not transient.
            hops = [*request.meta.get("redirect_urls", ()), url]
            url = hops[0]
            looped = bool(request.meta.get(REDIRECT_LOOP))
            reason = (
                f"{REDIRECT_LOOP} after {len(hops)} redirect(s)"
                if looped
                else f"more than {len(hops) - 1} redirects"
            )
            transient = False
            self.crawler.stats.inc_value("fetch/redirect_loop" if looped else "fetch/too_many_redirects")
            bump(self.crawler.stats, "fetch/redirect_error", source, "errors")
        elif (unreachable := unreachable_reason(failure.value)) is not None:
            reason = f"cannot reach {urlsplit(url).netloc}: {unreachable}"
            once_per_host = "unreachable"
            bump(self.crawler.stats, "fetch/unreachable", source, "errors")
        else:
            reason = f"{type(failure.value).__name__}: {failure.getErrorMessage()}"
            bump(self.crawler.stats, "fetch/download_error", source, "errors")
        if kind == KIND_ARTICLE:
            bump(self.crawler.stats, "article/failed", source, "failed")
        if source is not None:
            self.crawler.stats.set_value(f"source/{source}/last_error", f"{reason} {url}")
        self._log_failure(source, kind, url, reason, once_per_host)
        origins = tuple(request.meta.get(ORIGINS, ()))
        if transient and origins:
            self.crawler.signals.send_catch_log(origin_incomplete, origins=origins)

    def _log_failure(
        self, source: str | None, kind: str, url: str, reason: str, once_per_host: str | None
    ) -> None:
        """One line per failed request, but one per host and run when the host cannot be reached or
        refuses newswatch (401, 403): a site that is down, or shut to bots, fails every request the same way."""
        host = urlsplit(url).netloc
        if once_per_host is None:
            logger.warning("fetch failed: %s %s (%s)", kind, url, reason)
        elif (once_per_host, host) not in self._told:
            self._told.add((once_per_host, host))
            logger.warning("source %s: %s (%s %s; not logged again for this host)", source, reason, kind, url)
        else:
            logger.debug("fetch failed: %s %s (%s)", kind, url, reason)
