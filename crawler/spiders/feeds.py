"""Articles found through RSS and Atom feeds; feeds found from the home page's <link rel="alternate">."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import urljoin

from lxml import etree
from parsel import Selector
from scrapy.http import Request, Response

from crawler.spiders.base import ArticleSpider, SourceSpec, xml_syntax_error
from newswatch.crawling.meta import FOUND, KIND_FEED, KIND_HOME, ORIGINS, SOURCE

logger = logging.getLogger(__name__)

FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml"}
)
ALTERNATE_LINKS_XPATH = "//link[@href][@rel]"
# RSS 2.0 and RSS 1.0 (RDF) items carry <link>; Atom entries carry <link rel="alternate" href>.
RSS_LINK_XPATH = "//*[local-name()='item']/*[local-name()='link']/text()"
RSS_GUID_XPATH = (
    "//*[local-name()='item'][not(*[local-name()='link'])]"
    "/*[local-name()='guid'][not(@isPermaLink='false')]/text()"
)
ATOM_LINK_XPATH = (
    "//*[local-name()='entry']/*[local-name()='link'][not(@rel) or @rel='alternate'][@href]/@href"
)
# The date of each entry, to tell a page known from an earlier run that it changed.
ENTRY_XPATH = "//*[local-name()='item' or local-name()='entry']"
ENTRY_DATE_NAMES = ("updated", "modified", "pubDate", "published", "date")
XML_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)


def feed_links(html: str, base_url: str) -> list[str]:
    """RSS / Atom feeds a page declares with <link rel="alternate" type="application/rss+xml">."""
    found = []
    for link in Selector(text=html).xpath(ALTERNATE_LINKS_XPATH):
        rel = (link.attrib.get("rel") or "").lower().split()
        kind = (link.attrib.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in FEED_TYPES:
            found.append(urljoin(base_url, link.attrib["href"].strip()))
    return list(dict.fromkeys(found))


def feed_entry_urls(body: bytes, base_url: str) -> list[str]:
    """Article URLs of an RSS 2.0, RSS 1.0 or Atom document, in feed order. Empty when it is not a feed."""
    if not body or not body.strip():
        return []
    try:
        root = etree.fromstring(body, parser=XML_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return []
    if root is None:
        return []
    values = root.xpath(RSS_LINK_XPATH) + root.xpath(RSS_GUID_XPATH) + root.xpath(ATOM_LINK_XPATH)
    urls = [urljoin(base_url, str(v).strip()) for v in values if str(v).strip()]
    return list(dict.fromkeys(urls))


def feed_entry_dates(body: bytes, base_url: str) -> dict[str, str]:
    """Entry URL -> its date as written (Atom <updated>, RSS <pubDate>, Dublin Core <dc:date>), for the
    entries that carry one."""
    if not body or not body.strip():
        return {}
    try:
        root = etree.fromstring(body, parser=XML_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return {}
    if root is None:
        return {}
    dates: dict[str, str] = {}
    for entry in root.xpath(ENTRY_XPATH):
        links = entry.xpath("./*[local-name()='link']/text()") or entry.xpath(
            "./*[local-name()='link'][not(@rel) or @rel='alternate']/@href"
        )
        when = next(
            (
                text.strip()
                for name in ENTRY_DATE_NAMES
                for text in entry.xpath(f"./*[local-name()='{name}']/text()")
                if text.strip()
            ),
            None,
        )
        if links and str(links[0]).strip() and when:
            dates[urljoin(base_url, str(links[0]).strip())] = when
    return dates


class FeedsSpider(ArticleSpider):
    """`scrapy crawl feeds`: the articles of every source's feeds."""

    name = "feeds"

    def requests_for(self, source: SourceSpec) -> Iterable[Request]:
        yield from super().requests_for(source)
        for url in source.feeds:
            yield self.feed_request(url, source)
        if source.discover:
            yield self.page_request(source.home, source, KIND_HOME, self.parse_home, conditional=True)

    def feed_request(self, url: str, source: SourceSpec, origins: tuple[str, ...] = ()) -> Request:
        return self.page_request(url, source, KIND_FEED, self.parse_feed, origins=origins, conditional=True)

    def parse_home(self, response: Response) -> Iterable[Request]:
        source = self.by_name[response.meta[SOURCE]]
        if response.status == 304:
            # Unchanged since the last run: the same feeds (asked conditionally in turn), and no article
            # link that the last run did not already follow.
            for url in response.meta.get(FOUND) or ():
                yield self.feed_request(url, source)
            return
        feeds = feed_links(response.text, response.url)
        response.meta[FOUND] = feeds
        if feeds:
            logger.info(
                "source %s: discovered %d feed(s) on %s: %s",
                source.name,
                len(feeds),
                response.url,
                " ".join(feeds),
            )
            self.crawler.stats.inc_value("discover/feeds", len(feeds))
            for url in feeds:
                yield self.feed_request(url, source)
        else:
            logger.info(
                "source %s: no feed declared on %s; following its article links", source.name, response.url
            )
            yield from self.home_fallback(response, source)

    def parse_feed(self, response: Response) -> Iterable[Request]:
        if response.status == 304:
            return
        source = self.by_name[response.meta[SOURCE]]
        urls = feed_entry_urls(response.body, response.url)
        problem = xml_syntax_error(response.body) if response.body.strip() else None
        if not urls:
            logger.warning(
                "feed without entries (or not a feed): %s%s", response.url, f" ({problem})" if problem else ""
            )
            self.crawler.stats.inc_value("feed/empty")
            return
        if problem:
            # The recovering parser kept what it could; say so once, naming the feed and the error.
            logger.warning(
                "malformed feed XML at %s (%s): %d entries recovered", response.url, problem, len(urls)
            )
            self.crawler.stats.inc_value("feed/malformed")
        self.crawler.stats.inc_value("feed/entries", len(urls))
        origins = (*response.meta.get(ORIGINS, ()), response.url)
        yield from self.article_requests(
            urls, source, origins=origins, dates=feed_entry_dates(response.body, response.url)
        )
