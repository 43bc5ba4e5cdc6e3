"""Articles found through sitemaps: sitemap indexes, URL sets and Google News sitemaps, and
sitemaps discovered from robots.txt. Scrapy's SitemapSpider supplies the parsing machinery."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from scrapy.http import Request, Response
from scrapy.spiders import SitemapSpider
from scrapy.spiders.sitemap import iterloc
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from crawler.spiders.base import ArticleSpider, SourceSpec, xml_syntax_error
from newswatch.crawling.meta import KIND_ROBOTS, KIND_SITEMAP, ORIGINS, SOURCE
from newswatch.crawling.signals import origin_incomplete

logger = logging.getLogger(__name__)


def robots_url(home: str) -> str:
    parts = urlsplit(home)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


def index_is_dated(entries: list[dict[str, Any]]) -> bool:
    """A sitemap index whose every child carries <lastmod> changes whenever a child does, so a 304
    on it means no child changed. Without lastmod, a 304 says nothing about the children."""
    return bool(entries) and all(entry.get("lastmod") for entry in entries)


def newest_first(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Dated entries newest first, then the undated ones in sitemap order: when a page budget cuts
    a long sitemap, the newest articles are the ones fetched."""
    dated = sorted((e for e in entries if e.get("lastmod")), key=lambda e: e["lastmod"], reverse=True)
    return dated + [e for e in entries if not e.get("lastmod")]


def entry_dates(entries: list[dict[str, Any]]) -> dict[str, str]:
    """loc -> <lastmod> of the entries that carry one."""
    return {e["loc"]: e["lastmod"] for e in entries if e.get("loc") and e.get("lastmod")}


class SitemapsSpider(ArticleSpider, SitemapSpider):
    """`scrapy crawl sitemaps`: the articles listed in every source's sitemaps."""

    name = "sitemaps"
    sitemap_alternate_links = False

    def requests_for(self, source: SourceSpec) -> Iterable[Request]:
        yield from super().requests_for(source)
        for url in source.sitemaps:
            yield self.sitemap_request(url, source)
        if source.discover:
            yield self.page_request(robots_url(source.home), source, KIND_ROBOTS, self.parse_robots)

    def sitemap_request(self, url: str, source: SourceSpec, origins: tuple[str, ...] = ()) -> Request:
        return self.page_request(
            url, source, KIND_SITEMAP, self.parse_sitemap, origins=origins, conditional=True
        )

    def parse_robots(self, response: Response) -> Iterable[Request]:
        source = self.by_name[response.meta[SOURCE]]
        urls = list(dict.fromkeys(sitemap_urls_from_robots(response.body, base_url=response.url)))
        if urls:
            logger.info("source %s: discovered %d sitemap(s) in %s", source.name, len(urls), response.url)
            self.crawler.stats.inc_value("discover/sitemaps", len(urls))
        for url in urls:
            yield self.sitemap_request(url, source)

    def parse_sitemap(self, response: Response) -> Iterable[Request]:
        if response.status == 304:
            return
        source = self.by_name[response.meta[SOURCE]]
        body = self._get_sitemap_body(response)
        sitemap = Sitemap(body) if body else None
        problem = xml_syntax_error(body) if body else None
        if sitemap is None or sitemap.type not in ("sitemapindex", "urlset"):
            logger.warning("not a sitemap: %s%s", response.url, f" ({problem})" if problem else "")
            self.crawler.stats.inc_value("sitemap/invalid")
            return
        entries = list(self.sitemap_filter(sitemap))
        if problem:
            # Scrapy's Sitemap recovers silently (even half an entry): say so once, naming the sitemap.
            logger.warning(
                "malformed sitemap XML at %s (%s): %d entries recovered", response.url, problem, len(entries)
            )
            self.crawler.stats.inc_value("sitemap/malformed")
        origins = (*response.meta.get(ORIGINS, ()), response.url)
        if sitemap.type == "sitemapindex":
            if not index_is_dated(entries):
                self.crawler.signals.send_catch_log(origin_incomplete, origins=(response.url,))
            self.crawler.stats.inc_value("sitemap/children", len(entries))
            for loc in iterloc(entries):
                yield self.sitemap_request(loc, source, origins)
            return
        # Google News entries are articles; a plain URL set may also list the home, "about" and
        # section pages, so without an article_pattern its URLs must look like articles.
        entries = newest_first(entries)
        news = [e for e in entries if "news" in e]
        plain = [e for e in entries if "news" not in e]
        self.crawler.stats.inc_value("sitemap/entries", len(entries))
        dates = entry_dates(entries)
        yield from self.article_requests(
            iterloc(news, self.sitemap_alternate_links), source, origins=origins, dates=dates
        )
        yield from self.article_requests(
            iterloc(plain, self.sitemap_alternate_links),
            source,
            origins=origins,
            from_links=True,
            dates=dates,
        )
