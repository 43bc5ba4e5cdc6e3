"""Prompt, clean stops: SIGTERM or Ctrl-C sets an Event that deliveries and the scheduler watch.

The first signal asks politely (the message in flight finishes, claimed rows go back to pending);
a second one of either kind exits at once, leaving its claims for the next run to take over.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType, TracebackType

logger = logging.getLogger(__name__)

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class StopOnSignals:
    """Within `with`, SIGTERM and SIGINT set `event`; `received` is the first signal, if any."""

    def __init__(self, event: threading.Event, who: str) -> None:
        self.event = event
        self.who = who
        self.received: signal.Signals | None = None
        self._previous: dict[int, object] = {}

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum)
        if self.received is not None:
            logger.warning("%s received %s again: exiting now", self.who, name.name)
            raise SystemExit(128 + signum)
        self.received = name
        logger.info("%s received %s: stopping", self.who, name.name)
        self.event.set()

    def __enter__(self) -> StopOnSignals:
        self._previous = {s: signal.signal(s, self._handle) for s in SIGNALS}
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]

    @property
    def exit_code(self) -> int | None:
        """128 + the signal's number, the shell's convention for a command ended by a signal."""
        return 128 + self.received.value if self.received is not None else None
