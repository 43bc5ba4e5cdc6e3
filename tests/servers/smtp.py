"""A real SMTP server (aiosmtpd) on 127.0.0.1 whose answers a test can script.

smtp = ScriptedSMTP().start()
smtp.fail_next(2, "451 4.3.0 Try again later")   # DATA refused twice, then accepted
smtp.refuse("bounce@example.org")                # 550 at RCPT for this address
smtp.down(); smtp.up()                           # connection refused, then back on the same port
smtp.stall_next()                                # hang in DATA until released; never accepted
smtp.stall_after(1)                              # accept one message, then hang on the next
smtp.delay = 0.5                                 # answer each DATA after half a second
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    message: EmailMessage = field(repr=False)

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    @property
    def announcement_ids(self) -> list[int]:
        value = str(self.message["X-Newswatch-Announcements"] or "")
        return [int(x) for x in value.split(",") if x.isdigit()]

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"no text/{subtype} part"
        return body.get_content()


class _Controller(Controller):
    """aiosmtpd's Controller, able to listen on port 0 and report the port it got."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class ScriptedSMTP:
    def __init__(self, *, users: dict[str, str] | None = None) -> None:
        # With users, AUTH is required (over plain text: this is 127.0.0.1) before MAIL.
        self.users = users
        self.logins: list[str] = []
        self.port = 0
        self.received: list[Received] = []
        # Message-IDs of every DATA attempt, accepted or not.
        self.attempts: list[str] = []
        self._failures: deque[str] = deque()
        self._refused: dict[str, str] = {}
        self._stall = 0
        self._stall_after: int | None = None
        # Seconds to wait before answering DATA (a slow server, to make a delivery run long).
        self.delay = 0.0
        self.stalled = threading.Event()
        self._release = threading.Event()
        self._controller: _Controller | None = None

    # -- lifecycle
    def start(self) -> ScriptedSMTP:
        auth = (
            {"authenticator": self._authenticate, "auth_required": True, "auth_require_tls": False}
            if self.users is not None
            else {}
        )
        self._controller = _Controller(self, hostname="127.0.0.1", port=self.port, **auth)
        self._controller.start()
        self.port = self._controller.port
        return self

    def stop(self) -> None:
        self._release.set()
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def down(self) -> None:
        """Stop listening: clients get 'connection refused' until `up()`."""
        self.stop()

    def up(self) -> None:
        self._release.clear()
        self.start()

    # -- script
    def fail_next(self, count: int, reply: str = "451 4.3.0 Try again later") -> None:
        self._failures.extend([reply] * count)

    def refuse(self, address: str, reply: str = "550 5.1.1 User unknown") -> None:
        self._refused[address.lower()] = reply

    def stall_next(self) -> None:
        self._stall += 1
        self.stalled.clear()
        self._release.clear()

    def stall_after(self, accepted: int) -> None:
        self._stall_after = accepted
        self.stalled.clear()
        self._release.clear()

    def release(self) -> None:
        self._release.set()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.received)

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]

    # -- aiosmtpd handler hooks
    def _authenticate(self, server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        if isinstance(auth_data, LoginPassword):
            login, password = auth_data.login.decode(), auth_data.password.decode()
            if (self.users or {}).get(login) == password:
                self.logins.append(login)
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        reply = self._refused.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        data = envelope.original_content or envelope.content
        message = message_from_bytes(data, policy=policy.default)
        self.attempts.append(str(message["Message-ID"]))
        if self._stall_after is not None:
            if self._stall_after == 0:
                self._stall_after = None
                self._stall += 1
            else:
                self._stall_after -= 1
        if self._stall:
            self._stall -= 1
            self.stalled.set()
            await asyncio.get_running_loop().run_in_executor(None, self._release.wait, 30)
            return "451 4.3.0 Aborted by the test"
        if self.delay:
            await asyncio.sleep(self.delay)
        if self._failures:
            return self._failures.popleft()
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), data, message))  # type: ignore[arg-type]
        return "250 OK queued"
