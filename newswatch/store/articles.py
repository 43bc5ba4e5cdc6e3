"""Articles, their URLs and their sources: lookups and the one insert path for a fetched article.

One row per article: keyed by the canonical URL's hash, and by content fingerprint so the same
body under another URL becomes an alias (ArticleUrl), not a second article. Inserts use the
dialect's ON CONFLICT DO NOTHING, so concurrent crawl workers on PostgreSQL cannot store one twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import Connection, bindparam, select, text
from sqlalchemy.orm import Session

from newswatch.store.models import Article, ArticleUrl, Source, url_hash, utcnow
from newswatch.store.upsert import SUPPORTED_DIALECTS, dialect_insert, insert
from newswatch.store.urls import clean_url, key_hash

# Bound parameters per IN (...) query: well under SQLite's 32766 and PostgreSQL's 65535 limits.
LOOKUP_CHUNK = 500
STATUS_NEW = "new"
STATUS_DUPLICATE = "duplicate"


class StorablePage(Protocol):
    """What an article needs to be stored: the extraction and detection outcome of one page."""

    @property
    def fingerprint(self) -> str: ...
    @property
    def title(self) -> str | None: ...
    @property
    def text(self) -> str: ...
    @property
    def author(self) -> str | None: ...
    @property
    def published(self) -> date | None: ...
    @property
    def language(self) -> str | None: ...
    @property
    def flagged(self) -> bool: ...
    @property
    def score(self) -> float: ...
    @property
    def reasons(self) -> Sequence[str]: ...


@dataclass(frozen=True, slots=True)
class StoreResult:
    status: str
    article_id: int
    # Why a page was a duplicate: "url" (a known URL) or "fingerprint" (same body, other URL).
    reason: str | None = None


def ensure_source(session: Session, name: str, home_url: str) -> int:
    session.execute(
        insert(session, Source)
        .values(name=name, home_url=home_url)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    return session.execute(select(Source.id).where(Source.name == name)).scalar_one()


def known_url_hashes(session: Session, hashes: Iterable[str]) -> set[str]:
    """Which of these URL hashes are already stored, in chunked IN queries (never a full scan)."""
    wanted = list(dict.fromkeys(hashes))
    found: set[str] = set()
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start : start + LOOKUP_CHUNK]
        found.update(
            session.execute(select(ArticleUrl.url_hash).where(ArticleUrl.url_hash.in_(chunk))).scalars()
        )
    return found


@dataclass(frozen=True)
class _Statements:
    """Statements built once per dialect and run with bound parameters: building a statement per
    article (coercing every value) cost more than executing it."""

    article_of_urls: Any
    article_of_fingerprint: Any
    article_of_hash: Any
    insert_article: Any
    insert_urls: Any


@lru_cache(maxsize=4)
def _statements(dialect: str) -> _Statements:
    articles, urls = Article.__table__, ArticleUrl.__table__
    return _Statements(
        article_of_urls=select(urls.c.article_id)
        .where(urls.c.url_hash.in_(bindparam("hashes", expanding=True)))
        .limit(1),
        article_of_fingerprint=select(articles.c.id)
        .where(articles.c.fingerprint == bindparam("fingerprint"))
        .order_by(articles.c.id)
        .limit(1),
        article_of_hash=select(articles.c.id).where(articles.c.url_hash == bindparam("hash")),
        insert_article=dialect_insert(dialect, articles)
        .on_conflict_do_nothing(index_elements=["url_hash"])
        .returning(articles.c.id),
        insert_urls=dialect_insert(dialect, urls).on_conflict_do_nothing(index_elements=["url_hash"]),
    )


def store_article(
    session: Session,
    page: StorablePage,
    *,
    url: str,
    aliases: Iterable[str] = (),
    source_id: int | None = None,
) -> StoreResult:
    """Insert the article unless its URL or its body is already stored; record every URL it was seen at.

    Runs inside the caller's transaction. `url` is the canonical URL; `aliases` the other URLs the
    page was reached by (request URL, redirects).
    """
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect not in SUPPORTED_DIALECTS:
        raise NotImplementedError(f"database dialect {dialect!r} is not supported (use SQLite or PostgreSQL)")
    sql = _statements(dialect)
    urls = _url_rows(url, aliases)
    existing = connection.execute(sql.article_of_urls, {"hashes": list(urls)}).scalar_one_or_none()
    if existing is not None:
        _add_urls(connection, sql, existing, urls)
        return StoreResult(STATUS_DUPLICATE, existing, "url")

    if dialect == "postgresql":
        # Serialise writers of one fingerprint: two workers storing the same body under two URLs
        # would otherwise both see "not stored" and insert twice.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(page.fingerprint)})
    same_body = connection.execute(
        sql.article_of_fingerprint, {"fingerprint": page.fingerprint}
    ).scalar_one_or_none()
    if same_body is not None:
        _add_urls(connection, sql, same_body, urls)
        return StoreResult(STATUS_DUPLICATE, same_body, "fingerprint")

    main_hash = key_hash(url) or url_hash(url)
    inserted = connection.execute(
        sql.insert_article,
        {
            "url": clean_url(url) or url,
            "url_hash": main_hash,
            "fingerprint": page.fingerprint,
            "source_id": source_id,
            "title": page.title,
            "text": page.text,
            "author": page.author,
            "published": page.published,
            "language": page.language,
            "fetched_at": utcnow(),
            "flagged": page.flagged,
            "score": page.score,
            "reasons": list(page.reasons),
        },
    ).scalar_one_or_none()
    if inserted is None:
        # Another worker stored this URL between our lookup and our insert.
        winner = connection.execute(sql.article_of_hash, {"hash": main_hash}).scalar_one()
        _add_urls(connection, sql, winner, urls)
        return StoreResult(STATUS_DUPLICATE, winner, "url")
    _add_urls(connection, sql, inserted, urls)
    return StoreResult(STATUS_NEW, inserted)


def _url_rows(url: str, aliases: Iterable[str]) -> dict[str, str]:
    rows: dict[str, str] = {}
    for candidate in (url, *aliases):
        digest = key_hash(candidate)
        if digest is not None and digest not in rows:
            rows[digest] = clean_url(candidate) or candidate
    if not rows:
        rows[url_hash(url)] = url
    return rows


def _add_urls(connection: Connection, sql: _Statements, article_id: int, urls: dict[str, str]) -> None:
    connection.execute(
        sql.insert_urls, [{"url_hash": h, "url": u, "article_id": article_id} for h, u in urls.items()]
    )


def _lock_key(fingerprint: str) -> int:
    """A signed 64-bit advisory lock key from a hex fingerprint."""
    value = int(fingerprint[:16], 16)
    return value - (1 << 64) if value >= (1 << 63) else value
