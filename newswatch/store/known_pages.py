"""Pages a crawl fetched that held no article (table known_pages): read before a request, written as
the crawl finds them; crawler/known.py decides when one is fetched again."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from newswatch.store.articles import LOOKUP_CHUNK
from newswatch.store.models import KnownPage
from newswatch.store.upsert import insert


@dataclass(frozen=True, slots=True)
class KnownRow:
    outcome: str
    http_status: int | None
    language: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: datetime


def load_known_pages(session: Session, hashes: Iterable[str]) -> dict[str, KnownRow]:
    wanted = list(dict.fromkeys(hashes))
    out: dict[str, KnownRow] = {}
    table = KnownPage.__table__
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        rows = session.execute(
            select(
                table.c.url_hash,
                table.c.outcome,
                table.c.http_status,
                table.c.language,
                table.c.etag,
                table.c.last_modified,
                table.c.fetched_at,
            ).where(table.c.url_hash.in_(wanted[start : start + LOOKUP_CHUNK]))
        )
        for digest, outcome, http_status, language, etag, last_modified, fetched_at in rows:
            out[digest] = KnownRow(outcome, http_status, language, etag, last_modified, fetched_at)
    return out


def save_known_pages(session: Session, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert or refresh rows (url_hash, url, source_name, outcome, http_status, etag, last_modified, fetched_at)."""
    values = list(rows)
    if not values:
        return
    statement = insert(session, KnownPage.__table__)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["url_hash"],
            set_={
                k: statement.excluded[k]
                for k in (
                    "url",
                    "source_name",
                    "outcome",
                    "http_status",
                    "language",
                    "etag",
                    "last_modified",
                    "fetched_at",
                )
            },
        ),
        values,
    )


def forget_pages(session: Session, hashes: Iterable[str]) -> None:
    wanted = list(dict.fromkeys(hashes))
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        session.execute(delete(KnownPage).where(KnownPage.url_hash.in_(wanted[start : start + LOOKUP_CHUNK])))
