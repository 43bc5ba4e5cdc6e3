"""One delivery run: enqueue what is new for every channel, then send what is due.

Webhooks and `immediate` subscribers are due at every run; daily, weekly and cron subscribers when
a digest time has passed since their last digest (ChannelState.last_sent_at, which records the
last digest *handled*: sent, found empty or failed for good), or, for a new subscriber, since the
channel was first seen: its first digest comes at its next scheduled time, holding the backfill
window (LedgerPolicy.backfill before first sight) and what came since. A digest still waiting for a
retry keeps its channel due, so the retry sweep finishes it without waiting for the next day.

A claim becomes one or more posts (the channel splits it within its destination's limits); they go
out one by one and each post's rows are marked as soon as its outcome is known. `options.stop`
(SIGTERM, Ctrl-C, a stopping scheduler) is checked between posts: the post in flight finishes,
every other claimed row goes back to pending at once, and the run returns.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import requests
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from newswatch.config import Config
from newswatch.store import deliveries
from newswatch.store.db import Database
from newswatch.store.deliveries import Claim
from newswatch.store.models import ChannelState, Delivery, as_utc

from . import ledger
from .channels import Channel, Outcome, Post
from .email import EmailChannel, Transport, make_transport
from .filters import matches
from .http import RetryPolicy, new_session
from .ledger import LedgerPolicy
from .unsubscribe import stopped_channels, unsubscribe_url
from .view import AnnouncementView, load_views, views_since
from .webhooks import WebhookChannel

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliveryOptions:
    ledger: LedgerPolicy = LedgerPolicy()
    http: RetryPolicy = RetryPolicy()
    # The run's "now" (UTC); tests move it forward instead of sleeping.
    now: datetime | None = None
    # Channel keys ("email:NAME", "webhook:NAME") to handle; None = all configured channels.
    only: frozenset[str] | None = None
    # Set to stop: between posts, and during in-run retry waits.
    stop: threading.Event = field(default_factory=threading.Event)


@dataclass
class ChannelReport:
    channel: str
    due: bool = True
    enqueued: int = 0
    messages: int = 0
    sent: int = 0
    retry: int = 0
    failed: int = 0
    # Claimed but given back unsent because the run was stopped.
    released: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class DeliveryReport:
    channels: list[ChannelReport] = field(default_factory=list)
    seconds: float = 0.0
    stopped: bool = False

    def total(self, name: str) -> int:
        return sum(getattr(c, name) for c in self.channels)

    @property
    def ok(self) -> bool:
        return not any(c.errors for c in self.channels)

    def summary(self) -> str:
        return (
            f"{len(self.channels)} channel(s), {self.total('enqueued')} enqueued, "
            f"{self.total('messages')} message(s) sent for {self.total('sent')} announcement(s), "
            f"{self.total('retry')} to retry, {self.total('failed')} failed, in {self.seconds:.1f}s"
            + (f"; stopped, {self.total('released')} returned to pending" if self.stopped else "")
        )


class _Clock:
    """The run's `now`, advancing with real time so leases stay honest during a long run."""

    def __init__(self, start: datetime | None) -> None:
        self.start = (start or datetime.now(UTC)).astimezone(UTC)
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._t0)


def build_channels(
    config: Config, *, transport: Transport, http_session: requests.Session, options: DeliveryOptions
) -> list[Channel]:
    channels: list[Channel] = [
        EmailChannel(s, config.mail, transport, unsubscribe_url=unsubscribe_url(config, s))
        for s in config.subscribers
    ]
    channels += [
        WebhookChannel(w, http_session, policy=options.http, stop=options.stop) for w in config.webhooks
    ]
    if options.only is not None:
        channels = [c for c in channels if c.key in options.only]
    return channels


