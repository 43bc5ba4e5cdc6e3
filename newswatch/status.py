"""What `newswatch status` reports, read from the database: crawls, known URLs, deliveries, the scheduler.

A crawl run whose process was killed shows as interrupted instead of running for ever (its owner,
newswatch/crawling/runs.py); only a live scheduler's future runs are listed (whether a scheduler holds
the database's scheduler lock: host, pid, since). The report reads the alerts' schedules and lock, so
it sits above the stages, beside the web view that shows it too.
Instants stay UTC in the report; the text shows them in the config's time zone (schedule.timezone).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import MetaData, Table, exists, func, inspect, select
from sqlalchemy.orm import Session

from newswatch.config import Config
from newswatch.crawling.runs import owner_gone
from newswatch.store.models import (
    Article,
    ArticleUrl,
    ChannelState,
    CrawlRun,
    CrawlRunSource,
    Delivery,
    KnownPage,
    Source,
    as_utc,
)

# The table APScheduler's SQLAlchemyJobStore keeps its jobs in (alerts/scheduler.py).
JOBS_TABLE = "apscheduler_jobs"
# Runs without per-source figures (running, or killed) looked at for the report: the newest ones.
UNFINISHED_LOOKBACK = 50


# A live scheduler's job whose time came this last minute is running or about to (a busy machine may
# not have stored its next time yet): still listed. Anything older belongs to a run that is not coming.
DUE_GRACE = timedelta(minutes=1)


def collect_status(session: Session, config: Config, now: datetime | None = None) -> dict[str, Any]:
    """The report; `scheduled` lists the runs still to come, and only while a scheduler runs."""
    from alerts.scheduler_lock import lock_holder

    now = now or datetime.now(UTC)
    scheduler = lock_holder(session.connection(), config)
    stored = _next_runs(session)
    return {
        "timezone": config.schedule.timezone,
        "sources": _last_crawls(session, config),
        "articles": session.scalar(select(func.count()).select_from(Article)) or 0,
        "known_urls": known_urls(session),
        "deliveries": _delivery_counts(session),
        "pending_deliveries": _pending(session, config),
        "failed_deliveries": _failed(session),
        "scheduler": scheduler,
        "stored_jobs": len(stored),
        "scheduled": [job for job in stored if job["next_run"] is None or job["next_run"] > now - DUE_GRACE]
        if scheduler is not None and not scheduler.get("unreadable")
        else [],
    }


def _last_crawls(session: Session, config: Config) -> list[dict[str, Any]]:
    latest = (
        select(CrawlRunSource.source_name, func.max(CrawlRunSource.run_id).label("run_id"))
        .group_by(CrawlRunSource.source_name)
        .subquery()
    )
    rows = session.execute(
        select(CrawlRunSource, CrawlRun)
        .join(
            latest,
            (latest.c.source_name == CrawlRunSource.source_name) & (latest.c.run_id == CrawlRunSource.run_id),
        )
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
                "source": name,
                "run_id": run.id,
                "last_crawl": run.started_at,
                "run_status": run.status,
                "pages": stats.pages_fetched,
                "new": stats.articles_new,
                "known": stats.articles_known,
                "failed": stats.articles_failed,
                "errors": stats.errors,
                "last_error": stats.last_error,
                # Not columns of their own: read from the run's stats (crawler/runner.py's summary).
                "skipped": int((run.stats or {}).get(f"source/{name}/skipped", 0)),
                "refused": int((run.stats or {}).get(f"source/{name}/refused", 0)),
                "failure": (run.stats or {}).get(f"source/{name}/failure"),
                "refused_by_site": (run.stats or {}).get(f"source/{name}/refused_by_site"),
            }
        # A newer run that has no figures yet (still running) or never will (its process was killed).
        newer = next(
            (r for r in unfinished if name in r["sources"] and r["run_id"] > item.get("run_id", 0)), None
        )
        if newer is not None:
            previous = item if item["last_crawl"] is not None else None
            item = {
                "source": name,
                "run_id": newer["run_id"],
                "last_crawl": newer["started_at"],
                "run_status": newer["status"],
                "pid": newer["pid"],
                "previous": previous,
            }
        report.append(item)
    return report


# Why a URL is known, in the order `newswatch status` lists them (crawler/known.py names the outcomes).
KNOWN_ORDER = ("article", "no_text", "other_language", "http_error", "not_html", "too_large")


def known_urls(session: Session) -> dict[str, dict[str, int]]:
    """Per source, the URLs a crawl will not fetch again and why: "article" (stored, under any of its
    URLs) or what an earlier fetch found instead (crawler/known.py)."""
    out: dict[str, dict[str, int]] = {}
    article_urls = session.execute(
        select(Source.name, func.count())
        .select_from(ArticleUrl)
        .join(Article, Article.id == ArticleUrl.article_id)
        .join(Source, Source.id == Article.source_id)
        .group_by(Source.name)
    )
    for name, count in article_urls:
        out.setdefault(name, {})["article"] = count
    pages = session.execute(
        select(KnownPage.source_name, KnownPage.outcome, func.count()).group_by(
            KnownPage.source_name, KnownPage.outcome
        )
    )
    for name, outcome, count in pages:
        out.setdefault(name, {})[outcome] = count
    return {
        name: dict(sorted(counts.items(), key=lambda kv: _known_rank(kv[0])))
        for name, counts in sorted(out.items())
    }


def _known_rank(outcome: str) -> int:
    return KNOWN_ORDER.index(outcome) if outcome in KNOWN_ORDER else len(KNOWN_ORDER)


def _unfinished_runs(session: Session) -> list[dict[str, Any]]:
    """The newest runs without per-source rows, newest first; a 'running' run whose process is gone
    is reported as interrupted (the next crawl records it so)."""
    has_rows = exists().where(CrawlRunSource.run_id == CrawlRun.id)
    runs = session.scalars(
        select(CrawlRun).where(~has_rows).order_by(CrawlRun.id.desc()).limit(UNFINISHED_LOOKBACK)
    )
    out = []
    for run in runs:
        stats = run.stats or {}
        status = run.status
        if status == "running" and owner_gone(stats):
            status = "interrupted"
        out.append(
            {
                "run_id": run.id,
                "started_at": run.started_at,
                "status": status,
                "pid": stats.get("pid"),
                "sources": list(stats.get("sources") or ()),
            }
        )
    return out


def _delivery_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(Delivery.state, func.count()).group_by(Delivery.state)).all()
    return {state: count for state, count in rows}


def _pending(session: Session, config: Config) -> list[dict[str, Any]]:
    """Per channel: announcements waiting (pending, or claimed by a run), the next attempt and why
    the last one failed; for a daily, weekly or cron subscriber whose rows were never tried, the
    time of its next digest instead (`next_digest`), since that is when they go."""
    rows = session.execute(
        select(
            Delivery.channel, func.count(), func.min(Delivery.next_attempt_at), func.max(Delivery.attempts)
        )
        .where(Delivery.state.in_(("pending", "sending")))
        .group_by(Delivery.channel)
        .order_by(Delivery.channel)
    ).all()
    report = []
    for channel, count, next_attempt, attempts in rows:
        error = session.scalar(
            select(Delivery.last_error)
            .where(
                Delivery.channel == channel,
                Delivery.state.in_(("pending", "sending")),
                Delivery.last_error.is_not(None),
            )
            .order_by(Delivery.id.desc())
            .limit(1)
        )
        report.append(
            {
                "channel": channel,
                "announcements": count,
                "next_attempt": next_attempt,
                "attempts": attempts,
                "last_error": error,
                "next_digest": _next_digest(session, config, channel) if not attempts else None,
            }
        )
    return report


def _next_digest(session: Session, config: Config, channel: str) -> datetime | None:
    from alerts.ledger import LedgerPolicy, first_seen
    from alerts.schedules import next_digest_time

    subscriber = next((s for s in config.subscribers if f"email:{s.name}" == channel), None)
    state = session.get(ChannelState, channel)
    if subscriber is None or subscriber.frequency == "immediate" or state is None:
        return None
    after = as_utc(state.last_sent_at) if state.last_sent_at else first_seen(state, LedgerPolicy())
    return next_digest_time(subscriber, after)


def _failed(session: Session, limit: int = 10) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Delivery).where(Delivery.state == "failed").order_by(Delivery.id.desc()).limit(limit)
    ).all()
    return [
        {
            "channel": d.channel,
            "announcement_id": d.announcement_id,
            "attempts": d.attempts,
            "error": d.last_error,
        }
        for d in rows
    ]


def _next_runs(session: Session) -> list[dict[str, Any]]:
    bind = session.get_bind()
    if not inspect(bind).has_table(JOBS_TABLE):
        return []
    jobs = Table(JOBS_TABLE, MetaData(), autoload_with=bind)
    rows = session.execute(select(jobs.c.id, jobs.c.next_run_time).order_by(jobs.c.next_run_time)).all()
    return [
        {"job": job_id, "next_run": datetime.fromtimestamp(ts, UTC) if ts is not None else None}
        for job_id, ts in rows
    ]


def _when(value: datetime, zone: ZoneInfo) -> str:
    """An instant in the config's time zone, ISO 8601 to the minute with its offset."""
    return as_utc(value).astimezone(zone).isoformat(sep=" ", timespec="minutes")


