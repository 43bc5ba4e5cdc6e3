"""Off-source fetches end to end: a hostile site points its feed links, robots.txt Sitemap lines,
sitemap-index children and redirects at another host (a canary on 127.0.0.2 recording every hit) and
at file://, ftp:// URLs. Nothing reaches the canary, nothing is read from the disk, and each refused
URL is logged once with its reason and counted for its source."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from crawl_support import CrawlResult, crawl, newswatch, statuses, write_config
from db_support import dispose_all, session_scope
from sqlalchemy import select

from newswatch.demo import routes
from newswatch.demo.responses import Page
from newswatch.demo.server import DemoServer, serve
from newswatch.demo.sites import NewsSite
from newswatch.store.models import Article, CrawlRun

ARTICLES = 5
CANARY_HOST = "127.0.0.2"
# Each file:// URL is used in one place only, so that each place's refusal is counted on its own.
FEED_FILES = ("file:///etc/passwd", "file:///dev/zero")
ROBOTS_FILE = "file:///etc/hostname"
INDEX_FILE = "file:///proc/self/environ"
FTP_FEED = f"ftp://{CANARY_HOST}/feed.xml"
# A public-looking home that is never fetched (the source lists its feed): 192.0.2.0/24 is reserved
# for documentation, so nothing leaves the machine even if it were.
FAR_HOME = "http://192.0.2.10/"


class Canary:
    """Another host (127.0.0.2) that must never be asked anything: it answers, and records, everything."""

    name = "canary"

    def respond(self, path: str, query: str, base: str) -> Page:
        return Page(
            b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', "application/rss+xml"
        )


@dataclass
class HostileSite:
    """A working news site (its /feed/ lists real articles) whose home page, robots.txt and sitemap
    index also point off the source, directly or through a redirect."""

    news: NewsSite
    canary: str = ""

    @property
    def name(self) -> str:
        return self.news.name

    @property
    def off_source(self) -> dict[str, list[str]]:
        """The refused URLs, by the place they are found in."""
        return {
            "feed links": [f"{self.canary}/feed/", *FEED_FILES, FTP_FEED, f"{self.canary}/moved-feed/"],
            "robots.txt": [f"{self.canary}/sitemap.xml", ROBOTS_FILE],
            "sitemap index": [
                f"{self.canary}/child-sitemap.xml",
                INDEX_FILE,
                f"{self.canary}/moved-sitemap.xml",
            ],
        }

    def respond(self, path: str, query: str, base: str) -> Page | None:
        if path == "/":
            feeds = ["/feed/", f"{self.canary}/feed/", *FEED_FILES, FTP_FEED, "/feed-moved/"]
            links = "".join(
                f'<link rel="alternate" type="application/rss+xml" href="{href}">' for href in feeds
            )
            return Page.html(
                f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Accueil</title>'
                f"{links}</head><body><h1>Le journal</h1></body></html>"
            )
        if path == "/robots.txt":
            text = (
                f"User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap_index.xml\nSitemap: {self.canary}/sitemap.xml\n"
                f"Sitemap: {ROBOTS_FILE}\n"
            )
            return Page(text.encode(), "text/plain; charset=utf-8", conditional=False)
        if path == "/sitemap_index.xml":
            children = [
                f"{base}/news-sitemap.xml",
                f"{self.canary}/child-sitemap.xml",
                INDEX_FILE,
                f"{base}/sitemap-moved.xml",
            ]
            entries = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in children)
            return Page.xml(
                '<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>',
                "application/xml",
            )
        if path == "/feed-moved/":
            return Page.redirect(f"{self.canary}/moved-feed/", status=302)
        if path == "/sitemap-moved.xml":
            return Page.redirect(f"{self.canary}/moved-sitemap.xml", status=302)
        return routes.respond(self.news, path, base)


class MovedRobots:
    """A site whose robots.txt redirects to the canary (Scrapy's robots.txt check follows redirects too)."""

    name = "moved"
    canary = ""

    def __init__(self) -> None:
        self.news = NewsSite(name="moved", n_articles=ARTICLES, seed=3)

    def respond(self, path: str, query: str, base: str) -> Page | None:
        if path == "/robots.txt":
            return Page.redirect(f"{self.canary}/robots.txt", status=302)
        return routes.respond(self.news, path, base)


@dataclass
class ScopeRun:
    server: DemoServer
    hostile: HostileSite
    base: str
    database: str
    config: Path
    result: CrawlResult

    def canary_hits(self) -> list[str]:
        return [h.path for h in self.server.hits.records() if h.site == "canary"]


@pytest.fixture(scope="module")
def scope_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScopeRun]:
    """One crawl of three sources: the hostile site (home only: feeds and sitemaps discovered), the
    site whose robots.txt redirects to the canary, and a source whose feed host name is inside its
    allowed_domains but resolves to a loopback address while its home is elsewhere."""
    tmp = tmp_path_factory.mktemp("scope")
    database = f"sqlite:///{tmp / 'newswatch.db'}"
    hostile, moved = HostileSite(NewsSite(name="hostile", n_articles=ARTICLES)), MovedRobots()
    victim = NewsSite(name="victim", n_articles=ARTICLES, seed=5)
    with serve([hostile, moved, victim, Canary()], hosts={"canary": CANARY_HOST}) as server:
        canary = server.url_for("canary").rstrip("/")
        assert canary.startswith(f"http://{CANARY_HOST}:")
        hostile.canary = moved.canary = canary
        port = {
            name: server.url_for(name).rstrip("/").rsplit(":", 1)[1]
            for name in ("hostile", "moved", "victim")
        }
        base = f"http://localhost:{port['hostile']}"
        config = write_config(
            tmp,
            [
                {"name": "hostile", "home": base + "/"},
                {"name": "moved", "home": f"http://127.0.0.1:{port['moved']}/"},
                {
                    "name": "rebind",
                    "home": FAR_HOME,
                    "allowed_domains": ["localhost"],
                    "feeds": [f"http://localhost:{port['victim']}/feed/"],
                },
            ],
        )
        result = crawl(config, database)
        yield ScopeRun(server, hostile, base, database, config, result)
    dispose_all()


