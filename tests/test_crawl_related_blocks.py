"""Crawling sites whose articles carry boxes of other headlines in and around the body (a regional
daily's "Les plus lus" between two paragraphs and "Sur le même sujet" after the last one, a magazine's
"Lire aussi :" line, "Nos dernières actus" box and sponsored widget): the stored text keeps every
paragraph of each article and none of the boxes' headlines, which name Choose France investments the
article does not report, and no announcement comes out of them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from crawl_support import crawl, write_config
from db_support import dispose_all, session_scope
from sqlalchemy import select

from newswatch.demo.server import DemoServer, serve
from newswatch.demo.sites import NewsSite
from newswatch.store.models import Announcement, AnnouncementSource, Article, ArticleUrl
from pipelines.detect.companies import investor_key

BOX_HEADINGS = (
    "Les plus lus",
    "Sur le même sujet",
    "Lire aussi",
    "Nos dernières actus",
    "Vous aimerez aussi",
    "Contenus sponsorisés",
    "Read more",
    "Trending",
    "You may also like",
    "Sponsored",
)


@dataclass
class Crawled:
    server: DemoServer
    sites: list[NewsSite]
    url: str


def folded(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    tmp = tmp_path_factory.mktemp("related_blocks")
    url = f"sqlite:///{tmp / 'newswatch.db'}"
    sites = [
        NewsSite("regional", 24, "regional", seed=11),
        NewsSite("magazine", 24, "magazine", seed=12, languages=("fr", "en")),
    ]
    with serve(sites) as server:
        config = write_config(
            tmp, [{"name": s.name, "home": server.url_for(s.name), "languages": []} for s in sites]
        )
        crawl(config, url)
        yield Crawled(server, sites, url)
    dispose_all()


def stored(crawled: Crawled) -> dict[str, Article]:
    """ "<site><path>" -> stored article, for every article of both sites (by any URL it was stored under:
    one article per site is also served as a partner copy)."""
    with session_scope(crawled.url) as session:
        by_url = {u.url.rstrip("/"): u.article for u in session.scalars(select(ArticleUrl))}
        session.expunge_all()
    by_path = {}
    for site in crawled.sites:
        base = crawled.server.url_for(site.name).rstrip("/")
        for article in site.articles:
            row = by_url.get((base + article.path).rstrip("/"))
            assert row is not None, f"{site.name}{article.path} was not stored"
            by_path[f"{site.name}{article.path}"] = row
    return by_path


def test_every_article_is_stored_with_every_paragraph_including_the_one_with_a_link(crawled: Crawled) -> None:
    rows = stored(crawled)
    assert len(rows) == 48
    for site in crawled.sites:
        for article in site.articles:
            text = folded(rows[f"{site.name}{article.path}"].text)
            for paragraph in article.paragraphs:
                assert folded(paragraph) in text, f"{site.name}{article.path}: lost {paragraph[:60]!r}"


def test_no_headline_or_heading_of_the_boxes_reaches_the_stored_text(crawled: Crawled) -> None:
    rows = stored(crawled)
    english = 0
    for site in crawled.sites:
        for article in site.articles:
            row = rows[f"{site.name}{article.path}"]
            english += row.language == "en"
            text = folded(row.text)
            for box, teasers in site.teasers(article).items():
                for teaser in teasers:
                    assert folded(teaser.title) not in text, f"{site.name}{article.path}: {box} leaked"
            for line in row.text.split("\n"):
                assert not line.strip().startswith(BOX_HEADINGS), f"{site.name}{article.path}: {line!r}"
    assert english, "the magazine should publish English articles too"


def test_announcements_come_only_from_the_articles_own_text(crawled: Crawled) -> None:
    rows = stored(crawled)
    truth = {f"{site.name}{path}": ann for site in crawled.sites for path, ann in site.ground_truth().items()}
    assert truth
    with session_scope(crawled.url) as session:
        linked = session.execute(
            select(AnnouncementSource.article_id, Announcement.investor, AnnouncementSource.evidence).join(
                Announcement, Announcement.id == AnnouncementSource.announcement_id
            )
        ).all()
    by_article: dict[int, set[str]] = {}
    for article_id, investor, _ in linked:
        by_article.setdefault(article_id, set()).add(investor_key(investor))
    for key, row in rows.items():
        expected = {investor_key(truth[key].investor)} if key in truth else set()
        found = by_article.get(row.id, set())
        # The detector may shorten a name ("Mirova Cosmetics" for "Mirova Cosmetics Group").
        assert all(any(e.startswith(f) for e in expected) for f in found), f"{key}: {found} not in {expected}"
    assert any(by_article.get(rows[key].id) for key in truth), "the articles' own announcements were found"
    for _, _, evidence in linked:
        assert evidence and any(evidence[:60] in folded(row.text) for row in rows.values())
