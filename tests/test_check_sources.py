"""`newswatch check --sources` says what a crawl will fetch per source; the shipped config.yaml holds up."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from crawler.settings import source_settings
from crawler.spiders.base import SourceSpec
from newswatch.cli import main
from newswatch.config import load_config

REPO = Path(__file__).resolve().parents[1]
SOURCES = [
    {
        "name": "hebdo",
        "home": "https://www.hebdo.example.org/",
        "feeds": ["https://www.hebdo.example.org/feed/"],
        "sitemaps": ["https://www.hebdo.example.org/sitemap_news.xml"],
        "article_pattern": r"/\d{4}/\d{2}/",
        "max_pages": 50,
        "languages": ["fr", "en"],
    },
    {"name": "neuf", "home": "https://neuf.example.org/"},
    {
        "name": "ailleurs",
        "home": "https://ailleurs.example.org/",
        "feeds": ["https://cdn.example.net/feed.xml"],
        "listings": ["https://ailleurs.example.org/actualites/"],
        "languages": [],
        "enabled": False,
    },
]


def check_sources(config: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["--config", str(config), "check", "--sources", *args])


def test_check_sources_tells_per_source_what_the_crawl_will_fetch(tmp_path: Path) -> None:
    config = tmp_path / "nw.yaml"
    config.write_text(yaml.safe_dump({"crawl": {"max_pages_per_source": 120}, "sources": SOURCES}))
    result = check_sources(config)
    assert result.exit_code == 0, result.output
    blocks = {block.splitlines()[0].split(":")[0]: block for block in result.output.split("\n\n")[1:]}
    hebdo, neuf, ailleurs = blocks["hebdo"], blocks["neuf"], blocks["ailleurs"]
    assert result.output.startswith("3 source(s), 2 enabled; requests name themselves 'newswatch/0.1")
    assert "  fetches:    feed https://www.hebdo.example.org/feed/" in hebdo
    assert "  fetches:    sitemap https://www.hebdo.example.org/sitemap_news.xml" in hebdo
    assert "  articles:   only URLs matching /\\d{4}/\\d{2}/" in hebdo
    assert "  domains:    hebdo.example.org (subdomains included)" in hebdo
    assert "  languages:  fr, en (articles in other languages are not kept)" in hebdo
    assert "  budget:     50 pages a run (max_pages); robots.txt obeyed" in hebdo
    # Only a home page: discovery, from the page and from robots.txt.
    assert "discovery: the home page" in neuf and "https://neuf.example.org/robots.txt" in neuf
    assert "a link on a page when it looks like an article" in neuf
    assert "  budget:     120 pages a run (crawl.max_pages_per_source)" in neuf
    # Disabled, every language, and a feed the crawl's scope would refuse.
    assert ailleurs.splitlines()[0] == (
        "ailleurs: https://ailleurs.example.org/ [disabled: crawled only with --source ailleurs]"
    )
    assert "  REFUSED:    https://cdn.example.net/feed.xml is outside allowed_domains" in ailleurs
    assert "  fetches:    listing https://ailleurs.example.org/actualites/" in ailleurs
    assert "  languages:  every language" in ailleurs

    plans = json.loads(check_sources(config, "--format", "json").output)
    assert [p["name"] for p in plans] == ["hebdo", "neuf", "ailleurs"]
    assert plans[1]["discovery"] == {
        "home": "https://neuf.example.org/",
        "robots": "https://neuf.example.org/robots.txt",
    }
    assert (
        plans[2]["outside_domains"] == ["https://cdn.example.net/feed.xml"] and plans[2]["enabled"] is False
    )


def test_the_shipped_config_gives_every_enabled_outlet_an_explicit_feed_or_news_sitemap() -> None:
    config = load_config(REPO / "config.yaml", env={})
    result = check_sources(REPO / "config.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    plans = {p["name"]: p for p in json.loads(result.output)}
    for name, plan in plans.items():
        assert not plan["outside_domains"], name
        if plan["enabled"]:
            # A client-rendered home page shows nothing to discover: each outlet's entry points are given.
            assert plan["feeds"] or plan["sitemaps"], name
    assert plans["latribune"]["feeds"] == ["https://www.latribune.fr/feed.xml"]
    assert plans["latribune"]["sitemaps"] == ["https://www.latribune.fr/sitemap-actualites.xml"]
    assert plans["usine-digitale"]["enabled"] is False  # 403 to every bot request
    for outlet in ("challenges", "lefigaro-economie", "franceinfo-economie", "journal-des-entreprises"):
        assert plans[outlet]["enabled"], outlet

    def is_article(name: str, url: str) -> bool:
        return SourceSpec.from_settings(source_settings(config.source(name))).is_article(url)

    # Article URL shapes of the outlets whose feeds or sitemaps carry other pages too.
    assert is_article(
        "usine-nouvelle", "https://www.usinenouvelle.com/article/stellantis-investit-a-mulhouse.N2212345"
    )
    assert not is_article(
        "usine-nouvelle", "https://www.usinenouvelle.com/editorial/les-chiffres-de-la-semaine/"
    )
    assert is_article(
        "lemondeinformatique",
        "https://www.lemondeinformatique.fr/actualites/lire-microsoft-investit-4-milliards-en-france-93724.html",
    )
    assert not is_article(
        "lemondeinformatique", "https://www.lemondeinformatique.fr/les-dossiers/lire-cloud-1.html"
    )
    assert is_article(
        "bfm-business",
        "https://www.bfmtv.com/economie/entreprises/choose-france-les-annonces_AN-202505190123.html",
    )
    assert not is_article(
        "bfm-business", "https://www.bfmtv.com/police-justice/un-fait-divers_AN-202505190124.html"
    )
