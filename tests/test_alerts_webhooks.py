"""Webhook posts against a real HTTP receiver on 127.0.0.1: retries, 429, signatures, formats, outages."""

from __future__ import annotations

import base64
import logging
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import standardwebhooks
from alerts_support import add_announcement, ledger_rows, load, write_config
from db_support import database
from servers.webhook import WebhookReceiver

from alerts.deliver import DeliveryOptions, deliver
from alerts.http import RetryPolicy

FAST = RetryPolicy(attempts=4, backoff_base_seconds=0.01, connect_timeout_seconds=1)
SECRET = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()


def options(minutes: float = 0, policy: RetryPolicy = FAST) -> DeliveryOptions:
    return DeliveryOptions(http=policy, now=datetime.now(UTC) + timedelta(minutes=minutes))


def config_for(tmp_path: Path, db_url: str, *webhooks: dict[str, Any]):  # type: ignore[no-untyped-def]
    return load(write_config(tmp_path, database_url=db_url, subscribers=[], webhooks=list(webhooks)))


def test_webhook_answering_500_three_times_then_200_is_delivered_once(
    db_url: str, hook: WebhookReceiver, tmp_path: Path
) -> None:
    config = config_for(
        tmp_path, db_url, {"name": "crm", "format": "json", "url": hook.url, "secret": SECRET}
    )
    add_announcement(db_url)
    hook.fail(3, 500)
    report = deliver(config, database(db_url), options())
    assert report.total("sent") == 1 and report.total("retry") == 0
    assert [r.status for r in hook.requests] == [500, 500, 500, 200]
    # One webhook-id for every attempt: a receiver can deduplicate on it.
    assert len({r.headers["webhook-id"] for r in hook.requests}) == 1
    assert deliver(config, database(db_url), options(60)).total("messages") == 0
    assert len(hook.accepted) == 1 and ledger_rows(db_url)[0]["state"] == "sent"


def test_json_posts_verify_with_the_reference_standard_webhooks_package(
    sqlite_url: str, hook: WebhookReceiver, tmp_path: Path
) -> None:
    config = config_for(
        tmp_path, sqlite_url, {"name": "crm", "format": "json", "url": hook.url, "secret": SECRET}
    )
    announcement = add_announcement(sqlite_url, "Pfizer", amount_eur=520e6)
    deliver(config, database(sqlite_url), options())
    [request] = hook.accepted
    assert request.headers["webhook-id"].startswith("msg_")
    assert abs(int(request.headers["webhook-timestamp"]) - time.time()) < 60
    # What a receiver written with the spec's own library does with the real POST: verify, then read.
    receiver = standardwebhooks.Webhook(SECRET)
    event = receiver.verify(request.body, request.headers)
    assert event["type"] == "announcements.new" and set(event) == {"type", "timestamp", "data"}
    assert datetime.fromisoformat(event["timestamp"]).tzinfo is not None
    [record] = event["data"]["announcements"]
    assert (
        record["id"] == announcement
        and record["investor"] == "Pfizer"
        and record["amount_eur"] == 520_000_000
    )
    assert isinstance(record["amount_eur"], int)  # whole euros, as every machine output
    tampered = request.body.replace(b"Pfizer", b"Pfizor")
    with pytest.raises(standardwebhooks.WebhookVerificationError):
        receiver.verify(tampered, request.headers)
    with pytest.raises(standardwebhooks.WebhookVerificationError):
        standardwebhooks.Webhook("whsec_" + base64.b64encode(b"another key of 24 bytes!").decode()).verify(
            request.body, request.headers
        )


def test_a_429_retry_after_is_waited_for_before_the_next_attempt(
    sqlite_url: str, hook: WebhookReceiver, tmp_path: Path
) -> None:
    config = config_for(tmp_path, sqlite_url, {"name": "chat", "format": "slack", "url": hook.url})
    add_announcement(sqlite_url)
    hook.throttle(1)
    deliver(config, database(sqlite_url), options())
    throttled, accepted = hook.requests
    assert throttled.status == 429 and accepted.status == 200
    assert accepted.at - throttled.at >= 0.95  # not the 0.01 s backoff


