"""What `newswatch status` reports, read from the database: crawls, deliveries, scheduled jobs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from newswatch.config import Config
from newswatch.models import Article, CrawlRun, CrawlRunSource, Delivery

# The table APScheduler's SQLAlchemyJobStore keeps its jobs in (alerts/scheduler.py).
JOBS_TABLE = "apscheduler_jobs"


def collect_status(session: Session, config: Config) -> dict[str, Any]:
    return {
        "sources": _last_crawls(session, config),
        "articles": session.scalar(select(func.count()).select_from(Article)) or 0,
        "deliveries": _delivery_counts(session),
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
    names = [s.name for s in config.sources] + sorted(set(by_name) - {s.name for s in config.sources})
    report = []
    for name in names:
        row = by_name.get(name)
        if row is None:
            report.append({"source": name, "last_crawl": None})
            continue
        stats, run = row.CrawlRunSource, row.CrawlRun
        report.append({
            "source": name, "last_crawl": run.started_at, "run_status": run.status,
            "pages": stats.pages_fetched, "new": stats.articles_new, "known": stats.articles_known,
            "failed": stats.articles_failed, "errors": stats.errors, "last_error": stats.last_error,
        })
    return report


def _delivery_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(Delivery.state, func.count()).group_by(Delivery.state)).all()
    return {state: count for state, count in rows}


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
    from sqlalchemy import MetaData, Table

    jobs = Table(JOBS_TABLE, MetaData(), autoload_with=bind)
    rows = session.execute(select(jobs.c.id, jobs.c.next_run_time).order_by(jobs.c.next_run_time)).all()
    return [{"job": job_id, "next_run": datetime.fromtimestamp(ts, UTC) if ts is not None else None}
            for job_id, ts in rows]


def render_status(report: dict[str, Any]) -> list[str]:
    lines = [f"articles stored: {report['articles']}", "last crawl per source:"]
    for item in report["sources"]:
        if item["last_crawl"] is None:
            lines.append(f"  - {item['source']}: never crawled")
            continue
        error = f", last error: {item['last_error']}" if item["last_error"] else ""
        lines.append(
            f"  - {item['source']}: {item['last_crawl']:%Y-%m-%d %H:%M} UTC ({item['run_status']}), "
            f"{item['pages']} pages, {item['new']} new, {item['known']} known, {item['failed']} failed, "
            f"{item['errors']} errors{error}"
        )
    counts = report["deliveries"]
    lines.append("deliveries: " + (", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "none yet"))
    lines.extend(f"  failed: {f['channel']} announcement {f['announcement_id']} after {f['attempts']} attempts: "
                 f"{f['error']}" for f in report["failed_deliveries"])
    if report["scheduled"]:
        lines.append("next scheduled runs:")
        lines.extend(f"  - {job['job']}: {job['next_run']:%Y-%m-%d %H:%M} UTC" if job["next_run"] else
                     f"  - {job['job']}: paused" for job in report["scheduled"])
    else:
        lines.append("scheduler: no jobs stored (is `newswatch schedule` running?)")
    return lines
