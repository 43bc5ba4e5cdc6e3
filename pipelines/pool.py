"""The worker processes that run `process_outcome` beside the crawl's downloads.

The crawl process hands pages over in small batches: one page at a time while a worker is free, so
nothing waits, and a few at a time once every worker is busy, so a worker finishing a batch finds
the next one queued instead of costing a round trip through the crawl process per page. The
workers are forked by a forkserver that preloaded the heavy stages (pipelines/preload.py).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newswatch.crawling.heap import lean_crawl_heap, release_big_blocks, trim_heap
from newswatch.crawling.items import Markup
from pipelines.process import PageOutcome, process_outcome

if TYPE_CHECKING:
    from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)

PRELOAD_MODULE = "pipelines.preload"
# Pages per batch once every worker is busy: enough to spare the round trips, few enough that a
# worker dying loses little work.
MAX_BATCH = 4
# Characters of HTML per batch: a worker holds a batch's pages until it has done them all, and
# four pages of 2 MB (as some sites serve) would cost it tens of MB on top of their trees. A bigger
# page goes alone.
MAX_BATCH_CHARS = 1 << 20
# A page this big leaves the worker's heap at its high-water mark: trimmed at once, not at the end
# of its batch.
TRIM_AFTER_CHARS = 256 << 10
# Batches handed to the pool per worker: the one it runs and the one waiting for it.
BATCHES_PER_WORKER = 2
# The crawl process returns its freed heap to the system at most this often (it frees a page's
# body and text for every page, between the long-lived requests of the frontier).
TRIM_EVERY_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class Page:
    html: (
        str | Markup
    )  # a crawled page travels as its bytes (smaller to hold and to pickle), decoded by the worker
    url: str
    languages: tuple[str, ...]


def process_batch(pages: list[Page]) -> list[PageOutcome | BaseException]:
    """Worker side: each page's outcome, or the exception it raised (one bad page spoils no other).

    Empties `pages` as it goes: the list is the worker's only reference to each page's HTML, which
    is freed once its outcome is known instead of with the whole batch."""
    results: list[PageOutcome | BaseException] = []
    pages.reverse()
    while pages:
        page = pages.pop()
        try:
            results.append(process_outcome(page.html, page.url, page.languages))
        except Exception as exc:  # noqa: BLE001 - reported per page by the pipeline
            results.append(_picklable(exc))
        big = len(page.html) > TRIM_AFTER_CHARS
        del page
        if big:
            trim_heap()
    # The batch's texts and trees are freed; give the emptied heap back to the system, or the
    # worker keeps the high-water mark of its largest pages.
    trim_heap()
    return results


def take_batch(waiting: deque[tuple[Page, Any]]) -> list[tuple[Page, Any]]:
    """The next batch off the front of `waiting`: up to MAX_BATCH pages and MAX_BATCH_CHARS of
    HTML, and always at least one page however big."""
    batch = [waiting.popleft()]
    size = len(batch[0][0].html)
    while waiting and len(batch) < MAX_BATCH and size + len(waiting[0][0].html) <= MAX_BATCH_CHARS:
        batch.append(waiting.popleft())
        size += len(batch[-1][0].html)
    return batch


def _picklable(exc: Exception) -> BaseException:
    try:
        pickle.dumps(exc)
    except Exception:  # noqa: BLE001 - any failure to pickle: send its name and message instead
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _warm_up(crawl_pid: int | None = None) -> None:
    """Pool initializer: import and exercise the heavy stages once per worker, not once per page
    (nearly free when the forkserver preloaded them)."""
    import signal
    import threading

    # Ctrl-C reaches the whole process group; the crawl process shuts the pool down in order.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if crawl_pid is not None:
        threading.Thread(target=_exit_with, args=(crawl_pid,), name="crawl-watch", daemon=True).start()
    warm_up_stages()


def warm_up_stages() -> None:
    """Import the extraction and detection stages and run each once on a sample, so that their
    models, tables and compiled patterns are loaded."""
    release_big_blocks()
    sample = (
        "<html><body><article><p>" + "Texte de démarrage du processus. " * 20 + "</p></article></body></html>"
    )
    process_outcome(sample, "http://127.0.0.1/warm-up", [])
    from pipelines.extract import warm_up as warm_up_extraction

    warm_up_extraction()
    try:
        from pipelines.detect import warm_up
    except ModuleNotFoundError as exc:
        if exc.name != "pipelines.detect":
            raise
        return
    warm_up()  # the detector's tables, geography and first names


def _lean_children() -> None:
    """Keep workers from importing the whole command line (~35 MB per worker).

    A forkserver or spawn child re-runs the parent's main script unless that is a package's
    `__main__`; run as the `newswatch` console script, each worker would import the CLI and all it
    imports. Naming `newswatch.__main__` as the main module makes the children skip it (the
    `python -m newswatch` case)."""
    import importlib.machinery
    import sys

    main = sys.modules.get("__main__")
    if main is not None and getattr(main, "__spec__", None) is None and hasattr(main, "__file__"):
        main.__spec__ = importlib.machinery.ModuleSpec("newswatch.__main__", None)


def _exit_with(crawl_pid: int, every: float = 1.0) -> None:
    """A crawl process killed outright (SIGKILL, out of memory) cannot shut its pool down, and its
    workers (children of the forkserver, not of the crawl) would wait on the task queue for ever,
    each holding its memory: a worker leaves once the crawl process is gone."""
    while True:
        time.sleep(every)
        if _process_gone(crawl_pid):
            os._exit(0)


def _process_gone(pid: int) -> bool:
    """No such process, or a zombie (killed, not yet reaped by its parent, which may be waiting for
    the output pipes these workers still hold open)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rpartition(")")[2].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def deferred_from_future(future: Future[Any]) -> Deferred[Any]:
    """Fire a Deferred on the reactor thread when a concurrent.futures future completes."""
    from twisted.internet import reactor
    from twisted.internet.defer import Deferred
    from twisted.python.failure import Failure

    deferred: Deferred[Any] = Deferred()

    def fire(done: Future[Any]) -> None:
        if deferred.called:
            return
        if done.cancelled():
            # Cancelled by the shutdown of a broken pool: its pages get their retry like the rest.
            deferred.errback(Failure(BrokenProcessPool("the pool was shut down")))
            return
        exc = done.exception()
        if exc is not None:
            deferred.errback(Failure(exc))
        else:
            deferred.callback(done.result())

    future.add_done_callback(lambda done: reactor.callFromThread(fire, done))
    return deferred


