"""The scheduler of a distributed crawl: scrapy-redis' Scheduler over the leased queue of redis_queue.py.

It acks a request once Scrapy is done with it, keeps this worker's leases alive, puts back the
requests of workers that stopped, and closes the worker only when the shared frontier is empty and
nothing is in flight anywhere; that finish clears the run's duplicate filter for the next run.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any

from redis.exceptions import RedisError
from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.http import Request
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from crawler.redis_queue import DEFAULT_LEASE_SECONDS, LEASE, FrontierState, LeasedPriorityQueue
from newswatch.crawling.signals import origin_incomplete

logger = logging.getLogger("newswatch.redis")

DEFAULT_POLL_SECONDS = 0.5
WAITING_LOG_SECONDS = 10.0
# Redis may be away this long (in units of the lease) before a worker gives up and closes.
OUTAGE_LEASES = 1.0
OUTAGE_REASON = "redis_unavailable"
INCOMPLETE_SET_TTL_SECONDS = 24 * 3600


class SafeScheduler(Scheduler):
    """scrapy-redis' scheduler with leased requests, a reaper, and an idle close that waits for
    the other workers.

    Acks when Scrapy's engine takes a request out of its in-progress set: that happens only after
    the request's response went through the callback, its new requests were scheduled and its
    items went through every pipeline (or after its failure went through the errback), which is
    exactly when nothing of it is left to lose. While Redis is away, new requests wait in memory
    and acks wait behind them, so a parent is never acked before its children are queued.
    """

    queue: LeasedPriorityQueue

    def __init__(
        self,
        server: Any,
        *,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
        poll_seconds: float = DEFAULT_POLL_SECONDS,
        crawler: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(server, **kwargs)
        self.lease_seconds = lease_seconds
        self.poll_seconds = poll_seconds
        self.crawler = crawler
        self.waiting = False
        self.unacked: list[str] = []
        self.unpushed: list[Request] = []
        self.incomplete_key = ""
        self._loop: task.LoopingCall | None = None
        self._last_renew = 0.0
        self._last_log = 0.0
        self._failing_since: float | None = None
        self._replaying = False
        self._closing = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> SafeScheduler:
        instance = super().from_crawler(crawler)
        # The frontier outlives any one worker: the run's end (spider_idle) clears what must go.
        instance.persist = True
        instance.flush_on_start = False
        instance.idle_before_close = 0
        instance.crawler = crawler
        instance.lease_seconds = crawler.settings.getfloat(
            "NEWSWATCH_REDIS_LEASE_SECONDS", DEFAULT_LEASE_SECONDS
        )
        instance.poll_seconds = crawler.settings.getfloat(
            "NEWSWATCH_REDIS_POLL_SECONDS", DEFAULT_POLL_SECONDS
        )
        crawler.signals.connect(instance.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(instance.share_incomplete, signal=origin_incomplete)
        return instance

    # --- lifecycle ------------------------------------------------------------------------------
    def open(self, spider: Any) -> None:
        super().open(spider)
        self.queue.lease_seconds = self.lease_seconds
        self.incomplete_key = f"{self.queue.key}:incomplete"
        self._hook_engine()
        state = self.queue.state()
        logger.info(
            "redis frontier %s: worker %s joined (%d queued, %d in flight)",
            self.queue.key,
            self.queue.owner,
            state.queued,
            state.in_flight,
        )
        self._loop = task.LoopingCall(self._tick)
        self._loop.start(self.poll_seconds, now=False)

    def close(self, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self._flush()
        if self.unpushed:
            # Their parents were never acked: when Redis is back, those leases expire, another worker
            # fetches the parents again and finds these requests again.
            logger.error(
                "redis: closing with %d new request(s) Redis never took; their parent requests "
                "stay leased and come back when the leases expire",
                len(self.unpushed),
            )
        try:
            released = self.queue.release()
        except RedisError as exc:
            logger.error(
                "redis: cannot release %d lease(s), they come back when they expire: %s",
                len(self.queue.held),
                exc,
            )
            released = 0
        if released:
            self.stats.inc_value("redis/released", released)
            logger.info("redis: closing (%s): %d request(s) put back in the shared queue", reason, released)
        super().close(reason)  # persist=True: the frontier stays for the other workers

    def _hook_engine(self) -> None:
        slot = getattr(getattr(self.crawler, "engine", None), "_slot", None)
        if slot is None or not hasattr(slot, "remove_request"):
            # Without this hook nothing is ever acked and every request would be fetched twice.
            raise RuntimeError(
                "distributed mode needs Scrapy's engine slot (ExecutionEngine._slot); "
                "this Scrapy version is not supported"
            )
        remove_request = slot.remove_request

        def remove_and_ack(request: Request) -> None:
            token = request.meta.get(LEASE)
            if token is not None:
                self._ack(token)
            remove_request(request)

        slot.remove_request = remove_and_ack

    def _kick(self) -> None:
        """Make the engine ask for the next request now rather than at its 5 s heartbeat."""
        slot = getattr(getattr(self.crawler, "engine", None), "_slot", None)
        if slot is not None:
            slot.nextcall.schedule()

    # --- the Scheduler interface (scrapy-redis' versions pass `spider=` to the stats, deprecated) --
    def enqueue_request(self, request: Request) -> bool:
        try:
            if not request.dont_filter and self.df.request_seen(request):
                self.df.log(request, self.spider)
                return False
            self.queue.push(request)
        except RedisError as exc:
            self._redis_failed("push", exc)
            self.unpushed.append(request)
            return True
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        try:
            request = self.queue.pop()
        except RedisError as exc:
            self._redis_failed("pop", exc)
            return None
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        if self.unpushed:
            return True
        try:
            return len(self.queue) > 0
        except RedisError as exc:
            self._redis_failed("length", exc)
            return True

    # --- leases ---------------------------------------------------------------------------------
    def _ack(self, token: str) -> None:
        if self.unpushed:
            self.unacked.append(token)
            return
        try:
            if self.queue.ack(token):
                self.stats.inc_value("redis/acked")
            else:
                # Requeued by another worker while this one stalled past its lease: it will be
                # fetched again, and the store keeps one copy.
                self.stats.inc_value("redis/ack_late")
                logger.warning("redis: lease %s had expired before its ack; the request was requeued", token)
        except RedisError as exc:
            self._redis_failed("ack", exc)
            self.unacked.append(token)

    def _flush(self) -> None:
        """New requests Redis could not take, then the acks that waited behind them."""
        while self.unpushed:
            try:
                self.queue.push(self.unpushed[0])
            except RedisError as exc:
                self._redis_failed("push", exc)
                return
            self.unpushed.pop(0)
        pending, self.unacked = self.unacked, []
        for token in pending:
            self._ack(token)

    def _tick(self) -> None:
        try:
            self._flush()
            now = time.monotonic()
            if now - self._last_renew >= self.lease_seconds / 3:
                self.queue.renew()
                self._last_renew = now
            self._requeue_expired()
        except RedisError as exc:
            self._redis_failed("lease upkeep", exc)
            if self._outage_too_long() and not self._closing:
                # Without Redis this worker can neither take work nor hand its results on.
                self._closing = True
                logger.error("redis: unreachable for %.0f s; stopping this worker", self.lease_seconds)
                deferred_from_coro(self.crawler.engine.close_spider_async(reason=OUTAGE_REASON))
            return
        self._failing_since = None
        if self.waiting:
            self._kick()

    def _requeue_expired(self) -> None:
        requeued = self.queue.requeue_expired()
        if requeued:
            self.stats.inc_value("redis/requeued", requeued)
            logger.warning("redis: %d request(s) of a stopped worker put back in the shared queue", requeued)

    def _outage_too_long(self) -> bool:
        since = self._failing_since
        return since is not None and time.monotonic() - since >= OUTAGE_LEASES * self.lease_seconds

    def _redis_failed(self, what: str, exc: RedisError) -> None:
        now = time.monotonic()
        if self._failing_since is None:
            self._failing_since = now
        if now - self._last_log >= WAITING_LOG_SECONDS:
            self._last_log = now
            logger.error("redis: %s failed, retrying: %s", what, exc)

    # --- finishing ------------------------------------------------------------------------------
    def spider_idle(self, spider: Any) -> None:
        """This worker has nothing left: close only if the whole frontier is done."""
        if self.queue.held:
            # The engine is idle, so every request it took is done: an unacked lease would only
            # keep the other workers waiting for it.
            leaked = sorted(self.queue.held)
            self.stats.inc_value("redis/leaked", len(leaked))
            logger.warning("redis: %d lease(s) left unacked while idle; acking them", len(leaked))
            for token in leaked:
                self._ack(token)
        try:
            self._flush()
            self._requeue_expired()
            state = self.queue.state()
            if not state.empty or self.unacked or self.unpushed:
                self._wait(state)
            if not self.queue.finish(self.df.key, self.incomplete_key):
                self._wait(self.queue.state())
        except RedisError as exc:
            self._redis_failed("finish check", exc)
            if self._outage_too_long():
                raise CloseSpider(OUTAGE_REASON) from exc
            self.waiting = True
            raise DontCloseSpider from exc
        self.waiting = False
        self._failing_since = None
        self._replay_incomplete()
        logger.info(
            "redis frontier %s: empty and nothing in flight, worker %s done", self.queue.key, self.queue.owner
        )

    def _wait(self, state: FrontierState) -> None:
        self.waiting = True
        now = time.monotonic()
        if now - self._last_log >= WAITING_LOG_SECONDS:
            self._last_log = now
            logger.info(
                "redis: waiting for the shared frontier: %d queued, %d in flight elsewhere",
                state.queued,
                state.in_flight,
            )
        raise DontCloseSpider

    def share_incomplete(self, origins: Iterable[str]) -> None:
        """A feed or sitemap whose page failed on any worker must not get its validators saved by another."""
        if self._replaying:
            return
        origins = list(origins)
        if not origins or not self.incomplete_key:
            return
        try:
            with self.server.pipeline(transaction=False) as pipe:
                pipe.sadd(self.incomplete_key, *origins).expire(
                    self.incomplete_key, INCOMPLETE_SET_TTL_SECONDS
                )
                pipe.execute()
        except RedisError as exc:
            logger.warning("redis: cannot share incomplete feeds %s: %s", origins, exc)

    def _replay_incomplete(self) -> None:
        """At the run's end, tell this worker's components which feeds any worker left incomplete."""
        try:
            members = self.server.smembers(self.incomplete_key)
        except RedisError as exc:
            logger.warning("redis: cannot read the shared incomplete feeds: %s", exc)
            return
        if not members:
            return
        origins = tuple(m.decode() if isinstance(m, bytes) else str(m) for m in members)
        self._replaying = True
        try:
            self.crawler.signals.send_catch_log(origin_incomplete, origins=origins)
        finally:
            self._replaying = False