def refused_lines(result: CrawlResult, url: str) -> list[str]:
    return [line for line in result.stderr.splitlines() if re.search(rf"refused .*{re.escape(url)} \(", line)]


def test_off_source_feed_sitemap_robots_and_redirect_targets_never_reach_the_other_host(
    scope_run: ScopeRun,
) -> None:
    assert scope_run.canary_hits() == []
    # The crawl itself went on: the hostile site's own feed and the moved site's articles were stored.
    summary = scope_run.result.summary()
    assert summary["hostile"]["new"] == ARTICLES and summary["moved"]["new"] == ARTICLES
    hostile_hits = {h.path for h in scope_run.server.hits.records() if h.site == "hostile"}
    assert {
        "/robots.txt",
        "/",
        "/feed/",
        "/sitemap_index.xml",
        "/feed-moved/",
        "/sitemap-moved.xml",
    } <= hostile_hits


def test_each_refused_url_is_logged_once_with_its_reason(scope_run: ScopeRun) -> None:
    found_in = scope_run.hostile.off_source
    for place, urls in found_in.items():
        for url in urls:
            [line] = refused_lines(scope_run.result, url)
            assert "source hostile: refused " in line, (place, line)
            if url.startswith("file:"):
                assert line.endswith("(scheme file: is not http(s))"), line
            elif url.startswith("ftp:"):
                assert line.endswith("(scheme ftp: is not http(s))"), line
            else:
                assert line.endswith(f"(host {CANARY_HOST} is outside allowed_domains (localhost))"), line
    # A redirect is named with the URL it came from.
    [moved_feed] = refused_lines(scope_run.result, f"{scope_run.hostile.canary}/moved-feed/")
    assert (
        f"refused redirect {scope_run.base}/feed-moved/ -> {scope_run.hostile.canary}/moved-feed/"
        in moved_feed
    )
    # robots.txt is asked for twice (by newswatch for its Sitemap lines, by Scrapy for its rules), and
    # redirects twice to the same refused URL: one line.
    assert statuses(scope_run.server, "moved", "/robots.txt") == [302, 302]
    [robots] = refused_lines(scope_run.result, f"{scope_run.hostile.canary}/robots.txt")
    assert "source moved: refused redirect http://127.0.0.1:" in robots


def test_each_refusal_is_counted_for_its_source_in_the_summary_the_stats_and_status(
    scope_run: ScopeRun,
) -> None:
    expected = sum(len(urls) for urls in scope_run.hostile.off_source.values())
    summary = scope_run.result.summary()
    assert (summary["hostile"]["refused"], summary["moved"]["refused"], summary["rebind"]["refused"]) == (
        expected,
        1,
        1,
    )
    assert summary["total"]["refused"] == expected + 2
    with session_scope(scope_run.database) as session:
        stats = session.scalars(select(CrawlRun.stats)).one()
    assert stats["scope/refused"] == expected + 2
    status = newswatch(scope_run.config, scope_run.database, "status")
    [line] = [line for line in status.stdout.splitlines() if line.startswith("  - hostile: ")]
    assert line.endswith(f", 0 errors, {expected} refused"), line


def test_file_urls_are_refused_and_nothing_is_read_from_the_disk(scope_run: ScopeRun) -> None:
    passwd = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace").splitlines()[0]
    with session_scope(scope_run.database) as session:
        texts = session.scalars(select(Article.text)).all()
        urls = session.scalars(select(Article.url)).all()
    assert len(urls) == 2 * ARTICLES and not [u for u in urls if not u.startswith("http")]
    assert not [t for t in texts if passwd in (t or "")]
    for url in (*FEED_FILES, ROBOTS_FILE, INDEX_FILE):
        assert len(refused_lines(scope_run.result, url)) == 1


def test_a_host_inside_allowed_domains_that_resolves_to_a_loopback_address_is_refused(
    scope_run: ScopeRun,
) -> None:
    # The rebind source's feed is on "localhost", inside its allowed_domains; its home is not on this
    # machine, so the address the resolver gives (127.0.0.1) is off limits and the feed is never fetched.
    assert [h for h in scope_run.server.hits.records() if h.site == "victim"] == []
    [line] = [line for line in scope_run.result.stderr.splitlines() if "source rebind: refused" in line]
    assert re.search(
        r"refused feed http://localhost:\d+/feed/ \(loopback address 127\.0\.0\.1, and the "
        r"source's home is not in 127\.0\.0\.0/8\)$",
        line,
    ), line
    assert "  rebind: FAILED: every request refused; last: http://localhost:" in scope_run.result.stdout


def test_an_adhoc_url_crawl_stays_on_its_host(scope_run: ScopeRun, tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'adhoc.db'}"
    config = write_config(tmp_path, [])
    result = crawl(config, database, "--url", scope_run.base + "/")
    assert scope_run.canary_hits() == []
    name = "localhost-" + scope_run.base.rsplit(":", 1)[1]
    expected = sum(len(urls) for urls in scope_run.hostile.off_source.values())
    assert result.summary()[name]["refused"] == expected and result.summary()[name]["new"] == ARTICLES
    dispose_all()
