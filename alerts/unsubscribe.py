"""One-click unsubscribe (RFC 8058): the signed link a digest carries, and who used it.

The link is `<web.base_url>/unsubscribe/<token>`; the token names the subscriber and the address the
digest went to, signed with HMAC-SHA256 under `web.secret`, so the web view checks it without a
login, a session or the config's current subscriber list. A POST to it records an `Unsubscription`;
the delivery run skips the subscribers recorded there. The mailto: form stays beside it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from newswatch.config import Config, Subscriber
from newswatch.store.models import Unsubscription

# Binds a signature to this use: a token signed for something else under the same secret never fits.
PURPOSE = b"newswatch-unsubscribe-v1\n"
# 128 bits of HMAC-SHA256 are plenty against forgery and keep the link short.
SIGNATURE_BYTES = 16


@dataclass(frozen=True)
class Recipient:
    """Who a token speaks for: a subscriber name and the address their digests go to (lower case)."""

    subscriber: str
    email: str


def recipient_of(subscriber: Subscriber) -> Recipient:
    return Recipient(subscriber.name, str(subscriber.email).lower())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: str, payload: str) -> bytes:
    digest = hmac.new(secret.encode("utf-8"), PURPOSE + payload.encode("ascii"), hashlib.sha256).digest()
    return digest[:SIGNATURE_BYTES]


def make_token(secret: str, recipient: Recipient) -> str:
    payload = _b64(f"{recipient.subscriber}\n{recipient.email}".encode())
    return f"{payload}.{_b64(_signature(secret, payload))}"


def read_token(secret: str, token: str) -> Recipient | None:
    """The recipient a genuine token names; None for anything forged, altered or malformed."""
    payload, dot, signature = token.partition(".")
    if not dot or not payload or len(token) > 1024:
        return None
    try:
        given = _unb64(signature)
        expected = _signature(secret, payload)
        if not hmac.compare_digest(given, expected):
            return None
        name, newline, email = _unb64(payload).decode("utf-8").partition("\n")
    except (binascii.Error, ValueError, UnicodeError):
        return None
    return Recipient(name, email) if newline and name and email else None


def unsubscribe_url(config: Config, subscriber: Subscriber) -> str | None:
    """The one-click link for this subscriber's digests, or None when the web view is not configured."""
    base, secret = config.web.url(), config.web.secret
    if base is None or secret is None:
        return None
    return f"{base}/unsubscribe/{make_token(secret.get_secret_value(), recipient_of(subscriber))}"


# --- the record ------------------------------------------------------------------------------------


def record(session: Session, recipient: Recipient, *, via: str, now: datetime | None = None) -> bool:
    """Record an unsubscription and commit; False when it was already recorded (a repeated POST
    changes nothing). Give it a session of its own: a clash rolls the session back."""
    if is_unsubscribed(session, recipient):
        return False
    session.add(Unsubscription(subscriber=recipient.subscriber, email=recipient.email, via=via,
                               created_at=now or datetime.now(UTC)))
    try:
        session.commit()
    except IntegrityError:  # the same link clicked twice at once: the other request recorded it
        session.rollback()
        return False
    return True


def is_unsubscribed(session: Session, recipient: Recipient) -> bool:
    found = session.scalar(select(Unsubscription.id).where(
        Unsubscription.subscriber == recipient.subscriber, Unsubscription.email == recipient.email))
    return found is not None


def unsubscriptions(session: Session) -> list[Unsubscription]:
    return list(session.scalars(select(Unsubscription).order_by(Unsubscription.created_at, Unsubscription.id)))


def stopped_channels(session: Session, subscribers: Iterable[Subscriber]) -> set[str]:
    """Ledger keys (email:<name>) of the configured subscribers who unsubscribed."""
    recorded = {(u.subscriber, u.email) for u in unsubscriptions(session)}
    return {f"email:{s.name}" for s in subscribers
            if (recipient_of(s).subscriber, recipient_of(s).email) in recorded}


def restore(session: Session, subscriber: str) -> int:
    """Undo a subscriber's unsubscriptions (the operator's call); returns how many were removed."""
    result = cast("CursorResult[Any]", session.execute(delete(Unsubscription).where(Unsubscription.subscriber == subscriber)))
    return int(result.rowcount or 0)
