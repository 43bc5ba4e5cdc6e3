"""The shared frontier of a distributed crawl: a scrapy-redis queue whose pop is a lease, not a loss.

scrapy-redis pops a request before it is processed, so a worker that dies loses it. Here a pop moves
the request atomically (one Lua script) into an in-flight hash with a lease; the worker acks it when
Scrapy is done with it, renews the leases it holds, and any worker requeues the leases that expired
(their worker died). The scheduler that drives this queue is crawler/redis_scheduler.py.

Seeding: every worker offers its start requests; the shared duplicate filter admits only the first
copy, so the first worker seeds the run and later ones join it, idempotently, whatever the timing.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import re
import secrets
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from redis.exceptions import RedisError
from scrapy.http import Request
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue

from newswatch.crawling.meta import KIND, KIND_ARTICLE
from newswatch.store.urls import url_key

logger = logging.getLogger("newswatch.redis")

ENV_PREFIX = "NEWSWATCH_REDIS_PREFIX"
ENV_LEASE = "NEWSWATCH_REDIS_LEASE_SECONDS"
DEFAULT_LEASE_SECONDS = 120.0
# Request meta key holding the lease token of a popped request (never stored in Redis).
LEASE = "nw_lease"
# After the run finishes, its shared "incomplete feeds" set lives this long, so every worker
# still waiting for the finish reads it before it goes.
INCOMPLETE_TTL_SECONDS = 300

# KEYS: queue, inflight, leases. ARGV: token, lease seconds, [now].
# The in-flight value is "<score>\n<request>", so a requeued request keeps its priority.
POP_SCRIPT = """
local item = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #item == 0 then return false end
redis.call('ZREM', KEYS[1], item[1])
local now = tonumber(ARGV[3])
if not now then local t = redis.call('TIME'); now = t[1] + t[2] / 1e6 end
redis.call('HSET', KEYS[2], ARGV[1], item[2] .. '\\n' .. item[1])
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]), ARGV[1])
return item[1]
"""
# KEYS: inflight, leases. ARGV: token. Returns 1 when the lease was still held.
ACK_SCRIPT = """
redis.call('ZREM', KEYS[2], ARGV[1])
return redis.call('HDEL', KEYS[1], ARGV[1])
"""
# KEYS: leases. ARGV: lease seconds, now or '', tokens... Only leases still held are renewed (XX).
RENEW_SCRIPT = """
local now = tonumber(ARGV[2])
if not now then local t = redis.call('TIME'); now = t[1] + t[2] / 1e6 end
local n = 0
for i = 3, #ARGV do n = n + redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[1]), ARGV[i]) end
return n
"""
# KEYS: queue, inflight, leases. ARGV: now or '', tokens (requeue these) or none (requeue expired).
REQUEUE_SCRIPT = """
local tokens
if #ARGV > 1 then
  tokens = {unpack(ARGV, 2)}
else
  local now = tonumber(ARGV[1])
  if not now then local t = redis.call('TIME'); now = t[1] + t[2] / 1e6 end
  tokens = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
end
local n = 0
for _, token in ipairs(tokens) do
  local value = redis.call('HGET', KEYS[2], token)
  if value then
    local cut = string.find(value, '\\n', 1, true)
    redis.call('ZADD', KEYS[1], tonumber(string.sub(value, 1, cut - 1)), string.sub(value, cut + 1))
    redis.call('HDEL', KEYS[2], token)
    n = n + 1
  end
  redis.call('ZREM', KEYS[3], token)
end
return n
"""
# KEYS: queue, inflight, dupefilter, incomplete. ARGV: ttl. Ends the run only if nothing is left.
FINISH_SCRIPT = """
if redis.call('ZCARD', KEYS[1]) > 0 or redis.call('HLEN', KEYS[2]) > 0 then return 0 end
redis.call('DEL', KEYS[3])
redis.call('EXPIRE', KEYS[4], ARGV[1])
return 1
"""


def frontier_prefix(database_url: str, source_names: Iterable[str]) -> str:
    """Workers crawling the same sources into the same database share one frontier."""
    identity = database_url + "\n" + "\n".join(sorted(source_names))
    return "newswatch:" + hashlib.sha1(identity.encode("utf-8")).hexdigest()[:12]


def redis_settings(
    redis_url: str, database_url: str, source_names: Iterable[str], env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Scrapy settings for distributed mode; NEWSWATCH_REDIS_PREFIX / _LEASE_SECONDS override the defaults."""
    env = dict(os.environ if env is None else env)
    prefix = env.get(ENV_PREFIX) or frontier_prefix(database_url, source_names)
    lease = float(env.get(ENV_LEASE) or DEFAULT_LEASE_SECONDS)
    return {
        "SCHEDULER": "crawler.redis_scheduler.SafeScheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.redis_queue.LeasedPriorityQueue",
        "DUPEFILTER_CLASS": "crawler.redis_queue.ArticleDupeFilter",
        "SCHEDULER_QUEUE_KEY": f"{prefix}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:%(spider)s:dupefilter",
        # The frontier outlives any one worker; the run's end clears it (SafeScheduler.spider_idle).
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_FLUSH_ON_START": False,
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
        "REDIS_URL": redis_url,
        "NEWSWATCH_REDIS_PREFIX": prefix,
        "NEWSWATCH_REDIS_LEASE_SECONDS": lease,
    }


