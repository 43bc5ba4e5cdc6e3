"""Standard Webhooks signatures (https://www.standardwebhooks.com): what a `json` receiver verifies.

    webhook-id:        msg_<stable id>          (the same on every retry: receivers deduplicate on it)
    webhook-timestamp: <unix seconds>
    webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>

The secret is written the spec's way, `whsec_` and the base64 of the key (newswatch/config.py
refuses any other form when the config is loaded); the key is the decoded bytes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

SECRET_PREFIX = "whsec_"


def secret_key(secret: str) -> bytes:
    """The key of a `whsec_<base64>` secret (padding optional); ValueError for anything else."""
    if not secret.startswith(SECRET_PREFIX):
        raise ValueError(f"a Standard Webhooks secret starts with {SECRET_PREFIX}")
    body = secret[len(SECRET_PREFIX) :]
    return base64.b64decode(body + "=" * (-len(body) % 4), validate=True)


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def headers(secret: str | None, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    out = {"webhook-id": message_id, "webhook-timestamp": str(timestamp)}
    if secret:
        out["webhook-signature"] = sign(secret, message_id, timestamp, body)
    return out