def test_a_long_retry_after_is_left_to_the_ledger_instead_of_blocking_the_run(
    sqlite_url: str, hook: WebhookReceiver, tmp_path: Path
) -> None:
    config = config_for(tmp_path, sqlite_url, {"name": "chat", "format": "mattermost", "url": hook.url})
    add_announcement(sqlite_url)
    hook.throttle(3600)
    started = time.monotonic()
    assert deliver(config, database(sqlite_url), options()).total("retry") == 1
    assert time.monotonic() - started < 5 and len(hook.requests) == 1
    assert (
        deliver(config, database(sqlite_url), options(30)).total("messages") == 0
    )  # ordinary backoff would allow it
    assert deliver(config, database(sqlite_url), options(61)).total("messages") == 1
    assert len(hook.accepted) == 1


def test_a_timed_out_post_is_retried_with_the_same_webhook_id(
    sqlite_url: str, hook: WebhookReceiver, tmp_path: Path
) -> None:
    config = config_for(
        tmp_path, sqlite_url, {"name": "crm", "format": "json", "url": hook.url, "timeout_seconds": 0.3}
    )
    add_announcement(sqlite_url)
    hook.hang(1)
    assert deliver(config, database(sqlite_url), options()).total("sent") == 1
    hook.release()
    assert [r.accepted for r in hook.requests] == [False, True]
    assert hook.requests[0].headers["webhook-id"] == hook.requests[1].headers["webhook-id"]


def test_per_announcement_mode_posts_each_one_and_per_run_mode_posts_them_together(
    sqlite_url: str, hook: WebhookReceiver, tmp_path: Path
) -> None:
    config = config_for(
        tmp_path,
        sqlite_url,
        {"name": "each", "format": "json", "url": hook.url + "&each", "mode": "per_announcement"},
        {"name": "batch", "format": "json", "url": hook.url + "&batch", "mode": "per_run"},
    )
    ids = [add_announcement(sqlite_url, f"Investor {i}") for i in range(3)]
    deliver(config, database(sqlite_url), options())
    each = [r.json()["data"]["announcements"] for r in hook.accepted if r.path.endswith("each")]
    batch = [r.json()["data"]["announcements"] for r in hook.accepted if r.path.endswith("batch")]
    assert [[a["id"] for a in post] for post in each] == [[i] for i in ids]
    assert [[a["id"] for a in post] for post in batch] == [ids]
    assert (
        deliver(config, database(sqlite_url), options(60)).total("messages") == 0 and len(hook.accepted) == 4
    )


def test_every_chat_format_posts_its_own_payload(
    sqlite_url: str, hook: WebhookReceiver, tmp_path: Path
) -> None:
    formats = ["slack", "mattermost", "teams", "discord", "googlechat", "json"]
    config = config_for(
        tmp_path, sqlite_url, *({"name": f, "format": f, "url": f"{hook.url}&{f}"} for f in formats)
    )
    add_announcement(sqlite_url, "Prologis <b>", amount_eur=6.4e9)
    deliver(config, database(sqlite_url), options())
    bodies = {r.path.rsplit("&", 1)[1]: r.json() for r in hook.accepted}
    assert set(bodies) == set(formats)
    assert (
        "6,4\u00a0Md€" in bodies["slack"]["blocks"][1]["text"]["text"]
        and "&lt;b&gt;" in bodies["slack"]["text"] + bodies["slack"]["blocks"][1]["text"]["text"]
    )
    assert "6,4\u00a0Md€" in bodies["mattermost"]["text"]
    card = bodies["googlechat"]["cardsV2"][0]["card"]
    assert "6,4\u00a0Md€" in card["sections"][0]["widgets"][0]["textParagraph"]["text"]
    assert bodies["googlechat"]["text"] == "Prologis &lt;b&gt; — 6,4\u00a0Md€"
    assert bodies["teams"]["attachments"][0]["content"]["type"] == "AdaptiveCard"
    assert (
        bodies["teams"]["summary"] == "Prologis <b> — 6,4\u00a0Md€"
    )  # TextRuns and summaries read no markup
    [embed] = bodies["discord"]["embeds"]
    assert bodies["discord"]["allowed_mentions"] == {"parse": []} and "6,4\u00a0Md€" in embed["title"]
    assert bodies["json"]["data"]["announcements"][0]["amount_eur"] == 6.4e9


