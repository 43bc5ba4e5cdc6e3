"""Storage stage: SQLAlchemy upserts for articles, their URLs, sources and feed validators.

One row per article: keyed by the canonical URL's hash, and by content fingerprint so the same
body under another URL becomes an alias (ArticleUrl), not a second article. Inserts use the
dialect's ON CONFLICT DO NOTHING, so concurrent crawl workers on PostgreSQL cannot store one twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured
from sqlalchemy import Connection, bindparam, select, text
from sqlalchemy.orm import Session

from crawler.items import PageItem
from crawler.signals import origin_incomplete
from crawler.stats import bump
from crawler.urls import clean_url, in_domains, key_hash
from newswatch.db import session_scope
from newswatch.models import Article, ArticleUrl, FetchState, Source, url_hash, utcnow
from pipelines.process import ProcessedItem, ProcessedPage

logger = logging.getLogger(__name__)

# Bound parameters per IN (...) query: well under SQLite's 32766 and PostgreSQL's 65535 limits.
LOOKUP_CHUNK = 500
STATUS_NEW = "new"
STATUS_DUPLICATE = "duplicate"


@dataclass(frozen=True, slots=True)
class StoreResult:
    status: str
    article_id: int
    # Why a page was a duplicate: "url" (a known URL) or "fingerprint" (same body, other URL).
    reason: str | None = None


def _insert(session: Session, model: Any) -> Any:
    return _dialect_insert(session.get_bind().dialect.name)(model)


def _dialect_insert(dialect: str) -> Any:
    """The dialect's INSERT with ON CONFLICT, imported for the database in use only."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert

        return insert
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert

        return insert
    raise NotImplementedError(f"database dialect {dialect!r} is not supported (use SQLite or PostgreSQL)")


def ensure_source(session: Session, name: str, home_url: str) -> int:
    session.execute(
        _insert(session, Source)
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


def article_url(page: ProcessedPage, fetched_url: str, allowed_domains: Sequence[str]) -> str:
    """The URL an article is stored under: its <link rel=canonical> when that stays on the source's
    domains and is not the home page (some sites point every page's canonical at /), else the URL fetched."""
    fetched = clean_url(fetched_url) or fetched_url
    canonical = clean_url(page.canonical_url) if page.canonical_url else None
    if canonical is None or not in_domains(canonical, allowed_domains or ()):
        return fetched
    if urlsplit(canonical).path in ("", "/"):
        return fetched
    return canonical


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
    insert = _dialect_insert(dialect)
    articles, urls = Article.__table__, ArticleUrl.__table__
    return _Statements(
        article_of_urls=select(urls.c.article_id)
        .where(urls.c.url_hash.in_(bindparam("hashes", expanding=True))).limit(1),
        article_of_fingerprint=select(articles.c.id)
        .where(articles.c.fingerprint == bindparam("fingerprint")).order_by(articles.c.id).limit(1),
        article_of_hash=select(articles.c.id).where(articles.c.url_hash == bindparam("hash")),
        insert_article=insert(articles).on_conflict_do_nothing(index_elements=["url_hash"]).returning(articles.c.id),
        insert_urls=insert(urls).on_conflict_do_nothing(index_elements=["url_hash"]),
    )


def store_article(
    session: Session,
    page: ProcessedPage,
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
    if dialect not in ("postgresql", "sqlite"):
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
    same_body = connection.execute(sql.article_of_fingerprint, {"fingerprint": page.fingerprint}).scalar_one_or_none()
    if same_body is not None:
        _add_urls(connection, sql, same_body, urls)
        return StoreResult(STATUS_DUPLICATE, same_body, "fingerprint")

    main_hash = key_hash(url) or url_hash(url)
    inserted = connection.execute(sql.insert_article, {
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
    }).scalar_one_or_none()
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
    connection.execute(sql.insert_urls, [{"url_hash": h, "url": u, "article_id": article_id} for h, u in urls.items()])


def _lock_key(fingerprint: str) -> int:
    """A signed 64-bit advisory lock key from a hex fingerprint."""
    value = int(fingerprint[:16], 16)
    return value - (1 << 64) if value >= (1 << 63) else value


@dataclass(frozen=True, slots=True)
class Validators:
    etag: str | None
    last_modified: str | None
    # The feeds a home page declared when these validators were saved.
    found: tuple[str, ...] = ()


def load_validators(session: Session, urls: Iterable[str]) -> dict[str, Validators]:
    """Stored ETag / Last-Modified per URL (exact URL, since conditional GET is per resource)."""
    by_hash = {url_hash(u): u for u in urls}
    out: dict[str, Validators] = {}
    hashes = list(by_hash)
    for start in range(0, len(hashes), LOOKUP_CHUNK):
        rows = session.execute(
            select(FetchState.url_hash, FetchState.etag, FetchState.last_modified, FetchState.found).where(
                FetchState.url_hash.in_(hashes[start : start + LOOKUP_CHUNK])
            )
        )
        for digest, etag, last_modified, found in rows:
            if etag or last_modified:
                out[by_hash[digest]] = Validators(etag, last_modified, tuple(found or ()))
    return out


def save_fetch_state(
    session: Session, url: str, *, etag: str | None, last_modified: str | None, status: int | None,
    found: Sequence[str] | None = None,
) -> None:
    values = {
        "found": list(found) if found is not None else None,
        "url_hash": url_hash(url),
        "url": url,
        "etag": etag,
        "last_modified": last_modified,
        "last_status": status,
        "fetched_at": utcnow(),
    }
    statement = _insert(session, FetchState).values(**values)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["url_hash"],
            set_={
                k: statement.excluded[k]
                for k in ("url", "etag", "last_modified", "last_status", "fetched_at", "found")
            },
        )
    )