def _figures(item: dict[str, Any], zone: ZoneInfo) -> str:
    failure, refused_by_site = item.get("failure"), item.get("refused_by_site")
    state = (
        f"{item['run_status']}; refused by the site: {refused_by_site}"
        if refused_by_site
        else f"{item['run_status']}; source failed: {failure}"
        if failure
        else item["run_status"]
    )
    refused = f", {item['refused']} refused" if item.get("refused") else ""
    error = (
        f", last error: {item['last_error']}"
        if item["last_error"] and not (failure or refused_by_site)
        else ""
    )
    return (
        f"{_when(item['last_crawl'], zone)} ({state}), {item['pages']} pages, "
        f"{item['new']} new, {item['known']} known, {item['failed']} failed, "
        f"{item.get('skipped', 0)} skipped, {item['errors']} errors{refused}{error}"
    )


def _source_lines(item: dict[str, Any], zone: ZoneInfo) -> list[str]:
    if item["last_crawl"] is None:
        return [f"  - {item['source']}: never crawled"]
    if "pages" in item:
        return [f"  - {item['source']}: {_figures(item, zone)}"]
    when = _when(item["last_crawl"], zone)
    if item["run_status"] == "running":
        line = (
            f"  - {item['source']}: {when} (running, run {item['run_id']}, pid {item['pid']}): "
            "figures when it ends"
        )
    else:
        line = (
            f"  - {item['source']}: {when} ({item['run_status']}: run {item['run_id']} did not finish; "
            "the articles it stored are kept, its figures are lost)"
        )
    previous = item.get("previous")
    return [line] + ([f"      last complete run: {_figures(previous, zone)}"] if previous else [])


