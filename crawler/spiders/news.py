"""The spider `newswatch crawl` runs: every way of finding articles, for every selected source, at once."""

from __future__ import annotations

from crawler.spiders.feeds import FeedsSpider
from crawler.spiders.listings import ListingsSpider
from crawler.spiders.sitemaps import SitemapsSpider


class NewsSpider(FeedsSpider, SitemapsSpider, ListingsSpider):
    """Feeds, sitemaps and listing pages of each source; a source with only a home page gets its
    feeds from <link rel="alternate"> and its sitemaps from robots.txt."""

    name = "news"