class PagePool:
    """Worker processes for `process_outcome`; workers=0 runs it inline."""

    def __init__(self, workers: int, start_method: str = "forkserver") -> None:
        self.workers = workers
        self.start_method = start_method
        self._executor: ProcessPoolExecutor | None = None
        # Bumped when a broken pool is replaced, so the many pages a dead worker failed at once
        # replace it once, not once each (which would kill the fresh pool too).
        self.generation = 0
        self._waiting: deque[tuple[Page, Deferred[PageOutcome]]] = deque()
        self._in_flight = 0
        self._trimmed = time.monotonic()

    def start(self) -> None:
        if self.workers <= 0 or self._executor is not None:
            return
        lean_crawl_heap()
        _lean_children()
        methods = multiprocessing.get_all_start_methods()
        method = self.start_method if self.start_method in methods else "spawn"
        context = multiprocessing.get_context(method)
        if method == "forkserver":
            # The forkserver loads the stages once and forks each worker from that state: the
            # language model, detection tables and libraries are shared pages, not one copy each.
            context.set_forkserver_preload([PRELOAD_MODULE])
        # forkserver/spawn, never fork: the crawl process runs a reactor and threads a fork would copy.
        self._executor = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=_warm_up,
            initargs=(os.getpid(),),
        )
        # Start every worker now, while the first pages download.
        for _ in range(self.workers):
            self._executor.submit(time.sleep, 0)

    def submit(self, html: str | Markup, url: str, languages: tuple[str, ...]) -> Deferred[PageOutcome]:
        """The page's PageOutcome; errback with the page's exception, or BrokenProcessPool when a worker died."""
        from twisted.internet.defer import Deferred, fail, succeed
        from twisted.python.failure import Failure

        if self.workers <= 0:
            try:
                return succeed(process_outcome(html, url, languages))
            except Exception:
                return fail(Failure())
        deferred: Deferred[PageOutcome] = Deferred()
        self._waiting.append((Page(html, url, tuple(languages)), deferred))
        self._dispatch()
        return deferred

    def _dispatch(self) -> None:
        while self._waiting and self._in_flight < self.workers * BATCHES_PER_WORKER:
            self._send(take_batch(self._waiting))

    def _send(self, batch: list[tuple[Page, Deferred[PageOutcome]]]) -> None:
        self.start()
        assert self._executor is not None
        pages = [page for page, _ in batch]
        try:
            future = self._executor.submit(process_batch, pages)
        except BrokenProcessPool:
            self.replace(self.generation)
            self.start()
            assert self._executor is not None
            future = self._executor.submit(process_batch, pages)
        self._in_flight += 1
        deferred_from_future(future).addBoth(self._batch_done, [d for _, d in batch])

    def _batch_done(self, result: Any, deferreds: list[Deferred[PageOutcome]]) -> None:
        from twisted.python.failure import Failure

        self._in_flight -= 1
        if isinstance(result, Failure):
            outcomes: list[Any] = [result] * len(deferreds)
        else:
            outcomes = [Failure(r) if isinstance(r, BaseException) else r for r in result]
        # Refill the pool before the pages' callbacks run the store stage on this thread.
        self._dispatch()
        for deferred, outcome in zip(deferreds, outcomes, strict=True):
            if isinstance(outcome, Failure):
                deferred.errback(outcome)
            else:
                deferred.callback(outcome)
        if time.monotonic() - self._trimmed > TRIM_EVERY_SECONDS:
            self._trimmed = time.monotonic()
            trim_heap()

    def replace(self, generation: int) -> None:
        """Drop the pool of `generation` after a worker died; the next submit starts a new one."""
        if generation != self.generation or self._executor is None:
            return
        logger.warning("process pool broken (a worker died); starting a new one")
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = None
        self.generation += 1

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
