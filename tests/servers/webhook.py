"""A real HTTP receiver on 127.0.0.1 that records webhook posts and misbehaves on request.

    hook = WebhookReceiver().start()
    hook.fail(3, 500)            # the next three posts get a 500
    hook.throttle(1)             # the next post gets 429 with Retry-After: 1
    hook.hang(1)                 # the next post hangs (until released or 30 s), then 504
    hook.down(); hook.up()       # connection refused, then back on the same port
Only posts answered with a 2xx count as `accepted`.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Request:
    at: float
    path: str
    headers: dict[str, str]
    body: bytes
    status: int = 0

    @property
    def accepted(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class _Action:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False


class WebhookReceiver:
    def __init__(self) -> None:
        self.port = 0
        self.requests: list[Request] = []
        self.delay = 0.0
        # Called with each request before it is answered (e.g. to break something mid-run).
        self.on_request: Callable[[Request], None] | None = None
        self._script: deque[_Action] = deque()
        self._hang_after: int | None = None
        self.stalled = threading.Event()
        self._release = threading.Event()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/T0KEN-secret-path?key=abc123"

    @property
    def accepted(self) -> list[Request]:
        return [r for r in self.requests if r.accepted]

    # -- lifecycle
    def start(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                request = Request(
                    time.monotonic(), self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
                with receiver._lock:
                    receiver.requests.append(request)
                    action = receiver._next_action()
                if receiver.on_request is not None:
                    receiver.on_request(request)
                if action.hang:
                    receiver.stalled.set()
                    receiver._release.wait(30)
                    action = _Action(504)
                elif receiver.delay:
                    time.sleep(receiver.delay)
                request.status = action.status
                try:
                    self.send_response(action.status)
                    for name, value in action.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    request.status = -1  # the client was gone: not delivered

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def down(self) -> None:
        self.stop()

    def up(self) -> None:
        self._release.clear()
        self.start()

    # -- script
    def _next_action(self) -> _Action:
        if self._hang_after is not None:
            if self._hang_after == 0:
                self._hang_after = None
                return _Action(504, hang=True)
            self._hang_after -= 1
        return self._script.popleft() if self._script else _Action(200)

    def fail(self, count: int, status: int = 500) -> None:
        self._script.extend(_Action(status) for _ in range(count))

    def throttle(self, retry_after: str | int, status: int = 429) -> None:
        self._script.append(_Action(status, {"Retry-After": str(retry_after)}))

    def hang(self, count: int = 1) -> None:
        self._script.extend(_Action(504, hang=True) for _ in range(count))
        self._release.clear()
        self.stalled.clear()

    def hang_after(self, answered: int) -> None:
        """Answer `answered` posts normally, then hang on the next one."""
        self._hang_after = answered
        self._release.clear()
        self.stalled.clear()

    def release(self) -> None:
        self._release.set()

    def wait_for(self, accepted: int, timeout: float = 10.0) -> list[Request]:
        deadline = time.monotonic() + timeout
        while len(self.accepted) < accepted and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.accepted
