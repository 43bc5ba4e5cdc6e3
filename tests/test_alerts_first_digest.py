"""A new subscriber's first digest comes at its own scheduled time, holding the backfill window.

Time is moved with time-machine, not slept: `deliver` reads the clock like a real run does.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from alerts_support import add_announcement, load, wait_until, write_config
from db_support import database, session_scope
from servers.smtp import ScriptedSMTP

from alerts.deliver import deliver
from alerts.ledger import LedgerPolicy
from alerts.scheduler import SchedulerService
from newswatch.status import collect_status, render_status

PARIS = ZoneInfo("Europe/Paris")
# A Monday in May (Paris is UTC+2).
CREATED = datetime(2025, 5, 12, 14, 0, tzinfo=PARIS)
# Stored instants are UTC (SQLite keeps the wall-clock time it is given and drops the zone).
CREATED_UTC = CREATED.astimezone(UTC)
BACKFILL = LedgerPolicy().backfill


def _sent_at(received) -> datetime:  # type: ignore[no-untyped-def]
    return parsedate_to_datetime(received.message["Date"]).astimezone(PARIS)


def test_a_daily_0800_paris_subscriber_first_seen_at_1400_gets_its_first_digest_the_next_day_at_0800(
    db_url: str, smtp: ScriptedSMTP, tmp_path: Path
) -> None:
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
                    "timezone": "Europe/Paris",
                }
            ],
        )
    )
    too_old = add_announcement(db_url, "Ancien", first_seen_at=CREATED_UTC - BACKFILL - timedelta(hours=1))
    in_window = add_announcement(db_url, "Amazon", first_seen_at=CREATED_UTC - timedelta(days=3))
    with time_machine.travel(CREATED, tick=False) as clock:
        first = deliver(config, database(db_url))
        assert first.channels[0].due is False and first.total("messages") == 0
        assert smtp.received == []
        with session_scope(db_url) as session:
            lines = render_status(collect_status(session, config))
        # What `newswatch status` tells the operator meanwhile: when these will go.
        assert (
            "  pending: email:matin: 1 announcement(s) for the next digest, 2025-05-13 08:00+02:00" in lines
        )
        clock.move_to(datetime(2025, 5, 12, 23, 30, tzinfo=PARIS))
        overnight = add_announcement(db_url, "Pfizer")
        for when in (
            datetime(2025, 5, 12, 23, 30, tzinfo=PARIS),
            datetime(2025, 5, 13, 0, 0, 1, tzinfo=PARIS),
            datetime(2025, 5, 13, 7, 59, 59, tzinfo=PARIS),
        ):
            clock.move_to(when)
            assert deliver(config, database(db_url)).total("messages") == 0, f"a digest went out at {when}"
        assert smtp.received == []

        clock.move_to(datetime(2025, 5, 13, 8, 0, tzinfo=PARIS))
        assert deliver(config, database(db_url)).total("messages") == 1
        [digest] = smtp.received
        assert _sent_at(digest) == datetime(2025, 5, 13, 8, 0, tzinfo=PARIS)
        # The backfill window (7 days before first sight) and what came since; nothing older.
        assert sorted(digest.announcement_ids) == sorted([in_window, overnight])
        assert too_old not in digest.announcement_ids

        clock.move_to(datetime(2025, 5, 13, 14, 0, tzinfo=PARIS))
        assert deliver(config, database(db_url)).total("messages") == 0 and len(smtp.received) == 1


@pytest.mark.parametrize(
    ("settings", "first_digest"),
    [
        # Weekly on Friday at 09:15: first seen on a Monday afternoon, the first digest waits for Friday.
        ({"frequency": "weekly", "day": "fri", "at": "09:15"}, datetime(2025, 5, 16, 9, 15, tzinfo=PARIS)),
        # Cron every six hours: the first digest at 18:00, the next slot after 14:00.
        ({"frequency": "cron", "cron": "0 */6 * * *"}, datetime(2025, 5, 12, 18, 0, tzinfo=PARIS)),
    ],
)
def test_weekly_and_cron_subscribers_get_their_first_digest_at_their_next_scheduled_time(
    sqlite_url: str, smtp: ScriptedSMTP, tmp_path: Path, settings: dict[str, str], first_digest: datetime
) -> None:
    config = load(
        write_config(
            tmp_path,
            database_url=sqlite_url,
            smtp_port=smtp.port,
            subscribers=[
                {"name": "lecteur", "email": "lecteur@example.org", "timezone": "Europe/Paris", **settings}
            ],
        )
    )
    announcement = add_announcement(sqlite_url, "Amazon", first_seen_at=CREATED_UTC - timedelta(days=1))
    with time_machine.travel(CREATED, tick=False) as clock:
        assert deliver(config, database(sqlite_url)).total("messages") == 0
        clock.move_to(first_digest - timedelta(seconds=1))
        assert deliver(config, database(sqlite_url)).total("messages") == 0
        clock.move_to(first_digest)
        assert deliver(config, database(sqlite_url)).total("messages") == 1
    [digest] = smtp.received
    assert digest.announcement_ids == [announcement] and _sent_at(digest) == first_digest


def test_send_empty_sends_the_first_empty_digest_at_the_scheduled_time_and_without_it_nothing_is_sent(
    sqlite_url: str, smtp: ScriptedSMTP, tmp_path: Path
) -> None:
    config = load(
        write_config(
            tmp_path,
            database_url=sqlite_url,
            smtp_port=smtp.port,
            subscribers=[
                {
                    "name": "vide",
                    "email": "vide@example.org",
                    "frequency": "daily",
                    "at": "08:00",
                    "send_empty": True,
                },
                {"name": "muet", "email": "muet@example.org", "frequency": "daily", "at": "08:00"},
            ],
        )
    )
    with time_machine.travel(CREATED, tick=False) as clock:
        assert deliver(config, database(sqlite_url)).total("messages") == 0
        clock.move_to(datetime(2025, 5, 13, 8, 0, 30, tzinfo=PARIS))
        assert deliver(config, database(sqlite_url)).total("messages") == 1
        clock.move_to(datetime(2025, 5, 13, 9, 0, tzinfo=PARIS))
        assert deliver(config, database(sqlite_url)).total("messages") == 0
        clock.move_to(datetime(2025, 5, 14, 8, 0, 30, tzinfo=PARIS))
        assert deliver(config, database(sqlite_url)).total("messages") == 1
    assert [m.rcpt_tos for m in smtp.received] == [["vide@example.org"], ["vide@example.org"]]
    assert smtp.received[0].message["Subject"] == "newswatch\u202f: aucune nouvelle annonce"
    assert [_sent_at(m).date().isoformat() for m in smtp.received] == ["2025-05-13", "2025-05-14"]


def test_the_scheduler_started_at_1400_sends_a_new_daily_subscribers_first_digest_at_0800_not_at_start(
    sqlite_url: str, smtp: ScriptedSMTP, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    config = load(
        write_config(
            tmp_path,
            database_url=sqlite_url,
            smtp_port=smtp.port,
            subscribers=[
                {
                    "name": "matin",
                    "email": "matin@example.org",
                    "frequency": "daily",
                    "at": "08:00",
                    "timezone": "Europe/Paris",
                }
            ],
            schedule={"retry_every_minutes": 5},
        )
    )
    add_announcement(sqlite_url, "Amazon", first_seen_at=CREATED_UTC - timedelta(days=2))
    with time_machine.travel(CREATED, tick=True) as clock:
        service = SchedulerService(config, database(sqlite_url), crawl_command=None)
        assert service.start()
        try:
            # The crawl job runs at start and delivers: the subscriber is seen, but not yet due.
            assert wait_until(lambda: "job crawl done" in caplog.text)
            clock.move_to(datetime(2025, 5, 13, 7, 59, 59, 500000, tzinfo=PARIS))
            service.scheduler.wakeup()  # type: ignore[union-attr]
            assert wait_until(lambda: len(smtp.received) == 1, timeout=10), "no digest at 08:00"
        finally:
            service.stop()
    assert _sent_at(smtp.received[0]) >= datetime(2025, 5, 13, 8, 0, tzinfo=PARIS)
    assert _sent_at(smtp.received[0]) < datetime(2025, 5, 13, 8, 1, tzinfo=PARIS)
