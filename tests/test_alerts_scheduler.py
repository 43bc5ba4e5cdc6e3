"""The background service and the one-shot run: crawls and digests on schedule, clean stop, one scheduler per database."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from alerts_support import child_env, ledger_rows, load, newswatch_cmd, wait_until, write_config
from db_support import database, session_scope
from servers.smtp import ScriptedSMTP
from servers.webhook import WebhookReceiver
from sqlalchemy import text

from alerts.scheduler import JOBS_TABLE, SchedulerService, build_scheduler, next_runs
from newswatch.store.models import ChannelState

NEW_YORK = ZoneInfo("America/New_York")
TESTS = Path(__file__).resolve().parent

# A stand-in for `newswatch crawl`: stores two announcements as the detect stage would, then exits
# with the code given (a failing crawl that still stored something).
FAKE_CRAWL = """
import os, sys
sys.path.insert(0, {tests!r})
from alerts_support import add_announcement
url = os.environ["NEWSWATCH_DATABASE_URL"]
marker = {marker!r}
run = len(open(marker).read()) if os.path.exists(marker) else 0
open(marker, "a").write("x")
if run == 0:
    add_announcement(url, "Microsoft", amount_eur=4e9)
    add_announcement(url, "Pfizer", amount_eur=520e6, sector="santé")
