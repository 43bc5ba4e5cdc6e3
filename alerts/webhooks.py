"""Webhook channels: one post per announcement, or per run as many posts as the chat's limits require.

Posting, retries and Retry-After live in alerts/http.py; payloads and limits in alerts/formats/.
Each post carries a `webhook-id` derived from the channel and the announcements it holds, the same
on every retry and after a restart (`json` posts are also signed with it). A webhook that stays
down through the in-run retries is not tried again in the same run: its remaining posts go back
to the ledger at once instead of each waiting out the same backoff.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

import requests

from newswatch.config import Webhook

from . import signing
from .channels import Channel, Outcome, Post, stable_id
from .formats import encode, split
from .formats.registry import chat_format
from .http import RetryPolicy
from .http import post as http_post
from .view import AnnouncementView

# Announcements claimed together for a per-run webhook; the format splits them into posts.
PER_RUN_CLAIM = 100


class WebhookChannel(Channel):
    kind = "webhook"

    def __init__(
        self,
        webhook: Webhook,
        session: requests.Session,
        *,
        policy: RetryPolicy | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        super().__init__(webhook.name, webhook.filters, lang=webhook.language)
        self.webhook = webhook
        self.session = session
        self.policy = policy or RetryPolicy()
        self.stop = stop
        self.per_announcement = webhook.mode == "per_announcement"
        self.claim_size = 1 if self.per_announcement else PER_RUN_CLAIM
        self.format = chat_format(webhook.format)
        self._down: Outcome | None = None

    def lease_seconds(self) -> float:
        return self.policy.worst_case_seconds(self.webhook.timeout_seconds) + 60.0

    def posts(self, views: list[AnnouncementView]) -> list[Post]:
        return split(self.format, views, self.lang, max_per_post=1 if self.per_announcement else None)

    def message_id(self, post: Post) -> str:
        return "msg_" + stable_id(self.key, post.ids)

    def send(self, post: Post, *, now: datetime, extra: str = "") -> Outcome:
        message_id = self.message_id(post)
        if self._down is not None:
            return Outcome.retry(self._down.detail, ref=message_id, retry_after=self._down.retry_after)
        body = encode(post.payload)
        secret = self.webhook.secret.get_secret_value() if self.webhook.secret else None

        def headers() -> dict[str, str]:
            # Signed afresh on each attempt: receivers reject old timestamps.
            base = {"Content-Type": "application/json; charset=utf-8", "webhook-id": message_id}
            if self.format.signed:
                base.update(signing.headers(secret, message_id, int(time.time()), body))
            return base

        result = http_post(
            self.session,
            self.webhook.url.get_secret_value(),
            body,
            headers=headers,
            timeout=self.webhook.timeout_seconds,
            policy=self.policy,
            label=f"webhook {self.name}",
            stop=self.stop,
        )
        if result.ok:
            return Outcome.sent(message_id, f"HTTP {result.status} after {result.attempts} attempt(s)")
        if result.permanent:
            return Outcome.failed(result.error, ref=message_id)
        outcome = Outcome.retry(
            result.error, ref=message_id, retry_after=result.retry_after, in_doubt=result.in_doubt
        )
        self._down = outcome
        return outcome
