"""Database schema: typed SQLAlchemy 2.0 models shared by the pipelines and the alerts.

The schema is versioned with Alembic (newswatch/migrations); change a model, then add a migration.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything newswatch stores is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def url_hash(url: str) -> str:
    """Fixed-width key for URL lookups: URLs can exceed index limits, a SHA-1 never does."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()


class Base(DeclarativeBase):
    type_annotation_map = {
        datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    home_url: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Article(Base):
    """One row per canonical URL; other URLs of the same article live in ArticleUrl."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    url_hash: Mapped[str] = mapped_column(String(40), unique=True)
    # Hash of the normalised body: the same text under two URLs is stored once.
    fingerprint: Mapped[str] = mapped_column(String(40), index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date, index=True)
    language: Mapped[str | None] = mapped_column(String(16))
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Detection outcome, filled by the detect stage.
    flagged: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)

    source: Mapped[Source | None] = relationship()
    urls: Mapped[list[ArticleUrl]] = relationship(back_populates="article", cascade="all, delete-orphan")


class ArticleUrl(Base):
    """Every URL under which an article was seen, so a known URL is never fetched again."""

    __tablename__ = "article_urls"

    url_hash: Mapped[str] = mapped_column(String(40), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)

    article: Mapped[Article] = relationship(back_populates="urls")


class FetchState(Base):
    """Validators of feeds, sitemaps, listing and home pages for conditional GET on the next run."""

    __tablename__ = "fetch_states"

    url_hash: Mapped[str] = mapped_column(String(40), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    last_status: Mapped[int | None] = mapped_column(Integer)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The feeds a home page declared: a 304 on the home page still leads to them.
    found: Mapped[list[str] | None] = mapped_column(JSON)


class KnownPage(Base):
    """A page fetched that is not an article (no article text, another language, an HTTP error, not
    HTML, too large): not fetched again until a feed or sitemap dates it after `fetched_at`, or
    `crawl.recheck_days` pass. Articles are remembered in ArticleUrl instead."""

    __tablename__ = "known_pages"

    # Hash of the URL's identity (newswatch/store/urls.py url_key), like ArticleUrl.url_hash.
    url_hash: Mapped[str] = mapped_column(String(40), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    source_name: Mapped[str] = mapped_column(String(64), index=True)
    # no_text, other_language, http_error, not_html, too_large
    outcome: Mapped[str] = mapped_column(String(16))
    http_status: Mapped[int | None] = mapped_column(Integer)
    # The page's language when the source did not keep it: a source that comes to keep it fetches it again.
    language: Mapped[str | None] = mapped_column(String(16))
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)


class CrawlRun(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]
    # running, finished, failed, interrupted
    status: Mapped[str] = mapped_column(String(16), default="running")
    trigger: Mapped[str] = mapped_column(String(32), default="cli")
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    sources: Mapped[list[CrawlRunSource]] = relationship(back_populates="run", cascade="all, delete-orphan")


class CrawlRunSource(Base):
    """Per-source counters of one run: what `newswatch crawl` and `newswatch status` report."""

    __tablename__ = "crawl_run_sources"
    __table_args__ = (UniqueConstraint("run_id", "source_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id", ondelete="CASCADE"), index=True)
    source_name: Mapped[str] = mapped_column(String(64), index=True)
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    articles_new: Mapped[int] = mapped_column(Integer, default=0)
    articles_known: Mapped[int] = mapped_column(Integer, default=0)
    articles_failed: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)

    run: Mapped[CrawlRun] = relationship(back_populates="sources")


class Announcement(Base):
    """One investment announcement, however many articles report it."""

    __tablename__ = "announcements"
    __table_args__ = (
        Index("ix_announcements_key", "investor_key", "edition"),
        Index("ix_announcements_edition", "edition"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    investor: Mapped[str] = mapped_column(Text)
    # Normalised investor name (lower case, no accents or legal suffix): the merge key with edition.
    investor_key: Mapped[str] = mapped_column(String(200))
    amount_eur: Mapped[float | None] = mapped_column(Float)
    amount_text: Mapped[str | None] = mapped_column(Text)
    currency: Mapped[str | None] = mapped_column(String(8))
    locations: Mapped[list[str]] = mapped_column(JSON, default=list)
    sector: Mapped[str | None] = mapped_column(Text)
    jobs: Mapped[int | None] = mapped_column(BigInteger)
    edition: Mapped[int | None] = mapped_column(Integer)
    evidence: Mapped[str] = mapped_column(Text, default="")
    # Merge keys of the other names the record is known by (a subsidiary, a joint venture, an acronym, a
    # short form): a later report under any of them joins this record.
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # announced, abandoned
    status: Mapped[str] = mapped_column(String(16), default="announced")
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    sources: Mapped[list[AnnouncementSource]] = relationship(
        back_populates="announcement", cascade="all, delete-orphan"
    )
    # `locations` as places on the map, in the same order.
    places: Mapped[list[AnnouncementPlace]] = relationship(
        back_populates="announcement", cascade="all, delete-orphan", order_by="AnnouncementPlace.position"
    )


class AnnouncementPlace(Base):
    """Where an announcement is: a name as reported, with the commune, département and région it lies in.

    A région, a département or an area keeps what it resolves to (no commune); a name that is no French
    place keeps only its name (kind None).
    """

    __tablename__ = "announcement_places"
    __table_args__ = (UniqueConstraint("announcement_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(
        ForeignKey("announcements.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    # commune, departement, region, area; None when the name is no French place
    kind: Mapped[str | None] = mapped_column(String(16))
    commune_code: Mapped[str | None] = mapped_column(String(5))
    commune: Mapped[str | None] = mapped_column(Text)
    departement_code: Mapped[str | None] = mapped_column(String(3))
    departement: Mapped[str | None] = mapped_column(Text)
    region_code: Mapped[str | None] = mapped_column(String(3), index=True)
    region: Mapped[str | None] = mapped_column(Text)

    announcement: Mapped[Announcement] = relationship(back_populates="places")


class AnnouncementSource(Base):
    __tablename__ = "announcement_sources"

    announcement_id: Mapped[int] = mapped_column(
        ForeignKey("announcements.id", ondelete="CASCADE"), primary_key=True
    )
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    evidence: Mapped[str] = mapped_column(Text, default="")
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)

    announcement: Mapped[Announcement] = relationship(back_populates="sources")
    article: Mapped[Article] = relationship()


class Delivery(Base):
    """The delivery ledger: one row per (channel, announcement); the unique key is what stops repeats."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("channel", "announcement_id"),
        Index("ix_deliveries_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # "email:<subscriber>" or "webhook:<name>"
    channel: Mapped[str] = mapped_column(String(140))
    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id", ondelete="CASCADE"))
    # pending, sending, sent, failed
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    # Groups the rows sent in one message (digest Message-ID or webhook-id), for audit and idempotency.
    batch_id: Mapped[str | None] = mapped_column(String(80), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    announcement: Mapped[Announcement] = relationship()


class ChannelState(Base):
    """Per-channel bookkeeping, such as when a subscriber's last digest went out."""

    __tablename__ = "channel_states"

    channel: Mapped[str] = mapped_column(String(140), primary_key=True)
    last_sent_at: Mapped[datetime | None]
    # When the channel was first seen: announcements older than this are not back-filled.
    since: Mapped[datetime] = mapped_column(default=utcnow)


class Unsubscription(Base):
    """A subscriber who asked for no more digests (the signed one-click link of a digest).

    Kept in the database, not the config, so it holds across restarts and config edits; keyed on the
    subscriber's name and address as the link named them, so a new address under that name is a new
    subscription.
    """

    __tablename__ = "unsubscriptions"
    __table_args__ = (UniqueConstraint("subscriber", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscriber: Mapped[str] = mapped_column(String(64))
    # Lower case: addresses are compared case-insensitively.
    email: Mapped[str] = mapped_column(String(320))
    # "one-click" (RFC 8058 POST by the mail client) or "page" (the button of the unsubscribe page)
    via: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
