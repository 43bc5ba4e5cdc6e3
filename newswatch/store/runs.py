"""The crawl-runs repository: a run's row when it starts, its figures when it ends, and the runs a
killed crawl process left `running`."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from newswatch.crawling.runs import owner_gone, run_owner
from newswatch.store.models import CrawlRun, CrawlRunSource, utcnow

logger = logging.getLogger("newswatch.crawl")


class SourceFigures(Protocol):
    """What a run records of one source (the crawl's per-source summary)."""

    @property
    def name(self) -> str: ...
    @property
    def pages(self) -> int: ...
    @property
    def new(self) -> int: ...
    @property
    def known(self) -> int: ...
    @property
    def failed(self) -> int: ...
    @property
    def errors(self) -> int: ...
    @property
    def last_error(self) -> str | None: ...


def close_abandoned_runs(session: Session) -> None:
    """Mark 'interrupted' the runs left 'running' by a crawl process that died without recording its
    end (SIGKILL, out of memory, power loss). Only this host's runs can be checked; live ones (another
    worker of a distributed crawl) are left alone."""
    for run in list(session.scalars(select(CrawlRun).where(CrawlRun.status == "running"))):
        if owner_gone(run.stats or {}):
            run.status = "interrupted"
            logger.warning(
                "crawl run %d never finished (its process %s is gone): marked interrupted",
                run.id,
                (run.stats or {}).get("pid"),
            )


def start_run(session: Session, *, started: datetime, trigger: str, sources: Sequence[str]) -> int:
    """A new run's row, `running`; returns its id."""
    # Who runs it and what it covers, so `newswatch status` and the next run can tell a live run
    # from one whose process was killed (the final figures replace this at the end).
    run = CrawlRun(
        started_at=started,
        status="running",
        trigger=trigger,
        stats={**run_owner(), "sources": list(sources)},
    )
    session.add(run)
    session.flush()
    return run.id


def finish_run(
    session: Session, run_id: int, *, status: str, stats: dict[str, Any], sources: Iterable[SourceFigures]
) -> bool:
    """Record a run's end and each source's figures (once per source); False when the run is unknown."""
    run = session.get(CrawlRun, run_id)
    if run is None:
        return False
    run.finished_at = utcnow()
    run.status = status
    run.stats = stats
    existing = {
        r.source_name for r in session.scalars(select(CrawlRunSource).where(CrawlRunSource.run_id == run_id))
    }
    for source in sources:
        if source.name in existing:
            continue
        session.add(
            CrawlRunSource(
                run_id=run_id,
                source_name=source.name,
                pages_fetched=source.pages,
                articles_new=source.new,
                articles_known=source.known,
                articles_failed=source.failed,
                errors=source.errors,
                last_error=source.last_error,
            )
        )
    return True
