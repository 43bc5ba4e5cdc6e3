"""Extraction + language filter + detection for one page, and the item pipeline that runs it.

`process_page` is pure and picklable: worker processes (pipelines/pool.py) run it while the crawl
process keeps downloading. `crawl.workers` sets the pool size; 0 runs it inline, in the crawl process.
"""

from __future__ import annotations

import logging
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from newswatch.crawling.items import ArticleItem, Markup, PageItem
from newswatch.crawling.stats import bump

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


def process_outcome(html: str | Markup, url: str, languages: list[str] | tuple[str, ...]) -> PageOutcome:
    """`process_page` with the reason a page was not kept, for the crawl's counters."""
    from pipelines.extract import extract_article

    article = extract_article(html if isinstance(html, str) else html.text(), url)
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


class ProcessPipeline:
    """Item pipeline: PageItem -> ProcessedItem (extracted, language-filtered, detected page or why not)."""

    def __init__(self, stats: Any, workers: int) -> None:
        from pipelines.pool import PagePool

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
