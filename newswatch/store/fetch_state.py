"""Validators of feeds and sitemaps (ETag, Last-Modified), kept for a conditional GET on the next run."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from newswatch.store.articles import LOOKUP_CHUNK
from newswatch.store.models import FetchState, url_hash, utcnow
from newswatch.store.upsert import insert


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
    session: Session,
    url: str,
    *,
    etag: str | None,
    last_modified: str | None,
    status: int | None,
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
    statement = insert(session, FetchState).values(**values)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["url_hash"],
            set_={
                k: statement.excluded[k]
                for k in ("url", "etag", "last_modified", "last_status", "fetched_at", "found")
            },
        )
    )
