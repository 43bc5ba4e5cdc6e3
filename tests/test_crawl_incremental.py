"""A second crawl fetches only what is new: known articles are not fetched, feeds and sitemaps answer 304."""

from __future__ import annotations

from pathlib import Path

import pytest
from crawl_support import FEED_PATHS, article_hits, crawl, statuses, write_config
from db_support import session_scope
from sqlalchemy import func, select

from newswatch.demo.server import serve
from newswatch.demo.sites import NewsSite
from newswatch.store.models import Article, ArticleUrl, CrawlRun, CrawlRunSource, FetchState

SITEMAP_INDEX = "/sitemap_index.xml"
# The index's children: Google News, static pages and one sitemap per month.
CHILD_SITEMAPS = ("/news-sitemap.xml", "/page-sitemap.xml")


def count(url: str, model: type) -> int:
    with session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.slow
def test_200_articles_stored_once_then_second_run_fetches_no_article_and_gets_304(
    tmp_path: Path, sqlite_url: str
) -> None:
    site = NewsSite(name="tech", n_articles=200)
    with serve([site]) as server:
        config = write_config(
            tmp_path, [{"name": "tech", "home": server.url_for("tech"), "languages": []}], workers=2
        )
        first = crawl(config, sqlite_url)

        with session_scope(sqlite_url) as session:
            rows = session.execute(select(Article.url, Article.title, Article.text, Article.published)).all()
        assert len(rows) == 200
        assert all(title and len(text) > 200 and published for _, title, text, published in rows)
        # Titles as written, spacing folded (the extractor turns no-break spaces into spaces).
        written = {" ".join(a.title.split()) for a in site.articles}
        assert {title for _, title, _, _ in rows} == written
        assert first.summary()["tech"]["new"] == 200
        # Every article page fetched exactly once, whatever the number of feeds and sitemaps listing it.
        fetched = article_hits(server, "tech")
        assert len(fetched) == len(set(fetched)) == 200
        assert "progress:" in first.stderr

        server.reset_hits()
        urls_before = count(sqlite_url, ArticleUrl)
        second = crawl(config, sqlite_url)

        assert article_hits(server, "tech") == []
        # The home page too: its 304 hands back the feeds it declared last run.
        for path in ("/", *FEED_PATHS, SITEMAP_INDEX):
            assert statuses(server, "tech", path) == [304], path
        # The index dates every child (<lastmod>), so its 304 means no child changed: none is fetched.
        for path in (*CHILD_SITEMAPS, "/sitemap-2025-05.xml"):
            assert statuses(server, "tech", path) == [], path
        assert count(sqlite_url, Article) == 200
        assert count(sqlite_url, ArticleUrl) == urls_before
        assert second.summary()["tech"]["new"] == 0
        with session_scope(sqlite_url) as session:
            runs = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
            assert [r.status for r in runs] == ["finished", "finished"]
            assert runs[1].stats["fetch/not_modified"] == len(FEED_PATHS) + 2
            per_source = session.scalars(select(CrawlRunSource).order_by(CrawlRunSource.run_id)).all()
            assert [(s.source_name, s.articles_new) for s in per_source] == [("tech", 200), ("tech", 0)]


def test_next_run_fetches_only_the_new_articles(tmp_path: Path, db_url: str) -> None:
    site = NewsSite(name="tech", n_articles=30)
    with serve([site]) as server:
        config = write_config(tmp_path, [{"name": "tech", "home": server.url_for("tech")}])
        crawl(config, db_url)
        assert count(db_url, Article) == 30
        validators = count(db_url, FetchState)
        assert validators >= len(FEED_PATHS) + 1 + len(CHILD_SITEMAPS)

        new = site.add_articles(3)
        server.reset_hits()
        second = crawl(config, db_url)

        assert sorted(article_hits(server, "tech")) == sorted(a.path for a in new)
        # The feeds changed, so they are read in full (200), with the stored validators sent.
        rss = [h for h in server.hits.records() if h.path == "/feed/"]
        assert [h.status for h in rss] == [200]
        assert "if-none-match" in rss[0].headers
        # The index changed, so its children are fetched again, each conditionally.
        assert statuses(server, "tech", SITEMAP_INDEX) == [200]
        children = [h for h in server.hits.records() if h.path in CHILD_SITEMAPS]
        assert len(children) == len(CHILD_SITEMAPS)
        assert all("if-none-match" in h.headers for h in children)
        assert second.summary()["tech"]["new"] == 3
        assert count(db_url, Article) == 33
        with session_scope(db_url) as session:
            titles = set(session.scalars(select(Article.title)))
        assert {" ".join(a.title.split()) for a in new} <= titles
