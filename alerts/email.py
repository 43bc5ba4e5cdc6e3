"""Digest emails: the message, and its two transports (an SMTP server, or .eml files in the outbox).

SMTP is not idempotent: a crash between the server's answer to DATA and the ledger's commit can
send a digest twice. The window is kept to one round trip and the Message-ID is derived from the
channel and announcement ids, so a resend is the same message to any system that deduplicates.
The outbox is idempotent: the file name comes from the same id and a resend overwrites the file.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import smtplib
import ssl
from datetime import UTC, datetime
from email import policy
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

from newswatch.config import SMTP, Mail, Subscriber

from .channels import Channel, Outcome, Post, stable_id
from .digest import Digest, build_digest
from .schedules import digest_due
from .view import AnnouncementView

logger = logging.getLogger(__name__)

UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
# Digests beyond this many announcements are split into several messages.
DIGEST_MAX_ANNOUNCEMENTS = 100
# Headers are written with this policy: a List-Unsubscribe URL is longer than 78 characters and has no
# space to fold at, and the default policy would turn it into an RFC 2047 encoded word that no mail
# client reads as a URL. RFC 5322's hard limit is 998; bodies keep their 76-character QP lines, which
# are encoded when the content is set, under the default policy.
HEADER_POLICY = policy.default.clone(max_line_length=998)


class EncodedSubject(str):
    """A Subject with characters beyond ASCII (every French one: the narrow no-break space before its
    colon), written as RFC 2047 encoded words of at most 75 characters, folded only between two of
    them, where readers drop the folding white space. The policy's own folding can fold between a
    plain word and an encoded word, which readers show as a double space; with no folding at all the
    one encoded word would run past RFC 2047's 75 characters."""

    name = "Subject"

    def fold(self, *, policy: policy.Policy) -> str:
        encoded = Header(str(self), "utf-8", header_name=self.name).encode(linesep=policy.linesep)
        return f"{self.name}: {encoded}{policy.linesep}"


def subject_header(subject: str) -> str:
    return subject if subject.isascii() else EncodedSubject(subject)


class Transport(Protocol):
    def send(self, message: EmailMessage, sender: str, recipient: str) -> Outcome: ...

    def close(self) -> None: ...

    def describe(self) -> str: ...


def safe_file_name(*parts: str, suffix: str = ".eml") -> str:
    """Join parts into a name made only of [A-Za-z0-9._-], with no leading dot, at most 120 chars."""
    joined = "-".join(UNSAFE_FILE_CHARS.sub("_", p).strip("._-") for p in parts if p)
    return (joined[:120].lstrip(".") or "message") + suffix


