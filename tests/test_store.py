"""Storage: one article per canonical URL and per body, every URL remembered, safe under concurrency."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from db_support import dispose_all, session_scope
from sqlalchemy import func, select

from newswatch.store.articles import (
    LOOKUP_CHUNK,
    STATUS_DUPLICATE,
    STATUS_NEW,
    ensure_source,
    known_url_hashes,
    store_article,
)
from newswatch.store.fetch_state import load_validators, save_fetch_state
from newswatch.store.models import Article, ArticleUrl, FetchState, url_hash
from newswatch.store.urls import key_hash
from pipelines.extract import content_fingerprint
from pipelines.process import ProcessedPage
from pipelines.store import article_url

BODY = (
    "Le groupe suédois Nordvik Batteries investira 1,2 milliard d'euros à Dunkerque, "
    "où sa gigafactory emploiera 1 200 personnes d'ici 2028. "
) * 4


def page(text: str = BODY, canonical: str | None = None, title: str = "Nordvik à Dunkerque") -> ProcessedPage:
    return ProcessedPage(
        url="https://ex.fr/a/",
        title=title,
        text=text,
        author="Léa Martin",
        published=date(2025, 5, 19),
        language="fr",
        canonical_url=canonical,
        fingerprint=content_fingerprint(text),
        flagged=True,
        score=0.9,
        reasons=("montant", "investisseur étranger"),
    )


def count(url: str, model: type) -> int:
    with session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_new_article_is_stored_with_its_fields_and_urls(db_url: str) -> None:
    with session_scope(db_url) as session:
        source_id = ensure_source(session, "tech", "https://ex.fr/")
        result = store_article(
            session,
            page(),
            url="https://ex.fr/a/",
            aliases=["https://ex.fr/a/?utm_source=x"],
            source_id=source_id,
        )
    assert result.status == STATUS_NEW
    with session_scope(db_url) as session:
        article = session.get(Article, result.article_id)
        assert article is not None
        assert (article.title, article.published, article.language, article.flagged) == (
            "Nordvik à Dunkerque",
            date(2025, 5, 19),
            "fr",
            True,
        )
        assert article.reasons == ["montant", "investisseur étranger"]
        assert article.source_id == source_id
        assert article.url_hash == key_hash("https://ex.fr/a")
        # The alias differs only by a tracking parameter: one identity, one ArticleUrl row.
        assert [u.url for u in article.urls] == ["https://ex.fr/a/"]


def test_a_known_url_in_any_spelling_is_a_duplicate(db_url: str) -> None:
    with session_scope(db_url) as session:
        first = store_article(session, page(), url="https://ex.fr/a/")
    with session_scope(db_url) as session:
        again = store_article(session, page(text=BODY + " Mise à jour."), url="http://EX.fr/a?fbclid=1#x")
    assert (again.status, again.reason, again.article_id) == (STATUS_DUPLICATE, "url", first.article_id)
    assert count(db_url, Article) == 1


def test_same_body_under_another_url_becomes_an_alias(db_url: str) -> None:
    with session_scope(db_url) as session:
        first = store_article(session, page(), url="https://ex.fr/a/")
    with session_scope(db_url) as session:
        # Same words, other spacing and quotes: the fingerprint folds those away.
        copy = page(text=BODY.replace(" ", "  ").replace("'", "’"))
        second = store_article(session, copy, url="https://ex.fr/partenaires/a/")
    assert (second.status, second.reason, second.article_id) == (
        STATUS_DUPLICATE,
        "fingerprint",
        first.article_id,
    )
    assert count(db_url, Article) == 1
    with session_scope(db_url) as session:
        assert known_url_hashes(session, [key_hash("https://ex.fr/partenaires/a")]) == {
            key_hash("https://ex.fr/partenaires/a")
        }


def test_known_url_lookup_is_chunked_and_exact(db_url: str) -> None:
    with session_scope(db_url) as session:
        for i in range(3):
            store_article(session, page(text=f"{BODY} {i}"), url=f"https://ex.fr/{i}/")
    stored = [key_hash(f"https://ex.fr/{i}") for i in range(3)]
    unknown = [url_hash(f"unknown-{i}") for i in range(LOOKUP_CHUNK * 2 + 7)]
    with session_scope(db_url) as session:
        assert known_url_hashes(session, unknown + stored + stored) == set(stored)


def test_canonical_url_is_used_only_on_the_sources_domains() -> None:
    assert (
        article_url(page(canonical="https://ex.fr/canon/"), "https://ex.fr/a/?utm_source=x", ["ex.fr"])
        == "https://ex.fr/canon/"
    )
    assert (
        article_url(page(canonical="https://other.com/a/"), "https://ex.fr/a/", ["ex.fr"])
        == "https://ex.fr/a/"
    )
    # A canonical that points every page at the home page would merge them all.
    assert article_url(page(canonical="https://ex.fr/"), "https://ex.fr/a/", ["ex.fr"]) == "https://ex.fr/a/"


def test_fetch_state_upsert_keeps_the_latest_validators(db_url: str) -> None:
    feed = "https://ex.fr/feed/"
    with session_scope(db_url) as session:
        save_fetch_state(session, feed, etag='"v1"', last_modified=None, status=200)
    with session_scope(db_url) as session:
        save_fetch_state(
            session, feed, etag='"v2"', last_modified="Mon, 19 May 2025 07:00:00 GMT", status=200
        )
    with session_scope(db_url) as session:
        validators = load_validators(session, [feed, "https://ex.fr/other.xml"])
    assert list(validators) == [feed]
    assert (validators[feed].etag, validators[feed].last_modified) == (
        '"v2"',
        "Mon, 19 May 2025 07:00:00 GMT",
    )
    assert count(db_url, FetchState) == 1


def test_ensure_source_is_idempotent(db_url: str) -> None:
    with session_scope(db_url) as session:
        first = ensure_source(session, "tech", "https://ex.fr/")
        assert ensure_source(session, "tech", "https://ex.fr/") == first


def test_concurrent_writers_store_one_article_per_body_and_per_url(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("concurrency is PostgreSQL's case (SQLite has one writer)")
    results: list[str] = []
    barrier = threading.Barrier(6)

    def writer(i: int) -> None:
        barrier.wait()
        with session_scope(db_url) as session:
            # Three URLs of one body (the fingerprint lock), three bodies under spellings of one
            # URL (ON CONFLICT DO NOTHING): one article each.
            url = f"https://ex.fr/copy-{i}/" if i < 3 else f"https://ex.fr/same/?utm_source={i}"
            text = BODY if i < 3 else f"{BODY} Autre article, version {i}."
            results.append(store_article(session, page(text=text), url=url).status)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [STATUS_DUPLICATE] * 4 + [STATUS_NEW] * 2
    assert count(db_url, Article) == 2
    assert count(db_url, ArticleUrl) == 4


def test_a_session_leaves_the_schema_alone_and_migrate_brings_it_up_to_date(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from sqlalchemy import inspect

    from newswatch.cli import main

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    with session_scope(url) as session:
        assert inspect(session.connection()).get_table_names() == []
    config = tmp_path / "nw.yaml"
    config.write_text(f"database_url: '{url}'\n", encoding="utf-8")
    for _ in range(2):  # a second run finds nothing to do
        result = CliRunner().invoke(main, ["--config", str(config), "migrate"])
        assert result.exit_code == 0, result.output
        assert "database schema up to date" in result.output
    with session_scope(url) as session:
        tables = set(inspect(session.connection()).get_table_names())
    assert {"articles", "article_urls", "announcements", "deliveries", "alembic_version"} <= tables
    dispose_all()
