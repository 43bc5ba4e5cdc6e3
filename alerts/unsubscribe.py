"""One-click unsubscribe (RFC 8058): the signed link a digest carries, and who used it.

The link is `<web.base_url>/unsubscribe/<token>`. The token is `<subscriber>.<address key>.<signature>`:
the subscriber's name, a keyed hash of the address the digest went to (so the link shows no address,
to the reader, the mail logs or the web server's access log), and an HMAC-SHA256 over both under
`web.secret`. The web view checks the signature without a login or a session, then finds the
subscriber of that name in the config whose current address has that key: a link sent to an address
since changed or removed stops working. A POST to it records an `Unsubscription`; the delivery run
skips the subscribers recorded there. The mailto: form stays beside it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from newswatch.config import Config, Subscriber
from newswatch.store.models import Unsubscription

# Bind each HMAC to its use: a value computed for one never passes for the other, nor for anything
# else signed under the same secret. v2: the first links carried the address itself; they are refused.
PURPOSE = b"newswatch-unsubscribe-v2\n"
ADDRESS_PURPOSE = b"newswatch-unsubscribe-address-v2\n"
# 128 bits of HMAC-SHA256 are plenty against forgery and keep the link short.
SIGNATURE_BYTES = 16
# 72 bits tell one subscriber's old and new address apart; the signature, not this, stops forgery.
ADDRESS_KEY_BYTES = 9
# The config's rule for subscriber names (newswatch/config.py); dots allowed, so the token is read
# from the right: the key and the signature are base64url, which has no dot.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MAX_TOKEN = 256


@dataclass(frozen=True)
class Recipient:
    """Who a token speaks for: a subscriber name and the address their digests go to (lower case)."""

    subscriber: str
    email: str

    @property
    def shown_email(self) -> str:
        """The address as the unsubscribe page shows it: enough to recognise, not to harvest."""
        local, _, domain = self.email.partition("@")
        return f"{local[:1]}…@{domain}"


@dataclass(frozen=True)
class Claim:
    """What a genuine token says: a subscriber name and the key of the address it was sent to."""

    subscriber: str
    address_key: str


def recipient_of(subscriber: Subscriber) -> Recipient:
    return Recipient(subscriber.name, str(subscriber.email).lower())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _hmac(secret: str, purpose: bytes, text: str) -> bytes:
    return hmac.new(secret.encode("utf-8"), purpose + text.encode("utf-8"), hashlib.sha256).digest()


def address_key(secret: str, email: str) -> str:
    """A keyed hash of the address: without the secret, no dictionary of addresses finds it."""
    return _b64(_hmac(secret, ADDRESS_PURPOSE, email.lower())[:ADDRESS_KEY_BYTES])


def make_token(secret: str, recipient: Recipient) -> str:
    payload = f"{recipient.subscriber}.{address_key(secret, recipient.email)}"
    return f"{payload}.{_b64(_hmac(secret, PURPOSE, payload)[:SIGNATURE_BYTES])}"


def read_token(secret: str, token: str) -> Claim | None:
    """What a genuine token claims; None for anything forged, altered, malformed or of the old form."""
    if len(token) > MAX_TOKEN:
        return None
    payload, dot, signature = token.rpartition(".")
    name, dot_key, key = payload.rpartition(".")
    if not (dot and dot_key and NAME.match(name) and key):
        return None
    try:
        given = _unb64(signature)
    except (binascii.Error, ValueError):
        return None
    expected = _hmac(secret, PURPOSE, payload)[:SIGNATURE_BYTES]
    return Claim(name, key) if hmac.compare_digest(given, expected) else None


def resolve(secret: str, token: str, subscribers: Iterable[Subscriber]) -> Recipient | None:
    """The configured subscriber a genuine token was sent to, at the address they have now; None when
    the token is not genuine, or names a subscriber or an address no longer configured."""
    claim = read_token(secret, token)
    if claim is None:
        return None
    for subscriber in subscribers:
        recipient = recipient_of(subscriber)
        if recipient.subscriber == claim.subscriber and hmac.compare_digest(
            address_key(secret, recipient.email), claim.address_key
        ):
            return recipient
    return None


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
    session.add(
        Unsubscription(
            subscriber=recipient.subscriber,
            email=recipient.email,
            via=via,
            created_at=now or datetime.now(UTC),
        )
    )
    try:
        session.commit()
    except IntegrityError:  # the same link clicked twice at once: the other request recorded it
        session.rollback()
        return False
    return True


def is_unsubscribed(session: Session, recipient: Recipient) -> bool:
    found = session.scalar(
        select(Unsubscription.id).where(
            Unsubscription.subscriber == recipient.subscriber, Unsubscription.email == recipient.email
        )
    )
    return found is not None


def unsubscriptions(session: Session) -> list[Unsubscription]:
    return list(
        session.scalars(select(Unsubscription).order_by(Unsubscription.created_at, Unsubscription.id))
    )


def stopped_channels(session: Session, subscribers: Iterable[Subscriber]) -> set[str]:
    """Ledger keys (email:<name>) of the configured subscribers who unsubscribed."""
    recorded = {(u.subscriber, u.email) for u in unsubscriptions(session)}
    return {
        f"email:{s.name}"
        for s in subscribers
        if (recipient_of(s).subscriber, recipient_of(s).email) in recorded
    }


def restore(session: Session, subscriber: str) -> int:
    """Undo a subscriber's unsubscriptions (the operator's call); returns how many were removed."""
    result = cast(
        "CursorResult[Any]",
        session.execute(delete(Unsubscription).where(Unsubscription.subscriber == subscriber)),
    )
    return int(result.rowcount or 0)
