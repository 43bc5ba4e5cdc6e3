"""The decisions behind a cheap recrawl, without a crawl: when a known page is due again, which answers
are remembered, feed entry dates, robots.txt downloaded once per host, and the one database the crawl's
components share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from db_support import database, session_scope
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler
from sqlalchemy import select

from crawler.known import KnownPageMiddleware, due_again, lasting_error, parse_lastmod
from crawler.middlewares import ConditionalGetMiddleware, RobotsTxtOnceMiddleware
from crawler.spiders.feeds import feed_entry_dates
from newswatch.crawling.database import share_database
from newswatch.crawling.meta import KIND, KIND_ARTICLE, RECHECK, SKIPPED, SOURCE
from newswatch.store.known_pages import KnownRow, load_known_pages
from newswatch.store.models import KnownPage
from newswatch.store.urls import key_hash
from pipelines.store import StorePipeline

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
WEEK = timedelta(days=7)


def stats() -> Any:
    return get_crawler().stats


def row(fetched: datetime, etag: str | None = '"v1"') -> KnownRow:
    return KnownRow("no_text", 200, None, etag, None, fetched)


@pytest.mark.parametrize(
    ("lastmod", "fetched", "expected"),
    [
        (None, NOW - timedelta(days=1), None),
        (NOW - timedelta(days=2), NOW - timedelta(days=1), None),
        (NOW - timedelta(hours=1), NOW - timedelta(days=1), "lastmod"),
        (None, NOW - timedelta(days=8), "age"),
        # SQLite gives timestamps back without a zone: they were written in UTC.
        (NOW - timedelta(hours=1), (NOW - timedelta(days=1)).replace(tzinfo=None), "lastmod"),
    ],
)
def test_known_page_is_due_when_dated_after_its_fetch_or_past_the_age(
    lastmod: datetime | None, fetched: datetime, expected: str | None
) -> None:
    assert due_again(row(fetched), lastmod, NOW, WEEK) == expected


@pytest.mark.parametrize(
    ("kept", "expected"), [((), "language"), (("fr", "en"), "language"), (("fr",), None)]
)
def test_page_in_another_language_is_due_once_its_source_keeps_that_language(
    kept: tuple[str, ...], expected: str | None
) -> None:
    known = KnownRow("other_language", 200, "en", None, None, NOW - timedelta(days=1))
    assert due_again(known, None, NOW, WEEK, kept) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-09", datetime(2026, 3, 9, tzinfo=UTC)),
        ("2026-03-09T10:30:00Z", datetime(2026, 3, 9, 10, 30, tzinfo=UTC)),
        ("2026-03-09T11:30:00+01:00", datetime(2026, 3, 9, 10, 30, tzinfo=UTC)),
        ("Mon, 09 Mar 2026 10:30:00 GMT", datetime(2026, 3, 9, 10, 30, tzinfo=UTC)),
        ("hier", None),
        ("", None),
        (None, None),
    ],
)
def test_sitemap_and_feed_dates_are_read_in_utc(text: str | None, expected: datetime | None) -> None:
    assert parse_lastmod(text) == expected


@pytest.mark.parametrize(
    ("status", "remembered"),
    [
        (404, True),
        (410, True),
        (400, True),
        (403, False),
        (401, False),
        (429, False),
        (503, False),
        (200, False),
    ],
)
def test_only_lasting_client_errors_are_remembered(status: int, remembered: bool) -> None:
    assert lasting_error(status) is remembered


def test_feed_entries_give_their_dates() -> None:
    rss = (
        b'<rss version="2.0"><channel><item><link>/a/</link><pubDate>Mon, 09 Mar 2026 10:30:00 GMT</pubDate>'
        b"</item><item><link>/b/</link></item></channel></rss>"
    )
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="https://x.fr/c/"/>'
        b"<updated>2026-03-09T10:30:00Z</updated></entry></feed>"
    )
    assert feed_entry_dates(rss, "https://x.fr/feed/") == {"https://x.fr/a/": "Mon, 09 Mar 2026 10:30:00 GMT"}
    assert feed_entry_dates(atom, "https://x.fr/atom.xml") == {"https://x.fr/c/": "2026-03-09T10:30:00Z"}
    assert feed_entry_dates(b"not xml", "https://x.fr/") == {}


def test_robots_txt_is_downloaded_once_per_host() -> None:
    middleware = RobotsTxtOnceMiddleware(stats())
    first = Request("https://x.fr/robots.txt")
    assert middleware.process_request(first) is None
    answer = Response("https://x.fr/robots.txt", body=b"Sitemap: https://x.fr/s.xml\n", request=first)
    assert middleware.process_response(first, answer) is answer

    again = Request("https://x.fr/robots.txt", meta={SOURCE: "x"})
    copy = middleware.process_request(again)
    assert copy is not None and copy.body == answer.body and copy.request is None
    assert middleware.process_request(Request("https://y.fr/robots.txt")) is None
    assert middleware.process_request(Request("https://x.fr/page/")) is None
    # A server error may pass within the run: not kept.
    failing = Request("https://y.fr/robots.txt")
    middleware.process_response(failing, Response(failing.url, status=503))
    assert middleware.process_request(Request("https://y.fr/robots.txt")) is None


def article(url: str, **meta: object) -> Request:
    return Request(url, meta={SOURCE: "x", KIND: KIND_ARTICLE, **meta})


def test_pages_that_are_no_article_are_remembered_with_their_validators(sqlite_url: str) -> None:
    middleware = KnownPageMiddleware(database(sqlite_url), stats())
    gone = article("https://x.fr/gone/")
    middleware.process_response(gone, Response(gone.url, status=404))
    pdf = article("https://x.fr/r.pdf")
    middleware.process_response(pdf, Response(pdf.url, headers={"ETag": '"p1"'}, body=b"%PDF"))
    big = article("https://x.fr/big/")
    middleware.process_exception(
        big,
        DownloadCancelledError(
            "Cancelling download of https://x.fr/big/: received response size (9000000) larger than download max size "
            "(5242880)... 9000000 bytes which is larger than download max size (5242880)"
        ),
    )
    page = article("https://x.fr/fine/")
    html = HtmlResponse(page.url, body=b"<html><body>ok</body></html>", headers={"Content-Type": "text/html"})
    assert middleware.process_response(page, html) is html
    middleware.spider_closed()

    with session_scope(sqlite_url) as session:
        rows = {r.url: (r.outcome, r.http_status, r.etag) for r in session.scalars(select(KnownPage))}
    assert rows == {
        "https://x.fr/gone/": ("http_error", 404, None),
        "https://x.fr/r.pdf": ("not_html", 200, '"p1"'),
        "https://x.fr/big/": ("too_large", None, None),
    }


def test_a_304_to_a_recheck_keeps_the_page_known_and_fetches_nothing(sqlite_url: str) -> None:
    counters = stats()
    middleware = KnownPageMiddleware(database(sqlite_url), counters)
    before = KnownRow("no_text", 200, None, '"v1"', None, NOW - timedelta(days=8))
    request = article("https://x.fr/about/", **{RECHECK: before})
    with pytest.raises(IgnoreRequest):
        middleware.process_response(request, Response(request.url, status=304))
    assert request.meta[SKIPPED] == "not_modified"
    middleware.spider_closed()

    with session_scope(sqlite_url) as session:
        known = load_known_pages(session, [key_hash(request.url) or ""])
    (after,) = known.values()
    assert (after.outcome, after.etag) == ("no_text", '"v1"')
    assert after.fetched_at.replace(tzinfo=UTC) > datetime.now(UTC) - timedelta(hours=1)
    assert counters.get_value("known/not_modified") == 1


def test_a_crawls_components_share_one_database_and_take_the_one_the_runner_hands_them(
    sqlite_url: str,
) -> None:
    settings = {"NEWSWATCH_DATABASE_URL": sqlite_url, "NEWSWATCH_SOURCES": []}
    alone = get_crawler(settings_dict=settings)
    built = [KnownPageMiddleware.from_crawler(alone), ConditionalGetMiddleware.from_crawler(alone)]
    shared = StorePipeline.from_crawler(alone).database
    try:
        assert all(component.database is shared for component in built)
        assert shared is not database(sqlite_url) and shared.url == sqlite_url
    finally:
        shared.dispose()
    handed = get_crawler(settings_dict=settings)
    share_database(handed, database(sqlite_url))
    assert KnownPageMiddleware.from_crawler(handed).database is database(sqlite_url)
    assert StorePipeline.from_crawler(handed).database is database(sqlite_url)
