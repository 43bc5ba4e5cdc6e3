"""What `newswatch status` reports, read from the database: crawls, deliveries, scheduled jobs.

Also who owns a crawl run (host and pid, recorded when it starts), so a run whose process was
killed shows as interrupted instead of running for ever.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, Table, exists, func, inspect, select
from sqlalchemy.orm import Session

from newswatch.config import Config
from newswatch.store.models import Article, CrawlRun, CrawlRunSource, Delivery

# Exit code of `newswatch crawl` (and `newswatch run --once`) when every source failed: nothing could
# be fetched (no network, DNS down, every site unreachable). 1 is the run itself failing, 2 a bad config.
EXIT_ALL_SOURCES_FAILED = 3
# The table APScheduler's SQLAlchemyJobStore keeps its jobs in (alerts/scheduler.py).
JOBS_TABLE = "apscheduler_jobs"
# Runs without per-source figures (running, or killed) looked at for the report: the newest ones.
UNFINISHED_LOOKBACK = 50


def run_owner() -> dict[str, Any]:
    """What a crawl run records about its process when it starts."""
    return {"host": socket.gethostname(), "pid": os.getpid()}


def owner_gone(stats: Mapping[str, Any]) -> bool:
    """True when the run was started on this host by a process that no longer runs.

    Runs from another host (a distributed crawl) cannot be checked from here: they count as alive.
    """
    pid = stats.get("pid")
    if stats.get("host") != socket.gethostname() or not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, under another user
        return False
    # A killed child its parent has not reaped yet still answers signal 0: a zombie is gone too.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return state == "Z"


def collect_status(session: Session, config: Config) -> dict[str, Any]:
    return {
        "sources": _last_crawls(session, config),
        "articles": session.scalar(select(func.count()).select_from(Article)) or 0,
        "deliveries": _delivery_counts(session),
        "pending_deliveries": _pending(session),
        "failed_deliveries": _failed(session),
        "scheduled": _next_runs(session),
    }


def _last_crawls(session: Session, config: Config) -> list[dict[str, Any]]:
    latest = (
        select(CrawlRunSource.source_name, func.max(CrawlRunSource.run_id).label("run_id"))
        .group_by(CrawlRunSource.source_name)
        .subquery()
    )
    rows = session.execute(
        select(CrawlRunSource, CrawlRun)
        .join(latest, (latest.c.source_name == CrawlRunSource.source_name) & (latest.c.run_id == CrawlRunSource.run_id))
        .join(CrawlRun, CrawlRun.id == CrawlRunSource.run_id)
    ).all()
    by_name = {row.CrawlRunSource.source_name: row for row in rows}
    unfinished = _unfinished_runs(session)
    names = [s.name for s in config.sources] + sorted(set(by_name) - {s.name for s in config.sources})
    report = []
    for name in names:
        row = by_name.get(name)
        item: dict[str, Any] = {"source": name, "last_crawl": None}
        if row is not None:
            stats, run = row.CrawlRunSource, row.CrawlRun
            item = {
                "source": name, "run_id": run.id, "last_crawl": run.started_at, "run_status": run.status,
                "pages": stats.pages_fetched, "new": stats.articles_new, "known": stats.articles_known,
                "failed": stats.articles_failed, "errors": stats.errors, "last_error": stats.last_error,
                # Not columns of their own: read from the run's stats (crawler/runner.py's summary).
                "skipped": int((run.stats or {}).get(f"source/{name}/skipped", 0)),
                "refused": int((run.stats or {}).get(f"source/{name}/refused", 0)),
                "failure": (run.stats or {}).get(f"source/{name}/failure"),
                "refused_by_site": (run.stats or {}).get(f"source/{name}/refused_by_site"),
            }
        # A newer run that has no figures yet (still running) or never will (its process was killed).
        newer = next((r for r in unfinished if name in r["sources"] and r["run_id"] > item.get("run_id", 0)),
                     None)
        if newer is not None:
            previous = item if item["last_crawl"] is not None else None
            item = {"source": name, "run_id": newer["run_id"], "last_crawl": newer["started_at"],
                    "run_status": newer["status"], "pid": newer["pid"], "previous": previous}
        report.append(item)
    return report


def _unfinished_runs(session: Session) -> list[dict[str, Any]]:
    """The newest runs without per-source rows, newest first; a 'running' run whose process is gone
    is reported as interrupted (the next crawl records it so)."""
    has_rows = exists().where(CrawlRunSource.run_id == CrawlRun.id)
    runs = session.scalars(
        select(CrawlRun).where(~has_rows).order_by(CrawlRun.id.desc()).limit(UNFINISHED_LOOKBACK))
    out = []
    for run in runs:
        stats = run.stats or {}
        status = run.status
        if status == "running" and owner_gone(stats):
            status = "interrupted"
        out.append({"run_id": run.id, "started_at": run.started_at, "status": status,
                    "pid": stats.get("pid"), "sources": list(stats.get("sources") or ())})
    return out


def _delivery_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(Delivery.state, func.count()).group_by(Delivery.state)).all()
    return {state: count for state, count in rows}


def _pending(session: Session) -> list[dict[str, Any]]:
    """Per channel: announcements waiting (pending, or claimed by a run), the next attempt and why
    the last one failed."""
    rows = session.execute(
        select(Delivery.channel, func.count(), func.min(Delivery.next_attempt_at),
               func.max(Delivery.attempts))
        .where(Delivery.state.in_(("pending", "sending")))
        .group_by(Delivery.channel)
        .order_by(Delivery.channel)
    ).all()
    report = []
    for channel, count, next_attempt, attempts in rows:
        error = session.scalar(
            select(Delivery.last_error)
            .where(Delivery.channel == channel, Delivery.state.in_(("pending", "sending")),
                   Delivery.last_error.is_not(None))
            .order_by(Delivery.id.desc()).limit(1)
        )
        report.append({"channel": channel, "announcements": count, "next_attempt": next_attempt,
                       "attempts": attempts, "last_error": error})
    return report


def _failed(session: Session, limit: int = 10) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Delivery).where(Delivery.state == "failed").order_by(Delivery.id.desc()).limit(limit)
    ).all()
    return [{"channel": d.channel, "announcement_id": d.announcement_id, "attempts": d.attempts,
             "error": d.last_error} for d in rows]


def _next_runs(session: Session) -> list[dict[str, Any]]:
    bind = session.get_bind()
    if not inspect(bind).has_table(JOBS_TABLE):
        return []
    jobs = Table(JOBS_TABLE, MetaData(), autoload_with=bind)
    rows = session.execute(select(jobs.c.id, jobs.c.next_run_time).order_by(jobs.c.next_run_time)).all()
    return [{"job": job_id, "next_run": datetime.fromtimestamp(ts, UTC) if ts is not None else None}
            for job_id, ts in rows]


def _figures(item: dict[str, Any]) -> str:
    failure, refused_by_site = item.get("failure"), item.get("refused_by_site")
    state = (f"{item['run_status']}; refused by the site: {refused_by_site}" if refused_by_site
             else f"{item['run_status']}; source failed: {failure}" if failure else item["run_status"])
    refused = f", {item['refused']} refused" if item.get("refused") else ""
    error = f", last error: {item['last_error']}" if item["last_error"] and not (failure or refused_by_site) else ""
    return (f"{item['last_crawl']:%Y-%m-%d %H:%M} UTC ({state}), {item['pages']} pages, "
            f"{item['new']} new, {item['known']} known, {item['failed']} failed, "
            f"{item.get('skipped', 0)} skipped, {item['errors']} errors{refused}{error}")


def _source_lines(item: dict[str, Any]) -> list[str]:
    if item["last_crawl"] is None:
        return [f"  - {item['source']}: never crawled"]
    if "pages" in item:
        return [f"  - {item['source']}: {_figures(item)}"]
    when = f"{item['last_crawl']:%Y-%m-%d %H:%M} UTC"
    if item["run_status"] == "running":
        line = (f"  - {item['source']}: {when} (running, run {item['run_id']}, pid {item['pid']}): "
                "figures when it ends")
    else:
        line = (f"  - {item['source']}: {when} ({item['run_status']}: run {item['run_id']} did not finish; "
                "the articles it stored are kept, its figures are lost)")
    previous = item.get("previous")
    return [line] + ([f"      last complete run: {_figures(previous)}"] if previous else [])


def render_status(report: dict[str, Any]) -> list[str]:
    lines = [f"articles stored: {report['articles']}", "last crawl per source:"]
    for item in report["sources"]:
        lines.extend(_source_lines(item))
    counts = report["deliveries"]
    lines.append("deliveries: " + (", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "none yet"))
    for p in report.get("pending_deliveries", []):
        when = f"{p['next_attempt']:%Y-%m-%d %H:%M} UTC" if p["next_attempt"] else "now"
        error = f", last error: {p['last_error']}" if p["last_error"] else ""
        lines.append(f"  pending: {p['channel']}: {p['announcements']} announcement(s), next attempt {when}, "
                     f"{p['attempts']} attempt(s) so far{error}")
    lines.extend(f"  failed: {f['channel']} announcement {f['announcement_id']} after {f['attempts']} attempts: "
                 f"{f['error']}" for f in report["failed_deliveries"])
    if report["scheduled"]:
        lines.append("next scheduled runs:")
        lines.extend(f"  - {job['job']}: {job['next_run']:%Y-%m-%d %H:%M} UTC" if job["next_run"] else
                     f"  - {job['job']}: paused" for job in report["scheduled"])
    else:
        lines.append("scheduler: no jobs stored (is `newswatch schedule` running?)")
    return lines
