"""The ledger's promises: nothing lost and nothing sent twice, through outages, SIGKILL and concurrent senders."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alerts_support import (
    add_announcement,
    child_env,
    claimed_by_a_dead_process,
    ledger_rows,
    load,
    newswatch_cmd,
    write_config,
)
from db_support import database, dispose_all, session_scope
from servers.smtp import ScriptedSMTP
from servers.webhook import WebhookReceiver

from alerts.deliver import DeliveryOptions, deliver
from alerts.http import RetryPolicy
from newswatch.store import deliveries
from newswatch.store.models import Delivery

FAST = RetryPolicy(attempts=3, backoff_base_seconds=0.01, connect_timeout_seconds=1)


def two_subscribers_and_a_webhook(
    tmp_path: Path, db_url: str, smtp: ScriptedSMTP, hook: WebhookReceiver
) -> Path:
    return write_config(
        tmp_path,
        database_url=db_url,
        smtp_port=smtp.port,
        subscribers=[
            {"name": "alice", "email": "alice@example.org", "frequency": "immediate"},
            {"name": "bob", "email": "bob@example.org", "frequency": "immediate", "language": "en"},
        ],
        webhooks=[
            {
                "name": "crm",
                "format": "json",
                "url": hook.url,
                "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            }
        ],
    )


def assert_each_announcement_once(smtp: ScriptedSMTP, hook: WebhookReceiver, ids: list[int]) -> None:
    for address in ("alice@example.org", "bob@example.org"):
        got = Counter(a for message in smtp.to(address) for a in message.announcement_ids)
        assert got == Counter(ids), f"{address}: {got}"
    posted = Counter(a["id"] for r in hook.accepted for a in r.json()["data"]["announcements"])
    assert posted == Counter(ids), f"webhook: {posted}"


def test_smtp_and_webhook_down_during_a_run_then_back_everything_arrives_exactly_once(
    db_url: str, smtp: ScriptedSMTP, hook: WebhookReceiver, tmp_path: Path
) -> None:
    config = load(two_subscribers_and_a_webhook(tmp_path, db_url, smtp, hook))
    ids = [add_announcement(db_url, f"Investor {i}") for i in range(3)]
    smtp.down()
    hook.down()
    report = deliver(config, database(db_url), DeliveryOptions(http=FAST))
    assert report.total("sent") == 0 and report.total("retry") == 9
    smtp.up()
    hook.up()
    later = datetime.now(UTC) + timedelta(minutes=2)
    assert deliver(config, database(db_url), DeliveryOptions(http=FAST, now=later)).total("sent") == 9
    assert (
        deliver(config, database(db_url), DeliveryOptions(http=FAST, now=later + timedelta(hours=1))).total(
            "sent"
        )
        == 0
    )
    assert_each_announcement_once(smtp, hook, ids)
    assert len(smtp.received) == 2 and len(hook.accepted) == 3


@pytest.mark.parametrize("stall", ["smtp", "webhook"])
def test_a_delivery_process_killed_mid_run_is_finished_by_the_next_run_with_nothing_twice(
    db_url: str, smtp: ScriptedSMTP, hook: WebhookReceiver, tmp_path: Path, stall: str
) -> None:
    config = two_subscribers_and_a_webhook(tmp_path, db_url, smtp, hook)
    ids = [add_announcement(db_url, f"Investor {i}") for i in range(4)]
    # Alice's digest goes through, Bob's hangs in DATA; or the third webhook post hangs.
    if stall == "smtp":
        smtp.stall_after(1)
        stalled = smtp.stalled
    else:
        hook.hang_after(2)
        stalled = hook.stalled
    env = child_env(db_url)
    child = subprocess.Popen(newswatch_cmd(config, "deliver"), env=env, stderr=subprocess.PIPE, text=True)
    try:
        assert stalled.wait(20), "the delivery run never reached the stalled server"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    smtp.release()
    hook.release()
    states = Counter(r["state"] for r in ledger_rows(db_url))
    assert states["sending"] >= 1, states  # the killed run's claim is still on its rows

    again = subprocess.run(
        newswatch_cmd(config, "-v", "deliver"), env=env, capture_output=True, text=True, timeout=60
    )
    assert again.returncode == 0, again.stderr
    assert "ledger recovered" in again.stderr
    assert_each_announcement_once(smtp, hook, ids)
    assert {r["state"] for r in ledger_rows(db_url)} == {"sent"}
    if stall == "smtp":
        # Bob's digest was resent as the same message: one Message-ID for the stalled and the final attempt.
        [bob] = smtp.to("bob@example.org")
        assert smtp.attempts.count(bob.message_id) == 2
    else:
        hung = next(r for r in hook.requests if not r.accepted)
        assert sum(r.headers["webhook-id"] == hung.headers["webhook-id"] for r in hook.accepted) == 1


def test_two_delivery_processes_at_once_send_nothing_twice(
    db_url: str, smtp: ScriptedSMTP, hook: WebhookReceiver, tmp_path: Path
) -> None:
    config = two_subscribers_and_a_webhook(tmp_path, db_url, smtp, hook)
    ids = [add_announcement(db_url, f"Investor {i}") for i in range(16)]
    hook.delay = 0.04  # long enough for the two runs to overlap
    env = child_env(db_url)
    children = [
        subprocess.Popen(
            newswatch_cmd(config, "deliver"),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [child.communicate(timeout=60) for child in children]
    assert all(child.returncode == 0 for child in children), outputs
    print([o[0] for o in outputs])
    assert_each_announcement_once(smtp, hook, ids)
    assert {r["state"] for r in ledger_rows(db_url)} == {"sent"}


def test_concurrent_claims_on_one_channel_never_share_a_row(db_url: str) -> None:
    ids = [add_announcement(db_url, f"Investor {i}") for i in range(40)]
    now = datetime.now(UTC)
    with session_scope(db_url) as session:
        deliveries.enqueue(session, "webhook:x", ids, now=now)
    claimed: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        session = database(db_url).new_session()
        try:
            while claim := deliveries.claim_due(
                session, "webhook:x", now=now, lease_until=now + timedelta(minutes=5), limit=3
            ):
                claimed.extend(claim.announcement_ids)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            session.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert sorted(claimed) == sorted(ids)


def test_a_live_claim_on_another_host_is_left_alone_until_its_lease_ends(
    db_url: str, smtp: ScriptedSMTP, tmp_path: Path
) -> None:
    config = load(write_config(tmp_path, database_url=db_url, smtp_port=smtp.port))
    announcement = add_announcement(db_url)
    now = datetime.now(UTC)
    with session_scope(db_url) as session:
        session.add(
            Delivery(
                channel="email:analyste",
                announcement_id=announcement,
                state="sending",
                attempts=1,
                batch_id="other-host~4242~1700000000000~beef",
                next_attempt_at=now + timedelta(minutes=5),
                created_at=now,
            )
        )
    assert deliver(config, database(db_url)).total("sent") == 0
    assert (
        deliver(config, database(db_url), DeliveryOptions(now=now + timedelta(minutes=6))).total("sent") == 1
    )
    assert len(smtp.received) == 1 and ledger_rows(db_url)[0]["attempts"] == 2


def test_a_claim_left_by_a_dead_process_on_this_host_is_taken_over_at_once(
    sqlite_url: str, smtp: ScriptedSMTP, tmp_path: Path
) -> None:
    config = load(write_config(tmp_path, database_url=sqlite_url, smtp_port=smtp.port))
    announcement = add_announcement(sqlite_url)
    claimed_by_a_dead_process(sqlite_url, "email:analyste", [announcement])
    assert deliver(config, database(sqlite_url)).total("sent") == 1
    assert len(smtp.received) == 1


LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def test_a_sqlite_database_locked_by_another_process_delays_delivery_but_loses_nothing(
    sqlite_url: str, hook: WebhookReceiver, tmp_path: Path
) -> None:
    import sys
    import time

    config = load(
        write_config(
            tmp_path,
            database_url=sqlite_url,
            subscribers=[],
            webhooks=[{"name": "chat", "format": "slack", "url": hook.url}],
        )
    )
    add_announcement(sqlite_url)
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, sqlite_url.removeprefix("sqlite:///"), "1.5"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
        started = time.monotonic()
        report = deliver(config, database(sqlite_url), DeliveryOptions(http=FAST))
        waited = time.monotonic() - started
    finally:
        locker.wait(10)
    assert report.ok and report.total("sent") == 1 and waited >= 1.0
    assert len(hook.accepted) == 1


@pytest.mark.postgres
def test_postgresql_connections_dropped_during_a_run_are_replaced_and_nothing_is_sent_twice(
    postgres_server_url: str, hook: WebhookReceiver, tmp_path: Path
) -> None:
    from sqlalchemy import create_engine, text

    dispose_all()
    db_url = postgres_server_url
    admin = create_engine(db_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    database(db_url).migrate()
    config = load(
        write_config(
            tmp_path,
            database_url=db_url,
            subscribers=[],
            webhooks=[{"name": "chat", "format": "json", "url": hook.url}],
        )
    )
    ids = [add_announcement(db_url, f"Investor {i}") for i in range(3)]

    terminated: list[bool] = []

    def drop_connections(_request: object) -> None:
        # Every other backend of this database goes, as when PostgreSQL restarts mid-run.
        with admin.connect() as conn:
            terminated.extend(
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                ).scalars()
            )

    hook.on_request = drop_connections
    try:
        first = deliver(config, database(db_url), DeliveryOptions(http=FAST))
        hook.on_request = None
        second = deliver(
            config, database(db_url), DeliveryOptions(http=FAST, now=datetime.now(UTC) + timedelta(minutes=2))
        )
    finally:
        admin.dispose()
        dispose_all()
    assert sum(terminated) >= 3  # the run's connection really was cut, once per post
    assert first.total("sent") + second.total("sent") == 3
    assert Counter(r.json()["data"]["announcements"][0]["id"] for r in hook.accepted) == Counter(ids)
