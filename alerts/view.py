"""Plain, detached snapshots of announcements and their source articles, as the alerts see them.

Filters, digests and chat formats take these frozen views, never ORM objects, so they stay pure and
can be tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from newswatch.store.models import Announcement, AnnouncementSource, Article, as_utc


@dataclass(frozen=True)
class SourceLink:
    url: str
    title: str | None = None
    source: str | None = None
    published: date | None = None
    evidence: str = ""


@dataclass(frozen=True)
class PlaceView:
    """A place of an announcement as stored: its name as reported, with its commune, département and région
    (kind None: no French place)."""

    name: str
    kind: str | None = None
    commune_code: str | None = None
    commune: str | None = None
    departement_code: str | None = None
    departement: str | None = None
    region_code: str | None = None
    region: str | None = None


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
    # `locations` with their régions; left empty, they are looked up from `locations`.
    places: tuple[PlaceView, ...] = ()

    @property
    def located(self) -> tuple[PlaceView, ...]:
        """The places, as stored, or looked up from the names of a view built without them."""
        if self.places or not self.locations:
            return self.places
        return _looked_up(self.locations)

    @property
    def regions(self) -> tuple[tuple[str, str], ...]:
        """(INSEE code, name) of every région a place lies in, in order, once each."""
        seen: dict[str, str] = {}
        for place in self.located:
            if place.region_code and place.region:
                seen.setdefault(place.region_code, place.region)
        return tuple(seen.items())

    @property
    def place_labels(self) -> tuple[str, ...]:
        """What a reader sees: each place with its région beside it ("Dunkerque (Hauts-de-France)"); a
        région named on its own is left out when another place already lies in it."""
        located = self.located
        covered = {p.region_code for p in located if p.kind != "region" and p.region_code}
        return tuple(
            p.name if p.kind == "region" or not p.region else f"{p.name} ({p.region})"
            for p in located
            if not (p.kind == "region" and p.region_code in covered)
        )


def _looked_up(names: tuple[str, ...]) -> tuple[PlaceView, ...]:
    from newswatch.places import place_row, resolve_names

    return tuple(PlaceView(**place_row(n, p)) for n, p in zip(names, resolve_names(list(names)), strict=True))


def place_view(place: Any) -> PlaceView:
    """A stored AnnouncementPlace as a detached view."""
    return PlaceView(
        place.name,
        place.kind,
        place.commune_code,
        place.commune,
        place.departement_code,
        place.departement,
        place.region_code,
        place.region,
    )


def to_view(announcement: Announcement) -> AnnouncementView:
    links = []
    for link in sorted(announcement.sources, key=lambda s: (as_utc(s.linked_at), s.article_id)):
        article = link.article
        links.append(
            SourceLink(
                url=article.url,
                title=article.title,
                source=article.source.name if article.source is not None else None,
                published=article.published,
                evidence=link.evidence or "",
            )
        )
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
        places=tuple(place_view(p) for p in announcement.places),
    )


def _query() -> Select[Announcement]:
    return select(Announcement).options(
        selectinload(Announcement.sources)
        .selectinload(AnnouncementSource.article)
        .selectinload(Article.source),
        selectinload(Announcement.places),
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
