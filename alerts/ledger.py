"""The delivery policy: how long to wait between attempts, when to give up, how far back a new channel
starts. The ledger itself (claims, outcomes) is the store's deliveries repository (newswatch/store/deliveries.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from newswatch.store.models import ChannelState, as_utc


@dataclass(frozen=True)
class LedgerPolicy:
    """How long to wait between attempts, and when to give up on a channel that keeps failing."""

    backoff_base_seconds: float = 60.0
    backoff_max_seconds: float = 6 * 3600.0
    # 20 attempts with the defaults span about three and a half days.
    max_attempts: int = 20
    # A channel seen for the first time gets the announcements of this period, no older ones.
    backfill: timedelta = timedelta(days=7)

    def backoff(self, attempts: int) -> timedelta:
        """Delay after the `attempts`-th failed attempt: base, 2 x base, 4 x base ... capped; >= 1 s."""
        seconds = self.backoff_base_seconds * (2 ** max(attempts - 1, 0))
        return timedelta(seconds=max(1.0, min(seconds, self.backoff_max_seconds)))


def first_seen(state: ChannelState, policy: LedgerPolicy) -> datetime:
    """When the channel was first seen. Its row keeps the start of its backfill window (`since`),
    which ensure_channel put `policy.backfill` before that moment."""
    return as_utc(state.since) + policy.backfill
