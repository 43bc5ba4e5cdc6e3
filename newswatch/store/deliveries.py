"""The deliveries repository (the delivery ledger): one row per (channel, announcement), claimed atomically
before anything is sent. When to retry and how far back a new channel starts are the alerts' policy,
passed in (alerts/ledger.py).

States: pending -> sending -> sent | failed, and sending -> pending on a failure known not to have
reached the other side, or when a stopping sender gives back rows it had not sent yet. A claim is
one UPDATE that moves due rows to `sending`, stamps them with a claim token (`batch_id`, naming
host, pid and process start) and a lease (`next_attempt_at`); two processes can never both claim a
row. A sending row comes back when its lease ends, or at once when the token names a process on
this host that no longer exists (crash, SIGKILL), and it is resent as the same batch: same rows,
same Message-ID or webhook-id.

Every function here commits: a claim must be visible to other processes before sending starts,
and an outcome must be durable as soon as it is known, to keep the crash window small.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, cast

import psutil
from sqlalchemy import ColumnElement, CursorResult, Update, and_, func, or_, select, update
from sqlalchemy.orm import Session

from newswatch.store.models import ChannelState, Delivery, as_utc
from newswatch.store.upsert import insert

logger = logging.getLogger(__name__)

TOKEN_SEP = "~"
ERROR_MAX_CHARS = 1000


class DeliveryPolicy(Protocol):
    """When to retry a failed row, when to give up, and how far back a channel seen first starts."""

    @property
    def max_attempts(self) -> int: ...
    @property
    def backfill(self) -> timedelta: ...
    def backoff(self, attempts: int) -> timedelta: ...


@dataclass(frozen=True)
class ClaimedRow:
    id: int
    announcement_id: int
    attempts: int


@dataclass
class Claim:
    channel: str
    token: str
    rows: list[ClaimedRow] = field(default_factory=list)
    # True when these rows were taken over from a crashed or timed-out sender (outcome unknown).
    recovered: bool = False

    @property
    def ids(self) -> list[int]:
        return [r.id for r in self.rows]

    @property
    def announcement_ids(self) -> list[int]:
        return [r.announcement_id for r in self.rows]

    def subset(self, announcement_ids: set[int]) -> list[int]:
        return [r.id for r in self.rows if r.announcement_id in announcement_ids]


# -- claim tokens ------------------------------------------------------------------------------------


def _host() -> str:
    return socket.gethostname()[:32].replace(TOKEN_SEP, "-")


def _process_start(pid: int) -> int | None:
    try:
        return int(psutil.Process(pid).create_time() * 1000)
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return None
    except psutil.Error:
        return -1


def new_token() -> str:
    """host~pid~process-start-ms~random: enough to tell later whether the claimer still runs."""
    pid = os.getpid()
    return TOKEN_SEP.join((_host(), str(pid), str(_process_start(pid) or 0), secrets.token_hex(4)))


def owner_is_gone(token: str | None) -> bool:
    """True only when the token names a process on this host that has exited (or whose pid was reused)."""
    parts = (token or "").split(TOKEN_SEP)
    if len(parts) != 4 or parts[0] != _host() or not parts[1].isdigit():
        return False
    pid, started = int(parts[1]), parts[2]
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return True
    except psutil.NoSuchProcess:
        return True
    except psutil.Error:
        return False
    current = _process_start(pid)
    return current is None or (current != -1 and str(current) != started)


# -- channels and enqueueing -------------------------------------------------------------------------


def ensure_channel(session: Session, channel: str, *, now: datetime, policy: DeliveryPolicy) -> ChannelState:
    """The channel's state row, created on first sight with `since` = now - backfill."""
    stmt = insert(session, ChannelState).values(
        channel=channel, since=now - policy.backfill, last_sent_at=None
    )
    session.execute(stmt.on_conflict_do_nothing(index_elements=["channel"]))
    session.commit()
    state = session.get(ChannelState, channel, populate_existing=True)
    assert state is not None
    return state


