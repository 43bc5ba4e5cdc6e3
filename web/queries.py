"""Everything the web view reads from the store, and the one thing it writes (an unsubscription).

Pages, feed, API and metrics get plain frozen records from here, never ORM objects, so the storage
layer can move under this module without the rest noticing. Places and their régions are the stored
ones (announcement_places), so filtering by région reads what the store says, not the words of a name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, selectinload

from alerts import unsubscribe
from newswatch.config import Config
from newswatch.status import collect_status
from newswatch.store.models import (
    Announcement,
    AnnouncementPlace,
    AnnouncementSource,
    Article,
    CrawlRun,
    CrawlRunSource,
    Delivery,
    Source,
    Unsubscription,
    as_utc,
)

# The ids are an Integer column: PostgreSQL's serial stops here, and refuses a larger value in a query.
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Place:
    name: str
    # "commune", "departement", "region", "area", or None when the name is no French place.
    kind: str | None = None
    region_code: str | None = None
    region: str | None = None
    commune_code: str | None = None
    commune: str | None = None
    departement_code: str | None = None
    departement: str | None = None


@dataclass(frozen=True)
class SourceRef:
    article_id: int
    url: str
    title: str | None
    outlet: str | None
    published: date | None
    fetched_at: datetime
    evidence: str
    linked_at: datetime


@dataclass(frozen=True)
class Item:
    """One announcement as the web view shows it."""

    id: int
    investor: str
    amount_eur: float | None
    amount_text: str | None
    currency: str | None
    jobs: int | None
    edition: int | None
    sector: str | None
    status: str
    evidence: str
    places: tuple[Place, ...]
    first_seen_at: datetime
    # The later of the record's last change and its newest source: a later article that fills a
    # field or adds itself as a source moves it.
    updated_at: datetime
    source_count: int
    # Source titles and sentences: what free-text search reads besides the record.
    texts: tuple[str, ...] = ()
    sources: tuple[SourceRef, ...] = field(default=(), compare=False)

    @property
    def regions(self) -> tuple[tuple[str, str], ...]:
        """(code, name) of every région a place lies in, in order, once each."""
        seen: dict[str, str] = {}
        for place in self.places:
            if place.region_code and place.region and place.region_code not in seen:
                seen[place.region_code] = place.region
        return tuple(seen.items())

    @property
    def shown_places(self) -> tuple[Place, ...]:
        """The places to show: a région named on its own is left out when another place already lies in it."""
        covered = {p.region_code for p in self.places if p.kind != "region" and p.region_code}
        return tuple(p for p in self.places if not (p.kind == "region" and p.region_code in covered))

    @property
    def sectors(self) -> tuple[str, ...]:
        """The detector's labels ("batteries, automobile" holds two), the main one first."""
        return tuple(s.strip() for s in (self.sector or "").split(",") if s.strip())


def places_of(stored: Iterable[AnnouncementPlace]) -> tuple[Place, ...]:
    return tuple(
        Place(
            p.name,
            p.kind,
            p.region_code,
            p.region,
            p.commune_code,
            p.commune,
            p.departement_code,
            p.departement,
        )
        for p in stored
    )


def _item(row: Announcement, count: int, newest_link: datetime | None, texts: tuple[str, ...]) -> Item:
    updated = as_utc(row.updated_at)
    if newest_link is not None and as_utc(newest_link) > updated:
        updated = as_utc(newest_link)
    return Item(
        id=row.id,
        investor=row.investor,
        amount_eur=row.amount_eur,
        amount_text=row.amount_text,
        currency=row.currency,
        jobs=row.jobs,
        edition=row.edition,
        sector=row.sector,
        status=row.status,
        evidence=row.evidence or "",
        places=places_of(row.places),
        first_seen_at=as_utc(row.first_seen_at),
        updated_at=updated,
        source_count=count,
        texts=texts,
    )


