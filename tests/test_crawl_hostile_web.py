"""A hostile web and a broken database during a crawl: each case says what the operator sees, what is
stored, and that nothing is lost or stored twice.

One crawl of a site whose feed links every misbehaving page (`hostile`) serves most cases; broken
discovery files, a 5 000-item feed, SIGKILL, a locked SQLite file and dropped PostgreSQL connections
each get their own crawl. Crawls run as `python -m newswatch crawl` child processes (one reactor each).
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from alerts_support import load
from alerts_support import write_config as write_alerts_config
from crawl_support import CrawlResult, crawl, newswatch, statuses, write_config
from db_support import database, dispose_all, session_scope
from servers import faults
from servers.faults import BIG_FEED_ITEMS, HUGE_ARTICLE_WORDS, XSS_TITLE
from sqlalchemy import func, select

from alerts.deliver import deliver
from newswatch.crawling.runs import owner_gone, run_owner
from newswatch.demo.server import DemoServer, serve
from newswatch.demo.sites import NewsSite
from newswatch.store.models import (
    Announcement,
    AnnouncementSource,
    Article,
    ArticleUrl,
    CrawlRun,
    CrawlRunSource,
    FetchState,
    url_hash,
)

FLAKY = "/_faults/status/503/2025/05/19/reprise-apres-incident/?times=1"
NEVER = "/_faults/slow/2025/05/19/serveur-muet/?seconds=60"
BIG = "/_faults/big/2025/05/19/archives-completes/?mb=10"
PDF = "/_faults/pdf/2025/05/19/rapport-annuel-choose-france/"
IMAGE = "/_faults/image/2025/05/19/infographie-investissements/"
LOOP = "/_faults/redirect-loop/2025/05/19/boucle-de-redirection/"
TRUNCATED = "/_faults/truncated/2025/05/19/article-tronque/"
GZIP = "/_faults/gzip/2025/05/19/article-compresse-gzip/"
DEFLATE = "/_faults/deflate/2025/05/19/article-compresse-deflate/"
HUGE = "/_faults/huge-article/2025/05/19/cent-mille-mots/"
XSS = "/_faults/xss-title/2025/05/19/titre-piege/"
COPIES = tuple(f"/_faults/copies/{n}/2025/05/19/meme-article-trois-adresses/" for n in (1, 2, 3))
# robots.txt of every demo site forbids /prive/.
PRIVATE = "/prive/2025/05/19/note-interne-confidentielle/"
HOSTILE_LINKS = (FLAKY, NEVER, BIG, PDF, IMAGE, LOOP, TRUNCATED, GZIP, DEFLATE, HUGE, XSS, *COPIES, PRIVATE)
HOSTILE_ARTICLES = 6
TIMEOUT = 3
RUN_LINE = re.compile(r"^crawl run (\d+) (\w+) in ([\d.]+)s$", re.MULTILINE)


def folded(text: str) -> str:
    return " ".join(text.split())


def lines_with(text: str, *needles: str) -> list[str]:
    return [line for line in text.splitlines() if all(n in line for n in needles)]


def run_seconds(result: CrawlResult) -> float:
    match = RUN_LINE.search(result.stdout)
    assert match, result.stdout
    return float(match.group(3))


def count(url: str, model: Any = Article) -> int:
    with session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def stored(url: str, link: str) -> list[Article]:
    """Articles reachable through this URL (any of their recorded URLs)."""
    with session_scope(url) as session:
        ids = session.scalars(select(ArticleUrl.article_id).where(ArticleUrl.url == link)).all()
        return list(session.scalars(select(Article).where(Article.id.in_(ids))))


def only_run(url: str) -> CrawlRun:
    with session_scope(url) as session:
        return session.scalars(select(CrawlRun)).one()


@dataclass
class Hostile:
    server: DemoServer
    site: NewsSite
    base: str
    url: str
    config: Path
    result: CrawlResult


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hostile]:
    """One crawl of a small site whose feed lists every misbehaving page, with the default page size limit."""
    tmp = tmp_path_factory.mktemp("hostile")
    url = f"sqlite:///{tmp / 'newswatch.db'}"
    site = NewsSite(name="tech", n_articles=HOSTILE_ARTICLES, faults=list(HOSTILE_LINKS))
    with serve([site], faults=faults) as server:
        base = server.url_for("tech").rstrip("/")
        config = write_config(
            tmp,
            [{"name": "tech", "home": base + "/", "feeds": [base + "/feed/"]}],
            timeout_seconds=TIMEOUT,
            retries=1,
            max_page_bytes=5 * 1024 * 1024,
        )
        result = crawl(config, url)
        yield Hostile(server, site, base, url, config, result)
    dispose_all()


def test_a_503_then_200_is_retried_and_stored_once_without_a_failure_line(hostile: Hostile) -> None:
    assert statuses(hostile.server, "tech", FLAKY) == [503, 200]
    assert len(stored(hostile.url, hostile.base + FLAKY)) == 1
    assert not lines_with(hostile.result.stderr, "fetch failed", "reprise-apres-incident")
    assert only_run(hostile.url).stats["retry/reason_count/503 Service Unavailable"] == 1


def test_a_request_that_never_answers_times_out_is_logged_and_the_crawl_goes_on(hostile: Hostile) -> None:
    [line] = lines_with(hostile.result.stderr, "fetch failed: article", hostile.base + NEVER)
    assert "DownloadTimeoutError" in line and f"{TIMEOUT:.1f} seconds" in line
    assert stored(hostile.url, hostile.base + NEVER) == []
    run = only_run(hostile.url)
    assert (
        run.status == "finished"
        and run.stats["retry/reason_count/scrapy.exceptions.DownloadTimeoutError"] == 1
    )
    # Bounded by the timeout (two attempts), not by the server's 60 s.
    assert run_seconds(hostile.result) < 30
    # The feed that listed it keeps no validators, so the next run reads it in full and tries again.
    with session_scope(hostile.url) as session:
        assert session.get(FetchState, url_hash(hostile.base + "/feed/")) is None


def test_a_10_mb_page_is_skipped_with_one_line_naming_its_size(hostile: Hostile) -> None:
    [line] = lines_with(hostile.result.stderr, "skipped oversize article page", hostile.base + BIG)
    assert "10000573 bytes, max_page_bytes 5242880" in line
    assert stored(hostile.url, hostile.base + BIG) == []
    assert only_run(hostile.url).stats["fetch/too_big"] == 1


@pytest.mark.parametrize(("path", "content_type"), [(PDF, "application/pdf"), (IMAGE, "image/png")])
def test_a_pdf_or_an_image_at_an_article_url_is_skipped_not_stored(
    hostile: Hostile, path: str, content_type: str
) -> None:
    [line] = lines_with(hostile.result.stderr, "skipped non-HTML article page", hostile.base + path)
    assert content_type in line
    assert stored(hostile.url, hostile.base + path) == []
    assert only_run(hostile.url).stats["fetch/not_html"] == 2


def test_a_redirect_loop_is_counted_as_failed_and_logged_with_the_url_asked_for(hostile: Hostile) -> None:
    [line] = lines_with(hostile.result.stderr, "fetch failed: article", "redirect loop")
    assert line.split("fetch failed: article ")[1].startswith(hostile.base + LOOP + " (redirect loop after")
    assert only_run(hostile.url).stats["fetch/redirect_loop"] == 1
    # Each hop was asked once: the loop was caught on its first repeat, not left to the duplicate filter.
    hops = [h.path for h in hostile.server.hits.records() if h.path.startswith(LOOP)]
    assert len(hops) == len(set(hops)) == 3
    with session_scope(hostile.url) as session:
        assert (
            session.scalars(
                select(ArticleUrl.url).where(ArticleUrl.url.contains("boucle-de-redirection"))
            ).all()
            == []
        )


def test_truncated_html_is_stored_with_the_text_that_arrived(hostile: Hostile) -> None:
    [article] = stored(hostile.url, hostile.base + TRUNCATED)
    assert article.title and len(article.text) > 200 and article.language == "fr"
    assert not lines_with(hostile.result.stderr, "article-tronque")


@pytest.mark.parametrize("path", [GZIP, DEFLATE])
def test_gzip_and_deflate_bodies_are_decoded_and_stored(hostile: Hostile, path: str) -> None:
    [article] = stored(hostile.url, hostile.base + path)
    assert article.title and article.language == "fr" and len(article.text) > 200
    assert "\ufffd" not in article.text and not lines_with(hostile.result.stderr, path)


def test_a_100_000_word_article_is_stored_whole_in_bounded_time(hostile: Hostile) -> None:
    [article] = stored(hostile.url, hostile.base + HUGE)
    assert len(article.text.split()) >= HUGE_ARTICLE_WORDS
    assert run_seconds(hostile.result) < 30


def test_extracting_a_100_000_word_article_takes_seconds_not_minutes(hostile: Hostile) -> None:
    from pipelines.process import process_outcome

    html = urllib.request.urlopen(hostile.base + HUGE, timeout=10).read().decode("utf-8")
    started = time.monotonic()
    outcome = process_outcome(html, hostile.base + HUGE, ["fr"])
    assert outcome.status == "ok" and outcome.page is not None
    assert time.monotonic() - started < 15


def test_a_title_holding_html_and_javascript_is_stored_as_text_and_printed_as_text(hostile: Hostile) -> None:
    [article] = stored(hostile.url, hostile.base + XSS)
    assert article.title == folded(XSS_TITLE)
    table = newswatch(hostile.config, hostile.url, "articles", "--limit", "100")
    assert table.returncode == 0, table.stderr
    [row] = [line for line in table.stdout.splitlines() if line.rstrip().endswith(XSS)]
    assert folded(XSS_TITLE)[:60] + "…" in row
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", table.stdout)
    records = newswatch(hostile.config, hostile.url, "articles", "--format", "json")
    [record] = [r for r in json.loads(records.stdout) if r["url"].endswith(XSS)]
    assert record["title"] == folded(XSS_TITLE)


def test_a_title_holding_html_is_escaped_in_the_digest_email(hostile: Hostile, tmp_path: Path) -> None:
    [article] = stored(hostile.url, hostile.base + XSS)
    with session_scope(hostile.url) as session:
        announcement = Announcement(
            investor="Licornes SA",
            investor_key="licornes",
            amount_eur=1e8,
            amount_text="100 M€",
            edition=2025,
            evidence="Licornes SA investit 100 M€.",
        )
        session.add(announcement)
        session.flush()
        session.add(AnnouncementSource(announcement_id=announcement.id, article_id=article.id, evidence=""))
    config = load(write_alerts_config(tmp_path, database_url=hostile.url))
    report = deliver(config, database(hostile.url))
    assert report.total("messages") == 1 and report.ok, report.summary()
    [eml] = list((tmp_path / "data" / "outbox").glob("*.eml"))
    from email import message_from_bytes, policy

    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    html = message.get_body(("html",)).get_content()
    plain = message.get_body(("plain",)).get_content()
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;licornes&lt;/b&gt;" in html
    assert folded(XSS_TITLE) in folded(plain)


def test_the_same_article_under_three_urls_is_stored_once_with_every_url(hostile: Hostile) -> None:
    urls = [hostile.base + path for path in COPIES]
    found = {a.id for url in urls for a in stored(hostile.url, url)}
    assert len(found) == 1
    with session_scope(hostile.url) as session:
        recorded = set(session.scalars(select(ArticleUrl.url).where(ArticleUrl.article_id == found.pop())))
    assert recorded == set(urls)
    assert (
        len(
            lines_with(
                hostile.result.stderr, "already stored as article", "(same fingerprint)", "/_faults/copies/"
            )
        )
        == 2
    )


def test_robots_txt_keeps_the_crawl_out_of_a_forbidden_section_and_says_so(hostile: Hostile) -> None:
    assert [h for h in hostile.server.hits.records() if h.path.startswith("/prive/")] == []
    assert lines_with(hostile.result.stderr, "robots.txt forbids article page:", hostile.base + PRIVATE)
    assert stored(hostile.url, hostile.base + PRIVATE) == []
    assert only_run(hostile.url).stats["robotstxt/forbidden"] == 1


def test_the_hostile_crawl_summary_adds_up_and_every_good_page_is_stored_once(hostile: Hostile) -> None:
    # 6 articles + the 503 page, truncated, gzip, deflate, 100 000 words, XSS title and one of the 3 copies.
    expected_new = HOSTILE_ARTICLES + 7
    counters = hostile.result.summary()["tech"]
    assert counters.pop("pages") >= expected_new + 2
    assert counters == {
        "new": expected_new,
        "known": 2,  # two of the three copies
        "failed": 2,
        "errors": 2,  # the silent server, the redirect loop
        "skipped": 3,  # 10 MB, PDF, image
        "refused": 0,
    }
    assert count(hostile.url) == expected_new
    with session_scope(hostile.url) as session:
        titles = session.scalars(select(Article.title)).all()
        assert len(titles) == len(set(titles))
        source = session.scalars(select(CrawlRunSource)).one()
    assert (source.articles_new, source.articles_failed, source.errors) == (expected_new, 2, 2)
    assert source.last_error and hostile.base in source.last_error


# --- broken discovery files ----------------------------------------------------------------------


def test_malformed_rss_atom_and_sitemap_get_one_line_each_and_the_crawl_goes_on(
    tmp_path: Path, sqlite_url: str
) -> None:
    site = NewsSite(name="tech", n_articles=5)
    with serve([site], faults=faults) as server:
        base = server.url_for("tech").rstrip("/")
        broken = {
            "rss": base + "/_faults/bad-rss.xml",
            "atom": base + "/_faults/bad-atom.xml",
            "sitemap": base + "/_faults/bad-sitemap.xml",
        }
        config = write_config(
            tmp_path,
            [
                {
                    "name": "tech",
                    "home": base + "/",
                    "feeds": [broken["rss"], broken["atom"]],
                    "sitemaps": [broken["sitemap"]],
                    "listings": [base + "/actualites/"],
                }
            ],
        )
        result = crawl(config, sqlite_url)
    for kind, url in (("feed", broken["rss"]), ("feed", broken["atom"]), ("sitemap", broken["sitemap"])):
        [line] = lines_with(result.stderr, url)
        assert f"WARNING crawler.spiders.{kind}s: malformed {kind} XML at {url} (" in line, line
        assert "entries recovered" in line and "line " in line
    stats = only_run(sqlite_url).stats
    assert stats["feed/malformed"] == 2 and stats["sitemap/malformed"] == 1
    # The listing (and what the broken files still held) found every article, each stored once.
    assert result.summary()["tech"]["new"] == 5 and result.summary()["tech"]["failed"] == 0
    with session_scope(sqlite_url) as session:
        assert set(session.scalars(select(Article.title))) == {folded(a.title) for a in site.articles}
        # Half an entry recovered from the sitemap ("/incomplet/", "?a=1=2") is not taken for an article.
        assert not session.scalars(select(ArticleUrl.url).where(ArticleUrl.url.contains("incomplet"))).all()


# --- a 5 000-item feed ---------------------------------------------------------------------------

PEAK_RSS = """
import atexit, resource, runpy, sys
atexit.register(lambda: print(f"peak-rss-kb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr))
sys.argv = ["newswatch", *sys.argv[1:]]
runpy.run_module("newswatch", run_name="__main__")
"""


def test_a_5000_item_feed_respects_the_page_budget_in_bounded_time_and_memory(
    tmp_path: Path, sqlite_url: str
) -> None:
    budget = 25
    site = NewsSite(name="tech", n_articles=3)
    with serve([site], faults=faults) as server:
        feed = server.url_for("tech") + "_faults/feed-5000.xml"
        config = write_config(
            tmp_path, [{"name": "tech", "home": server.url_for("tech"), "feeds": [feed], "max_pages": budget}]
        )
        env = {**os.environ, "NEWSWATCH_DATABASE_URL": sqlite_url}
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-c", PEAK_RSS, "--config", str(config), "crawl", "--progress-seconds", "0"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        elapsed = time.monotonic() - started
        items = server.hits.count(site="tech", prefix="/_faults/item/")
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = CrawlResult(proc.returncode, proc.stdout, proc.stderr)
    # The feed counts against the budget: 1 feed + 24 articles.
    assert result.summary()["tech"]["pages"] == budget and result.summary()["tech"]["new"] == budget - 1
    assert items == budget - 1
    assert lines_with(proc.stderr, f"source tech reached its budget of {budget} pages")
    stats = only_run(sqlite_url).stats
    assert stats["feed/entries"] == BIG_FEED_ITEMS
    assert stats["budget/deferred"] == BIG_FEED_ITEMS - budget
    assert count(sqlite_url) == budget - 1
    assert elapsed < 30
    peak_mb = int(re.search(r"peak-rss-kb (\d+)", proc.stderr).group(1)) / 1024  # type: ignore[union-attr]
    print(f"5000-item feed: {elapsed:.1f}s, peak RSS {peak_mb:.0f} MB")
    assert peak_mb < 400, f"crawl process peaked at {peak_mb:.0f} MB"
    # Not a 304 next time: the 4 975 entries left wait for the next runs.
    with session_scope(sqlite_url) as session:
        assert session.get(FetchState, url_hash(feed)) is None


# --- the crawl process or its database in trouble ------------------------------------------------


def start_crawl(config: Path, database_url: str) -> subprocess.Popen[str]:
    env = {**os.environ, "NEWSWATCH_DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    env.pop("NEWSWATCH_CONFIG", None)
    return subprocess.Popen(
        [sys.executable, "-m", "newswatch", "--config", str(config), "crawl", "--progress-seconds", "0"],
        cwd=config.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until(condition: Callable[[], bool], timeout: float = 30, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def finish(child: subprocess.Popen[str], timeout: float = 60) -> CrawlResult:
    stdout, stderr = child.communicate(timeout=timeout)
    return CrawlResult(child.returncode, stdout, stderr)


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (children, their children...), from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        children = [p for p, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


# A crawl slow enough to act in the middle of: one connection, 0.1 s between pages.
SLOW_CRAWL = {"per_domain_concurrency": 1, "download_delay": 0.1}


def test_a_crawl_killed_with_sigkill_shows_as_interrupted_and_the_next_run_loses_and_repeats_nothing(
    tmp_path: Path, sqlite_url: str
) -> None:
    site = NewsSite(name="tech", n_articles=30)
    with serve([site], faults=faults) as server:
        home = server.url_for("tech")
        # One worker process: a killed crawl must not leave its extraction workers behind.
        config = write_config(
            tmp_path, [{"name": "tech", "home": home, "feeds": [home + "feed/"]}], **SLOW_CRAWL, workers=1
        )
        child = start_crawl(config, sqlite_url)
        try:
            wait_until(lambda: count(sqlite_url) >= 5, what="5 stored articles")
            helpers = descendants(child.pid)
        finally:
            child.kill()
            child.communicate()
        assert child.returncode == -signal.SIGKILL
        assert len(helpers) >= 2  # the forkserver and its worker, at least
        wait_until(
            lambda: all(owner_gone({**run_owner(), "pid": pid}) for pid in helpers),
            timeout=10,
            what="the killed crawl's worker processes to exit",
        )
        before = count(sqlite_url)
        assert 5 <= before < 30
        assert only_run(sqlite_url).status == "running"  # nobody was left to record the end

        # The operator sees the run did not finish, before any other crawl has looked at it.
        status = newswatch(config, sqlite_url, "status")
        assert status.returncode == 0, status.stderr
        [line] = lines_with(status.stdout, "  - tech:")
        assert "(interrupted: run 1 did not finish" in line

        server.reset_hits()
        again = crawl(config, sqlite_url)
    assert lines_with(
        again.stderr, "crawl run 1 never finished", f"process {child.pid} is gone", "marked interrupted"
    )
    assert again.summary()["tech"]["new"] == 30 - before
    with session_scope(sqlite_url) as session:
        runs = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
        assert [r.status for r in runs] == ["interrupted", "finished"]
        titles = session.scalars(select(Article.title)).all()
    assert sorted(titles) == sorted(folded(a.title) for a in site.articles)
    # Only the articles the killed run had not stored were fetched again.
    fetched = [h.path for h in server.hits.records() if h.path.startswith("/2025/")]
    assert len(fetched) == 30 - before
    after = newswatch(config, sqlite_url, "status")
    [line] = lines_with(after.stdout, "  - tech:")
    assert "(finished)" in line and f"{30 - before} new" in line


def test_a_sqlite_database_locked_mid_crawl_makes_the_crawl_wait_and_lose_nothing(
    tmp_path: Path, sqlite_url: str
) -> None:
    site = NewsSite(name="tech", n_articles=20)
    path = sqlite_url.removeprefix("sqlite:///")
    with serve([site], faults=faults) as server:
        home = server.url_for("tech")
        config = write_config(
            tmp_path, [{"name": "tech", "home": home, "feeds": [home + "feed/"]}], **SLOW_CRAWL
        )
        child = start_crawl(config, sqlite_url)
        try:
            wait_until(lambda: count(sqlite_url) >= 3, what="3 stored articles")
            # Another process (this test) holds the write lock for 2.5 s, as a backup or a long
            # `newswatch deliver` transaction would.
            locker = sqlite3.connect(path, isolation_level=None)
            locker.execute("BEGIN IMMEDIATE")
            during = [count(sqlite_url)]
            deadline = time.monotonic() + 2.5
            while time.monotonic() < deadline:
                time.sleep(0.25)
                during.append(count(sqlite_url))
            locker.execute("COMMIT")
            locker.close()
            result = finish(child)
        finally:
            if child.poll() is None:
                child.kill()
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(set(during)) == 1, f"writes went through a held lock: {during}"
    assert during[0] < 20  # the crawl really had work left while locked
    assert not lines_with(result.stderr, "store failed") and not lines_with(
        result.stderr, "database is locked"
    )
    assert result.summary()["tech"]["new"] == 20 and result.summary()["tech"]["failed"] == 0
    assert count(sqlite_url) == 20 and only_run(sqlite_url).status == "finished"


@pytest.mark.postgres
def test_postgresql_connections_dropped_mid_crawl_lose_nothing_and_store_nothing_twice(
    tmp_path: Path, postgres_server_url: str
) -> None:
    from sqlalchemy import create_engine, text

    dispose_all()
    url = postgres_server_url
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    locker_engine = create_engine(url)
    with admin.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    database(url).migrate()
    site = NewsSite(name="tech", n_articles=20)
    terminated: list[bool] = []
    try:
        with serve([site], faults=faults) as server:
            home = server.url_for("tech")
            config = write_config(
                tmp_path, [{"name": "tech", "home": home, "feeds": [home + "feed/"]}], **SLOW_CRAWL
            )
            child = start_crawl(config, url)
            try:
                wait_until(lambda: count(url) >= 3, what="3 stored articles")
                with locker_engine.connect() as locker:
                    # Hold inserts into articles so that one store is in flight when the connections go.
                    locker.execute(text("LOCK TABLE articles IN SHARE ROW EXCLUSIVE MODE"))
                    mine = locker.execute(text("SELECT pg_backend_pid()")).scalar_one()

                    def blocked() -> bool:
                        with admin.connect() as conn:
                            return bool(
                                conn.execute(
                                    text(
                                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                        "AND wait_event_type = 'Lock' AND pid <> :mine"
                                    ),
                                    {"mine": mine},
                                ).scalar_one()
                            )

                    wait_until(blocked, what="a store waiting on the lock")
                    with admin.connect() as conn:
                        # Every connection of the crawl goes, as when PostgreSQL restarts mid-run.
                        terminated.extend(
                            conn.execute(
                                text(
                                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                                    "AND pid NOT IN (pg_backend_pid(), :mine)"
                                ),
                                {"mine": mine},
                            ).scalars()
                        )
                    locker.rollback()
                first = finish(child)
            finally:
                if child.poll() is None:
                    child.kill()
            assert first.returncode == 0, first.stderr[-3000:]
            second = crawl(config, url)
        with session_scope(url) as session:
            titles = session.scalars(select(Article.title)).all()
            runs = session.scalars(select(CrawlRun.status).order_by(CrawlRun.id)).all()
    finally:
        admin.dispose()
        locker_engine.dispose()
        dispose_all()
    assert terminated and all(terminated)
    # The store in flight failed with one line naming its page; every other write went through on a
    # fresh connection (pool_pre_ping), and the run itself was recorded.
    failures = lines_with(first.stderr, "store failed:")
    assert len(failures) == 1 and "OperationalError" in failures[0], first.stderr[-3000:]
    assert first.summary()["tech"]["failed"] == 1 and first.summary()["tech"]["new"] == 19
    # The next run fetched and stored that page; nothing was stored twice.
    assert second.summary()["tech"]["new"] == 1
    assert runs == ["finished", "finished"]
    assert sorted(titles) == sorted(folded(a.title) for a in site.articles)
