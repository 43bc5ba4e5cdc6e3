"""What the spiders hand to the item pipelines, and what the pipelines hand back to Scrapy."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Markup:
    """A page's bytes and the codec to read them with, decoded where the page is parsed: as text a page
    costs one to four bytes a character, and the crawl process would hold it as text until its worker is done."""

    body: bytes
    encoding: str

    def text(self) -> str:
        return self.body.decode(self.encoding, "replace")

    def __len__(self) -> int:
        return len(self.body)


@dataclass(slots=True)
class PageItem:
    """A fetched article page, before extraction: the one thing the article callback yields."""

    source: str
    url: str
    # Every URL this page was reached by (request URL, redirects, final URL): all become known.
    urls: tuple[str, ...]
    allowed_domains: tuple[str, ...]
    # Languages the source keeps; empty keeps all.
    languages: tuple[str, ...]
    # Feeds / sitemaps this page was found through: their validators wait until it is stored.
    origins: tuple[str, ...] = ()
    html: Markup = field(default=Markup(b"", "utf-8"), repr=False)


@dataclass(slots=True)
class ArticleItem:
    """Outcome of one article page after extraction, detection and storage (no HTML kept)."""

    source: str
    url: str
    # ok, empty, language, error, stored: new / duplicate
    status: str
    title: str | None = None
    language: str | None = None
    article_id: int | None = None
    flagged: bool = False
    detail: str | None = None