def deliver(config: Config, database: Database, options: DeliveryOptions | None = None) -> DeliveryReport:
    """Enqueue and send for every configured channel; never raises for a delivery problem."""
    options = options or DeliveryOptions()
    clock = _Clock(options.now)
    report = DeliveryReport()
    transport = make_transport(config.mail, config.outbox_path)
    http_session = new_session()
    channels = build_channels(config, transport=transport, http_session=http_session, options=options)
    session = database.new_session()
    try:
        stopped = stopped_channels(session, config.subscribers)
        for channel in channels:
            if options.stop.is_set():
                break
            if channel.key in stopped:
                logger.info("deliver skip channel=%s: the subscriber unsubscribed", channel.key)
                continue
            channel_report = ChannelReport(channel.key)
            report.channels.append(channel_report)
            try:
                _run_channel(session, channel, clock, options, channel_report)
            except Exception as exc:  # noqa: BLE001 - one broken channel must not stop the others
                session.rollback()
                logger.error("deliver error channel=%s: %s: %s", channel.key, type(exc).__name__, exc)
                logger.debug("deliver error details", exc_info=True)
                channel_report.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        session.close()
        for channel in channels:
            channel.close()
        transport.close()
        http_session.close()
    report.seconds = (clock.now() - clock.start).total_seconds()
    report.stopped = options.stop.is_set()
    logger.info("deliver run: %s", report.summary())
    return report


def enqueue_channel(
    session: Session, channel: Channel, now: datetime, policy: LedgerPolicy
) -> tuple[int, ChannelState]:
    """Add ledger rows for new announcements that pass the channel's filters."""
    state = deliveries.ensure_channel(session, channel.key, now=now, policy=policy)
    known = deliveries.known_announcement_ids(session, channel.key)
    fresh = [
        v.id
        for v in views_since(session, as_utc(state.since), exclude_ids=known)
        if matches(v, channel.filters)
    ]
    session.commit()
    return deliveries.enqueue(session, channel.key, fresh, now=now), state


def _run_channel(
    session: Session, channel: Channel, clock: _Clock, options: DeliveryOptions, report: ChannelReport
) -> None:
    run_now = clock.start
    report.enqueued, state = enqueue_channel(session, channel, run_now, options.ledger)
    observed = as_utc(state.last_sent_at) if state.last_sent_at else None
    report.due = channel.is_due(
        last_sent_at=observed, first_seen=ledger.first_seen(state, options.ledger), now=run_now
    )
    if not report.due:
        return

    def lease_until() -> datetime:
        return clock.now() + timedelta(seconds=channel.lease_seconds())

    attempted = False
    for claim in deliveries.recover_stale(session, channel.key, now=run_now, lease_until=lease_until()):
        attempted = True
        _send_claim(session, channel, claim, clock, options, report)
    while not options.stop.is_set() and (
        due := deliveries.claim_due(
            session, channel.key, now=run_now, lease_until=lease_until(), limit=channel.claim_size
        )
    ):
        attempted = True
        _send_claim(session, channel, due, clock, options, report)
    # Rows given back by a stop are this digest's too: it is not done until they are sent.
    if channel.digest and not report.released and not deliveries.has_unfinished(session, channel.key):
        _finish_digest(session, channel, clock, observed, attempted, report, options.stop)


def _finish_digest(
    session: Session,
    channel: Channel,
    clock: _Clock,
    observed: datetime | None,
    attempted: bool,
    report: ChannelReport,
    stop: threading.Event,
) -> None:
    done_at = clock.now()
    if attempted or not channel.send_empty:
        deliveries.mark_digest_done(session, channel.key, now=done_at, observed=observed)
        return
    # An empty digest has no ledger rows: guard it with the channel state instead, and only when no
    # other process is sending or has just sent this subscriber's digest; not while stopping.
    if stop.is_set() or _recent_activity(session, channel.key, observed):
        return
    if not deliveries.mark_digest_done(session, channel.key, now=done_at, observed=observed):
        return
    outcome = channel.send(Post(()), now=done_at, extra=done_at.isoformat())
    _log_outcome(channel.key, outcome, 0, 1)
    if outcome.kind == "retry":
        # Not sent: the channel stays due and the next sweep tries again.
        deliveries.undo_digest_done(session, channel.key, done_at=done_at, previous=observed)
    elif outcome.kind == "sent":
        report.messages += 1


def _recent_activity(session: Session, channel: str, since: datetime | None) -> bool:
    condition = Delivery.state == "sending"
    if since is not None:
        condition = or_(condition, Delivery.sent_at > since)
    found = session.scalar(select(Delivery.id).where(Delivery.channel == channel, condition).limit(1))
    session.commit()
    return found is not None


