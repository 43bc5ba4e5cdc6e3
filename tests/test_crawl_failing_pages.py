"""Pages that fail (404, 500, timeout), non-HTML pages, the page budget and a broken run itself."""

from __future__ import annotations

import re
import socket
from pathlib import Path

from crawl_support import crawl, newswatch, statuses, write_config
from db_support import session_scope
from servers import faults
from sqlalchemy import func, select

from newswatch.crawling.runs import EXIT_ALL_SOURCES_FAILED
from newswatch.demo.server import serve
from newswatch.demo.sites import NewsSite
from newswatch.store.models import Article, CrawlRun, CrawlRunSource, FetchState, url_hash

NOT_FOUND = "/_faults/status/404/2025/05/19/article-supprime/"
SERVER_ERROR = "/_faults/status/500/2025/05/19/erreur-serveur/"
FLAKY = "/_faults/status/503/2025/05/19/reprise-apres-incident/?times=1"
# Far beyond the timeout, so a loaded machine cannot let it finish in time either.
SLOW = "/_faults/slow/2025/05/19/article-trop-lent/?seconds=30"
PDF = "/_faults/pdf/2025/05/19/rapport-annuel-choose-france/"
BIG = "/_faults/big/2025/05/19/archives-completes/?mb=1"
AGENT = "newswatch-test/1.0 (+https://example.org/newswatch-bot)"


def test_404_500_timeout_and_oversize_are_counted_and_the_run_goes_on(
    tmp_path: Path, sqlite_url: str
) -> None:
    site = NewsSite(name="tech", n_articles=30, faults=[NOT_FOUND, SERVER_ERROR, FLAKY, SLOW, PDF, BIG])
    with serve([site], faults=faults) as server:
        home = server.url_for("tech")
        # A 4 s timeout, not 1 s: a connection attempt whose SYN is dropped is retried by the kernel
        # after 1 s, and a busy machine (two cores, a browser test beside) can take seconds to answer an
        # ordinary page; neither must count as a timeout. 4 connections stay under the server's backlog.
        config = write_config(
            tmp_path,
            [{"name": "tech", "home": home, "feeds": [home + "feed/"]}],
            timeout_seconds=4,
            retries=1,
            max_page_bytes=500_000,
            user_agent=AGENT,
            per_domain_concurrency=4,
        )
        result = crawl(config, sqlite_url)

        counters = result.summary()["tech"]
        assert counters["failed"] == 3, result.stdout  # 404, 500 twice, timeout twice
        assert counters["skipped"] == 2  # the PDF, the 1 MB page (over max_page_bytes: skipped, not failed)
        assert counters["new"] == 31  # 30 articles + the 503 page, stored on its retry
        assert statuses(server, "tech", NOT_FOUND) == [404]  # a 404 is not retried
        assert statuses(server, "tech", SERVER_ERROR) == [500, 500]
        assert statuses(server, "tech", FLAKY) == [503, 200]
        assert "fetch failed: article" in result.stderr and "HTTP 404" in result.stderr
        assert "skipped non-HTML article page" in result.stderr and "application/pdf" in result.stderr
        assert {h.headers.get("user-agent") for h in server.hits.records()} == {AGENT}
        with session_scope(sqlite_url) as session:
            run = session.scalars(select(CrawlRun)).one()
            assert run.status == "finished"
            assert run.stats["fetch/http_404"] == 1 and run.stats["fetch/not_html"] == 1
            assert run.stats["fetch/download_error"] == 1  # the timeout after its retry
            assert run.stats["fetch/too_big"] == 1  # the 1 MB page
            # The feed led to pages that may come back (500, timeout): it keeps no validators, so
            # the next run reads it in full instead of getting a 304 and losing them.
            feed_state = session.get(FetchState, url_hash(home + "feed/"))
            assert feed_state is None
            source = session.scalars(select(CrawlRunSource)).one()
            assert source.articles_failed == 3 and source.last_error

        server.reset_hits()
        crawl(config, sqlite_url)
        assert statuses(server, "tech", "/feed/") == [200]
        assert statuses(server, "tech", SERVER_ERROR) == [500, 500]
        # A 404 is remembered: not asked again before crawl.recheck_days pass.
        assert statuses(server, "tech", NOT_FOUND) == []
        with session_scope(sqlite_url) as session:
            assert session.scalar(select(func.count()).select_from(Article)) == 31


