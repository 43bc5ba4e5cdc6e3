"""Several `newswatch crawl` workers share one Redis frontier and one PostgreSQL database: every
article is fetched once and stored once between them, and a worker killed mid-crawl loses nothing."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from crawl_support import ARTICLE_PATH, write_config
from db_support import dispose_all, session_scope
from sqlalchemy import create_engine, func, select, text

from newswatch.demo.server import serve
from newswatch.demo.sites import NewsSite
from newswatch.store.models import Article, ArticleUrl

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.slow]

N_ARTICLES = 300
LEASE_SECONDS = 3
WORKER_TIMEOUT = 50
CONCURRENCY = 8
REQUEUED_LINE = re.compile(r"redis: (\d+) request\(s\) of a stopped worker put back in the shared queue")


@pytest.fixture
def prefix(redis_url: str) -> Iterator[str]:
    """A Redis key prefix private to one test; every key under it is deleted afterwards."""
    value = f"newswatch-test:{uuid.uuid4().hex[:10]}"
    yield value
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{value}:*"):
        client.delete(key)
    client.close()


@dataclass
class Worker:
    proc: subprocess.Popen[str]
    log: Path

    def wait(self) -> tuple[int, str, str]:
        try:
            out, _ = self.proc.communicate(timeout=WORKER_TIMEOUT)
        finally:
            self.stop()
        return self.proc.returncode, out, self.log.read_text(encoding="utf-8", errors="replace")

    def crash(self) -> None:
        """SIGKILL the crawl process alone, as a machine or OOM kill would."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def group_alive(self) -> bool:
        try:
            os.killpg(self.proc.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def stop(self) -> None:
        """Kill what is left of the worker's process group (its extraction processes included)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)


class Workers:
    def __init__(self, config: Path, database_url: str, prefix: str) -> None:
        self.config, self.database_url, self.prefix = config, database_url, prefix
        self.started: list[Worker] = []

    def start(self, name: str) -> Worker:
        env = {
            **os.environ,
            "NEWSWATCH_DATABASE_URL": self.database_url,
            "NEWSWATCH_REDIS_PREFIX": self.prefix,
            "NEWSWATCH_REDIS_LEASE_SECONDS": str(LEASE_SECONDS),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("NEWSWATCH_CONFIG", None)
        log = self.config.parent / f"{name}.log"
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newswatch",
                "--config",
                str(self.config),
                "crawl",
                "--progress-seconds",
                "1",
            ],
            cwd=self.config.parent,
            env=env,
            stdout=subprocess.PIPE,
            stderr=log.open("w"),
            text=True,
            start_new_session=True,
        )
        worker = Worker(proc, log)
        self.started.append(worker)
        return worker

    def stop_all(self) -> None:
        for worker in self.started:
            worker.stop()


@pytest.fixture
def pg_url(postgres_server_url: str) -> Iterator[str]:
    """The private PostgreSQL database, emptied: the workers create the schema as they start, together."""
    dispose_all()
    engine = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    yield postgres_server_url
    dispose_all()


@pytest.fixture
def site_and_workers(tmp_path: Path, pg_url: str, redis_url: str, prefix: str) -> Iterator[tuple]:
    site = NewsSite(name="tech", n_articles=N_ARTICLES)
    with serve([site]) as server:
        config = write_config(
            tmp_path,
            [{"name": "tech", "home": server.url_for("tech"), "languages": []}],
            redis_url=redis_url,
            workers=1,
            concurrency=CONCURRENCY,
            per_domain_concurrency=CONCURRENCY,
        )
        workers = Workers(config, pg_url, prefix)
        try:
            yield server, workers
        finally:
            workers.stop_all()


def stored_articles(url: str) -> int:
    with session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(Article)) or 0


def article_fetches(server: object) -> Counter[str]:
    """Article pages served, counted per article (query string, fragment and trailing slash folded)."""
    paths = [h.path for h in server.hits.records() if ARTICLE_PATH.match(h.path)]  # type: ignore[attr-defined]
    return Counter(re.split(r"[?#]", p)[0].rstrip("/") for p in paths)


def assert_stored_once(url: str) -> None:
    with session_scope(url) as session:
        hashes = session.scalars(select(Article.url_hash)).all()
        canonical = session.scalar(select(func.count()).select_from(ArticleUrl)) or 0
    assert len(hashes) == len(set(hashes)) == N_ARTICLES
    assert canonical >= N_ARTICLES


def test_two_workers_share_the_frontier_and_store_each_article_once(
    site_and_workers: tuple, pg_url: str, redis_url: str, prefix: str
) -> None:
    server, workers = site_and_workers

    first, second = workers.start("worker-1"), workers.start("worker-2")
    results = [first.wait(), second.wait()]

    for code, out, log in results:
        assert code == 0, f"worker failed ({code}):\n{out}\n{log[-3000:]}"
        assert "empty and nothing in flight" in log
    assert_stored_once(pg_url)
    fetches = article_fetches(server)
    assert len(fetches) == N_ARTICLES
    assert set(fetches.values()) == {1}, [p for p, n in fetches.items() if n > 1]
    # Both took a share of the articles.
    new = [int(m) for _, out, _ in results for m in re.findall(r"^total\s+\d+\s+(\d+)", out, re.MULTILINE)]
    assert sum(new) == N_ARTICLES and all(n > 0 for n in new), new
    # The run is over: nothing queued or leased, and its duplicate filter is gone for the next run.
    client = redis.Redis.from_url(redis_url)
    for suffix in ("requests", "requests:inflight", "requests:leases", "dupefilter"):
        assert not client.exists(f"{prefix}:news:{suffix}"), suffix
    client.close()


def test_worker_killed_mid_crawl_loses_no_request(
    site_and_workers: tuple, pg_url: str, redis_url: str, prefix: str
) -> None:
    server, workers = site_and_workers
    client = redis.Redis.from_url(redis_url)
    victim, survivor = workers.start("victim"), workers.start("survivor")

    # Kill the victim once articles are being stored and it holds leased requests.
    inflight = f"{prefix}:news:requests:inflight"
    deadline = time.monotonic() + WORKER_TIMEOUT
    while time.monotonic() < deadline:
        mine = [t for t in client.hkeys(inflight) if f":{victim.proc.pid}:".encode() in t]
        if mine and stored_articles(pg_url) >= N_ARTICLES // 5:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the victim never held a leased request while articles were stored")
    victim.crash()
    assert stored_articles(pg_url) < N_ARTICLES
    restarted = workers.start("restarted")
    # The victim's extraction processes do not outlive it.
    deadline = time.monotonic() + 15
    while victim.group_alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not victim.group_alive()

    results = [survivor.wait(), restarted.wait()]

    for code, out, log in results:
        assert code == 0, f"worker failed ({code}):\n{out}\n{log[-3000:]}"
    assert_stored_once(pg_url)
    fetches = article_fetches(server)
    assert len(fetches) == N_ARTICLES
    # What the victim held when it died went back to the queue, and only that is fetched twice.
    requeued = sum(int(n) for _, _, log in results for n in REQUEUED_LINE.findall(log))
    assert requeued >= 1
    assert sum(n - 1 for n in fetches.values()) <= requeued
    assert client.hlen(inflight) == 0 and client.zcard(f"{prefix}:news:requests") == 0
    client.close()
