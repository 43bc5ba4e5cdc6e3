"""Plain, detached snapshots of announcements and their source articles, as the alerts see them.

Filters, digests and chat formats take these frozen views, never ORM objects, so they stay pure and
can be tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from newswatch.store.models import Announcement, AnnouncementSource, Article


@dataclass(frozen=True)
class SourceLink:
    url: str
    title: str | None = None
    source: str | None = None
    published: date | None = None
    evidence: str = ""


@dataclass(frozen=True)
class AnnouncementView:
    id: int
    investor: str
    amount_eur: float | None = None
    amount_text: str | None = None
    currency: str | None = None
    locations: tuple[str, ...] = ()
    sector: str | None = None
    jobs: int | None = None
    edition: int | None = None
    evidence: str = ""
    status: str = "announced"
    first_seen_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    sources: tuple[SourceLink, ...] = ()


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything newswatch stores is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def to_view(announcement: Announcement) -> AnnouncementView:
    links = []
    for link in sorted(announcement.sources, key=lambda s: (as_utc(s.linked_at), s.article_id)):
        article = link.article
        links.append(SourceLink(
            url=article.url,
            title=article.title,
            source=article.source.name if article.source is not None else None,
            published=article.published,
            evidence=link.evidence or "",
        ))
    return AnnouncementView(
        id=announcement.id,
        investor=announcement.investor,
        amount_eur=announcement.amount_eur,
        amount_text=announcement.amount_text,
        currency=announcement.currency,
        locations=tuple(announcement.locations or ()),
        sector=announcement.sector,
        jobs=announcement.jobs,
        edition=announcement.edition,
        evidence=announcement.evidence or "",
        status=announcement.status,
        first_seen_at=as_utc(announcement.first_seen_at),
        sources=tuple(links),
    )


def _query() -> Select[Announcement]:
    return select(Announcement).options(
        selectinload(Announcement.sources).selectinload(AnnouncementSource.article).selectinload(Article.source)
    )


def load_views(session: Session, ids: Iterable[int]) -> list[AnnouncementView]:
    """The announcements with these ids, oldest first (deleted ones are simply absent)."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    rows = session.scalars(_query().where(Announcement.id.in_(wanted))).all()
    return sorted((to_view(a) for a in rows), key=lambda v: (v.first_seen_at, v.id))


def views_since(session: Session, since: datetime, exclude_ids: Iterable[int] = ()) -> list[AnnouncementView]:
    """Announcements first seen at or after `since`, oldest first, minus `exclude_ids`."""
    excluded = set(exclude_ids)
    rows = session.scalars(_query().where(Announcement.first_seen_at >= since)).all()
    return sorted((to_view(a) for a in rows if a.id not in excluded), key=lambda v: (v.first_seen_at, v.id))