def enqueue(session: Session, channel: str, announcement_ids: list[int], *, now: datetime) -> int:
    """Add pending rows; a row that exists already (any state) is left alone. Returns rows inserted."""
    if not announcement_ids:
        return 0
    values = [
        {
            "channel": channel,
            "announcement_id": a,
            "state": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for a in announcement_ids
    ]
    stmt = (
        insert(session, Delivery)
        .values(values)
        .on_conflict_do_nothing(index_elements=["channel", "announcement_id"])
        .returning(Delivery.id)
    )
    # RETURNING lists only the rows inserted; rowcount is not reliable here on every driver.
    inserted = len(session.execute(stmt).all())
    session.commit()
    return inserted


def known_announcement_ids(session: Session, channel: str) -> set[int]:
    return set(session.scalars(select(Delivery.announcement_id).where(Delivery.channel == channel)))


# -- claiming ---------------------------------------------------------------------------------------


def _rows_of(session: Session, channel: str, token: str) -> list[ClaimedRow]:
    rows = session.execute(
        select(Delivery.id, Delivery.announcement_id, Delivery.attempts)
        .where(Delivery.channel == channel, Delivery.batch_id == token, Delivery.state == "sending")
        .order_by(Delivery.id)
    ).all()
    return [ClaimedRow(*row) for row in rows]


def claim_due(
    session: Session, channel: str, *, now: datetime, lease_until: datetime, limit: int
) -> Claim | None:
    """Atomically take up to `limit` pending rows due at `now`; None when there are none left."""
    due = and_(Delivery.channel == channel, Delivery.state == "pending", Delivery.next_attempt_at <= now)
    # SKIP LOCKED lets a second PostgreSQL sender take the next rows instead of queueing behind
    # the first; SQLite serialises writers anyway and ignores the clause.
    candidates = (
        select(Delivery.id).where(due).order_by(Delivery.id).limit(limit).with_for_update(skip_locked=True)
    )
    token = new_token()
    claimed = _changed(
        session,
        update(Delivery)
        .where(Delivery.id.in_(candidates.scalar_subquery()), due)
        .values(state="sending", batch_id=token, next_attempt_at=lease_until, attempts=Delivery.attempts + 1),
    )
    session.commit()
    if not claimed:
        return None
    rows = _rows_of(session, channel, token)
    session.commit()
    return Claim(channel, token, rows) if rows else None


def recover_stale(session: Session, channel: str, *, now: datetime, lease_until: datetime) -> list[Claim]:
    """Take over `sending` batches whose lease ended or whose claimer died; each stays one batch."""
    batches = session.execute(
        select(Delivery.batch_id, func.min(Delivery.next_attempt_at))
        .where(Delivery.channel == channel, Delivery.state == "sending")
        .group_by(Delivery.batch_id)
    ).all()
    session.commit()
    claims: list[Claim] = []
    for old_token, lease in batches:
        if old_token is None or not (as_utc(lease) <= now or owner_is_gone(old_token)):
            continue
        token = new_token()
        taken = _changed(
            session,
            update(Delivery)
            .where(
                Delivery.channel == channel,
                Delivery.state == "sending",
                Delivery.batch_id == old_token,
            )
            .values(batch_id=token, next_attempt_at=lease_until, attempts=Delivery.attempts + 1),
        )
        session.commit()
        if taken:
            rows = _rows_of(session, channel, token)
            session.commit()
            logger.info(
                "ledger recovered channel=%s rows=%d previous_claim=%s", channel, len(rows), old_token
            )
            claims.append(Claim(channel, token, rows, recovered=True))
    return claims


# -- outcomes ---------------------------------------------------------------------------------------


def _changed(session: Session, statement: Update) -> int:
    """Run an UPDATE and return how many rows it changed."""
    result = session.execute(statement.execution_options(synchronize_session=False))
    return cast(CursorResult[Any], result).rowcount


def _mine(claim: Claim, ids: list[int]) -> ColumnElement[bool]:
    return and_(Delivery.id.in_(ids), Delivery.batch_id == claim.token, Delivery.state == "sending")


def _check_lease(claim: Claim, ids: list[int], updated: int, outcome: str) -> None:
    if updated < len(ids):
        # Another process took these rows over after our lease ended: it may send them again.
        logger.warning(
            "ledger lease lost channel=%s outcome=%s rows=%d/%d", claim.channel, outcome, updated, len(ids)
        )


def _finish(session: Session, claim: Claim, ids: list[int], outcome: str, **values: object) -> int:
    """Set the claimed rows' final state (and `values`), if the claim still holds them."""
    if not ids:
        return 0
    updated = _changed(session, update(Delivery).where(_mine(claim, ids)).values(state=outcome, **values))
    session.commit()
    _check_lease(claim, ids, updated, outcome)
    return updated


def mark_sent(session: Session, claim: Claim, ids: list[int], *, now: datetime, ref: str) -> int:
    """Record delivery; `ref` (Message-ID or webhook-id) replaces the claim token for the audit trail."""
    return _finish(session, claim, ids, "sent", sent_at=now, last_error=None, batch_id=ref[:80])


def mark_failed(
    session: Session, claim: Claim, ids: list[int], *, now: datetime, error: str, ref: str | None = None
) -> int:
    return _finish(
        session, claim, ids, "failed", last_error=error[:ERROR_MAX_CHARS], batch_id=(ref or claim.token)[:80]
    )


def mark_retry(
    session: Session,
    claim: Claim,
    ids: list[int],
    *,
    now: datetime,
    error: str,
    policy: DeliveryPolicy,
    not_before: datetime | None = None,
    in_doubt: bool = False,
) -> dict[str, int]:
    """Schedule another attempt with backoff, or give up after `policy.max_attempts`.

    `in_doubt` is for failures after which the other side may have the message (a timeout or a
    dropped connection during DATA): the rows keep their batch, so the retry is the same message
    with the same id, which the receiver can recognise.
    """
    counts = {"pending": 0, "failed": 0}
    by_id = {r.id: r for r in claim.rows}
    # An in-doubt batch keeps one token for all its rows, but one that names no process: only its
    # lease (the backoff) brings it back, not the end of the process that sent it.
    doubt_token = TOKEN_SEP.join(("in-doubt", secrets.token_hex(8)))
    for row_id in ids:
        attempts = by_id[row_id].attempts if row_id in by_id else 1
        if attempts >= policy.max_attempts:
            counts["failed"] += _changed(
                session,
                update(Delivery)
                .where(_mine(claim, [row_id]))
                .values(
                    state="failed", last_error=f"gave up after {attempts} attempts: {error}"[:ERROR_MAX_CHARS]
                ),
            )
            continue
        next_at = now + policy.backoff(attempts)
        if not_before is not None and not_before > next_at:
            next_at = not_before
        values: dict[str, object] = {"next_attempt_at": next_at, "last_error": error[:ERROR_MAX_CHARS]}
        if in_doubt:
            values.update(
                batch_id=doubt_token,
                last_error=f"in doubt, will resend the same message: {error}"[:ERROR_MAX_CHARS],
            )
        else:
            values.update(state="pending", batch_id=None)
        counts["pending"] += _changed(
            session, update(Delivery).where(_mine(claim, [row_id])).values(**values)
        )
    session.commit()
    return counts


def extend_lease(session: Session, claim: Claim, ids: list[int], *, lease_until: datetime) -> int:
    """Keep the rows of a claim's later posts ours while the earlier ones are being sent."""
    if not ids:
        return 0
    updated = _changed(session, update(Delivery).where(_mine(claim, ids)).values(next_attempt_at=lease_until))
    session.commit()
    return updated


def release(session: Session, claim: Claim, ids: list[int], *, now: datetime) -> int:
    """Give back claimed rows that were never sent (a stop between posts): due again at once, and the
    claim's attempt not counted, since nothing was tried.

    Rows taken over from another sender (`claim.recovered`) may already have reached the other side
    in the post that sender had in flight: they go back as one batch, lease ended, so the next run
    takes them over together and resends the same post with the same id.
    """
    if not ids:
        return 0
    values: dict[str, object] = {"next_attempt_at": now, "attempts": Delivery.attempts - 1}
    if claim.recovered:
        values["batch_id"] = TOKEN_SEP.join(("in-doubt", secrets.token_hex(8)))
    else:
        values.update(state="pending", batch_id=None)
    updated = _changed(session, update(Delivery).where(_mine(claim, ids)).values(**values))
    session.commit()
    _check_lease(claim, ids, updated, "released")
    return updated


# -- channel bookkeeping ----------------------------------------------------------------------------


def has_unfinished(session: Session, channel: str) -> bool:
    """Rows that already had an attempt and await another (retry or in-doubt batch)."""
    found = session.scalar(
        select(Delivery.id)
        .where(
            Delivery.channel == channel,
            or_(Delivery.state == "sending", and_(Delivery.state == "pending", Delivery.attempts > 0)),
        )
        .limit(1)
    )
    session.commit()
    return found is not None


def mark_digest_done(session: Session, channel: str, *, now: datetime, observed: datetime | None) -> bool:
    """Move last_sent_at to `now` unless another process did it since we read `observed`."""
    same = ChannelState.last_sent_at.is_(None) if observed is None else ChannelState.last_sent_at == observed
    updated = _changed(
        session, update(ChannelState).where(ChannelState.channel == channel, same).values(last_sent_at=now)
    )
    session.commit()
    return bool(updated)


def undo_digest_done(session: Session, channel: str, *, done_at: datetime, previous: datetime | None) -> None:
    _changed(
        session,
        update(ChannelState)
        .where(ChannelState.channel == channel, ChannelState.last_sent_at == done_at)
        .values(last_sent_at=previous),
    )
    session.commit()
