"""Webhook channels: one post per announcement or one per run, in the configured chat format.

Posting, retries and Retry-After live in alerts/http.py; payloads in alerts/formats/. A webhook
that stays down through the in-run retries is not tried again in the same run: its remaining
rows go back to the ledger at once instead of each waiting out the same backoff.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import requests

from newswatch.config import Webhook

from . import signing
from .channels import Channel, Outcome, stable_id
from .formats import renderer
from .http import RetryPolicy, post
from .view import AnnouncementView

# Announcements in one per-run post; more make several posts.
PER_RUN_MAX_ANNOUNCEMENTS = 25


class WebhookChannel(Channel):
    kind = "webhook"

    def __init__(self, webhook: Webhook, session: requests.Session, *, policy: RetryPolicy | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        super().__init__(webhook.name, webhook.filters, lang=webhook.language)
        self.webhook = webhook
        self.session = session
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self.batch_size = 1 if webhook.mode == "per_announcement" else PER_RUN_MAX_ANNOUNCEMENTS
        self.render = renderer(webhook.format)
        self._down: Outcome | None = None

    def lease_seconds(self) -> float:
        return self.policy.worst_case_seconds(self.webhook.timeout_seconds) + 60.0

    def payload(self, views: list[AnnouncementView]) -> bytes:
        return json.dumps(self.render(views, self.lang), ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def send(self, views: list[AnnouncementView]) -> Outcome:
        message_id = "msg_" + stable_id(self.key, [v.id for v in views])
        if self._down is not None:
            return Outcome.retry(self._down.detail, ref=message_id, retry_after=self._down.retry_after)
        body = self.payload(views)
        secret = self.webhook.secret.get_secret_value() if self.webhook.secret else None

        def headers() -> dict[str, str]:
            # Signed afresh on each attempt: receivers reject old timestamps.
            base = {"Content-Type": "application/json; charset=utf-8"}
            if self.webhook.format == "json":
                base.update(signing.headers(secret, message_id, int(time.time()), body))
            return base

        result = post(self.session, self.webhook.url.get_secret_value(), body, headers=headers,
                      timeout=self.webhook.timeout_seconds, policy=self.policy, label=f"webhook {self.name}",
                      sleep=self.sleep)
        if result.ok:
            return Outcome.sent(message_id, f"HTTP {result.status} after {result.attempts} attempt(s)")
        if result.permanent:
            return Outcome.failed(result.error, ref=message_id)
        outcome = Outcome.retry(result.error, ref=message_id, retry_after=result.retry_after,
                                in_doubt=result.in_doubt)
        self._down = outcome
        return outcome