class StorePipeline:
    """Item pipeline, after ProcessPipeline: stores each kept page and records its announcements.

    One transaction per article: the article, its URLs and its announcements land together or not
    at all, and a page that could not be stored is fetched again next run (its URL is still unknown).
    """

    def __init__(self, database_url: str, homes: dict[str, str], stats: Any, crawler: Any = None) -> None:
        self.database_url = database_url
        self.homes = homes
        self.stats = stats
        self.crawler = crawler
        self.source_ids: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        url = crawler.settings.get("NEWSWATCH_DATABASE_URL")
        if not url:
            raise NotConfigured("NEWSWATCH_DATABASE_URL is not set")
        homes = {s["name"]: s["home"] for s in crawler.settings.getlist("NEWSWATCH_SOURCES")}
        return cls(str(url), homes, crawler.stats, crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ProcessedItem):
            return item
        page = item.outcome.page
        if item.outcome.status == "error":
            self._incomplete(item.item)
            return item.result("error")
        if page is None:
            return item.result(item.outcome.status)
        source = item.item.source
        try:
            with session_scope(self.database_url) as session:
                result = self.store(session, item)
        except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the crawl
            bump(self.stats, "store/error", source, "failed")
            self.stats.set_value(f"source/{source}/last_error", f"store: {type(exc).__name__}: {exc}")
            logger.error("store failed: %s (%s: %s)", item.item.url, type(exc).__name__, exc)
            self._incomplete(item.item)
            return item.result("error")
        if result.status == STATUS_NEW:
            bump(self.stats, "store/new", source, "new")
            logger.debug("stored article %d: %s", result.article_id, item.item.url)
        else:
            bump(self.stats, "store/duplicate", source, "known")
            self.stats.inc_value(f"store/duplicate_{result.reason}")
            logger.info(
                "already stored as article %d (same %s): %s", result.article_id, result.reason, item.item.url
            )
        return item.result(result.status, result.article_id)

    def store(self, session: Session, item: ProcessedItem) -> StoreResult:
        page_item, page = item.item, item.outcome.page
        assert page is not None
        source_id = self.source_ids.get(page_item.source)
        if source_id is None:
            home = self.homes.get(page_item.source, page_item.url)
            source_id = self.source_ids[page_item.source] = ensure_source(session, page_item.source, home)
        url = article_url(page, page_item.url, page_item.allowed_domains)
        result = store_article(session, page, url=url, aliases=page_item.urls, source_id=source_id)
        if result.status == STATUS_NEW and page.investments:
            recorder = _announcement_recorder()
            if recorder is not None:
                ids = recorder(session, result.article_id, list(page.investments))
                self.stats.inc_value("detect/announcements", len(ids))
        return result

    def _incomplete(self, page_item: PageItem) -> None:
        if page_item.origins and self.crawler is not None:
            self.crawler.signals.send_catch_log(origin_incomplete, origins=page_item.origins)


def _announcement_recorder() -> Any:
    """pipelines.announcements.record_announcements, or None while that stage is not installed."""
    try:
        from pipelines.announcements import record_announcements
    except ModuleNotFoundError as exc:
        if exc.name != "pipelines.announcements":
            raise
        return None
    return record_announcements
