"""The shared Redis frontier loses no request: a pop is a lease, acked when done, requeued when it expires.

Runs against the real Redis server; lease expiry is tested by passing the clock, not by sleeping.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
import redis
import scrapy
from scrapy.http import Request

from crawler.redis_queue import (
    LEASE,
    ArticleDupeFilter,
    LeasedPriorityQueue,
    frontier_prefix,
    redis_settings,
)
from newswatch.crawling.meta import KIND, KIND_ARTICLE, KIND_FEED

pytestmark = pytest.mark.redis
LEASE_SECONDS = 30.0


class NewsSpider(scrapy.Spider):
    name = "news"

    def parse_article(self, response: object) -> None:  # pragma: no cover - only named by requests
        return None


@pytest.fixture
def server(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def key(server: redis.Redis) -> Iterator[str]:
    """A private key prefix for one test, deleted afterwards."""
    prefix = f"newswatch-test:{uuid.uuid4().hex[:10]}"
    yield f"{prefix}:news:requests"
    for name in server.scan_iter(f"{prefix}:*"):
        server.delete(name)


def make_queue(server: redis.Redis, key: str) -> LeasedPriorityQueue:
    queue = LeasedPriorityQueue(server, NewsSpider(), key)
    queue.lease_seconds = LEASE_SECONDS
    return queue


def server_now(server: redis.Redis) -> float:
    seconds, micros = server.time()
    return seconds + micros / 1e6


def test_popped_request_stays_in_flight_until_acked(server: redis.Redis, key: str) -> None:
    queue = make_queue(server, key)
    queue.push(Request("http://127.0.0.1/a", priority=10))

    request = queue.pop()

    assert request is not None and request.url == "http://127.0.0.1/a"
    token = request.meta[LEASE]
    assert queue.state().queued == 0 and queue.state().in_flight == 1
    assert queue.held == {token}
    assert queue.ack(token) is True
    assert queue.state().empty and queue.held == set()
    assert queue.pop() is None


def test_expired_lease_of_a_dead_worker_is_requeued_with_its_priority(server: redis.Redis, key: str) -> None:
    dead, alive = make_queue(server, key), make_queue(server, key)
    dead.push(Request("http://127.0.0.1/low", priority=0))
    dead.push(Request("http://127.0.0.1/high", priority=20))
    taken = dead.pop()
    assert taken is not None and taken.url == "http://127.0.0.1/high"

    now = server_now(server)
    assert alive.requeue_expired(now=now + LEASE_SECONDS / 2) == 0
    assert alive.requeue_expired(now=now + LEASE_SECONDS + 1) == 1

    assert alive.state().in_flight == 0 and alive.state().queued == 2
    again = alive.pop()
    assert again is not None and again.url == "http://127.0.0.1/high"
    # The dead worker's late ack (had it woken up) neither fails nor removes the new lease.
    assert dead.ack(taken.meta[LEASE]) is False
    assert alive.state().in_flight == 1


def test_renewed_lease_survives_the_reaper(server: redis.Redis, key: str) -> None:
    queue, reaper = make_queue(server, key), make_queue(server, key)
    queue.push(Request("http://127.0.0.1/slow"))
    assert queue.pop() is not None
    now = server_now(server)

    assert queue.renew(now=now + LEASE_SECONDS - 1) == 1

    assert reaper.requeue_expired(now=now + LEASE_SECONDS + 1) == 0
    assert reaper.requeue_expired(now=now + 2 * LEASE_SECONDS) == 1


def test_closing_worker_releases_what_it_holds(server: redis.Redis, key: str) -> None:
    queue, other = make_queue(server, key), make_queue(server, key)
    for n in range(3):
        queue.push(Request(f"http://127.0.0.1/{n}"))
    mine = [queue.pop(), queue.pop()]
    theirs = other.pop()
    assert all(mine) and theirs is not None

    assert queue.release() == 2

    state = queue.state()
    assert state.queued == 2 and state.in_flight == 1
    assert queue.held == set()


def test_redirect_copy_is_pushed_without_its_parent_lease(server: redis.Redis, key: str) -> None:
    queue = make_queue(server, key)
    queue.push(Request("http://127.0.0.1/old", meta={KIND: KIND_ARTICLE}))
    parent = queue.pop()
    assert parent is not None

    queue.push(parent.replace(url="http://127.0.0.1/new"))
    child = queue.pop()

    assert child is not None and child.url == "http://127.0.0.1/new"
    assert child.meta[LEASE] != parent.meta[LEASE]
    assert child.meta[KIND] == KIND_ARTICLE


def test_concurrent_workers_never_pop_the_same_request(server: redis.Redis, key: str) -> None:
    seeder = make_queue(server, key)
    urls = {f"http://127.0.0.1/p/{n}/" for n in range(300)}
    for url in urls:
        seeder.push(Request(url))
    popped: list[list[str]] = [[] for _ in range(4)]

    def work(i: int) -> None:
        queue = make_queue(redis.Redis(connection_pool=server.connection_pool), key)
        while (request := queue.pop()) is not None:
            popped[i].append(request.url)
            queue.ack(request.meta[LEASE])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    everything = [url for urls_of_one in popped for url in urls_of_one]
    assert len(everything) == len(set(everything)) == 300
    assert set(everything) == urls
    assert seeder.state().empty


def test_run_finishes_only_when_nothing_is_queued_or_in_flight(server: redis.Redis, key: str) -> None:
    queue = make_queue(server, key)
    dupefilter, incomplete = key.replace(":requests", ":dupefilter"), key + ":incomplete"
    server.sadd(dupefilter, "seen")
    server.sadd(incomplete, "http://127.0.0.1/feed/")
    queue.push(Request("http://127.0.0.1/a"))

    assert queue.finish(dupefilter, incomplete) is False
    request = queue.pop()
    assert request is not None
    assert queue.finish(dupefilter, incomplete) is False
    queue.ack(request.meta[LEASE])

    assert queue.finish(dupefilter, incomplete) is True
    assert not server.exists(dupefilter)
    # Kept a while, for the workers still waiting to read which feeds must be read in full next run.
    assert server.sismember(incomplete, "http://127.0.0.1/feed/")
    assert 0 < server.ttl(incomplete) <= 300


def test_article_url_variants_are_one_entry_in_the_shared_duplicate_filter(
    server: redis.Redis, key: str
) -> None:
    dupefilter = ArticleDupeFilter(server, key=key.replace(":requests", ":dupefilter"))
    article = {KIND: KIND_ARTICLE}

    assert (
        dupefilter.request_seen(Request("http://127.0.0.1:8000/2025/05/12/usine-lyon/", meta=article))
        is False
    )
    assert (
        dupefilter.request_seen(Request("https://127.0.0.1:8000/2025/05/12/usine-lyon", meta=article)) is True
    )
    assert (
        dupefilter.request_seen(
            Request("http://127.0.0.1:8000/2025/05/12/usine-lyon/?utm_source=x", meta=article)
        )
        is True
    )
    # Feeds keep scrapy-redis' own fingerprint: exact URL.
    assert dupefilter.request_seen(Request("http://127.0.0.1:8000/feed/", meta={KIND: KIND_FEED})) is False
    assert dupefilter.request_seen(Request("http://127.0.0.1:8000/feed", meta={KIND: KIND_FEED})) is False


def test_frontier_key_prefix_is_shared_by_workers_of_one_config_only() -> None:
    one = frontier_prefix("postgresql+psycopg://db/news", ["b", "a"])
    assert one == frontier_prefix("postgresql+psycopg://db/news", ["a", "b"])
    assert one != frontier_prefix("postgresql+psycopg://db/news", ["a"])
    assert one != frontier_prefix("postgresql+psycopg://db/other", ["a", "b"])

    settings = redis_settings(
        "redis://127.0.0.1:6379/0",
        "sqlite:///x.db",
        ["a"],
        env={"NEWSWATCH_REDIS_PREFIX": "run-42", "NEWSWATCH_REDIS_LEASE_SECONDS": "5"},
    )
    assert settings["SCHEDULER_QUEUE_KEY"] == "run-42:%(spider)s:requests"
    assert settings["SCHEDULER_DUPEFILTER_KEY"] == "run-42:%(spider)s:dupefilter"
    assert settings["NEWSWATCH_REDIS_LEASE_SECONDS"] == 5.0
    assert settings["SCHEDULER_PERSIST"] is True


def test_feed_left_incomplete_on_one_worker_is_not_marked_complete_by_another(
    server: redis.Redis, key: str, sqlite_url: str
) -> None:
    from scrapy.utils.test import get_crawler

    from crawler.middlewares import ConditionalGetMiddleware
    from crawler.redis_scheduler import SafeScheduler
    from newswatch.crawling.signals import origin_incomplete

    feed = "http://127.0.0.1:8000/feed/"
    workers = []
    for _ in range(2):
        crawler = get_crawler(NewsSpider, {"NEWSWATCH_DATABASE_URL": sqlite_url})
        scheduler = SafeScheduler(server, crawler=crawler)
        scheduler.incomplete_key = key + ":incomplete"
        crawler.signals.connect(scheduler.share_incomplete, signal=origin_incomplete)
        workers.append((crawler, scheduler, ConditionalGetMiddleware.from_crawler(crawler)))
    (failing, _, _), (fetcher, fetcher_scheduler, fetcher_validators) = workers

    # A page found through the feed fails for good on the first worker ...
    failing.signals.send_catch_log(origin_incomplete, origins=(feed,))
    assert fetcher_validators.incomplete == set()
    # ... and the worker that fetched the feed learns it when the run ends, before saving validators.
    fetcher_scheduler._replay_incomplete()

    assert fetcher_validators.incomplete == {feed}
    assert server.smembers(key + ":incomplete") == {feed.encode()}
