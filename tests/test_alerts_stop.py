"""Prompt, clean stops: SIGTERM (or Ctrl-C) to `newswatch deliver` or `newswatch schedule` in the middle
of a long delivery run ends it within seconds, the message in flight finished and every other
claimed row back in `pending`; the next run sends the rest, each announcement exactly once."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
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
    wait_until,
    write_config,
)
from db_support import database
from servers.smtp import ScriptedSMTP
from servers.webhook import WebhookReceiver

from alerts.deliver import DeliveryOptions, deliver

STOP_WITHIN_SECONDS = 5.0
SUBSCRIBERS = ("alice@example.org", "bob@example.org", "carol@example.org")
ANNOUNCEMENTS = 30


def config_for(
    tmp_path: Path, db_url: str, smtp: ScriptedSMTP, hook: WebhookReceiver, **extra: object
) -> Path:
    return write_config(
        tmp_path,
        database_url=db_url,
        smtp_port=smtp.port,
        subscribers=[{"name": a.split("@")[0], "email": a, "frequency": "immediate"} for a in SUBSCRIBERS],
        # A per-run post split in several (Discord: 10 embeds at most), then one post per announcement.
        webhooks=[
            {"name": "salon", "format": "discord", "url": f"{hook.url}&discord", "mode": "per_run"},
            {"name": "equipe", "format": "slack", "url": f"{hook.url}&slack"},
        ],
        **extra,
    )


def stop(child: subprocess.Popen[str], signum: int = signal.SIGTERM) -> tuple[float, str, str]:
    """Send the signal; how long the process took to exit, and what it printed."""
    started = time.monotonic()
    child.send_signal(signum)
    try:
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return time.monotonic() - started, out, err


def posted(hook: WebhookReceiver) -> dict[str, Counter[str]]:
    """Investors of every accepted post, per webhook: one count per time each was shown."""
    found: dict[str, Counter[str]] = {"discord": Counter(), "slack": Counter()}
    for request in hook.accepted:
        body = request.json()
        if request.path.endswith("&discord"):
            found["discord"].update(re.match(r"Groupe \d+", e["title"]).group(0) for e in body["embeds"])
        else:
            [section] = [b for b in body["blocks"] if b["type"] == "section"]
            found["slack"].update([re.search(r"Groupe \d+", section["text"]["text"]).group(0)])
    return found


def assert_everything_arrived_exactly_once(
    smtp: ScriptedSMTP, hook: WebhookReceiver, ids: dict[str, int], db_url: str
) -> None:
    for address in SUBSCRIBERS:
        got = Counter(a for message in smtp.to(address) for a in message.announcement_ids)
        assert got == Counter(ids.values()), address
    for channel, counts in posted(hook).items():
        assert counts == Counter(list(ids)), channel
    assert {r["state"] for r in ledger_rows(db_url)} == {"sent"}


def add_batch(db_url: str) -> dict[str, int]:
    return {
        f"Groupe {i:02d}": add_announcement(db_url, f"Groupe {i:02d}", amount_eur=i * 1e8)
        for i in range(1, ANNOUNCEMENTS + 1)
    }


@pytest.mark.parametrize(
    ("during", "signum"),
    [("digest", signal.SIGTERM), ("split post", signal.SIGTERM), ("split post", signal.SIGINT)],
)
def test_a_signal_to_deliver_mid_run_stops_it_within_seconds_and_the_next_run_sends_each_announcement_once(
    db_url: str, smtp: ScriptedSMTP, hook: WebhookReceiver, tmp_path: Path, during: str, signum: int
) -> None:
    config = config_for(tmp_path, db_url, smtp, hook)
    ids = add_batch(db_url)
    # Slow servers make the run long: about 1 s per digest or per post.
    smtp.delay = 1.0 if during == "digest" else 0.0
    hook.delay = 1.0
    env = child_env(db_url)
    child = subprocess.Popen(
        newswatch_cmd(config, "-v", "deliver"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Mid-run: Alice's digest is in, Bob's on its way; or the first Discord post is in, the second on its way.
    reached = wait_until(lambda: smtp.received if during == "digest" else hook.accepted, timeout=30)
    elapsed, out, err = stop(child, signum)
    assert reached, err
    assert child.returncode == 128 + signum, err
    assert elapsed < STOP_WITHIN_SECONDS, f"took {elapsed:.1f}s to stop"

    rows = ledger_rows(db_url)
    assert [r for r in rows if r["state"] == "sending"] == []
    assert "stopped" in out and f"deliver received {signal.Signals(signum).name}" in err
    # The message in flight was finished, not cut off, and recorded: what the servers accepted is sent.
    assert all(r.accepted for r in hook.requests)
    sent = Counter(r["channel"] for r in rows if r["state"] == "sent")
    assert (
        sent["email:alice"] == ANNOUNCEMENTS
        and sent["email:bob"] == len(smtp.to("bob@example.org")) * ANNOUNCEMENTS
    )
    assert sent["webhook:salon"] == sum(posted(hook)["discord"].values())
    if during == "split post":
        # The run stopped between the posts of one batch: the rest went back to pending, untried.
        assert 0 < sent["webhook:salon"] < ANNOUNCEMENTS
        returned = [r for r in rows if r["channel"] == "webhook:salon" and r["state"] == "pending"]
        assert returned and all(r["attempts"] == 0 and r["batch_id"] is None for r in returned)
        assert f"{len(returned)} returned to pending" in out

    smtp.delay = hook.delay = 0.0
    again = subprocess.run(
        newswatch_cmd(config, "deliver"), env=env, capture_output=True, text=True, timeout=60
    )
    assert again.returncode == 0, again.stderr
    assert_everything_arrived_exactly_once(smtp, hook, ids, db_url)


def test_sigterm_to_schedule_mid_delivery_stops_it_within_seconds_and_the_next_run_sends_each_announcement_once(
    db_url: str, smtp: ScriptedSMTP, hook: WebhookReceiver, tmp_path: Path
) -> None:
    config = config_for(
        tmp_path, db_url, smtp, hook, schedule={"crawl_every_minutes": 60, "retry_every_minutes": 1}
    )
    ids = add_batch(db_url)
    hook.delay = 1.0
    # The crawl at start finds nothing new; the delivery after it has the whole batch to send.
    env = child_env(db_url, NEWSWATCH_CRAWL_COMMAND=f"{sys.executable} -c pass")
    service = subprocess.Popen(
        newswatch_cmd(config, "schedule"), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    reached = wait_until(lambda: hook.accepted, timeout=30)
    elapsed, _, err = stop(service)
    assert reached, err
    assert service.returncode == 0, err
    assert elapsed < STOP_WITHIN_SECONDS, f"took {elapsed:.1f}s to stop"
    assert "scheduler received SIGTERM" in err and "scheduler stopped" in err
    rows = ledger_rows(db_url)
    assert [r for r in rows if r["state"] == "sending"] == []
    assert any(r["state"] == "pending" and r["channel"] == "webhook:salon" for r in rows)

    hook.delay = 0.0
    again = subprocess.run(
        newswatch_cmd(config, "deliver"), env=env, capture_output=True, text=True, timeout=60
    )
    assert again.returncode == 0, again.stderr
    assert_everything_arrived_exactly_once(smtp, hook, ids, db_url)


def test_a_signal_during_a_retry_after_wait_ends_the_wait_and_leaves_the_post_to_the_next_run(
    sqlite_url: str, hook: WebhookReceiver, tmp_path: Path
) -> None:
    config = write_config(
        tmp_path,
        database_url=sqlite_url,
        subscribers=[],
        webhooks=[{"name": "equipe", "format": "slack", "url": hook.url}],
    )
    add_announcement(sqlite_url, "Groupe 01")
    hook.throttle(45)  # within the in-run limit: the run would wait 45 s before trying again
    child = subprocess.Popen(
        newswatch_cmd(config, "deliver"),
        env=child_env(sqlite_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    reached = wait_until(lambda: hook.requests, timeout=30)
    elapsed, _, err = stop(child)
    assert reached and child.returncode == 128 + signal.SIGTERM, err
    assert elapsed < STOP_WITHIN_SECONDS, f"took {elapsed:.1f}s to stop"
    [row] = ledger_rows(sqlite_url)
    assert row["state"] == "pending" and "HTTP 429" in row["last_error"] and len(hook.requests) == 1

    later = DeliveryOptions(now=datetime.now(UTC) + timedelta(minutes=2))
    assert deliver(load(config), database(sqlite_url), later).total("sent") == 1
    assert [r.status for r in hook.requests] == [429, 200]


def test_a_stop_while_resending_a_taken_over_batch_gives_the_rest_back_as_one_batch(
    sqlite_url: str, hook: WebhookReceiver, tmp_path: Path
) -> None:
    config = load(
        write_config(
            tmp_path,
            database_url=sqlite_url,
            subscribers=[],
            webhooks=[
                {"name": "salon", "format": "discord", "url": f"{hook.url}&discord", "mode": "per_run"}
            ],
        )
    )
    ids = add_batch(sqlite_url)
    # A sender died with the whole batch claimed: any of its posts may have reached Discord already.
    claimed_by_a_dead_process(sqlite_url, "webhook:salon", list(ids.values()))
    # The stop comes while the first post is on its way.
    options = DeliveryOptions()
    hook.on_request = lambda _request: options.stop.set()
    report = deliver(config, database(sqlite_url), options)
    [first] = hook.accepted
    assert report.stopped and report.total("sent") == len(first.json()["embeds"]) < ANNOUNCEMENTS
    # The rest stays one batch, its lease over: the next run takes it over whole and posts it the same way.
    rest = [r for r in ledger_rows(sqlite_url) if r["state"] != "sent"]
    assert len(rest) == ANNOUNCEMENTS - report.total("sent") == report.total("released")
    assert {r["state"] for r in rest} == {"sending"} and len({r["batch_id"] for r in rest}) == 1
    assert {r["attempts"] for r in rest} == {1}  # the stopped run's attempt is not counted

    hook.on_request = None
    assert deliver(config, database(sqlite_url)).total("sent") == len(rest)
    assert posted(hook)["discord"] == Counter(list(ids))
    assert {r["state"] for r in ledger_rows(sqlite_url)} == {"sent"}