def _scheduler_lines(report: dict[str, Any], zone: ZoneInfo) -> list[str]:
    holder = report.get("scheduler")
    if holder is None:
        stored = report.get("stored_jobs", 0)
        later = f"its {stored} stored job(s) run again when it starts" if stored else "no jobs stored yet"
        return [
            f"scheduler: not running (no process holds its lock): no runs to come; {later} "
            "(`newswatch schedule`)"
        ]
    if holder.get("unreadable"):
        return [f"scheduler: unknown: cannot read its {holder['lock']} ({holder['unreadable']})"]
    since = f", since {_when(holder['since'], zone)}" if holder.get("since") else ""
    lines = [
        f"scheduler: running on {holder.get('host') or 'an unknown host'}, pid {holder.get('pid') or '?'}"
        f"{since} ({holder['lock']})"
    ]
    if not report["scheduled"]:
        return [*lines, "next scheduled runs: none stored yet"]
    lines.append(f"next scheduled runs ({zone.key}):")
    lines.extend(
        f"  - {job['job']}: {_when(job['next_run'], zone)}"
        if job["next_run"]
        else f"  - {job['job']}: paused"
        for job in report["scheduled"]
    )
    return lines


def render_status(report: dict[str, Any]) -> list[str]:
    zone = ZoneInfo(report.get("timezone") or "UTC")
    lines = [f"articles stored: {report['articles']}", "last crawl per source:"]
    for item in report["sources"]:
        lines.extend(_source_lines(item, zone))
    known = report.get("known_urls") or {}
    if known:
        lines.append(
            "URLs known per source (not fetched again; a page without an article is re-checked "
            "after crawl.recheck_days):"
        )
        lines.extend(
            f"  {name}: {sum(counts.values())} URLs known ("
            + ", ".join(f"{n} {why}" for why, n in counts.items())
            + ")"
            for name, counts in known.items()
        )
    counts = report["deliveries"]
    lines.append(
        "deliveries: " + (", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "none yet")
    )
    for p in report.get("pending_deliveries", []):
        if p.get("next_digest"):
            lines.append(
                f"  pending: {p['channel']}: {p['announcements']} announcement(s) for the next digest, "
                f"{_when(p['next_digest'], zone)}"
            )
            continue
        when = _when(p["next_attempt"], zone) if p["next_attempt"] else "now"
        error = f", last error: {p['last_error']}" if p["last_error"] else ""
        lines.append(
            f"  pending: {p['channel']}: {p['announcements']} announcement(s), next attempt {when}, "
            f"{p['attempts']} attempt(s) so far{error}"
        )
    lines.extend(
        f"  failed: {f['channel']} announcement {f['announcement_id']} after {f['attempts']} attempts: "
        f"{f['error']}"
        for f in report["failed_deliveries"]
    )
    lines.extend(_scheduler_lines(report, zone))
    return lines
