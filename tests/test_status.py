"""`newswatch status`, the operator's view: the last crawl of each source (when, pages, new, errors),
pending and failed deliveries, the next scheduled runs, and crawls that never finished."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from alerts_support import add_announcement, load
from crawl_support import FAST_CRAWL, CrawlResult, crawl, newswatch
from db_support import database, dispose_all, session_scope
from servers import faults
from servers.webhook import WebhookReceiver
from sqlalchemy import select

from alerts.deliver import DeliveryOptions, deliver
from alerts.http import RetryPolicy
from alerts.scheduler import build_scheduler, desired_jobs, reconcile
from newswatch.crawling.runs import owner_gone, run_owner
from newswatch.demo.server import serve
from newswatch.demo.sites import NewsSite
from newswatch.status import collect_status, render_status
from newswatch.store.models import CrawlRun, CrawlRunSource

GONE = "/_faults/status/404/2025/05/19/article-supprime/"
FAST = RetryPolicy(attempts=1, backoff_base_seconds=0.01, connect_timeout_seconds=1)
# Instants in the config's time zone (Europe/Paris by default), ISO 8601 to the minute with the offset.
WHEN = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}\+0[12]:00"


@dataclass
class Operated:
    url: str
    base: str
    crawl: CrawlResult
    before_scheduler: str
    after_scheduler: str
    as_json: dict


@pytest.fixture(scope="module")
def operated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Operated]:
    """A crawl with a 404, a delivery run with the SMTP server down and a webhook refusing one post,
    then `newswatch status` before and after the scheduler stored its jobs."""
    tmp = tmp_path_factory.mktemp("status")
    url = f"sqlite:///{tmp / 'newswatch.db'}"
    hook = WebhookReceiver().start()
    site = NewsSite(name="tech", n_articles=4, faults=[GONE])
    try:
        with serve([site], faults=faults) as server:
            base = server.url_for("tech").rstrip("/")
            data = {
                "database_url": url,
                "data_dir": str(tmp / "data"),
                "crawl": FAST_CRAWL,
                "sources": [
                    {"name": "tech", "home": base + "/", "feeds": [base + "/feed/"]},
                    {"name": "dormant", "home": "http://127.0.0.1:9/"},
                ],
                # Nothing listens on port 9: every digest waits for a retry.
                "mail": {
                    "sender": "newswatch <alerts@example.org>",
                    "smtp": {"host": "127.0.0.1", "port": 9, "security": "none", "timeout_seconds": 2},
                },
                "subscribers": [
                    {"name": "analyste", "email": "analyste@example.org", "frequency": "immediate"}
                ],
                "webhooks": [{"name": "chat", "format": "json", "url": hook.url}],
            }
            config_path = tmp / "config.yaml"
            config_path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
            result = crawl(config_path, url, "--source", "tech")
        config = load(config_path)
        add_announcement(url, "Microsoft")
        add_announcement(url, "Pfizer")
        hook.fail(1, 404)
        report = deliver(config, database(url), DeliveryOptions(http=FAST))
        assert report.total("failed") == 1 and report.total("retry") >= 1, report.summary()
        before = newswatch(config_path, url, "status")
        assert before.returncode == 0, before.stderr
        scheduler = build_scheduler(config, database(url))
        scheduler.start(paused=True)
        reconcile(scheduler, desired_jobs(config))
        scheduler.shutdown(wait=False)
        after = newswatch(config_path, url, "status")
        as_json = newswatch(config_path, url, "status", "--format", "json")
        assert after.returncode == 0 and as_json.returncode == 0, after.stderr + as_json.stderr
        yield Operated(url, base, result, before.stdout, after.stdout, json.loads(as_json.stdout))
    finally:
        hook.stop()
        dispose_all()


def source_line(text: str, name: str) -> str:
    [line] = [line for line in text.splitlines() if line.startswith(f"  - {name}:")]
    return line


def test_status_shows_each_sources_last_crawl_with_pages_new_and_errors(operated: Operated) -> None:
    figures = operated.crawl.summary()["tech"]
    assert figures["new"] == 4 and figures["failed"] == 1 and figures["errors"] == 1
    line = source_line(operated.before_scheduler, "tech")
    assert re.match(
        rf"  - tech: {WHEN} \(finished\), {figures['pages']} pages, 4 new, 0 known, 1 failed, 0 skipped, 1 errors, "
        rf"last error: HTTP 404 {re.escape(operated.base + GONE)}$",
        line,
    ), line
    assert source_line(operated.before_scheduler, "dormant") == "  - dormant: never crawled"
    with session_scope(operated.url) as session:
        row = session.scalars(select(CrawlRunSource)).one()
    assert (row.pages_fetched, row.articles_new, row.errors) == (figures["pages"], 4, 1)


def test_status_shows_pending_and_failed_deliveries_with_their_reasons(operated: Operated) -> None:
    lines = operated.before_scheduler.splitlines()
    assert "deliveries: 1 failed, 2 pending, 1 sent" in lines
    [pending] = [line for line in lines if line.startswith("  pending:")]
    assert re.match(
        rf"  pending: email:analyste: 2 announcement\(s\), next attempt {WHEN}, 1 attempt\(s\) so far, "
        r"last error: smtp 127\.0\.0\.1:9 \(none\): cannot connect",
        pending,
    ), pending
    [failed] = [line for line in lines if line.startswith("  failed:")]
    assert re.match(
        r"  failed: webhook:chat announcement \d+ after 1 attempts: webhook chat: HTTP 404", failed
    ), failed


def test_status_lists_no_runs_when_no_scheduler_holds_the_lock_even_with_jobs_stored(
    operated: Operated,
) -> None:
    assert operated.before_scheduler.splitlines()[-1] == (
        "scheduler: not running (no process holds its lock): no runs to come; no jobs stored yet "
        "(`newswatch schedule`)"
    )
    # The jobs are stored, their times are past or stale: none is listed as a run to come.
    assert operated.after_scheduler.splitlines()[-1] == (
        "scheduler: not running (no process holds its lock): no runs to come; its 2 stored job(s) run again "
        "when it starts (`newswatch schedule`)"
    )
    assert "next scheduled runs" not in operated.after_scheduler


def test_status_json_carries_the_same_report(operated: Operated) -> None:
    report = operated.as_json
    tech = next(s for s in report["sources"] if s["source"] == "tech")
    assert (tech["run_status"], tech["new"], tech["errors"]) == ("finished", 4, 1)
    assert report["deliveries"] == {"failed": 1, "pending": 2, "sent": 1}
    assert report["pending_deliveries"][0]["channel"] == "email:analyste"
    assert report["failed_deliveries"][0]["channel"] == "webhook:chat"
    assert report["scheduler"] is None and report["scheduled"] == [] and report["stored_jobs"] == 2
    # Instants in the config's zone, with their offset.
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00", tech["last_crawl"]), tech[
        "last_crawl"
    ]


def dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_run_whose_process_is_gone_shows_as_interrupted_and_a_live_one_as_running(sqlite_url: str) -> None:
    from newswatch.config import Config, SourceConfig

    config = Config(
        sources=[
            SourceConfig(name="killed", home="http://127.0.0.1:9/"),
            SourceConfig(name="busy", home="http://127.0.0.1:9/"),
        ]
    )
    started = datetime(2025, 5, 19, 6, 0, tzinfo=UTC)
    gone = {"host": socket.gethostname(), "pid": dead_pid(), "sources": ["killed"]}
    with session_scope(sqlite_url) as session:
        finished = CrawlRun(started_at=started, status="finished", stats={})
        session.add(finished)
        session.flush()
        session.add(
            CrawlRunSource(
                run_id=finished.id, source_name="killed", pages_fetched=12, articles_new=10, errors=0
            )
        )
        session.add(CrawlRun(started_at=started.replace(hour=7), status="running", stats=gone))
        session.add(
            CrawlRun(
                started_at=started.replace(hour=8),
                status="running",
                stats={**run_owner(), "sources": ["busy"]},
            )
        )
    assert owner_gone(gone) and not owner_gone(run_owner())
    # Another host's run cannot be checked from here: it is taken as alive.
    assert not owner_gone({"host": "elsewhere", "pid": gone["pid"]})
    with session_scope(sqlite_url) as session:
        lines = render_status(collect_status(session, config))
    killed, *rest = [line for line in lines if "killed:" in line or line.startswith("      last complete")]
    # In the config's time zone: Europe/Paris, UTC+2 in May.
    assert killed == (
        "  - killed: 2025-05-19 09:00+02:00 (interrupted: run 2 did not finish; the articles it "
        "stored are kept, its figures are lost)"
    )
    assert rest == [
        "      last complete run: 2025-05-19 08:00+02:00 (finished), 12 pages, 10 new, 0 known, "
        "0 failed, 0 skipped, 0 errors"
    ]
    assert source_line("\n".join(lines), "busy") == (
        f"  - busy: 2025-05-19 10:00+02:00 (running, run 3, pid {os.getpid()}): figures when it ends"
    )


def test_status_on_an_empty_database_says_nothing_ran_yet(tmp_path: Path, sqlite_url: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"sources": [{"name": "tech", "home": "http://127.0.0.1:9/"}]}))
    result = newswatch(config, sqlite_url, "status")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "articles stored: 0",
        "last crawl per source:",
        "  - tech: never crawled",
        "deliveries: none yet",
        "scheduler: not running (no process holds its lock): no runs to come; no jobs stored yet "
        "(`newswatch schedule`)",
    ]


def test_status_shows_the_running_scheduler_with_host_pid_since_and_its_future_runs_in_the_configured_zone(
    db_url: str, tmp_path: Path
) -> None:
    from alerts.scheduler import SchedulerService

    config_path = tmp_path / "config.yaml"
    config_path.write_text(
        yaml.safe_dump(
            {
                "data_dir": str(tmp_path / "data"),
                "subscribers": [
                    {"name": "matin", "email": "matin@example.org", "frequency": "daily", "at": "08:00"}
                ],
                "schedule": {"timezone": "America/New_York"},
            }
        ),
        encoding="utf-8",
    )
    service = SchedulerService(load(config_path), database(db_url), crawl_command=None)
    assert service.start()
    try:
        started = datetime.now(UTC)
        # Another process reads the lock, as an operator's `newswatch status` does.
        text_report = newswatch(config_path, db_url, "status")
        json_report = newswatch(config_path, db_url, "status", "--format", "json")
    finally:
        service.stop()
    stopped = newswatch(config_path, db_url, "status")
    assert text_report.returncode == 0 and json_report.returncode == 0, (
        text_report.stderr + json_report.stderr
    )

    lines = text_report.stdout.splitlines()
    new_york = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}-0[45]:00"
    [running] = [line for line in lines if line.startswith("scheduler: ")]
    assert re.fullmatch(
        rf"scheduler: running on {re.escape(socket.gethostname())}, pid {os.getpid()}, "
        rf"since {new_york} \((PostgreSQL advisory lock|lock file .+\.lock)\)",
        running,
    ), running
    start = lines.index("next scheduled runs (America/New_York):")
    runs = dict(line.strip().removeprefix("- ").split(": ", 1) for line in lines[start + 1 :])
    assert set(runs) == {"sweep", "crawl", "digest:matin"}
    assert all(re.fullmatch(new_york, when) for when in runs.values()), runs
    # The subscriber's 08:00 is Paris time (its own zone), shown in New York time.
    paris = ZoneInfo("Europe/Paris")
    digest = datetime.combine(started.astimezone(paris).date(), time(8, 0), tzinfo=paris)
    digest = (
        digest
        if digest > started
        else datetime.combine(digest.date() + timedelta(days=1), time(8, 0), tzinfo=paris)
    )
    assert runs["digest:matin"] == digest.astimezone(ZoneInfo("America/New_York")).isoformat(
        sep=" ", timespec="minutes"
    )

    report = json.loads(json_report.stdout)
    assert (report["scheduler"]["host"], report["scheduler"]["pid"]) == (socket.gethostname(), os.getpid())
    since = datetime.fromisoformat(report["scheduler"]["since"])
    assert abs((since - started).total_seconds()) < 60 and since.utcoffset() in (
        timedelta(hours=-4),
        timedelta(hours=-5),
    )
    assert all(
        datetime.fromisoformat(job["next_run"]) > started - timedelta(seconds=1)
        for job in report["scheduled"]
    )

    assert stopped.returncode == 0 and "next scheduled runs" not in stopped.stdout
    assert stopped.stdout.splitlines()[-1].startswith("scheduler: not running (no process holds its lock)")


def test_a_live_schedulers_runs_already_past_are_not_listed(sqlite_url: str, tmp_path: Path) -> None:
    from alerts.scheduler import SchedulerService
    from newswatch.config import Config

    config = Config(data_dir=tmp_path / "data")
    service = SchedulerService(config, database(sqlite_url), crawl_command=None)
    assert service.start()
    try:
        with session_scope(sqlite_url) as session:
            now = collect_status(session, config)
            # Seen from two hours on, the sweep (every 5 min) and the crawl (hourly) are behind.
            later = collect_status(session, config, now=datetime.now(UTC) + timedelta(hours=2))
    finally:
        service.stop()
    assert {job["job"] for job in now["scheduled"]} == {"crawl", "sweep"}
    assert now["scheduler"]["pid"] == os.getpid()
    assert later["scheduled"] == [] and later["stored_jobs"] == 2
    assert render_status(later)[-1] == "next scheduled runs: none stored yet"


def test_a_lock_file_held_by_an_older_scheduler_that_wrote_only_its_pid_still_shows_it_running(
    sqlite_url: str, tmp_path: Path
) -> None:
    import fcntl

    from newswatch.config import Config

    config = Config(data_dir=tmp_path / "data")
    database(sqlite_url)  # creates the database, beside which the lock file lives
    lock = Path(sqlite_url.removeprefix("sqlite:///") + ".scheduler.lock")
    with open(lock, "w") as held:
        held.write("4321\n")
        held.flush()
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with session_scope(sqlite_url) as session:
            report = collect_status(session, config)
    assert report["scheduler"] == {"host": None, "pid": 4321, "since": None, "lock": f"lock file {lock}"}
    assert render_status(report)[-2] == f"scheduler: running on an unknown host, pid 4321 (lock file {lock})"
    with session_scope(sqlite_url) as session:
        assert collect_status(session, config)["scheduler"] is None  # the lock was released with the file


# --- what the operator reads when deliveries go wrong ---------------------------------------------
# The delivery tests (test_alerts_*.py) prove the ledger outcome of each fault; this one pins the line
# each fault writes, so an operator grepping the log finds the channel and the reason.


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_each_delivery_fault_writes_one_line_naming_the_channel_and_the_reason(
    sqlite_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from alerts_support import ledger_rows
    from alerts_support import write_config as write_alerts_config
    from servers.smtp import ScriptedSMTP

    smtp = ScriptedSMTP().start()
    hooks = {name: WebhookReceiver().start() for name in ("flaky", "throttled", "slow")}
    try:
        config = load(
            write_alerts_config(
                tmp_path,
                database_url=sqlite_url,
                smtp_port=smtp.port,
                subscribers=[
                    {"name": "busy", "email": "busy@example.org", "frequency": "immediate"},
                    {"name": "bounce", "email": "bounce@example.org", "frequency": "immediate"},
                ],
                webhooks=[
                    {"name": "flaky", "format": "json", "url": hooks["flaky"].url},
                    {"name": "throttled", "format": "slack", "url": hooks["throttled"].url},
                    {"name": "slow", "format": "json", "url": hooks["slow"].url, "timeout_seconds": 0.3},
                ],
            )
        )
        add_announcement(sqlite_url)
        smtp.fail_next(1, "451 4.3.0 Mailbox busy, try later")
        smtp.refuse("bounce@example.org", "550 5.1.1 <bounce@example.org>: user unknown")
        hooks["flaky"].fail(1, 500)
        hooks["throttled"].throttle(1)
        hooks["slow"].hang(1)
        caplog.set_level("INFO")
        options = DeliveryOptions(
            http=RetryPolicy(attempts=2, backoff_base_seconds=0.01, connect_timeout_seconds=1)
        )
        report = deliver(config, database(sqlite_url), options)
        hooks["slow"].release()
        smtp.down()
        later = DeliveryOptions(
            http=options.http, now=datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=5)
        )
        down = deliver(config, database(sqlite_url), later)
    finally:
        smtp.stop()
        for hook in hooks.values():
            hook.stop()
    text = caplog.text

    def one(*needles: str) -> str:
        found = [line for line in text.splitlines() if all(n in line for n in needles)]
        assert len(found) == 1, (needles, found)
        return found[0]

    one("deliver retry channel=email:busy", "451 4.3.0 Mailbox busy")
    one("deliver failed channel=email:bounce", "550 5.1.1")
    one("webhook retry webhook flaky attempt=1", "HTTP 500")
    one("webhook retry webhook throttled attempt=1 wait=1.00s", "HTTP 429")
    one("webhook retry webhook slow attempt=1", "timeout (ReadTimeout)")
    for channel in ("webhook:flaky", "webhook:throttled", "webhook:slow"):
        one(f"deliver sent channel={channel} ")
    one(
        "deliver retry channel=email:busy announcements=1 attempt=2", "cannot connect"
    )  # the SMTP server is down
    assert report.total("failed") == 1 and report.total("retry") == 1 and down.total("retry") == 1
    states = {r["channel"]: (r["state"], r["attempts"]) for r in ledger_rows(sqlite_url)}
    assert states == {
        "email:busy": ("pending", 2),
        "email:bounce": ("failed", 1),
        "webhook:flaky": ("sent", 1),
        "webhook:throttled": ("sent", 1),
        "webhook:slow": ("sent", 1),
    }
