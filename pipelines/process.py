"""Extraction + language filter + detection for one page, and the pool that runs it off the reactor.

`process_page` is pure and picklable: worker processes run it while the crawl process keeps
downloading. `crawl.workers` sets the pool size; 0 runs it inline, in the crawl process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from newswatch.crawling.items import ArticleItem, PageItem
from newswatch.crawling.stats import bump

if TYPE_CHECKING:
    from twisted.internet.defer import Deferred

# Worker processes import this module for `process_outcome` alone: Scrapy, Twisted and trafilatura
# are imported where they are used, so a worker carries no Scrapy and the crawl process no trafilatura.

logger = logging.getLogger(__name__)

STATUS_OK = "ok"
STATUS_EMPTY = "empty"
STATUS_LANGUAGE = "language"


@dataclass(frozen=True, slots=True)
class ProcessedPage:
    """An extracted article with its detection outcome; small and picklable."""

    url: str
    title: str | None
    text: str
    author: str | None
    published: date | None
    language: str | None
    canonical_url: str | None
    fingerprint: str
    flagged: bool = False
    score: float = 0.0
    reasons: tuple[str, ...] = ()
    edition: int | None = None
    investments: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class PageOutcome:
    status: str
    page: ProcessedPage | None = None
    language: str | None = None


def process_page(html: str, url: str, languages: list[str]) -> ProcessedPage | None:
    """Extract, keep only the wanted languages (empty list: all), detect. None: not kept."""
    return process_outcome(html, url, languages).page


def process_outcome(html: str, url: str, languages: list[str] | tuple[str, ...]) -> PageOutcome:
    """`process_page` with the reason a page was not kept, for the crawl's counters."""
    from pipelines.extract import extract_article

    article = extract_article(html, url)
    if article is None:
        return PageOutcome(STATUS_EMPTY)
    # An undetected language is kept: dropping it would lose articles the filter was not meant for.
    if languages and article.language is not None and article.language not in languages:
        return PageOutcome(STATUS_LANGUAGE, language=article.language)
    page = ProcessedPage(
        url=url,
        title=article.title,
        text=article.text,
        author=article.author,
        published=article.published,
        language=article.language,
        canonical_url=article.canonical_url,
        fingerprint=article.fingerprint,
    )
    detect = _detector()
    if detect is not None:
        detection = detect(article.text, title=article.title, published=article.published)
        page = _with_detection(page, detection)
    return PageOutcome(STATUS_OK, page, article.language)


def _with_detection(page: ProcessedPage, detection: Any) -> ProcessedPage:
    return replace(
        page,
        flagged=bool(detection.flagged),
        score=float(detection.score),
        reasons=tuple(str(r) for r in detection.reasons),
        edition=detection.edition,
        investments=tuple(detection.investments),
    )


def _detector() -> Any:
    """pipelines.detect.detect, or None while that stage is not installed."""
    try:
        from pipelines.detect import detect
    except ModuleNotFoundError as exc:
        if exc.name != "pipelines.detect":
            raise
        return None
    return detect


def _warm_up(crawl_pid: int | None = None) -> None:
    """Pool initializer: import and exercise the heavy stages once per worker, not once per page."""
    import signal
    import threading

    # Ctrl-C reaches the whole process group; the crawl process shuts the pool down in order.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if crawl_pid is not None:
        threading.Thread(target=_exit_with, args=(crawl_pid,), name="crawl-watch", daemon=True).start()
    release_big_blocks()
    sample = (
        "<html><body><article><p>" + "Texte de démarrage du processus. " * 20 + "</p></article></body></html>"
    )
    process_outcome(sample, "http://127.0.0.1/warm-up", [])
    try:
        from pipelines.detect import warm_up
    except ModuleNotFoundError as exc:
        if exc.name != "pipelines.detect":
            raise
        return
    warm_up()  # the detector's tables, geography and first names, once per worker


# glibc's mallopt parameter for the size from which blocks are mmapped (malloc.h).
M_MMAP_THRESHOLD = -3
BIG_BLOCK_BYTES = 1 << 20


