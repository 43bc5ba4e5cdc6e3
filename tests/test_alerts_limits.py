"""Chat limits: a large batch is split into as many posts as each platform accepts, none truncated,
and the ledger marks an announcement sent only with the post that carried it.

The limits checked here are written from each platform's documentation, independently of the
limits the formats declare, so a format that forgets one fails here.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alerts_support import add_announcement, ledger_rows, load, write_config
from db_support import database
from servers.webhook import Request, WebhookReceiver

from alerts.deliver import DeliveryOptions, deliver
from alerts.http import RetryPolicy

FAST = RetryPolicy(attempts=4, backoff_base_seconds=0.01, connect_timeout_seconds=1)
CHATS = ("slack", "mattermost", "teams", "discord", "googlechat")
HUGE_EVIDENCE = (
    "Le groupe Géant investira dans un campus de recherche à Saclay. " * 640
)  # about 41,000 characters


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def assert_within_platform_limits(fmt: str, request: Request) -> None:
    payload = request.json()
    if fmt == "slack":
        # 50 blocks, section text 3,000, header 150; blocks past ~12,000 characters in all are refused.
        blocks = payload["blocks"]
        assert len(blocks) <= 50
        assert all(utf16(b["text"]["text"]) <= (150 if b["type"] == "header" else 3000) for b in blocks)
        assert sum(utf16(b["text"]["text"]) for b in blocks) <= 12_000
        assert 0 < utf16(payload["text"]) <= 40_000
    elif fmt == "discord":
        # content 2,000; 10 embeds; title 256, description 4,096; 6,000 over all embeds.
        embeds = payload["embeds"]
        assert utf16(payload["content"]) <= 2000 and 1 <= len(embeds) <= 10
        assert all(utf16(e["title"]) <= 256 and utf16(e.get("description", "")) <= 4096 for e in embeds)
        assert sum(utf16(e["title"]) + utf16(e.get("description", "")) for e in embeds) <= 6000
    elif fmt == "googlechat":
        # 32,000 bytes a message, text 4,096 characters, 100 widgets a card.
        assert len(request.body) <= 32_000 and utf16(payload["text"]) <= 4096
        assert all(sum(len(s["widgets"]) for s in c["card"]["sections"]) <= 100 for c in payload["cardsV2"])
    elif fmt == "teams":
        # 28 KB a message.
        assert len(request.body) <= 28 * 1024
    elif fmt == "mattermost":
        # 16,383 characters a post.
        assert utf16(payload["text"]) <= 16_383


def announcements_in(fmt: str, payload: dict[str, Any]) -> list[str]:
    """The investor named at the head of each announcement the post shows, in order."""
    if fmt == "slack":
        heads = [b["text"]["text"] for b in payload["blocks"] if b["type"] == "section"]
    elif fmt == "discord":
        heads = [e["title"] for e in payload["embeds"]]
    elif fmt == "teams":
        body = payload["attachments"][0]["content"]["body"]
        heads = [c["items"][0]["inlines"][0]["text"] for c in body if c["type"] == "Container"]
    elif fmt == "googlechat":
        heads = [
            w["textParagraph"]["text"]
            for s in payload["cardsV2"][0]["card"]["sections"]
            for w in s["widgets"]
        ]
    elif fmt == "mattermost":
        heads = payload["text"].split("\n\n")[1:]
    else:
        return [a["investor"] for a in payload["data"]["announcements"]]
    found = [re.search(r"Groupe \d+|Géant", head[:40]) for head in heads]
    return [m.group(0) if m else head for m, head in zip(found, heads, strict=True)]


def add_batch(url: str) -> dict[str, int]:
    """60 announcements of ordinary size, and one whose evidence alone is longer than any chat post."""
    ids = {}
    for i in range(1, 61):
        name = f"Groupe {i:02d}"
        evidence = f"{name} investira {i * 10} millions d'euros dans une usine de batteries à Dunkerque. " * (
            1 + i % 5
        )
        ids[name] = add_announcement(
            url,
            name,
            amount_eur=i * 1e7,
            evidence=evidence,
            extra_sources=i % 4,
            title=f"{name} choisit la France pour sa nouvelle usine de batteries",
        )
    ids["Géant"] = add_announcement(url, "Géant", amount_eur=9e9, evidence=HUGE_EVIDENCE, extra_sources=12)
    return ids


def test_a_per_run_batch_of_60_reaches_every_chat_format_complete_within_its_limits_and_the_ledger_matches(
    sqlite_url: str, hook: WebhookReceiver, tmp_path: Path
) -> None:
    formats = (*CHATS, "json")
    config = load(
        write_config(
            tmp_path,
            database_url=sqlite_url,
            subscribers=[],
            webhooks=[
                {"name": f, "format": f, "url": f"{hook.url}&f={f}", "mode": "per_run"} for f in formats
            ],
        )
    )
    ids = add_batch(sqlite_url)
    report = deliver(config, database(sqlite_url), DeliveryOptions(http=FAST))
    assert report.ok and report.total("sent") == len(ids) * len(formats), report.summary()
    assert all(r.accepted for r in hook.requests)

    for fmt in formats:
        posts = [r for r in hook.accepted if r.path.endswith(f"&f={fmt}")]
        carried: dict[str, str] = {}
        for post in posts:
            assert_within_platform_limits(fmt, post)
            names = announcements_in(fmt, post.json())
            assert names, f"{fmt}: a post without announcements"
            for name in names:
                assert name not in carried, f"{fmt}: {name} in two posts"
                carried[name] = post.headers["webhook-id"]
        # Every announcement arrived, each in exactly one post ...
        assert set(carried) == set(ids), f"{fmt}: missing {set(ids) - set(carried)}"
        if fmt in CHATS:
            assert len(posts) > 1, f"{fmt}: 61 announcements in one post cannot be within its limits"
        # ... and the ledger says so, row by row, naming the post that carried it.
        rows = {r["announcement_id"]: r for r in ledger_rows(sqlite_url, f"webhook:{fmt}")}
        assert {r["state"] for r in rows.values()} == {"sent"}
        assert {name: rows[ids[name]]["batch_id"] for name in ids} == carried, fmt
        assert len({p.headers["webhook-id"] for p in posts}) == len(posts)

    # The oversized announcement went out cut, never dropped: whole in the json records only.
    text = {
        fmt: " ".join(r.body.decode() for r in hook.accepted if r.path.endswith(f"&f={fmt}"))
        for fmt in formats
    }
    assert HUGE_EVIDENCE.strip() in text["json"]
    for fmt in CHATS:
        assert HUGE_EVIDENCE[:200] in text[fmt] and HUGE_EVIDENCE[:5000] not in text[fmt], fmt
    assert deliver(config, database(sqlite_url), DeliveryOptions(http=FAST)).total("messages") == 0


def test_a_refused_post_in_a_split_batch_leaves_only_the_unsent_announcements_and_the_retry_resends_the_same_post(
    db_url: str, hook: WebhookReceiver, tmp_path: Path
) -> None:
    config = load(
        write_config(
            tmp_path,
            database_url=db_url,
            subscribers=[],
            webhooks=[{"name": "salon", "format": "discord", "url": hook.url, "mode": "per_run"}],
        )
    )
    ids = [add_announcement(db_url, f"Groupe {i:02d}", amount_eur=i * 1e8) for i in range(1, 25)]
    # The first post is accepted; the second meets a server error on every in-run attempt.
    hook.fail(1, 200)
    hook.fail(FAST.attempts, 503)
    first = deliver(config, database(db_url), DeliveryOptions(http=FAST))
    accepted, refused = hook.accepted[0], hook.requests[1]
    sent_first = [
        int(a) for a in re.findall(r"Groupe (\d+)", " ".join(e["title"] for e in accepted.json()["embeds"]))
    ]
    assert first.total("sent") == len(sent_first) and first.total("retry") == len(ids) - len(sent_first)
    rows = ledger_rows(db_url)
    assert {ids[n - 1] for n in sent_first} == {r["announcement_id"] for r in rows if r["state"] == "sent"}
    assert all(
        r["state"] == "pending" and "HTTP 503" in r["last_error"] for r in rows if r["state"] != "sent"
    )

    later = datetime.now(UTC) + timedelta(minutes=2)
    second = deliver(config, database(db_url), DeliveryOptions(http=FAST, now=later))
    assert second.total("sent") == len(ids) - len(sent_first)
    retried = [r for r in hook.accepted if r is not accepted]
    # The refused post is resent as the same post, with the same webhook-id; nothing is posted twice.
    assert retried[0].headers["webhook-id"] == refused.headers["webhook-id"]
    assert [e["title"] for e in retried[0].json()["embeds"]] == [e["title"] for e in refused.json()["embeds"]]
    posted = Counter(
        int(n)
        for r in hook.accepted
        for e in r.json()["embeds"]
        for n in re.findall(r"Groupe (\d+)", e["title"])
    )
    assert posted == Counter(range(1, 25))
    assert {r["state"] for r in ledger_rows(db_url)} == {"sent"}


@pytest.mark.parametrize("fmt", CHATS)
def test_per_announcement_posts_split_nothing_and_cut_only_what_alone_exceeds_a_limit(
    sqlite_url: str, hook: WebhookReceiver, tmp_path: Path, fmt: str
) -> None:
    config = load(
        write_config(
            tmp_path,
            database_url=sqlite_url,
            subscribers=[],
            webhooks=[{"name": "chat", "format": fmt, "url": hook.url, "mode": "per_announcement"}],
        )
    )
    add_announcement(sqlite_url, "Géant", amount_eur=9e9, evidence=HUGE_EVIDENCE, extra_sources=12)
    add_announcement(
        sqlite_url, "Petit", amount_eur=2e7, evidence="Petit investira 20 millions d'euros à Lyon."
    )
    assert deliver(config, database(sqlite_url), DeliveryOptions(http=FAST)).total("sent") == 2
    huge, small = hook.accepted
    for post in (huge, small):
        assert_within_platform_limits(fmt, post)
    assert "Géant" in huge.body.decode() and "…" in huge.body.decode()
    assert "Petit investira 20 millions d'euros à Lyon." in small.body.decode()
