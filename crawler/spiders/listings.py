"""Articles found on paginated listing pages (a section's "page 1, 2, 3...")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urljoin

from parsel import Selector
from scrapy.http import Request, Response

from crawler.spiders.base import PRIORITY_NEXT_PAGE, ArticleSpider, SourceSpec
from newswatch.crawling.meta import KIND_LISTING, ORIGINS, SOURCE
from newswatch.store.urls import in_domains

REL_NEXT_XPATH = (
    "//link[@href][contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href"
    " | //a[@href][contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href"
)
CLASS_NEXT_XPATH = (
    "//a[@href][contains(concat(' ', normalize-space(@class), ' '), ' next ')"
    " or contains(@class, 'pagination-next') or contains(@class, 'next-page')]/@href"
)
NEXT_TEXT = re.compile(
    r"^(?:page\s+)?(?:suivante?s?|next(?:\s+page)?|articles?\s+suivants|plus\s+d'articles|older\s+posts)"
    r"\s*[›»→>]*$|^[›»→>]{1,2}$",
    re.IGNORECASE,
)


def next_page_url(html: str, base_url: str) -> str | None:
    """The next listing page: rel="next", else a link classed "next", else one reading "Suivant" / "»"."""
    selector = Selector(text=html)
    for xpath in (REL_NEXT_XPATH, CLASS_NEXT_XPATH):
        href = selector.xpath(xpath).get()
        if href and href.strip():
            return _join(base_url, href)
    for anchor in selector.xpath("//a[@href]"):
        label = " ".join(" ".join(anchor.xpath(".//text()").getall()).split())
        label = label or (anchor.attrib.get("aria-label") or "").strip()
        if label and NEXT_TEXT.match(label):
            return _join(base_url, anchor.attrib["href"])
    return None


def _join(base_url: str, href: str) -> str:
    return urljoin(base_url, href.strip())


class ListingsSpider(ArticleSpider):
    """`scrapy crawl listings`: the articles linked from every source's listing pages, page after page."""

    name = "listings"

    def requests_for(self, source: SourceSpec) -> Iterable[Request]:
        yield from super().requests_for(source)
        for url in source.listings:
            yield self.page_request(url, source, KIND_LISTING, self.parse_listing, conditional=True)

    def parse_listing(self, response: Response) -> Iterable[Request]:
        if response.status == 304:
            # Newest first and unchanged since the last run: nothing on it or after it is new.
            return
        source = self.by_name[response.meta[SOURCE]]
        # This page is an origin of what it links to: its validators wait until those are stored.
        origins = (*response.meta.get(ORIGINS, ()), response.url)
        yield from self.article_requests(self.page_links(response), source, origins=origins, from_links=True)
        following = next_page_url(response.text, response.url)
        if following and in_domains(following, source.allowed_domains):
            self.crawler.stats.inc_value("listing/next_page")
            yield self.page_request(
                following,
                source,
                KIND_LISTING,
                self.parse_listing,
                origins=origins,
                priority=PRIORITY_NEXT_PAGE,
                conditional=True,
            )
