"""The contract every delivery channel implements: email digests and each webhook format.

A channel says which announcements it accepts (`filters`), when it is due (`is_due`, its cadence),
turns a batch of claimed announcements into posts (`posts`), each within the limits of its
destination and carrying the ids of the announcements it holds, and sends one post at a time
(`send`), reporting an `Outcome`. The delivery run (alerts/deliver.py) owns the ledger: it marks a
post's announcements sent only once that post was accepted. Channels never touch the database.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from newswatch.config import Filters

from .view import AnnouncementView

OutcomeKind = Literal["sent", "retry", "failed"]


@dataclass(frozen=True)
class Outcome:
    kind: OutcomeKind
    # Message-ID or webhook-id of what was (or would have been) sent.
    ref: str | None = None
    detail: str = ""
    # Seconds the other side asked us to wait (429 Retry-After).
    retry_after: float | None = None
    # The other side may have received it (timeout after sending): retry the same message.
    in_doubt: bool = False

    @classmethod
    def sent(cls, ref: str | None = None, detail: str = "") -> Outcome:
        return cls("sent", ref, detail)

    @classmethod
    def retry(
        cls, detail: str, *, ref: str | None = None, retry_after: float | None = None, in_doubt: bool = False
    ) -> Outcome:
        return cls("retry", ref, detail, retry_after, in_doubt)

    @classmethod
    def failed(cls, detail: str, *, ref: str | None = None) -> Outcome:
        return cls("failed", ref, detail)


@dataclass(frozen=True)
class Post:
    """One message: the announcements it carries (possibly cut to fit) and, for chats, its payload."""

    views: tuple[AnnouncementView, ...]
    payload: Any = None

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(v.id for v in self.views)


def stable_id(channel: str, announcement_ids: list[int] | tuple[int, ...], *, extra: str = "") -> str:
    """Same channel and same announcements give the same id, in this run or after a restart."""
    key = f"{channel}|{','.join(str(i) for i in sorted(announcement_ids))}|{extra}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


class Channel(ABC):
    """One destination in the ledger, keyed `email:<subscriber>` or `webhook:<name>`."""

    kind: str = "channel"
    # Announcements claimed from the ledger together; `posts` makes one or more messages of them.
    claim_size: int = 100
    # A digest channel sends on its own cadence and records each digest it handled (sent, empty or
    # failed for good) in the channel state; other channels send whatever is due at every run.
    digest: bool = False
    # Digest channels only: send a digest even when nothing new matched.
    send_empty: bool = False

    def __init__(self, name: str, filters: Filters, *, lang: str = "fr") -> None:
        self.name = name
        self.filters = filters
        self.lang = lang

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.name}"

    @abstractmethod
    def posts(self, views: list[AnnouncementView]) -> list[Post]:
        """The messages carrying these announcements, in order: each one in exactly one post."""

    def is_due(self, *, last_sent_at: datetime | None, first_seen: datetime, now: datetime) -> bool:
        """Whether this run sends: the channel's cadence, given its last digest and its first sight."""
        return True

    @abstractmethod
    def send(self, post: Post, *, now: datetime, extra: str = "") -> Outcome:
        """Deliver one post (never raises for delivery problems). `extra` makes a message's id differ
        from another of the same announcements (an empty digest carries its time)."""

    def lease_seconds(self) -> float:
        """Upper bound on how long one `send` may take; a claim outlives it by this much."""
        return 300.0

    def close(self) -> None:  # noqa: B027 - optional hook; most channels hold nothing
        """Release connections at the end of a run."""