def check_redis(redis_url: str, timeout: float = 5.0) -> str | None:
    """None when the shared frontier's Redis answers, else one line saying why it does not."""
    import redis

    shown = re.sub(r"//([^:/@]*):[^@]*@", r"//\1:***@", redis_url)
    try:
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=timeout, socket_timeout=timeout)
    except ValueError as exc:
        return f"crawl.redis_url {shown!r} is not a Redis URL: {exc}"
    try:
        client.ping()
    except RedisError as exc:
        return f"Redis not reachable at {shown} (crawl.redis_url): {exc}"
    finally:
        client.close()
    return None


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass(frozen=True, slots=True)
class FrontierState:
    queued: int
    in_flight: int

    @property
    def empty(self) -> bool:
        return not self.queued and not self.in_flight


class LeasedPriorityQueue(PriorityQueue):
    """scrapy-redis' priority queue whose pop leases the request instead of deleting it."""

    lease_seconds = DEFAULT_LEASE_SECONDS

    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self.inflight_key = f"{self.key}:inflight"
        self.leases_key = f"{self.key}:leases"
        self.owner = worker_id()
        self._tokens = itertools.count(1)
        # Tokens this worker holds: renewed while held, released if the worker closes early.
        self.held: set[str] = set()
        self._pop = server.register_script(POP_SCRIPT)
        self._ack = server.register_script(ACK_SCRIPT)
        self._renew = server.register_script(RENEW_SCRIPT)
        self._requeue = server.register_script(REQUEUE_SCRIPT)
        self._finish = server.register_script(FINISH_SCRIPT)

    def push(self, request: Request) -> None:
        if LEASE in request.meta:
            # A redirect or retry copies its parent's meta; the copy is a new entry with no lease.
            request = request.replace(meta={k: v for k, v in request.meta.items() if k != LEASE})
        super().push(request)

    def pop(self, timeout: int = 0, *, now: float | None = None) -> Request | None:
        token = f"{self.owner}:{next(self._tokens)}"
        data = self._pop(
            keys=[self.key, self.inflight_key, self.leases_key],
            args=[token, self.lease_seconds, _now_arg(now)],
        )
        if not data:
            return None
        self.held.add(token)
        try:
            request = self._decode_request(data)
        except Exception as exc:  # noqa: BLE001 - whatever a foreign or stale entry holds
            # Left leased, it would come back every lease period and fail again.
            logger.error(
                "redis: dropped a queued request that cannot be read back (%s: %s): %.200r",
                type(exc).__name__,
                exc,
                data,
            )
            self.ack(token)
            return None
        request.meta[LEASE] = token
        return request

    def ack(self, token: str) -> bool:
        """Done with a leased request. False when its lease had expired and it was requeued meanwhile."""
        self.held.discard(token)
        return bool(self._ack(keys=[self.inflight_key, self.leases_key], args=[token]))

    def renew(self, *, now: float | None = None) -> int:
        """Push back the expiry of every lease this worker holds."""
        if not self.held:
            return 0
        return int(self._renew(keys=[self.leases_key], args=[self.lease_seconds, _now_arg(now), *self.held]))

    def requeue_expired(self, *, now: float | None = None) -> int:
        """Put back in the queue the requests whose lease expired (their worker stopped renewing)."""
        return int(self._requeue(keys=[self.key, self.inflight_key, self.leases_key], args=[_now_arg(now)]))

    def release(self) -> int:
        """Requeue every request this worker still holds (it is closing without processing them)."""
        if not self.held:
            return 0
        released = int(
            self._requeue(keys=[self.key, self.inflight_key, self.leases_key], args=["", *sorted(self.held)])
        )
        self.held.clear()
        return released

    def state(self) -> FrontierState:
        with self.server.pipeline(transaction=True) as pipe:
            queued, in_flight = pipe.zcard(self.key).hlen(self.inflight_key).execute()
        return FrontierState(int(queued), int(in_flight))

    def finish(self, dupefilter_key: str, incomplete_key: str) -> bool:
        """End the run if nothing is queued or in flight (atomically): its duplicate filter goes, so the
        next run seeds afresh, and its incomplete-feeds set expires once the workers have read it."""
        return bool(
            self._finish(
                keys=[self.key, self.inflight_key, dupefilter_key, incomplete_key],
                args=[INCOMPLETE_TTL_SECONDS],
            )
        )

    def clear(self) -> None:
        self.server.delete(self.key, self.inflight_key, self.leases_key)


def _now_arg(now: float | None) -> str:
    # Empty: the scripts read Redis' own clock, the one every worker's leases are measured on.
    return "" if now is None else repr(float(now))


class ArticleDupeFilter(RFPDupeFilter):
    """scrapy-redis' duplicate filter, keyed for articles on the article identity (`url_key`), so
    `/a/b`, `/a/b/` and tracking variants found by two workers are fetched once between them."""

    def request_fingerprint(self, request: Request) -> str:
        if request.meta.get(KIND) == KIND_ARTICLE:
            key = url_key(request.url)
            if key is not None:
                return hashlib.sha1(f"article {key}".encode()).hexdigest()
        return super().request_fingerprint(request)
