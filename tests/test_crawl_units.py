"""The crawl's pure parts: feed, sitemap and listing parsing, the article filter, settings from the
config, source selection and the picklable page processing the worker pool runs."""

from __future__ import annotations

import pickle
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest

from crawler.runner import adhoc_source, select_sources
from crawler.settings import build_settings
from crawler.spiders.base import SourceSpec, looks_like_article
from crawler.spiders.feeds import feed_entry_urls, feed_links
from crawler.spiders.listings import next_page_url
from crawler.spiders.sitemaps import index_is_dated, newest_first, robots_url
from newswatch.config import Config, ConfigError, parse_config
from newswatch.demo.render import article_html
from newswatch.demo.sites import NewsSite
from pipelines.process import STATUS_EMPTY, STATUS_LANGUAGE, STATUS_OK, process_outcome, process_page

REPO = Path(__file__).resolve().parents[1]
BASE = "https://www.example.fr"

RSS = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Flux</title>
<item><title>Un</title><link>https://www.example.fr/2025/05/19/un-article-ici/</link></item>
<item><title>Deux</title><link> /2025/05/18/deux-article-ici/?utm_source=rss </link></item>
<item><title>Trois</title><guid isPermaLink="true">https://www.example.fr/2025/05/17/trois-article-ici/</guid></item>
<item><title>Quatre</title><guid isPermaLink="false">tag:example.fr,2025:4</guid></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Flux</title>
<link rel="self" href="https://www.example.fr/atom.xml"/>
<entry><title>Un</title><link rel="alternate" type="text/html" href="https://www.example.fr/a-un-article/"/>
<link rel="enclosure" href="https://www.example.fr/image.jpg"/></entry>
<entry><title>Deux</title><link href="https://www.example.fr/a-deux-article/"/></entry></feed>"""
RDF = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
xmlns="http://purl.org/rss/1.0/"><item rdf:about="x"><title>Un</title><link>https://www.example.fr/rdf-un-article/</link></item>
</rdf:RDF>"""


def test_rss_atom_and_rdf_feeds_give_their_article_links() -> None:
    assert feed_entry_urls(RSS, BASE + "/feed/") == [
        "https://www.example.fr/2025/05/19/un-article-ici/",
        "https://www.example.fr/2025/05/18/deux-article-ici/?utm_source=rss",
        "https://www.example.fr/2025/05/17/trois-article-ici/",
    ]
    assert feed_entry_urls(ATOM, BASE + "/atom.xml") == [
        "https://www.example.fr/a-un-article/",
        "https://www.example.fr/a-deux-article/",
    ]
    assert feed_entry_urls(RDF, BASE + "/rdf") == ["https://www.example.fr/rdf-un-article/"]


@pytest.mark.parametrize(
    "body", [b"", b"<html><body>Pas un flux</body></html>", b"\x00\x01 not xml", b"<rss><channel>"]
)
def test_anything_that_is_not_a_feed_gives_no_links(body: bytes) -> None:
    assert feed_entry_urls(body, BASE) == []


def test_feeds_are_discovered_from_link_rel_alternate() -> None:
    html = """<html><head>
    <link rel="alternate" type="application/rss+xml" title="RSS" href="/feed/">
    <link rel="Alternate" type="application/atom+xml; charset=utf-8" href="https://www.example.fr/atom.xml">
    <link rel="alternate" hreflang="en" href="/en/">
    <link rel="stylesheet" type="text/css" href="/style.css">
    <link rel="alternate" type="application/rss+xml" href="/feed/">
    </head><body></body></html>"""
    assert feed_links(html, BASE + "/") == ["https://www.example.fr/feed/", "https://www.example.fr/atom.xml"]
    assert feed_links("<html><body>rien</body></html>", BASE) == []


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<link rel="next" href="/actualites/page/2/">', "/actualites/page/2/"),
        ('<a rel="next nofollow" href="?page=3">Plus</a>', "/actualites/?page=3"),
        ('<a class="pagination next" href="/p/4">4</a>', "/p/4"),
        ('<a href="/actualites/page/5/">Page suivante ›</a>', "/actualites/page/5/"),
        ('<a href="/actualites/page/6/">Suivant</a>', "/actualites/page/6/"),
        ('<a href="/actualites/page/7/" aria-label="Next page">»</a>', "/actualites/page/7/"),
        ('<a href="/a-propos/">À propos</a><a href="/2025/05/19/x-y-z/">Suite de l\'affaire</a>', None),
    ],
)
def test_next_listing_page_is_found_by_rel_class_or_label(html: str, expected: str | None) -> None:
    found = next_page_url(f"<html><body>{html}</body></html>", BASE + "/actualites/")
    assert found == (BASE + expected if expected else None)