sys.exit({code})
"""


def fake_crawl(tmp_path: Path, code: int = 0) -> tuple[str, Path]:
    marker = tmp_path / "crawls.txt"
    script = tmp_path / "fake_crawl.py"
    script.write_text(FAKE_CRAWL.format(tests=str(TESTS), marker=str(marker), code=code), encoding="utf-8")
    return f"{sys.executable} {script}", marker


def test_the_scheduler_crawls_at_start_and_sends_a_digest_at_its_time_in_the_subscribers_zone(
    db_url: str, smtp: ScriptedSMTP, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    config = load(
        write_config(
            tmp_path,
            database_url=db_url,
            smtp_port=smtp.port,
            subscribers=[
                {
                    "name": "matin",
                    "email": "matin@example.org",
                    "frequency": "daily",
                    "at": "08:00",
                    "timezone": "America/New_York",
                }
            ],
        )
    )
    start = datetime(2025, 5, 12, 7, 58, 0, tzinfo=NEW_YORK)
    with session_scope(db_url) as session:
        # Yesterday's digest went out: today's is due at 08:00 New York time, not before.
        # (UTC, as everything newswatch stores: SQLite keeps the wall-clock time and drops the zone.)
        session.add(
            ChannelState(
                channel="email:matin",
                since=(start - timedelta(days=3)).astimezone(UTC),
                last_sent_at=datetime(2025, 5, 11, 8, 0, 5, tzinfo=NEW_YORK).astimezone(UTC),
            )
        )
    command, marker = fake_crawl(tmp_path)
    with time_machine.travel(start, tick=True) as clock:
        service = SchedulerService(config, database(db_url), crawl_command=command.split())
        assert service.start()
        try:
            assert wait_until(marker.exists), "the crawl did not run at start"
            assert wait_until(lambda: "job crawl done" in caplog.text)
            assert smtp.received == []  # stored and enqueued, but 08:00 has not come yet
            # Jump to just before 08:00 and let the scheduler recompute its wait, instead of sleeping.
            clock.move_to(datetime(2025, 5, 12, 7, 59, 59, 500000, tzinfo=NEW_YORK))
            service.scheduler.wakeup()  # type: ignore[union-attr]
            assert wait_until(lambda: len(smtp.received) == 1, timeout=10), "no digest at 08:00"
            assert datetime.now(NEW_YORK) >= datetime(2025, 5, 12, 8, 0, tzinfo=NEW_YORK)
        finally:
            service.stop()
    assert sorted(smtp.received[0].announcement_ids) == sorted(
        r["announcement_id"] for r in ledger_rows(db_url)
    )
    assert caplog.text.count("job digest:matin done") == 1
    assert "scheduler stopped" in caplog.text


def test_jobs_are_reconciled_with_the_config_at_start(sqlite_url: str, tmp_path: Path) -> None:
    config = load(
        write_config(
            tmp_path,
            database_url=sqlite_url,
            subscribers=[
                {
                    "name": "hebdo",
                    "email": "hebdo@example.org",
                    "frequency": "weekly",
                    "day": "fri",
                    "at": "09:15",
                },
                {"name": "vite", "email": "vite@example.org", "frequency": "immediate"},
            ],
        )
    )
    stale = build_scheduler(config, database(sqlite_url))
    stale.start(paused=True)
    stale.add_job(print, "interval", minutes=3, id="digest:ancien", name="digest ancien")
    stale.add_job(print, "interval", minutes=7, id="sweep", name="an older sweep")
    stale.shutdown(wait=False)

    service = SchedulerService(config, database(sqlite_url), crawl_command=None)
    assert service.start()
    jobs = {job.id: job for job in service.scheduler.get_jobs()}  # type: ignore[union-attr]
    crawl_next = jobs["crawl"].next_run_time
    service.stop()
    assert set(jobs) == {"crawl", "sweep", "digest:hebdo"}  # stale job gone, none for an immediate subscriber
    assert jobs["sweep"].func_ref == "alerts.scheduler:sweep_job"
    assert jobs["digest:hebdo"].next_run_time.weekday() == 4
    assert (jobs["digest:hebdo"].next_run_time.hour, jobs["digest:hebdo"].next_run_time.minute) == (9, 15)

    again = SchedulerService(config, database(sqlite_url), crawl_command=None)
    assert again.start()
    kept = {job.id: job for job in again.scheduler.get_jobs()}  # type: ignore[union-attr]
    again.stop()
    # Unchanged jobs keep their place in time across a restart.
    assert kept["crawl"].next_run_time >= crawl_next and set(kept) == set(jobs)
    # What `newswatch status` reads while no scheduler runs.
    scheduled = next_runs(config, database(sqlite_url))
    assert {job_id for job_id, when, _ in scheduled if when is not None} == set(jobs)


def test_only_one_scheduler_runs_per_database(db_url: str, tmp_path: Path) -> None:
    config = load(write_config(tmp_path, database_url=db_url, subscribers=[]))
    first = SchedulerService(config, database(db_url), crawl_command=None)
    assert first.start()
    try:
        assert not SchedulerService(config, database(db_url), crawl_command=None).start()
    finally:
        first.stop()
    second = SchedulerService(config, database(db_url), crawl_command=None)
    assert second.start()
    second.stop()


def test_newswatch_schedule_survives_a_failing_crawl_delivers_and_stops_cleanly_on_sigterm(
    db_url: str, smtp: ScriptedSMTP, hook: WebhookReceiver, tmp_path: Path
) -> None:
    config = write_config(
        tmp_path,
        database_url=db_url,
        smtp_port=smtp.port,
        webhooks=[{"name": "equipe", "format": "slack", "url": hook.url}],
        schedule={"crawl_every_minutes": 60, "retry_every_minutes": 1},
    )
    command, marker = fake_crawl(tmp_path, code=3)
    env = child_env(db_url, NEWSWATCH_CRAWL_COMMAND=command)
    service = subprocess.Popen(newswatch_cmd(config, "schedule"), env=env, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_until(lambda: len(hook.accepted) == 2 and len(smtp.received) == 1, timeout=20), (
            "the crawl job did not deliver"
        )
        rival = subprocess.run(
            newswatch_cmd(config, "schedule"), env=env, capture_output=True, text=True, timeout=30
        )
        assert rival.returncode == 1 and "another scheduler holds" in rival.stderr
        started = time.monotonic()
        service.send_signal(signal.SIGTERM)
        _, stderr = service.communicate(timeout=20)
    finally:
        if service.poll() is None:
            service.kill()
    assert service.returncode == 0, stderr
    assert time.monotonic() - started < 10
    assert marker.read_text() == "x"  # crawled once, at start
    assert stderr.count("job crawl done") == 1 and "crawl failed exit=3" in stderr
    assert "scheduler received SIGTERM" in stderr and "scheduler stopped" in stderr
    assert len(smtp.received) == 1 and len(hook.accepted) == 2
    with session_scope(db_url) as session:
        stored = set(session.execute(text(f"SELECT id FROM {JOBS_TABLE}")).scalars())
    assert stored == {"crawl", "sweep"}


def test_run_once_crawls_then_delivers_and_a_second_run_sends_nothing(
    sqlite_url: str, smtp: ScriptedSMTP, hook: WebhookReceiver, tmp_path: Path
) -> None:
    config = write_config(
        tmp_path,
        database_url=sqlite_url,
        smtp_port=smtp.port,
        subscribers=[
            {"name": "tout", "email": "tout@example.org", "frequency": "immediate"},
            {
                "name": "sante",
                "email": "sante@example.org",
                "frequency": "immediate",
                "filters": {"sectors": ["santé"]},
            },
            {
                "name": "rien",
                "email": "rien@example.org",
                "frequency": "immediate",
                "filters": {"editions": [2019]},
            },
        ],
        webhooks=[{"name": "equipe", "format": "mattermost", "url": hook.url}],
    )
    command, marker = fake_crawl(tmp_path)
    env = child_env(sqlite_url, NEWSWATCH_CRAWL_COMMAND=command)
    first = subprocess.run(
        newswatch_cmd(config, "run", "--once"), env=env, capture_output=True, text=True, timeout=60
    )
    assert first.returncode == 0, first.stderr
    assert "crawl: finished exit=0" in first.stdout and "4 message(s) sent" in first.stdout
    assert [len(smtp.to(a)) for a in ("tout@example.org", "sante@example.org", "rien@example.org")] == [
        1,
        1,
        0,
    ]
    assert len(hook.accepted) == 2
    second = subprocess.run(
        newswatch_cmd(config, "run", "--once"), env=env, capture_output=True, text=True, timeout=60
    )
    assert second.returncode == 0, second.stderr
    assert "0 message(s) sent" in second.stdout and marker.read_text() == "xx"
    assert len(smtp.received) == 2 and len(hook.accepted) == 2


def test_deliveries_and_digest_preview_show_the_ledger_and_write_html_without_sending(
    sqlite_url: str, smtp: ScriptedSMTP, tmp_path: Path
) -> None:
    import json

    from alerts_support import add_announcement
    from click.testing import CliRunner

    from newswatch.cli import main

    config = write_config(
        tmp_path,
        database_url=sqlite_url,
        smtp_port=smtp.port,
        subscribers=[{"name": "soir", "email": "soir@example.org", "frequency": "immediate"}],
    )
    add_announcement(sqlite_url, "Prologis <script>x()</script>", amount_eur=6.4e9)
    runner = CliRunner()

    def newswatch(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(
            main, ["--config", str(config), *args], env={"NEWSWATCH_DATABASE_URL": sqlite_url}
        )

    preview = tmp_path / "preview.html"
    shown = newswatch("digest", "--subscriber", "soir", "--preview", str(preview))
    assert shown.exit_code == 0, shown.output
    html = preview.read_text(encoding="utf-8")
    assert "6,4\u00a0Md€" in html and "&lt;script&gt;" in html and "<script>" not in html
    assert smtp.received == [] and ledger_rows(sqlite_url) == []  # nothing sent, ledger untouched

    unknown = newswatch("digest", "--subscriber", "nobody", "--preview", str(preview))
    assert unknown.exit_code == 2 and "unknown subscriber 'nobody'" in unknown.output

    assert newswatch("deliver").exit_code == 0 and len(smtp.received) == 1
    table = newswatch("deliveries")
    assert "email:soir" in table.output and "totals: pending 0, sending 0, sent 1, failed 0" in table.output
    [row] = json.loads(newswatch("deliveries", "--state", "sent", "--format", "json").output)
    assert (
        row["channel"] == "email:soir" and row["state"] == "sent" and row["investor"].startswith("Prologis")
    )
    assert "no deliveries in state failed" in newswatch("deliveries", "--state", "failed").output
