"""Standard Webhooks signatures (https://www.standardwebhooks.com): what a `json` receiver verifies.

    webhook-id:        msg_<stable id>          (the same on every retry: receivers deduplicate on it)
    webhook-timestamp: <unix seconds>
    webhook-signature: v1,<base64 HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>

The secret may be given as `whsec_<base64>` (the spec's form: the key is the decoded bytes) or as
plain text (the key is its UTF-8 bytes).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

SECRET_PREFIX = "whsec_"


def secret_key(secret: str) -> bytes:
    if secret.startswith(SECRET_PREFIX):
        try:
            return base64.b64decode(secret[len(SECRET_PREFIX):], validate=True)
        except (binascii.Error, ValueError):
            pass  # not valid base64 after all: use the text as given
    return secret.encode("utf-8")


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def headers(secret: str | None, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    out = {"webhook-id": message_id, "webhook-timestamp": str(timestamp)}
    if secret:
        out["webhook-signature"] = sign(secret, message_id, timestamp, body)
    return out