@pytest.mark.parametrize(
    ("url", "article"),
    [
        ("https://ex.fr/2025/05/19/nordvik-choisit-dunkerque/", True),
        ("https://ex.fr/tech/startups/levee-de-fonds-record-2099234", True),
        ("https://ex.fr/article/usine-a-metz.N2212345", True),
        ("https://ex.fr/economie/1234567-un-titre/", True),
        ("https://ex.fr/", False),
        ("https://ex.fr/a-propos/", False),
        ("https://ex.fr/actualites/page/2/", False),
        ("https://ex.fr/rubrique/startups/", False),
        ("https://ex.fr/2025/05/19/rapport-annuel-choose-france.pdf", False),
    ],
)
def test_links_look_like_articles_by_slug_or_id(url: str, article: bool) -> None:
    assert looks_like_article(url) is article


def test_article_filter_uses_domains_then_the_pattern() -> None:
    source = SourceSpec.from_settings(
        {"name": "s", "home": "https://www.ex.fr/", "article_pattern": r"/\d{4}/"}
    )
    assert source.allowed_domains == ("ex.fr",)
    assert source.is_article("https://www.ex.fr/2025/x/")
    assert source.is_article("https://amp.ex.fr/2025/x/")
    assert not source.is_article("https://www.ex.fr/rubrique/x-y-z/")
    assert not source.is_article("https://other.fr/2025/x/")
    loose = SourceSpec.from_settings({"name": "s", "home": "https://ex.fr/"})
    # Feed and sitemap entries are articles; a link picked off a page must look like one.
    assert loose.is_article("https://ex.fr/a-propos/")
    assert not loose.is_article("https://ex.fr/a-propos/", from_links=True)
    assert loose.discover


def test_sitemap_index_is_trusted_for_conditional_get_only_when_every_child_is_dated() -> None:
    assert index_is_dated([{"loc": "a", "lastmod": "2025-05-19"}, {"loc": "b", "lastmod": "2025-05-18"}])
    assert not index_is_dated([{"loc": "a", "lastmod": "2025-05-19"}, {"loc": "b"}])
    assert not index_is_dated([])
    assert robots_url("https://www.ex.fr/economie/?x=1") == "https://www.ex.fr/robots.txt"


def test_sitemap_entries_are_taken_newest_first_so_a_budget_keeps_the_latest() -> None:
    entries = [
        {"loc": "a", "lastmod": "2025-05-01"},
        {"loc": "b"},
        {"loc": "c", "lastmod": "2025-05-19T08:00:00+02:00"},
        {"loc": "d", "lastmod": "2025-05-10"},
        {"loc": "e"},
    ]
    assert [e["loc"] for e in newest_first(entries)] == ["c", "d", "a", "b", "e"]


CONFIG = """
database_url: sqlite:///data/x.db
crawl:
  concurrency: 4
  per_domain_concurrency: 1
  download_delay: 2
  user_agent: "newswatch-test (+https://example.org/bot)"
  obey_robots: true
  max_pages_per_source: 40
  max_page_bytes: 100000
  timeout_seconds: 7
  retries: 3
  workers: 2
sources:
  - name: a
    home: https://a.example.fr/
    feeds: [https://a.example.fr/feed/]
    languages: [fr, en]
  - name: b
    home: https://b.example.fr/
    enabled: false
"""


def test_scrapy_command_line_takes_its_settings_from_config_yaml_when_the_crawler_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

    from crawler.spiders.news import NewsSpider

    (tmp_path / "config.yaml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSWATCH_CONFIG", raising=False)
    monkeypatch.delenv("NEWSWATCH_DATABASE_URL", raising=False)
    # What scrapy.cfg gives Scrapy's own command line: the module alone, which holds no config value.
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    assert settings.get("NEWSWATCH_SOURCES") is None and not settings.getbool("ROBOTSTXT_OBEY")
    crawler = Crawler(NewsSpider, settings)
    # The first step of starting a crawl (Crawler._apply_settings), without installing a reactor.
    crawler.addons.load_settings(crawler.settings)
    assert crawler.settings.get("USER_AGENT") == "newswatch-test (+https://example.org/bot)"
    assert (crawler.settings.getint("CONCURRENT_REQUESTS"), crawler.settings.getbool("ROBOTSTXT_OBEY")) == (
        4,
        True,
    )
    assert [s["name"] for s in crawler.settings.getlist("NEWSWATCH_SOURCES")] == ["a"]