def test_page_budget_stops_a_source_and_the_next_run_continues(tmp_path: Path, sqlite_url: str) -> None:
    site = NewsSite(name="tech", n_articles=30)
    with serve([site], faults=faults) as server:
        home = server.url_for("tech")
        config = write_config(
            tmp_path, [{"name": "tech", "home": home, "feeds": [home + "feed/"], "max_pages": 11}]
        )
        first = crawl(config, sqlite_url)
        assert first.summary()["tech"]["pages"] == 11
        assert first.summary()["tech"]["new"] == 10
        assert "reached its budget of 11 pages" in first.stderr
        # The feed's articles were not all fetched: no validators, so the next run is not a 304.
        server.reset_hits()
        second = crawl(config, sqlite_url)
        assert statuses(server, "tech", "/feed/") == [200]
        assert second.summary()["tech"]["new"] == 10
    with session_scope(sqlite_url) as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 20


def test_unreachable_database_fails_the_run_with_one_line(tmp_path: Path) -> None:
    config = write_config(tmp_path, [{"name": "tech", "home": "http://127.0.0.1:9/"}])
    result = newswatch(config, "postgresql+psycopg://postgres@127.0.0.1:9/nowhere", "crawl")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("newswatch: database error")


def test_unknown_source_is_a_config_error(tmp_path: Path, sqlite_url: str) -> None:
    config = write_config(tmp_path, [{"name": "tech", "home": "http://127.0.0.1:9/"}])
    result = newswatch(config, sqlite_url, "crawl", "--source", "nope")
    assert result.returncode == 2
    assert "unknown source 'nope'" in result.stderr


def closed_port() -> int:
    """A port nothing listens on, on 127.0.0.1 (taken from the kernel, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_crawl_where_every_source_is_unreachable_exits_3_with_one_line_per_host(
    tmp_path: Path, sqlite_url: str
) -> None:
    hosts = ["127.0.0.1:9", f"127.0.0.1:{closed_port()}"]  # port 9 (discard) is closed on 127.0.0.1 too
    config = write_config(
        tmp_path,
        [
            {"name": "gone", "home": f"http://{hosts[0]}/"},  # discovery: home page and robots.txt
            {
                "name": "down",
                "home": f"http://{hosts[1]}/",
                "feeds": [f"http://{hosts[1]}/feed/"],
                "sitemaps": [f"http://{hosts[1]}/sitemap.xml"],
                "listings": [f"http://{hosts[1]}/actualites/"],
            },
        ],
    )
    result = newswatch(config, sqlite_url, "crawl", "--progress-seconds", "0")

    assert result.returncode == EXIT_ALL_SOURCES_FAILED, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr
    for host in hosts:
        [line] = [line for line in lines if host in line]
        assert f"cannot reach {host}: connection refused" in line, line
    # Besides the two host lines: the run's first and last log lines and the exit line.
    assert len(lines) == len(hosts) + 3, result.stderr
    assert lines[-1].startswith("newswatch: crawl run 1: every source failed")
    for name, host in (("gone", hosts[0]), ("down", hosts[1])):
        assert f"  {name}: FAILED: cannot reach {host}: connection refused" in result.stdout

    status = newswatch(config, sqlite_url, "status")
    assert status.returncode == 0, status.stderr
    for name, host in (("gone", hosts[0]), ("down", hosts[1])):
        [line] = [line for line in status.stdout.splitlines() if line.startswith(f"  - {name}: ")]
        assert re.search(
            rf"\(finished; source failed: cannot reach {re.escape(host)}: connection refused "
            rf"http://{re.escape(host)}/\S*\), 0 pages, ",
            line,
        ), line

    # `run --once` (crawl in a child process, then deliver) passes the code on.
    once = newswatch(config, sqlite_url, "run", "--once")
    assert once.returncode == EXIT_ALL_SOURCES_FAILED, once.stdout + once.stderr
    assert (
        f"crawl: failed exit={EXIT_ALL_SOURCES_FAILED}" in once.stdout
        and "(every source failed)" in once.stdout
    )
    assert "Traceback" not in once.stderr


def test_a_crawl_where_one_source_fails_and_another_works_exits_0(tmp_path: Path, sqlite_url: str) -> None:
    site = NewsSite(name="tech", n_articles=5)
    with serve([site], faults=faults) as server:
        home = server.url_for("tech")
        config = write_config(
            tmp_path,
            [
                {"name": "gone", "home": "http://127.0.0.1:9/"},
                {"name": "tech", "home": home, "feeds": [home + "feed/"]},
            ],
        )
        result = crawl(config, sqlite_url)  # asserts exit code 0
    assert result.summary()["gone"]["errors"] >= 1 and result.summary()["tech"]["new"] == 5
    assert "  gone: FAILED: cannot reach 127.0.0.1:9: connection refused" in result.stdout
    assert "tech: FAILED" not in result.stdout and "Traceback" not in result.stderr
