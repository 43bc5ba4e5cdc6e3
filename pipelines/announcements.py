"""One announcement, many articles: merge rules and the database upsert.

Two reports are the same announcement when they name the same investor (normalised key) for the
same edition and their amounts agree within AMOUNT_TOLERANCE, or one of them gives no amount. A later
report fills what the stored one lacked (amount, jobs, sector, edition) and adds its places.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Protocol

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from newswatch.store.models import Announcement, AnnouncementSource
from pipelines.detect import Investment
from pipelines.detect.companies import investor_key

logger = logging.getLogger(__name__)

AMOUNT_TOLERANCE = 0.10
STATUS_ANNOUNCED = "announced"
STATUS_ABANDONED = "abandoned"


class _Reported(Protocol):
    """What the merge rules read: an Investment or a stored Announcement."""

    @property
    def investor(self) -> str: ...
    @property
    def amount_eur(self) -> float | None: ...
    @property
    def edition(self) -> int | None: ...


def amounts_agree(a: float | None, b: float | None, tolerance: float = AMOUNT_TOLERANCE) -> bool:
    """Within `tolerance` of the larger, or one side unknown."""
    if a is None or b is None:
        return True
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


def editions_agree(a: int | None, b: int | None) -> bool:
    return a is None or b is None or a == b


def same_announcement(a: _Reported, b: _Reported, tolerance: float = AMOUNT_TOLERANCE) -> bool:
    return (
        investor_key(a.investor) == investor_key(b.investor)
        and editions_agree(a.edition, b.edition)
        and amounts_agree(a.amount_eur, b.amount_eur, tolerance)
    )


def _union(first: Sequence[str], second: Iterable[str]) -> list[str]:
    seen = {p.casefold() for p in first}
    out = list(first)
    for place in second:
        if place.casefold() not in seen:
            seen.add(place.casefold())
            out.append(place)
    return out


def fill(earlier: Investment, later: Investment) -> Investment:
    """`earlier` completed with what `later` adds: missing amount, jobs, sector, edition; new places."""
    amount_missing = earlier.amount_eur is None and later.amount_eur is not None
    return replace(
        earlier,
        amount_eur=later.amount_eur if amount_missing else earlier.amount_eur,
        amount_text=later.amount_text if amount_missing or not earlier.amount_text else earlier.amount_text,
        currency=later.currency if amount_missing or not earlier.currency else earlier.currency,
        locations=_union(earlier.locations, later.locations),
        sector=earlier.sector or later.sector,
        jobs=earlier.jobs if earlier.jobs is not None else later.jobs,
        edition=earlier.edition if earlier.edition is not None else later.edition,
        status=STATUS_ABANDONED if STATUS_ABANDONED in (earlier.status, later.status) else earlier.status,
    )


def merge_investments(reports: Iterable[Investment], tolerance: float = AMOUNT_TOLERANCE) -> list[Investment]:
    """Group reports of the same announcement, earliest first, each completed by the later ones."""
    merged: list[Investment] = []
    for report in reports:
        for i, known in enumerate(merged):
            if same_announcement(known, report, tolerance):
                merged[i] = fill(known, report)
                break
        else:
            merged.append(report)
    return merged


# --- database -------------------------------------------------------------------------------------


def _lock_key(key: str) -> int:
    """A signed 64-bit advisory-lock key that is the same in every process (hash() is salted)."""
    return int.from_bytes(hashlib.sha1(f"announcement:{key}".encode()).digest()[:8], "big", signed=True)


def _serialise(session: Session, key: str) -> None:
    """On PostgreSQL, one recorder at a time per investor until commit; SQLite serialises writers itself."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_key(key)})


def _find(session: Session, key: str, investment: Investment) -> Announcement | None:
    rows = session.scalars(
        select(Announcement).where(Announcement.investor_key == key).order_by(Announcement.id)
    ).all()
    candidates = [
        row for row in rows
        if editions_agree(row.edition, investment.edition) and amounts_agree(row.amount_eur, investment.amount_eur)
    ]  # fmt: skip
    if not candidates:
        return None
    # The closest amount wins when several announcements of one investor could match.
    return min(
        candidates,
        key=lambda r: (
            r.edition != investment.edition,
            abs((r.amount_eur or 0) - (investment.amount_eur or 0))
            if r.amount_eur and investment.amount_eur
            else 0,
        ),
    )


def _update(row: Announcement, investment: Investment) -> None:
    if row.amount_eur is None and investment.amount_eur is not None:
        row.amount_eur, row.amount_text, row.currency = (
            investment.amount_eur,
            investment.amount_text,
            investment.currency,
        )
    elif row.amount_text is None and investment.amount_text:
        row.amount_text, row.currency = investment.amount_text, investment.currency
    merged_places = _union(row.locations or [], investment.locations)
    if merged_places != (row.locations or []):
        row.locations = merged_places  # a new list, so the JSON column is seen as changed
    row.sector = row.sector or investment.sector
    row.jobs = row.jobs if row.jobs is not None else investment.jobs
    row.edition = row.edition if row.edition is not None else investment.edition
    row.evidence = row.evidence or investment.evidence


def _link(session: Session, announcement_id: int, article_id: int, evidence: str) -> None:
    if session.get(AnnouncementSource, (announcement_id, article_id)) is None:
        session.add(
            AnnouncementSource(announcement_id=announcement_id, article_id=article_id, evidence=evidence)
        )


def record_announcements(session: Session, article_id: int, investments: list[Investment]) -> list[int]:
    """Store an article's announcements once each, linking the article as a source; return their ids.

    A report with status "abandoned" only marks a stored announcement abandoned; it never creates one.
    Runs inside the caller's transaction (the caller commits).
    """
    ids: list[int] = []
    for investment in investments:
        key = investor_key(investment.investor)
        if not key:
            continue
        _serialise(session, key)
        row = _find(session, key, investment)
        if investment.status == STATUS_ABANDONED:
            if row is not None and row.status != STATUS_ABANDONED:
                row.status = STATUS_ABANDONED
                logger.info("announcement %d marked abandoned by article %d", row.id, article_id)
            if row is None:
                continue
        elif row is None:
            row = Announcement(
                investor=investment.investor,
                investor_key=key,
                amount_eur=investment.amount_eur,
                amount_text=investment.amount_text,
                currency=investment.currency,
                locations=list(investment.locations),
                sector=investment.sector,
                jobs=investment.jobs,
                edition=investment.edition,
                evidence=investment.evidence,
                status=STATUS_ANNOUNCED,
            )
            session.add(row)
            session.flush()
            logger.info("announcement %d new: %s (article %d)", row.id, investment.investor, article_id)
        else:
            _update(row, investment)
        _link(session, row.id, article_id, investment.evidence)
        if row.id not in ids:
            ids.append(row.id)
    session.flush()
    return ids
