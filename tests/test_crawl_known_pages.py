"""A recrawl of an unchanged site costs one request per feed, sitemap and home page (each answered 304):
pages that held no article (no text, a 404, a PDF) are remembered and asked for again only when their
sitemap dates them later or the re-check age has passed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from crawl_support import crawl, newswatch, write_config
from db_support import session_scope
from sqlalchemy import func, select, update

from newswatch.demo.content import ANCHOR
from newswatch.demo.render import article_html
from newswatch.demo.responses import Page
from newswatch.demo.server import serve
from newswatch.demo.sites import NewsSite
from newswatch.store.models import Article, KnownPage

NO_TEXT = "/docs/about/"
GONE = "/docs/gone/"
PDF = "/docs/report.pdf"
NOT_ARTICLES = (NO_TEXT, GONE, PDF)
FEED = "/feed.xml"
SITEMAP = "/sitemap.xml"
# Every article and every page above is a candidate article: the crawl cannot tell them apart by URL.
PATTERN = r"/(?:20\d\d/|docs/)"
ABOUT_HTML = (
    "<html><head><title>À propos</title></head><body><nav><a href='/'>Accueil</a></nav>"
    "<p>Qui sommes-nous ?</p></body></html>"
)


@dataclass(eq=False)
class MixedSite:
    """Three articles in an RSS feed and a dated sitemap (named in robots.txt, the feed declared on the
    home page), and three sitemap entries that are no article: a page without article text, a 404, a PDF."""

    name: str = "mixed"
    # The fourth article is never listed: it is the text a page may gain later.
    news: NewsSite = field(default_factory=lambda: NewsSite(name="mixed", n_articles=4))
    lastmod: dict[str, datetime] = field(default_factory=dict)
    # Pages that gained an article's text since the first crawl: path -> HTML.
    rewritten: dict[str, str] = field(default_factory=dict)

    @property
    def listed(self) -> list[Any]:
        return self.news.articles[:3]

    def date(self, path: str) -> datetime:
        return self.lastmod.get(path, ANCHOR)

    def respond(self, path: str, query: str, base: str) -> Page | None:
        articles = {a.path: a for a in self.listed}
        if path in self.rewritten:
            return Page.html(self.rewritten[path], last_modified=self.date(path))
        if path in articles:
            return Page.html(article_html(self.news, articles[path], base), last_modified=self.date(path))
        if path == NO_TEXT:
            return Page.html(ABOUT_HTML, last_modified=self.date(path))
        if path == PDF:
            return Page(b"%PDF-1.4\n% not an article\n", "application/pdf", last_modified=self.date(path))
        if path == "/robots.txt":
            return Page(f"User-agent: *\nAllow: /\n\nSitemap: {base}{SITEMAP}\n".encode(), "text/plain")
        if path == FEED:
            return Page.xml(self.rss(base), "application/rss+xml")
        if path == SITEMAP:
            return Page.xml(self.sitemap(base), "application/xml")
        if path == "/":
            links = "".join(f'<li><a href="{a.path}">{escape(a.title)}</a></li>' for a in self.listed)
            return Page.html(
                f'<html><head><title>Mixed</title><link rel="alternate" type="application/rss+xml" '
                f'href="{FEED}"></head><body><ul>{links}</ul></body></html>'
            )
        return None

    def rss(self, base: str) -> str:
        items = "".join(
            f"<item><title>{escape(a.title)}</title><link>{base}{a.path}</link>"
            f"<pubDate>{a.published.strftime('%a, %d %b %Y %H:%M:%S %z')}</pubDate></item>"
            for a in self.listed
        )
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Mixed</title>{items}</channel></rss>'

    def sitemap(self, base: str) -> str:
        paths = [a.path for a in self.listed] + list(NOT_ARTICLES)
        urls = "".join(
            f"<url><loc>{base}{p}</loc><lastmod>{self.date(p).isoformat()}</lastmod></url>" for p in paths
        )
        return (
            f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{urls}</urlset>"
        )


def source(server: Any) -> list[dict[str, Any]]:
    return [{"name": "mixed", "home": server.url_for("mixed"), "article_pattern": PATTERN, "languages": []}]


def hits(server: Any) -> list[tuple[str, int, bool]]:
    """(path, status, asked conditionally) of every request the site served."""
    return [
        (h.path, h.status, "if-none-match" in h.headers or "if-modified-since" in h.headers)
        for h in server.hits.records()
    ]


def known_pages(url: str) -> dict[str, tuple[str, int | None]]:
    with session_scope(url) as session:
        rows = session.execute(select(KnownPage.url, KnownPage.outcome, KnownPage.http_status)).all()
    return {"/" + u.split("/", 3)[3]: (outcome, status) for u, outcome, status in rows}


def articles(url: str) -> int:
    with session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(Article)) or 0


def test_second_crawl_asks_only_feed_sitemap_and_home_conditionally(tmp_path: Path, db_url: str) -> None:
    site = MixedSite()
    with serve([site]) as server:
        config = write_config(tmp_path, source(server))
        crawl(config, db_url)
        first = hits(server)
        assert {p for p, _, _ in first} >= {*NOT_ARTICLES, *(a.path for a in site.listed)}
        # Scrapy reads robots.txt to obey it and the spider reads it for its sitemaps: one download.
        assert [p for p, _, _ in first].count("/robots.txt") == 1
        assert articles(db_url) == 3
        assert known_pages(db_url) == {
            NO_TEXT: ("no_text", 200),
            GONE: ("http_error", 404),
            PDF: ("not_html", 200),
        }

        server.reset_hits()
        second = crawl(config, db_url)

        assert sorted(hits(server)) == sorted(
            [("/robots.txt", 200, False), ("/", 304, True), (FEED, 304, True), (SITEMAP, 304, True)]
        )
        assert second.summary()["mixed"]["new"] == 0
        assert articles(db_url) == 3

        status = newswatch(config, db_url, "status")
        assert status.returncode == 0, status.stderr
        assert "mixed: 6 URLs known (3 article, 1 no_text, 1 http_error, 1 not_html)" in status.stdout


def test_page_dated_later_by_its_sitemap_is_fetched_again(tmp_path: Path, db_url: str) -> None:
    site = MixedSite()
    with serve([site]) as server:
        config = write_config(tmp_path, source(server))
        crawl(config, db_url)
        # A sitemap that changed but lists only known entries, none of them a page dated later than its
        # fetch (a stored article is never fetched again): that one request and nothing more.
        site.lastmod[site.listed[0].path] = datetime.now(UTC) + timedelta(minutes=1)
        server.reset_hits()
        crawl(config, db_url)
        assert sorted(hits(server)) == sorted(
            [("/robots.txt", 200, False), ("/", 304, True), (FEED, 304, True), (SITEMAP, 200, True)]
        )

        # The page without text becomes an article; the sitemap says so with a later <lastmod>.
        site.rewritten[NO_TEXT] = article_html(
            site.news,
            site.news.articles[3],
            server.url_for("mixed"),
            canonical=server.url_for("mixed").rstrip("/") + NO_TEXT,
        )
        site.lastmod[NO_TEXT] = datetime.now(UTC) + timedelta(minutes=1)
        server.reset_hits()
        crawl(config, db_url)

        fetched = [(p, s) for p, s, _ in hits(server) if p.startswith("/docs/") or p.startswith("/20")]
        assert fetched == [(NO_TEXT, 200)]
        assert (SITEMAP, 200, True) in hits(server)
        assert articles(db_url) == 4
        assert NO_TEXT not in known_pages(db_url)


def test_pages_past_the_recheck_age_are_asked_again_conditionally(tmp_path: Path, db_url: str) -> None:
    site = MixedSite()
    with serve([site]) as server:
        config = write_config(tmp_path, source(server), recheck_days=7)
        crawl(config, db_url)
        # As far as the crawl can tell, the page without text and the PDF were fetched eight days ago and
        # the 404 one day ago.
        base = server.url_for("mixed").rstrip("/")
        with session_scope(db_url) as session:
            for path, age in ((NO_TEXT, 8), (PDF, 8), (GONE, 1)):
                session.execute(
                    update(KnownPage)
                    .where(KnownPage.url == base + path)
                    .values(fetched_at=datetime.now(UTC) - timedelta(days=age))
                )
        # The sitemap changes (an article is dated later) without dating these pages later.
        site.lastmod[site.listed[0].path] = datetime.now(UTC) + timedelta(minutes=1)
        server.reset_hits()
        result = crawl(config, db_url)

        pages = sorted((p, s, c) for p, s, c in hits(server) if p.startswith("/docs/") or p.startswith("/20"))
        # Both answer 304 to their stored validators; the 404 is within the age, the article is stored.
        assert pages == sorted([(NO_TEXT, 304, True), (PDF, 304, True)])
        assert result.summary()["mixed"]["new"] == 0
        rows = known_pages(db_url)
        assert rows == {NO_TEXT: ("no_text", 200), GONE: ("http_error", 404), PDF: ("not_html", 200)}
        with session_scope(db_url) as session:
            fetched = dict(session.execute(select(KnownPage.url, KnownPage.fetched_at)).all())
        recent = datetime.now(UTC) - timedelta(hours=1)
        assert {path for path in NOT_ARTICLES if _utc(fetched[base + path]) > recent} == {NO_TEXT, PDF}


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