def test_a_permanent_4xx_fails_the_delivery_without_retrying(
    sqlite_url: str, hook: WebhookReceiver, tmp_path: Path
) -> None:
    config = config_for(tmp_path, sqlite_url, {"name": "gone", "format": "slack", "url": hook.url})
    add_announcement(sqlite_url)
    hook.fail(1, 404)
    assert deliver(config, database(sqlite_url), options()).total("failed") == 1
    assert len(hook.requests) == 1
    [row] = ledger_rows(sqlite_url)
    assert row["state"] == "failed" and "HTTP 404" in row["last_error"]


def test_webhook_down_during_a_run_then_back_gets_every_post_once_and_no_secret_leaks(
    db_url: str, hook: WebhookReceiver, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    config = config_for(tmp_path, db_url, {"name": "chat", "format": "slack", "url": hook.url})
    ids = [add_announcement(db_url, f"Investor {i}") for i in range(3)]
    hook.down()
    started = time.monotonic()
    report = deliver(config, database(db_url), options())
    # The first post exhausts its retries; the others go straight back to the ledger.
    assert report.total("retry") == 3 and time.monotonic() - started < 5
    rows = ledger_rows(db_url)
    assert all(r["state"] == "pending" and "ConnectionError" in r["last_error"] for r in rows)
    assert not any("T0KEN" in (r["last_error"] or "") or "abc123" in (r["last_error"] or "") for r in rows)
    assert "T0KEN" not in caplog.text and "abc123" not in caplog.text
    hook.up()
    assert deliver(config, database(db_url), options(2)).total("sent") == 3
    assert deliver(config, database(db_url), options(30)).total("sent") == 0
    posted = [r.json()["blocks"][1]["text"]["text"] for r in hook.accepted]
    assert len(posted) == 3 and all(f"Investor {i}" in posted[i] for i in range(3)) and len(ids) == 3


def test_a_per_run_post_whose_outcome_is_unknown_is_resent_later_as_the_same_message(
    db_url: str, hook: WebhookReceiver, tmp_path: Path
) -> None:
    config = config_for(
        tmp_path,
        db_url,
        {"name": "crm", "format": "json", "url": hook.url, "mode": "per_run", "timeout_seconds": 0.3},
    )
    ids = [add_announcement(db_url, f"Investor {i}") for i in range(2)]
    hook.hang(1)
    once = RetryPolicy(attempts=1, connect_timeout_seconds=1)
    assert deliver(config, database(db_url), options(policy=once)).total("retry") == 2
    hook.release()
    rows = ledger_rows(db_url)
    # Still claimed as one batch, waiting out its backoff: the receiver may have processed it.
    assert {r["state"] for r in rows} == {"sending"} and len({r["batch_id"] for r in rows}) == 1
    assert all(r["last_error"].startswith("in doubt") for r in rows)
    ids.append(add_announcement(db_url, "Investor late"))
    assert (
        deliver(config, database(db_url), options(0.5, once)).total("sent") == 1
    )  # only the new one; the batch waits
    assert deliver(config, database(db_url), options(5, once)).total("sent") == 2
    first, second, third = hook.requests
    assert third.headers["webhook-id"] == first.headers["webhook-id"] != second.headers["webhook-id"]
    assert [a["id"] for a in third.json()["data"]["announcements"]] == ids[:2]
    assert {r["state"] for r in ledger_rows(db_url)} == {"sent"}