def _send_claim(
    session: Session,
    channel: Channel,
    claim: Claim,
    clock: _Clock,
    options: DeliveryOptions,
    report: ChannelReport,
) -> None:
    """Send the claim's posts in order, recording each post's rows as soon as its outcome is known."""
    views = load_views(session, claim.announcement_ids)
    session.commit()
    try:
        posts = channel.posts(views)
    except Exception as exc:  # noqa: BLE001 - a bug in a formatter must not leave rows claimed
        logger.debug("deliver internal error", exc_info=True)
        posts = [Post(tuple(views))]
        failure: Outcome | None = Outcome.retry(f"internal error: {type(exc).__name__}: {exc}")
    else:
        failure = None
    unsent = list(claim.ids)
    for index, post in enumerate(posts):
        if options.stop.is_set():
            report.released += deliveries.release(session, claim, unsent, now=clock.now())
            logger.info(
                "deliver stopped channel=%s: %d announcement(s) returned to pending", channel.key, len(unsent)
            )
            return
        if index:
            # The claim's lease covered one post; each later post gets a full lease again.
            deliveries.extend_lease(
                session, claim, unsent, lease_until=clock.now() + timedelta(seconds=channel.lease_seconds())
            )
        ids = claim.subset(set(post.ids))
        outcome = failure or _attempt(channel, post, clock)
        _record(session, claim, ids, outcome, clock, options, report)
        _log_outcome(channel.key, outcome, len(ids), max((r.attempts for r in claim.rows), default=1))
        done = set(ids)
        unsent = [i for i in unsent if i not in done]


def _attempt(channel: Channel, post: Post, clock: _Clock) -> Outcome:
    try:
        return channel.send(post, now=clock.now())
    except Exception as exc:  # noqa: BLE001 - a bug in a channel must not leave rows claimed
        logger.debug("deliver internal error", exc_info=True)
        return Outcome.retry(f"internal error: {type(exc).__name__}: {exc}")


def _record(
    session: Session,
    claim: Claim,
    ids: list[int],
    outcome: Outcome,
    clock: _Clock,
    options: DeliveryOptions,
    report: ChannelReport,
) -> None:
    now = clock.now()
    if outcome.kind == "sent":
        deliveries.mark_sent(session, claim, ids, now=now, ref=outcome.ref or claim.token)
        report.messages += 1
        report.sent += len(ids)
    elif outcome.kind == "failed":
        deliveries.mark_failed(session, claim, ids, now=now, error=outcome.detail, ref=outcome.ref)
        report.failed += len(ids)
    else:
        not_before = now + timedelta(seconds=outcome.retry_after) if outcome.retry_after else None
        counts = deliveries.mark_retry(
            session,
            claim,
            ids,
            now=now,
            error=outcome.detail,
            policy=options.ledger,
            not_before=not_before,
            in_doubt=outcome.in_doubt,
        )
        report.retry += counts["pending"]
        report.failed += counts["failed"]


def _log_outcome(channel: str, outcome: Outcome, rows: int, attempt: int) -> None:
    if outcome.kind == "sent":
        logger.info(
            "deliver sent channel=%s announcements=%d attempt=%d ref=%s", channel, rows, attempt, outcome.ref
        )
    elif outcome.kind == "failed":
        logger.warning(
            "deliver failed channel=%s announcements=%d attempt=%d reason=%s",
            channel,
            rows,
            attempt,
            outcome.detail,
        )
    else:
        logger.warning(
            "deliver retry channel=%s announcements=%d attempt=%d in_doubt=%s reason=%s",
            channel,
            rows,
            attempt,
            outcome.in_doubt,
            outcome.detail,
        )


def pending_views(
    session: Session, channel: Channel, *, now: datetime, policy: LedgerPolicy | None = None
) -> list[AnnouncementView]:
    """What the channel's next message would hold, read-only: queued rows plus not yet enqueued matches."""
    policy = policy or LedgerPolicy()
    state = session.get(ChannelState, channel.key)
    since = as_utc(state.since) if state is not None else now - policy.backfill
    rows = session.execute(
        select(Delivery.announcement_id, Delivery.state).where(Delivery.channel == channel.key)
    ).all()
    queued = {a for a, s in rows if s in ("pending", "sending")}
    known = {a for a, _ in rows}
    fresh = [v for v in views_since(session, since, exclude_ids=known) if matches(v, channel.filters)]
    return sorted([*load_views(session, queued), *fresh], key=lambda v: (v.first_seen_at, v.id))


def channel_keys(config: Config) -> Iterable[str]:
    yield from (f"email:{s.name}" for s in config.subscribers)
    yield from (f"webhook:{w.name}" for w in config.webhooks)