class OutboxTransport:
    """Writes each message as <outbox>/<subscriber>-<id>.eml, atomically, never outside the folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def describe(self) -> str:
        return f"outbox {self.folder}"

    def send(self, message: EmailMessage, sender: str, recipient: str) -> Outcome:
        ref = str(message["X-Newswatch-Ref"] or "")
        name = safe_file_name(str(message["X-Newswatch-Subscriber"] or "digest"), ref)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            root = self.folder.resolve()
            target = (root / name).resolve()
            if target.parent != root:
                return Outcome.failed(f"outbox: refusing to write outside {root}: {name}", ref=ref)
            temporary = target.with_name(f".{target.name}.tmp")
            temporary.write_bytes(bytes(message))
            os.replace(temporary, target)
        except OSError as exc:
            return Outcome.retry(f"outbox: cannot write {name}: {exc}", ref=ref)
        return Outcome.sent(ref, str(target))

    def close(self) -> None:
        pass


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(text.split())}"


class SmtpTransport:
    """One connection per delivery run, opened on first use; a dead server is tried once per run."""

    def __init__(self, settings: SMTP) -> None:
        self.settings = settings
        self._connection: smtplib.SMTP | None = None
        self._down: str | None = None

    def describe(self) -> str:
        return f"smtp {self.settings.host}:{self.settings.port} ({self.settings.security})"

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        connection: smtplib.SMTP
        if s.security == "ssl":
            connection = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout_seconds, context=context)
        else:
            connection = smtplib.SMTP(s.host, s.port, timeout=s.timeout_seconds)
        try:
            connection.ehlo()
            if s.security == "starttls":
                connection.starttls(context=context)
                connection.ehlo()
            if s.username:
                password = s.password.get_secret_value() if s.password else ""
                connection.login(s.username, password)
        except BaseException:
            connection.close()
            raise
        return connection

    def send(self, message: EmailMessage, sender: str, recipient: str) -> Outcome:
        ref = str(message["X-Newswatch-Ref"] or "")
        if self._down:
            return Outcome.retry(self._down, ref=ref)
        if self._connection is None:
            try:
                self._connection = self._connect()
            except smtplib.SMTPResponseException as exc:
                # Refused at greeting, STARTTLS or login: nothing was sent, try again later.
                self._down = f"{self.describe()}: {_reply(exc.smtp_code, exc.smtp_error)}"
                return Outcome.retry(self._down, ref=ref)
            except (OSError, smtplib.SMTPException) as exc:
                self._down = f"{self.describe()}: cannot connect: {type(exc).__name__}: {exc}"
                return Outcome.retry(self._down, ref=ref)
        try:
            refused = self._connection.send_message(message, from_addr=sender, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = exc.recipients.get(recipient, (451, b"recipient refused"))
            return self._classify(code, reply, ref, f"recipient {recipient} refused")
        except smtplib.SMTPSenderRefused as exc:
            # A refused sender is a configuration problem, not this recipient's: keep the rows.
            return Outcome.retry(f"sender {sender} refused: {_reply(exc.smtp_code, exc.smtp_error)}", ref=ref)
        except smtplib.SMTPResponseException as exc:
            return self._classify(exc.smtp_code, exc.smtp_error, ref, "message refused")
        except (OSError, smtplib.SMTPException) as exc:
            # The connection died mid-transaction: the server may or may not have queued it.
            self._drop()
            self._down = f"{self.describe()}: connection lost: {type(exc).__name__}: {exc}"
            return Outcome.retry(self._down, ref=ref, in_doubt=True)
        if recipient in refused:
            code, reply = refused[recipient]
            return self._classify(code, reply, ref, f"recipient {recipient} refused")
        return Outcome.sent(ref, f"accepted by {self.describe()}")

    @staticmethod
    def _classify(code: int, reply: bytes | str, ref: str, what: str) -> Outcome:
        detail = f"{what}: {_reply(code, reply)}"
        if 500 <= code < 600:
            return Outcome.failed(detail, ref=ref)
        return Outcome.retry(detail, ref=ref)

    def _drop(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._connection.quit()
            self._drop()


def make_transport(mail: Mail, outbox: Path) -> Transport:
    return SmtpTransport(mail.smtp) if mail.smtp is not None else OutboxTransport(outbox)


def message_domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "newswatch.invalid"


def build_message(
    digest: Digest,
    *,
    subscriber: Subscriber,
    mail: Mail,
    ref: str,
    now: datetime,
    announcement_ids: list[int],
    unsubscribe_url: str | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail.sender
    message["To"] = subscriber.email
    message["Subject"] = subject_header(digest.subject)
    message["Date"] = format_datetime(now.astimezone(UTC))
    message["Message-ID"] = f"<nw.{ref}@{message_domain(mail.sender)}>"
    mailto = f"<mailto:{mail.operator}?subject={quote(f'unsubscribe {subscriber.name}')}>"
    if unsubscribe_url:
        # RFC 8058: the HTTPS link first, for one-click; mailto stays for clients that only use that form.
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>, {mailto}"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    else:
        message["List-Unsubscribe"] = mailto
    message["List-Id"] = f"newswatch <newswatch.{message_domain(mail.sender)}>"
    message["Auto-Submitted"] = "auto-generated"
    message["X-Newswatch-Subscriber"] = subscriber.name
    message["X-Newswatch-Ref"] = ref
    message["X-Newswatch-Announcements"] = ",".join(str(i) for i in announcement_ids) or "none"
    # Quoted-printable keeps the message 7-bit clean for servers without 8BITMIME.
    message.set_content(digest.text, cte="quoted-printable")
    message.add_alternative(digest.html, subtype="html", cte="quoted-printable")
    message.policy = HEADER_POLICY
    return message


class EmailChannel(Channel):
    kind = "email"
    claim_size = DIGEST_MAX_ANNOUNCEMENTS
    digest = True

    def __init__(
        self, subscriber: Subscriber, mail: Mail, transport: Transport, *, unsubscribe_url: str | None = None
    ) -> None:
        super().__init__(subscriber.name, subscriber.filters, lang=subscriber.language)
        self.subscriber = subscriber
        self.send_empty = subscriber.send_empty
        self.mail = mail
        self.transport = transport
        # The signed one-click link (alerts/unsubscribe.py); None without a web view to receive it.
        self.unsubscribe_url = unsubscribe_url

    def lease_seconds(self) -> float:
        timeout = self.mail.smtp.timeout_seconds if self.mail.smtp else 10.0
        # connect, EHLO, STARTTLS, EHLO, AUTH, MAIL, RCPT, DATA: each may take up to the timeout.
        return 8 * timeout + 60.0

    def message_for(self, views: list[AnnouncementView], *, now: datetime, extra: str = "") -> EmailMessage:
        ids = [v.id for v in views]
        ref = stable_id(self.key, ids, extra=extra)
        digest = build_digest(
            views,
            self.subscriber,
            operator=str(self.mail.operator),
            now=now,
            unsubscribe_url=self.unsubscribe_url,
        )
        return build_message(
            digest,
            subscriber=self.subscriber,
            mail=self.mail,
            ref=ref,
            now=now,
            announcement_ids=ids,
            unsubscribe_url=self.unsubscribe_url,
        )

    def is_due(self, *, last_sent_at: datetime | None, first_seen: datetime, now: datetime) -> bool:
        return digest_due(self.subscriber, last_sent_at=last_sent_at, first_seen=first_seen, now=now)

    def posts(self, views: list[AnnouncementView]) -> list[Post]:
        """One digest per DIGEST_MAX_ANNOUNCEMENTS announcements; a mail has no size limit that matters here."""
        size = DIGEST_MAX_ANNOUNCEMENTS
        return [Post(tuple(views[start : start + size])) for start in range(0, len(views), size)]

    def send(self, post: Post, *, now: datetime, extra: str = "") -> Outcome:
        message = self.message_for(list(post.views), now=now, extra=extra)
        sender = parseaddr(self.mail.sender)[1] or self.mail.sender
        return self.transport.send(message, sender, self.subscriber.email)