def load_items(session: Session, ids: Iterable[int] | None = None) -> list[Item]:
    """Every announcement (or those with these ids) with its source count and searchable texts."""
    query = select(Announcement).options(selectinload(Announcement.places))
    links = select(
        AnnouncementSource.announcement_id,
        Article.title,
        AnnouncementSource.evidence,
        AnnouncementSource.linked_at,
    ).join(Article, Article.id == AnnouncementSource.article_id)
    if ids is not None:
        wanted = sorted(set(ids))
        query = query.where(Announcement.id.in_(wanted))
        links = links.where(AnnouncementSource.announcement_id.in_(wanted))
    texts: dict[int, list[str]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    newest: dict[int, datetime] = {}
    for announcement_id, title, evidence, linked_at in session.execute(links):
        counts[announcement_id] += 1
        texts[announcement_id].extend(t for t in (title, evidence) if t)
        if announcement_id not in newest or as_utc(linked_at) > newest[announcement_id]:
            newest[announcement_id] = as_utc(linked_at)
    return [
        _item(row, counts[row.id], newest.get(row.id), tuple(texts[row.id])) for row in session.scalars(query)
    ]


def load_sources(session: Session, ids: Iterable[int]) -> dict[int, tuple[SourceRef, ...]]:
    """Source articles of these announcements, oldest link first (no article text is read)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(
            AnnouncementSource.announcement_id,
            AnnouncementSource.evidence,
            AnnouncementSource.linked_at,
            Article.id,
            Article.url,
            Article.title,
            Article.published,
            Article.fetched_at,
            Source.name,
        )
        .join(Article, Article.id == AnnouncementSource.article_id)
        .outerjoin(Source, Source.id == Article.source_id)
        .where(AnnouncementSource.announcement_id.in_(wanted))
    ).all()
    out: dict[int, list[SourceRef]] = defaultdict(list)
    for r in rows:
        outlet = r.name or (urlsplit(r.url).hostname or None)
        out[r.announcement_id].append(
            SourceRef(
                article_id=r.id,
                url=r.url,
                title=r.title,
                outlet=outlet,
                published=r.published,
                fetched_at=as_utc(r.fetched_at),
                evidence=r.evidence or "",
                linked_at=as_utc(r.linked_at),
            )
        )
    return {k: tuple(sorted(v, key=lambda s: (s.linked_at, s.article_id))) for k, v in out.items()}


def with_sources(session: Session, items: list[Item]) -> list[Item]:
    sources = load_sources(session, (i.id for i in items))
    return [replace(i, sources=sources.get(i.id, ())) for i in items]


def load_item(session: Session, announcement_id: int) -> Item | None:
    # An id out of the column's range is no announcement (the database would raise on it).
    if not 0 < announcement_id <= MAX_ID:
        return None
    found = load_items(session, [announcement_id])
    return with_sources(session, found)[0] if found else None


# --- crawl health, liveness, metrics --------------------------------------------------------------


def crawl_health(session: Session, config: Config) -> dict[str, Any]:
    """What `newswatch status` prints, as data, plus the number of announcements."""
    report = collect_status(session, config)
    report["announcements"] = session.scalar(select(func.count()).select_from(Announcement)) or 0
    return report


def ping(session: Session) -> None:
    """Raise when the database does not answer."""
    session.execute(text("SELECT 1"))


def last_crawl_at(session: Session) -> datetime | None:
    """When the newest crawl run that ended (finished or failed) started; None before any."""
    value = session.scalar(select(func.max(CrawlRun.started_at)).where(CrawlRun.finished_at.is_not(None)))
    return as_utc(value) if value is not None else None


def metric_figures(session: Session) -> dict[str, Any]:
    latest = (
        select(CrawlRunSource.source_name, func.max(CrawlRunSource.run_id).label("run_id"))
        .group_by(CrawlRunSource.source_name)
        .subquery()
    )
    crawls = session.execute(
        select(
            CrawlRunSource.source_name,
            CrawlRun.started_at,
            CrawlRunSource.pages_fetched,
            CrawlRunSource.errors,
            CrawlRunSource.articles_new,
        )
        .join(
            latest,
            (latest.c.source_name == CrawlRunSource.source_name) & (latest.c.run_id == CrawlRunSource.run_id),
        )
        .join(CrawlRun, CrawlRun.id == CrawlRunSource.run_id)
    ).all()
    return {
        "articles": session.scalar(select(func.count()).select_from(Article)) or 0,
        "announcements": dict(
            session.execute(select(Announcement.status, func.count()).group_by(Announcement.status)).all()
        ),
        "deliveries": dict(
            session.execute(select(Delivery.state, func.count()).group_by(Delivery.state)).all()
        ),
        "unsubscribed": session.scalar(select(func.count()).select_from(Unsubscription)) or 0,
        "last_crawl": [
            {
                "source": r.source_name,
                "started_at": as_utc(r.started_at),
                "pages": r.pages_fetched,
                "errors": r.errors,
                "new": r.articles_new,
            }
            for r in crawls
        ],
    }


# --- the one write ----------------------------------------------------------------------------------


def record_unsubscribe(session: Session, recipient: unsubscribe.Recipient, *, via: str) -> bool:
    """Record the unsubscription and commit (False if it already was)."""
    return unsubscribe.record(session, recipient, via=via)


def is_unsubscribed(session: Session, recipient: unsubscribe.Recipient) -> bool:
    return unsubscribe.is_unsubscribed(session, recipient)
