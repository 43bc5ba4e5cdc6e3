"""The one place that posts over HTTP: timeouts on every call, backoff on 5xx and timeouts, 429 honoured.

Webhook URLs often carry a token (Slack, Discord), so no URL is ever put in a log line or an
error message: errors name the webhook, the status and the exception type only.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests

logger = logging.getLogger(__name__)

USER_AGENT = "newswatch-alerts/0.1"
RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
# A URL's path and query in a log line: "http://host:port/path?q" and a bare request line's "POST /path?q".
URL_PATH = re.compile(r"""(https?://[^/\s"']+)/[^\s"']*""")
REQUEST_PATH = re.compile(r"""(^|[\s"'])/[^\s"']+""")
URLLIB3_LOGGERS = ("urllib3.connectionpool", "urllib3.poolmanager", "urllib3.util.retry")


class _HideUrlPaths(logging.Filter):
    """urllib3 logs each request at DEBUG (`"POST /services/T000/B000/XXXX HTTP/1.1" 200`): with -vv that
    line would print a webhook's token. Only alerts post with requests/urllib3, so every path goes."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = URL_PATH.sub(r"\1/***", record.getMessage())
        record.msg, record.args = REQUEST_PATH.sub(r"\1/***", message), ()
        return True


for _name in URLLIB3_LOGGERS:
    logging.getLogger(_name).addFilter(_HideUrlPaths())


@dataclass(frozen=True)
class RetryPolicy:
    """In-run retries of one post; what is still failing afterwards goes back to the ledger."""

    attempts: int = 4
    backoff_base_seconds: float = 1.0
    backoff_max_seconds: float = 30.0
    # A Retry-After up to this long is waited for in the run; a longer one is left to the ledger.
    max_retry_after_seconds: float = 60.0
    connect_timeout_seconds: float = 5.0

    def backoff(self, attempt: int) -> float:
        return float(min(self.backoff_base_seconds * (2 ** (attempt - 1)), self.backoff_max_seconds))

    def worst_case_seconds(self, read_timeout: float) -> float:
        """How long `post` can take at most: every attempt timing out, every wait at its longest."""
        waits = sum(max(self.backoff(a), self.max_retry_after_seconds) for a in range(1, self.attempts))
        return self.attempts * (self.connect_timeout_seconds + read_timeout) + waits


@dataclass(frozen=True)
class PostResult:
    ok: bool
    status: int | None = None
    error: str = ""
    # Permanent: retrying cannot help (4xx other than 408/425/429).
    permanent: bool = False
    # Seconds the server asked us to wait before the next attempt.
    retry_after: float | None = None
    # The server may have processed the request (it timed out while we waited for the answer).
    in_doubt: bool = False
    attempts: int = 0


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def redact(text: str, url: str) -> str:
    """Remove the URL, and its path and query on their own, from an error message."""
    parts = urlsplit(url)
    secrets = [url, parts.path + (f"?{parts.query}" if parts.query else ""), parts.query]
    for secret in sorted((s for s in secrets if s and s != "/"), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def new_session() -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    return session


def post(
    session: requests.Session,
    url: str,
    body: bytes,
    *,
    headers: Callable[[], dict[str, str]],
    timeout: float,
    policy: RetryPolicy,
    label: str,
    stop: threading.Event | None = None,
) -> PostResult:
    """POST `body` until a 2xx, a permanent error or the end of `policy`; `headers()` is called per attempt.

    Backoff and Retry-After waits end as soon as `stop` is set (a service stopping): the request is
    not tried again and its last failure is returned, for the ledger to retry later.
    """
    wait_for = stop.wait if stop is not None else _sleep
    last = PostResult(False, error="not attempted")
    for attempt in range(1, policy.attempts + 1):
        try:
            response = session.post(
                url,
                data=body,
                headers=headers(),
                allow_redirects=False,
                timeout=(policy.connect_timeout_seconds, timeout),
            )
        except requests.Timeout as exc:
            # A read timeout means the request went out: the receiver may have processed it.
            in_doubt = not isinstance(exc, requests.ConnectTimeout)
            last = PostResult(
                False, error=f"{label}: timeout ({type(exc).__name__})", in_doubt=in_doubt, attempts=attempt
            )
        except requests.RequestException as exc:
            last = PostResult(
                False, error=f"{label}: {type(exc).__name__}: {redact(str(exc), url)}"[:300], attempts=attempt
            )
        else:
            status = response.status_code
            reply = redact(response.text[:200].strip(), url) if not response.ok else ""
            response.close()
            if 200 <= status < 300:
                return PostResult(True, status, attempts=attempt)
            retry_after = (
                parse_retry_after(response.headers.get("Retry-After")) if status in (429, 503) else None
            )
            error = f"{label}: HTTP {status}" + (f" {reply}" if reply else "")
            if status not in RETRYABLE_STATUS and not 500 <= status < 600:
                return PostResult(False, status, error, permanent=True, attempts=attempt)
            last = PostResult(False, status, error, retry_after=retry_after, attempts=attempt)
            if retry_after is not None and retry_after > policy.max_retry_after_seconds:
                logger.info(
                    "webhook throttled %s: Retry-After %.0fs left to the next run", label, retry_after
                )
                return last
        if attempt == policy.attempts:
            break
        wait = last.retry_after if last.retry_after is not None else policy.backoff(attempt)
        logger.info("webhook retry %s attempt=%d wait=%.2fs reason=%s", label, attempt, wait, last.error)
        if wait_for(wait):
            logger.info("webhook retry %s abandoned: stopping", label)
            break
    return last


def _sleep(seconds: float) -> bool:
    time.sleep(seconds)
    return False
