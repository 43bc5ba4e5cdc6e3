"""The record of requests a demo server answered, for tests to assert on."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    site: str
    method: str
    path: str  # with its query string
    status: int  # 0 when the connection was dropped without an answer
    headers: dict[str, str]  # the request headers that matter here (conditional GET, encoding, agent)


class Hits:
    """Thread-safe record of the requests a server answered.

    `hits[(site, method, path_with_query)]` counts requests; `hits.statuses(site)` counts answers by
    status; `hits.count(...)` filters; `hits.records()` lists every request in order.
    """

    KEPT_HEADERS = ("if-none-match", "if-modified-since", "accept-encoding", "user-agent")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[Hit] = []
        self._requests: Counter[tuple[str, str, str]] = Counter()
        self._statuses: Counter[tuple[str, int]] = Counter()

    def add(self, hit: Hit) -> None:
        with self._lock:
            self._records.append(hit)
            self._requests[(hit.site, hit.method, hit.path)] += 1
            self._statuses[(hit.site, hit.status)] += 1

    def __getitem__(self, key: tuple[str, str, str]) -> int:
        with self._lock:
            return self._requests[key]

    def snapshot(self) -> Counter[tuple[str, str, str]]:
        with self._lock:
            return Counter(self._requests)

    def statuses(self, site: str | None = None) -> Counter[int]:
        with self._lock:
            counts: Counter[int] = Counter()
            for (name, status), n in self._statuses.items():
                if site is None or name == site:
                    counts[status] += n
            return counts

    def records(self) -> list[Hit]:
        with self._lock:
            return list(self._records)

    def count(
        self,
        site: str | None = None,
        method: str | None = None,
        path: str | None = None,
        prefix: str | None = None,
        status: int | None = None,
    ) -> int:
        """Requests matching every given criterion (`path` exact with query, `prefix` on the path)."""
        return sum(
            1
            for h in self.records()
            if (site is None or h.site == site)
            and (method is None or h.method == method)
            and (path is None or h.path == path)
            and (prefix is None or h.path.startswith(prefix))
            and (status is None or h.status == status)
        )

    @property
    def total(self) -> int:
        with self._lock:
            return len(self._records)

    def reset(self) -> None:
        with self._lock:
            self._records.clear()
            self._requests.clear()
            self._statuses.clear()