def test_settings_come_from_the_validated_config() -> None:
    config = parse_config(CONFIG, Path("/srv/newswatch/config.yaml"), env={})
    settings = build_settings(config)
    assert settings["USER_AGENT"] == "newswatch-test (+https://example.org/bot)"
    assert (settings["CONCURRENT_REQUESTS"], settings["CONCURRENT_REQUESTS_PER_DOMAIN"]) == (4, 1)
    assert (settings["DOWNLOAD_DELAY"], settings["AUTOTHROTTLE_ENABLED"], settings["ROBOTSTXT_OBEY"]) == (
        2,
        True,
        True,
    )
    assert (settings["DOWNLOAD_TIMEOUT"], settings["RETRY_TIMES"], settings["DOWNLOAD_MAXSIZE"]) == (
        7,
        3,
        100000,
    )
    assert settings["DOWNLOAD_WARNSIZE"] <= 100000
    assert (settings["NEWSWATCH_WORKERS"], settings["NEWSWATCH_MAX_PAGES"]) == (2, 40)
    assert settings["NEWSWATCH_DATABASE_URL"] == "sqlite:////srv/newswatch/data/x.db"
    # Disabled sources stay out; the rest is plain data.
    assert [s["name"] for s in settings["NEWSWATCH_SOURCES"]] == ["a"]
    assert settings["NEWSWATCH_SOURCES"][0]["languages"] == ["fr", "en"]
    pickle.dumps(settings)


def test_source_selection_by_name_and_ad_hoc_url() -> None:
    config = parse_config(CONFIG, Path("/srv/config.yaml"), env={})
    assert [s.name for s in select_sources(config)] == ["a"]
    assert [s.name for s in select_sources(config, ["b"])] == ["b"]  # asked for by name, even disabled
    adhoc = select_sources(config, [], ["http://127.0.0.1:8080/?utm_source=x", "http://127.0.0.1:8080/"])
    assert [s.name for s in adhoc] == ["127.0.0.1-8080", "127.0.0.1-8080-2"]
    assert adhoc[0].languages == [] and adhoc[0].allowed_domains == ["127.0.0.1"]
    with pytest.raises(ConfigError, match="unknown source 'zz'"):
        select_sources(config, ["zz"])
    with pytest.raises(ConfigError, match="not an http"):
        adhoc_source("ftp://example.fr/")


def test_empty_config_crawls_nothing() -> None:
    assert select_sources(Config()) == []


@pytest.fixture(scope="module")
def page_html() -> tuple[str, str]:
    site = NewsSite(name="t", n_articles=6)
    article = site.articles[2]
    return article_html(site, article, "http://127.0.0.1:1"), "http://127.0.0.1:1" + article.path


def test_process_page_extracts_filters_language_and_detects(page_html: tuple[str, str]) -> None:
    html, url = page_html
    page = process_page(html, url, ["fr"])
    assert page is not None and page.language == "fr" and page.title and page.fingerprint
    assert process_outcome(html, url, ["en"]).status == STATUS_LANGUAGE
    assert process_page(html, url, ["en"]) is None
    assert process_outcome(html, url, []).status == STATUS_OK
    assert process_outcome("<html><body><p>Rien.</p></body></html>", url, []).status == STATUS_EMPTY


def test_process_page_runs_in_a_spawned_worker_and_its_result_pickles(page_html: tuple[str, str]) -> None:
    html, url = page_html
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        remote = pool.submit(process_page, html, url, ["fr"]).result(timeout=60)
    assert remote == process_page(html, url, ["fr"])
    assert pickle.loads(pickle.dumps(remote)) == remote


def test_announcement_page_is_flagged_with_its_investments() -> None:
    site = NewsSite(name="t", n_articles=40)
    article = next(a for a in site.articles if a.announcement is not None)
    page = process_page(
        article_html(site, article, "http://127.0.0.1:1"), "http://127.0.0.1:1" + article.path, []
    )
    assert page is not None
    assert page.flagged and page.score > 0 and page.reasons
    assert page.investments and page.edition == article.announcement.edition


def test_scrapy_list_works_from_the_repository_root() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["feeds", "listings", "news", "sitemaps"]
