"""The announcements repository: one record per announcement, however many articles report it.

Which stored record a report joins, and whose figure wins, are detection rules: they stay with the
detector (pipelines/announcements.py) and come in as a `MergePolicy`. This module applies them to the
database: it finds the candidate records, serialises concurrent recorders, creates, completes and links.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from newswatch.geo import Place
from newswatch.places import place_row, resolve_names
from newswatch.store.models import Announcement, AnnouncementPlace, AnnouncementSource

logger = logging.getLogger(__name__)

STATUS_ANNOUNCED = "announced"
STATUS_ABANDONED = "abandoned"


class Report(Protocol):
    """One announcement as an article tells it (the detector's Investment)."""

    @property
    def investor(self) -> str: ...
    @property
    def amount_eur(self) -> float | None: ...
    @property
    def amount_text(self) -> str | None: ...
    @property
    def currency(self) -> str | None: ...
    @property
    def locations(self) -> Sequence[str]: ...
    @property
    def places(self) -> Sequence[Place]: ...
    @property
    def sector(self) -> str | None: ...
    @property
    def jobs(self) -> int | None: ...
    @property
    def edition(self) -> int | None: ...
    @property
    def evidence(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def aliases(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class MergePolicy:
    """The rules that make two reports one announcement, given by the caller."""

    # The merge key of an investor's name; a report whose investor has none is not recorded.
    investor_key: Callable[[str], str]
    # The merge keys a report, or a stored record, is known by.
    names_of: Callable[[Report], set[str]]
    stored_names: Callable[[Announcement], set[str]]
    # How two sets of names are one company (lower is closer), None when they are not.
    company_match: Callable[[set[str], set[str]], int | None]
    # (amount, other amount, amount's wording, other's wording): whether the figures can be one.
    amounts_agree: Callable[[float | None, float | None, str | None, str | None], bool]
    # (amount, wording, sentence, the company's names): how far a figure can be trusted (bigger wins).
    strength: Callable[[float | None, str | None, str, Iterable[str]], tuple[int, ...]]


def casefold_union(first: Sequence[str], second: Iterable[str]) -> list[str]:
    """`first`, then what `second` adds, case-insensitively once each."""
    seen = {p.casefold() for p in first}
    out = list(first)
    for place in second:
        if place.casefold() not in seen:
            seen.add(place.casefold())
            out.append(place)
    return out


def _lock_key(key: str) -> int:
    """A signed 64-bit advisory-lock key that is the same in every process (hash() is salted)."""
    return int.from_bytes(hashlib.sha1(f"announcement:{key}".encode()).digest()[:8], "big", signed=True)


def _serialise(session: Session, edition: int | None) -> None:
    """On PostgreSQL, one recorder at a time per edition until commit (a report may join a record under
    another name, so the investor cannot be the lock); SQLite serialises writers itself."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_key(f"edition:{edition}")})


def _find(session: Session, report: Report, policy: MergePolicy) -> Announcement | None:
    same_edition = (
        Announcement.edition.is_(None) if report.edition is None else Announcement.edition == report.edition
    )
    names = policy.names_of(report)
    ranked = []
    for row in session.scalars(select(Announcement).where(same_edition).order_by(Announcement.id)):
        how = policy.company_match(names, policy.stored_names(row))
        if how is None or not policy.amounts_agree(
            row.amount_eur, report.amount_eur, row.amount_text, report.amount_text
        ):
            continue
        gap = (
            abs(row.amount_eur - report.amount_eur) / max(row.amount_eur, report.amount_eur)
            if row.amount_eur and report.amount_eur
            else 0.0
        )
        # A name shared beats a short form; then the closest amount; then the oldest record.
        ranked.append((how, gap, row.id, row))
    return min(ranked, key=lambda r: r[:3])[3] if ranked else None


def _places(report: Report) -> list[tuple[str, dict[str, object]]]:
    """The report's places as rows: the detector's own resolution when it gave one per name."""
    names = list(dict.fromkeys(n for n in report.locations if n and n.strip()))
    given = {p.name: p for p in report.places}
    if all(n in given for n in names):
        return [(n, place_row(n, given[n])) for n in names]
    return [(n, place_row(n, p)) for n, p in zip(names, resolve_names(names), strict=True)]


def _add_places(row: Announcement, report: Report) -> None:
    known = {p.name.casefold() for p in row.places}
    position = max((p.position for p in row.places), default=-1) + 1
    for name, values in _places(report):
        if name.casefold() in known:
            continue
        known.add(name.casefold())
        row.places.append(AnnouncementPlace(position=position, **values))
        position += 1


def _update(row: Announcement, report: Report, policy: MergePolicy) -> None:
    names = [row.investor, *(row.aliases or []), report.investor, *report.aliases]
    if policy.strength(report.amount_eur, report.amount_text, report.evidence, names) > policy.strength(
        row.amount_eur, row.amount_text, row.evidence or "", names
    ):
        if row.amount_eur is not None:
            logger.info(
                "announcement %d: amount %s replaced by the stronger %r",
                row.id,
                row.amount_text,
                report.amount_text,
            )
        row.amount_eur, row.amount_text, row.currency = report.amount_eur, report.amount_text, report.currency
        row.evidence = report.evidence or row.evidence
    elif row.amount_text is None and report.amount_text:
        row.amount_text, row.currency = report.amount_text, report.currency
    merged_places = casefold_union(row.locations or [], report.locations)
    if merged_places != (row.locations or []):
        row.locations = merged_places  # a new list, so the JSON column is seen as changed
    _add_places(row, report)
    new_names = policy.names_of(report) - policy.stored_names(row)
    if new_names:
        row.aliases = [*(row.aliases or []), *sorted(new_names)]
    row.sector = row.sector or report.sector
    row.jobs = row.jobs if row.jobs is not None else report.jobs
    row.evidence = row.evidence or report.evidence


def _create(session: Session, report: Report, key: str, policy: MergePolicy) -> Announcement:
    row = Announcement(
        investor=report.investor,
        investor_key=key,
        amount_eur=report.amount_eur,
        amount_text=report.amount_text,
        currency=report.currency,
        locations=list(report.locations),
        sector=report.sector,
        jobs=report.jobs,
        edition=report.edition,
        evidence=report.evidence,
        aliases=sorted(policy.names_of(report) - {key}),
        status=STATUS_ANNOUNCED,
    )
    _add_places(row, report)
    session.add(row)
    session.flush()
    return row


def _link(session: Session, announcement_id: int, article_id: int, evidence: str) -> None:
    if session.get(AnnouncementSource, (announcement_id, article_id)) is None:
        session.add(
            AnnouncementSource(announcement_id=announcement_id, article_id=article_id, evidence=evidence)
        )


def record_announcements(
    session: Session, article_id: int, reports: Iterable[Report], policy: MergePolicy
) -> list[int]:
    """Store an article's announcements once each, linking the article as a source; return their ids.

    A report with status "abandoned" only marks a stored announcement abandoned; it never creates one.
    Runs inside the caller's transaction (the caller commits).
    """
    ids: list[int] = []
    for report in reports:
        key = policy.investor_key(report.investor)
        if not key:
            continue
        _serialise(session, report.edition)
        row = _find(session, report, policy)
        if report.status == STATUS_ABANDONED:
            if row is not None and row.status != STATUS_ABANDONED:
                row.status = STATUS_ABANDONED
                logger.info("announcement %d marked abandoned by article %d", row.id, article_id)
            if row is None:
                continue
        elif row is None:
            row = _create(session, report, key, policy)
            logger.info("announcement %d new: %s (article %d)", row.id, report.investor, article_id)
        else:
            _update(row, report, policy)
        _link(session, row.id, article_id, report.evidence)
        if row.id not in ids:
            ids.append(row.id)
    session.flush()
    return ids