def release_big_blocks() -> None:
    """Have glibc mmap blocks of 1 MiB and more, so they go back to the OS when freed.

    Its default threshold rises each time such a block is freed; after a few multi-megabyte pages
    (their text, lxml tree and pickled copies) big blocks come from the heap and the process keeps
    the high-water mark of its largest pages for the rest of the crawl. Elsewhere than glibc: no-op.
    """
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, BIG_BLOCK_BYTES)
    except (OSError, AttributeError):
        pass


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

    def start(self) -> None:
        if self.workers <= 0 or self._executor is not None:
            return
        release_big_blocks()  # the crawl process holds every page on its way to a worker
        _lean_children()
        methods = multiprocessing.get_all_start_methods()
        method = self.start_method if self.start_method in methods else "spawn"
        # forkserver/spawn, never fork: the crawl process runs a reactor and threads a fork would copy.
        self._executor = ProcessPoolExecutor(
            max_workers=self.workers, mp_context=multiprocessing.get_context(method), initializer=_warm_up,
            initargs=(os.getpid(),),
        )
        # Start every worker now, while the first pages download.
        for _ in range(self.workers):
            self._executor.submit(time.sleep, 0)

    def submit(self, html: str, url: str, languages: tuple[str, ...]) -> Deferred[PageOutcome]:
        from twisted.internet.defer import fail, succeed
        from twisted.python.failure import Failure

        if self.workers <= 0:
            try:
                return succeed(process_outcome(html, url, languages))
            except Exception:
                return fail(Failure())
        self.start()
        assert self._executor is not None
        try:
            future = self._executor.submit(process_outcome, html, url, languages)
        except BrokenProcessPool:
            self.replace(self.generation)
            self.start()
            assert self._executor is not None
            future = self._executor.submit(process_outcome, html, url, languages)
        return deferred_from_future(future)

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


class ProcessPipeline:
    """Item pipeline: PageItem -> ProcessedItem (extracted, language-filtered, detected page or why not)."""

    def __init__(self, stats: Any, workers: int) -> None:
        self.stats = stats
        self.pool = PagePool(workers)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProcessPipeline:
        from scrapy.exceptions import NotConfigured

        if not crawler.settings.getbool("NEWSWATCH_PROCESS_ENABLED", True):
            raise NotConfigured("page processing disabled")
        pipeline = cls(crawler.stats, crawler.settings.getint("NEWSWATCH_WORKERS"))
        from scrapy import signals

        crawler.signals.connect(pipeline.request_scheduled, signal=signals.request_scheduled)
        return pipeline

    def request_scheduled(self, request: Any) -> None:
        # Workers start with the first article request, so they warm up while it downloads; a run
        # with nothing new (feeds and sitemaps all 304) never pays for them.
        from newswatch.crawling.meta import KIND, KIND_ARTICLE

        if request.meta.get(KIND) == KIND_ARTICLE:
            self.pool.start()

    def close_spider(self) -> None:
        self.pool.close()

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        outcome = await self._run(item)
        if isinstance(outcome, BaseException):
            bump(self.stats, "process/error", item.source, "failed")
            logger.error("process failed: %s (%s: %s)", item.url, type(outcome).__name__, outcome)
            return ProcessedItem(item, PageOutcome("error"), detail=f"{type(outcome).__name__}: {outcome}")
        if outcome.status == STATUS_EMPTY:
            bump(self.stats, "extract/empty", item.source, "skipped")
            logger.info("no article text: %s", item.url)
        elif outcome.status == STATUS_LANGUAGE:
            bump(self.stats, "extract/language_skipped", item.source, "skipped")
            logger.info("language %s not kept by source %s: %s", outcome.language, item.source, item.url)
        else:
            bump(self.stats, "extract/ok")
            if outcome.page is not None and outcome.page.flagged:
                bump(self.stats, "detect/flagged")
        return ProcessedItem(item, outcome)

    async def _run(self, item: PageItem) -> PageOutcome | BaseException:
        from scrapy.utils.defer import maybe_deferred_to_future

        for attempt in (1, 2):
            generation = self.pool.generation
            try:
                return await maybe_deferred_to_future(self.pool.submit(item.html, item.url, item.languages))
            except BrokenProcessPool as exc:
                # A worker that died takes every page in flight with it; each gets one more try.
                self.pool.replace(generation)
                if attempt == 2:
                    return exc
            except Exception as exc:  # noqa: BLE001 - one page's failure must not stop the crawl
                return exc
        raise AssertionError("unreachable")


@dataclass(slots=True)
class ProcessedItem:
    """Between the process and store pipelines: the page's identity and its processing outcome."""

    item: PageItem
    outcome: PageOutcome
    detail: str | None = None

    def result(self, status: str, article_id: int | None = None) -> ArticleItem:
        page = self.outcome.page
        return ArticleItem(
            source=self.item.source,
            url=self.item.url,
            status=status,
            title=page.title if page else None,
            language=self.outcome.language,
            article_id=article_id,
            flagged=bool(page and page.flagged),
            detail=self.detail,
        )
