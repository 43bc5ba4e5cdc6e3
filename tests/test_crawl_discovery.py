"""How articles are found: feeds and sitemaps discovered from a home page, listing pagination,
ad-hoc --url sites, robots.txt; and what comes out: one article per URL identity and per body,
accents intact from Latin-1 pages, the languages a source keeps, `articles --format json`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from crawl_support import ARTICLE_PATH, CrawlResult, article_hits, crawl, newswatch, write_config
from db_support import dispose_all, session_scope
from sqlalchemy import select

from newswatch.demo.server import DemoServer, serve
from newswatch.demo.sites import NewsSite
from newswatch.store.models import Article, ArticleUrl, CrawlRun
from newswatch.store.urls import url_key


@dataclass
class Crawled:
    server: DemoServer
    site: NewsSite
    url: str
    config: Path
    result: CrawlResult


def folded(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def home_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    """One crawl of a 30-article site configured by its home page only."""
    tmp = tmp_path_factory.mktemp("home_only")
    url = f"sqlite:///{tmp / 'newswatch.db'}"
    site = NewsSite(name="tech", n_articles=30)
    with serve([site]) as server:
        config = write_config(tmp, [{"name": "tech", "home": server.url_for("tech")}])
        result = crawl(config, url)
        yield Crawled(server, site, url, config, result)
    dispose_all()


def test_home_only_source_discovers_feeds_from_link_alternate_and_sitemaps_from_robots(
    home_only: Crawled,
) -> None:
    paths = {h.path for h in home_only.server.hits.records()}
    assert {"/", "/robots.txt", "/feed/", "/atom.xml", "/sitemap_index.xml", "/news-sitemap.xml"} <= paths
    assert home_only.result.summary()["tech"]["new"] == 30
    with session_scope(home_only.url) as session:
        stored = set(session.scalars(select(Article.title)))
    assert stored == {folded(a.title) for a in home_only.site.articles}


def test_same_body_under_two_urls_is_stored_once_with_both_urls(home_only: Crawled) -> None:
    article = home_only.site.syndicated_article
    assert article is not None
    base = home_only.server.url_for("tech").rstrip("/")
    with session_scope(home_only.url) as session:
        rows = session.scalars(select(Article).where(Article.title == folded(article.title))).all()
        assert len(rows) == 1
        urls = {u.url for u in rows[0].urls}
    assert {base + article.path, base + (home_only.site.syndicated_path or "")} <= urls
    assert home_only.result.summary()["tech"]["known"] >= 1


def test_latin1_pages_keep_their_accents(home_only: Crawled) -> None:
    declared, undeclared = home_only.site.latin1_article, home_only.site.nocharset_article
    assert declared is not None and undeclared is not None
    with session_scope(home_only.url) as session:
        for article in (declared, undeclared):
            stored = session.scalars(select(Article).where(Article.url.endswith(article.path))).one()
            assert stored.title == folded(article.title)
            for paragraph in article.paragraphs:
                assert folded(paragraph)[:100] in folded(stored.text)
            assert "Ã" not in stored.text and "\ufffd" not in stored.text


def test_articles_json_prints_one_object_per_article(home_only: Crawled) -> None:
    result = newswatch(home_only.config, home_only.url, "articles", "--format", "json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert len(records) == 30
    for record in records:
        assert {"url", "title", "published", "language", "text"} <= record.keys()
        assert record["language"] == "fr" and record["published"] and len(record["text"]) > 200
    by_title = {r["title"]: r for r in records}
    article = home_only.site.articles[0]
    assert by_title[folded(article.title)]["published"] == article.published.date().isoformat()

    table = newswatch(home_only.config, home_only.url, "articles", "--limit", "5")
    assert table.returncode == 0 and "5 article(s)" in table.stdout


def test_listing_pages_are_followed_and_tracking_variants_collapse(tmp_path: Path, sqlite_url: str) -> None:
    site = NewsSite(name="tech", n_articles=30, per_page=10)
    with serve([site]) as server:
        home = server.url_for("tech")
        config = write_config(tmp_path, [{"name": "tech", "home": home, "listings": [home + "actualites/"]}])
        crawl(config, sqlite_url)

        listing_hits = [h.path for h in server.hits.records() if h.path.startswith("/actualites/")]
        assert sorted(listing_hits) == ["/actualites/", "/actualites/page/2/", "/actualites/page/3/"]
        # Listings link some articles with utm_* / fbclid / #comments or without the trailing slash.
        variants = [a for a in site.articles if site.link_variant(a) != a.path]
        assert variants
        fetched = article_hits(server, "tech")
        assert len({url_key(home + p.lstrip("/")) for p in fetched}) == len(fetched) == 30
        with session_scope(sqlite_url) as session:
            assert len(session.scalars(select(Article.id)).all()) == 30
            stored_urls = session.scalars(select(ArticleUrl.url)).all()
        assert not [u for u in stored_urls if "utm_" in u or "fbclid" in u or "#" in u]

        server.reset_hits()
        crawl(config, sqlite_url)
        # Page 1 is unchanged: asked conditionally, it answers 304; no article fetched, no deeper page requested.
        listing = [h for h in server.hits.records() if h.path.startswith("/actualites/")]
        assert [(h.path, h.status) for h in listing] == [("/actualites/", 304)]
        assert "if-none-match" in listing[0].headers
        assert article_hits(server, "tech") == []


def test_robots_txt_disallow_is_obeyed(tmp_path: Path, sqlite_url: str) -> None:
    site = NewsSite(name="tech", n_articles=30)
    with serve([site]) as server:
        home = server.url_for("tech")
        # The pattern would take /prive/ for an article; robots.txt forbids it.
        source = {
            "name": "tech",
            "home": home,
            "listings": [home],
            "article_pattern": r"/(\d{4}/\d{2}/\d{2}|prive)/",
        }
        crawl(config := write_config(tmp_path, [source]), sqlite_url)
        assert config.exists()
        assert [h.path for h in server.hits.records() if h.path.startswith("/prive")] == []
        assert any(h.path == "/robots.txt" for h in server.hits.records())
    with session_scope(sqlite_url) as session:
        stats = session.scalars(select(CrawlRun.stats)).one()
    assert stats.get("robotstxt/forbidden", 0) >= 1


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DemoServer, NewsSite]]:
    site = NewsSite(name="mixed", n_articles=24, languages=("fr", "en"))
    with serve([site]) as server:
        yield server, site


def _languages(url: str) -> list[Any]:
    with session_scope(url) as session:
        return list(session.scalars(select(Article.language)))


def test_adhoc_url_discovers_the_site_and_keeps_every_language(
    tmp_path: Path, sqlite_url: str, bilingual: tuple[DemoServer, NewsSite]
) -> None:
    server, site = bilingual
    config = write_config(tmp_path, [])
    result = crawl(config, sqlite_url, "--url", server.url_for("mixed"))
    languages = _languages(sqlite_url)
    english = sum(1 for a in site.articles if a.language == "en")
    assert 0 < english < len(site.articles)
    assert len(languages) == len(site.articles)
    assert languages.count("en") == english
    assert result.summary()["127.0.0.1-" + server.url_for("mixed").rsplit(":", 1)[1].strip("/")]["new"] == 24


def test_configured_source_keeps_only_its_languages(
    tmp_path: Path, sqlite_url: str, bilingual: tuple[DemoServer, NewsSite]
) -> None:
    server, site = bilingual
    config = write_config(tmp_path, [{"name": "mixed", "home": server.url_for("mixed"), "languages": ["fr"]}])
    result = crawl(config, sqlite_url)
    french = sum(1 for a in site.articles if a.language == "fr")
    assert _languages(sqlite_url) == ["fr"] * french
    assert result.summary()["mixed"]["skipped"] == len(site.articles) - french


def test_article_pattern_keeps_other_pages_out(tmp_path: Path, sqlite_url: str) -> None:
    site = NewsSite(name="tech", n_articles=30)
    pattern = r"/2025/05/1[0-4]/"
    with serve([site]) as server:
        home = server.url_for("tech")
        config = write_config(tmp_path, [{"name": "tech", "home": home, "article_pattern": pattern}])
        crawl(config, sqlite_url)
        fetched = {h.path for h in server.hits.records() if ARTICLE_PATH.match(h.path)}
    expected = {a.path for a in site.articles if re.search(pattern, a.path)}
    assert expected and expected != {a.path for a in site.articles}
    assert fetched == expected
    with session_scope(sqlite_url) as session:
        assert len(session.scalars(select(Article.url)).all()) == len(expected)


def test_stored_articles_carry_detection_and_their_announcements(home_only: Crawled) -> None:
    from newswatch.store.models import Announcement, AnnouncementSource

    truth = home_only.site.ground_truth()
    assert truth, "the demo site should carry Choose France announcements"
    with session_scope(home_only.url) as session:
        flagged = {u for u, f in session.execute(select(Article.url, Article.flagged)) if f}
        announced = {u for u in flagged if any(u.endswith(path) for path in truth)}
        assert announced, "no announcement article was flagged"
        assert session.scalars(select(Announcement)).all()
        linked = session.execute(
            select(Article.url, Article.flagged, Article.score, Article.reasons).join(
                AnnouncementSource, AnnouncementSource.article_id == Article.id
            )
        ).all()
    assert linked and all(flag and score > 0 and reasons for _, flag, score, reasons in linked)
