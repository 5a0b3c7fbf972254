"""Distributed crawling: one frontier and duplicate filter in Redis, shared by many workers.

Built on scrapy-redis (its request queue encoding, priority queue and Redis duplicate filter),
with what it lacks for a crawl that must lose nothing when a worker dies:

- **Atomic push**: a request's fingerprint enters the duplicate filter and the request the queue
  in one Lua script (scrapy-redis does two calls: a worker killed between them loses the request).
- **Reliable pop** (:class:`Frontier`): taking the next request moves it, in one Lua script,
  from the queue into this worker's in-flight hash under a fresh token. scrapy-redis pops and
  forgets, so a worker killed with ``kill -9`` would lose every request it had in hand.
- **Acknowledge when done**: a request leaves the in-flight hash only once Scrapy is finished
  with it (its callback's items stored, its new requests pushed, or its redirect or retry pushed
  in its place): :class:`WorkerHooks` wraps the engine slot's ``remove_request``, the one call
  Scrapy makes for every scheduled request after all of that.
- **Heartbeats and reclaiming**: each worker renews ``alive:<worker>`` (a key with a TTL, the
  lease) from a thread of its own. A live worker (on each renewal and whenever it goes idle) that
  finds a registered worker without it moves
  that worker's in-flight requests back into the queue (one Lua script) and counts the loss. Their
  fingerprints stay in the duplicate filter, so nothing else re-adds them; they are simply
  crawled again, and the store's idempotent ingest means a page stored just before the kill is
  not stored twice.
- **The end of a crawl**: a worker whose own engine is idle keeps its spider open while anything
  is queued or in flight on any worker (counted atomically), so the last request's follow-ups are
  never missed.
- **Scrapy 2.19's ``async def start()``**: a worker's spider (:func:`worker_spider`) yields no
  start requests (the seeder queued them, :func:`seed_requests`).

Keys, under the crawl's prefix ``brandsweep:crawl:<name>``: ``queue`` (sorted set, scrapy-redis
format), ``seen`` (duplicate filter), ``workers`` (set), ``alive:<w>`` (lease), ``inflight:<w>``
and ``inflight:<w>:score`` (hashes by token), ``token`` (counter), ``lost`` (workers reclaimed).
The scripts touch keys derived from the prefix, so they need one Redis server, not a cluster.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any, Self

import redis
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.settings import BaseSettings
from scrapy_redis import picklecompat
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

log = logging.getLogger(__name__)

KEY_ROOT = "brandsweep"
TOKEN_META = "brandsweep_inflight"

_POP = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
local t = redis.call('INCR', KEYS[4])
redis.call('HSET', KEYS[2], t, r[1])
redis.call('HSET', KEYS[3], t, r[2])
return {tostring(t), r[1]}
"""

_PUSH = """
if ARGV[3] == '1' or redis.call('SADD', KEYS[2], ARGV[1]) == 1 then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
  return 1
end
return 0
"""

_RECLAIM = """
local moved = 0
for _, w in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if w ~= ARGV[2] and redis.call('EXISTS', ARGV[1] .. ':alive:' .. w) == 0 then
    local inf = ARGV[1] .. ':inflight:' .. w
    local sc = inf .. ':score'
    local items = redis.call('HGETALL', inf)
    for i = 1, #items, 2 do
      local s = redis.call('HGET', sc, items[i]) or '0'
      redis.call('ZADD', KEYS[1], s, items[i + 1])
      moved = moved + 1
    end
    redis.call('DEL', inf, sc)
    redis.call('SREM', KEYS[2], w)
    redis.call('INCR', KEYS[3])
    redis.call('INCRBY', KEYS[4], #items / 2)
  end
end
return moved
"""

_PENDING = """
local n = redis.call('ZCARD', KEYS[1])
for _, w in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  n = n + redis.call('HLEN', ARGV[1] .. ':inflight:' .. w)
end
return n
"""

_REQUEUE_OWN = """
local items = redis.call('HGETALL', KEYS[2])
for i = 1, #items, 2 do
  local s = redis.call('HGET', KEYS[3], items[i]) or '0'
  redis.call('ZADD', KEYS[1], s, items[i + 1])
end
redis.call('DEL', KEYS[2], KEYS[3])
return #items / 2
"""


def crawl_prefix(name: str) -> str:
    """The Redis key prefix of the distributed crawl ``name`` (a marketplace name)."""
    if not name or any(c in name for c in "%{}: \t\n"):
        raise ValueError(f"not a usable crawl name for Redis keys: {name!r}")
    return f"{KEY_ROOT}:crawl:{name}"


def new_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"


class Frontier:
    """The shared frontier of one crawl, as seen by one worker (``worker``)."""

    def __init__(self, server: redis.Redis, prefix: str, worker: str, *, lease_s: float = 30.0) -> None:
        self.server = server
        self.prefix = prefix
        self.worker = worker
        self.lease_s = lease_s
        self.queue_key = f"{prefix}:queue"
        self.seen_key = f"{prefix}:seen"
        self.workers_key = f"{prefix}:workers"
        self.inflight_key = f"{prefix}:inflight:{worker}"
        self.scores_key = f"{self.inflight_key}:score"
        self.alive_key = f"{prefix}:alive:{worker}"
        self._pop = server.register_script(_POP)
        self._push = server.register_script(_PUSH)
        self._reclaim = server.register_script(_RECLAIM)
        self._pending = server.register_script(_PENDING)
        self._requeue = server.register_script(_REQUEUE_OWN)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Self:
        url = settings.get("REDIS_URL")
        prefix = settings.get("BRANDSWEEP_REDIS_PREFIX")
        worker = settings.get("BRANDSWEEP_WORKER_ID")
        if not (url and prefix and worker):
            raise NotConfigured("not a distributed worker (REDIS_URL, BRANDSWEEP_REDIS_PREFIX, BRANDSWEEP_WORKER_ID)")
        return cls(redis.Redis.from_url(url), prefix, worker, lease_s=settings.getfloat("BRANDSWEEP_WORKER_LEASE_S"))

    # membership
    def register(self) -> None:
        self.beat()

    def beat(self) -> None:
        with self.server.pipeline() as pipe:
            pipe.set(self.alive_key, "1", px=max(int(self.lease_s * 1000), 100))
            pipe.sadd(self.workers_key, self.worker)
            pipe.execute()

    def leave(self) -> None:
        """Hand back whatever this worker still holds and deregister."""
        self.requeue_own()
        with self.server.pipeline() as pipe:
            pipe.srem(self.workers_key, self.worker)
            pipe.delete(self.alive_key)
            pipe.execute()

    def workers(self) -> set[str]:
        return {w.decode() for w in self.server.smembers(self.workers_key)}

    # requests
    def push(self, fingerprint: str, score: float, data: bytes, *, dont_filter: bool = False) -> bool:
        """Mark ``fingerprint`` seen and queue ``data``, in one step (a worker killed between the two
        would leave a request seen but never queued: lost); False when it was seen before."""
        return bool(self._push(keys=[self.queue_key, self.seen_key],
                               args=[fingerprint, repr(score), "1" if dont_filter else "0", data]))

    def pop(self) -> tuple[str, bytes] | None:
        got = self._pop(keys=[self.queue_key, self.inflight_key, self.scores_key, f"{self.prefix}:token"])
        if not got:
            return None
        token, data = got
        return token.decode() if isinstance(token, bytes) else str(token), data

    def ack(self, token: str) -> None:
        with self.server.pipeline() as pipe:
            pipe.hdel(self.inflight_key, token)
            pipe.hdel(self.scores_key, token)
            pipe.execute()

    def requeue_own(self) -> int:
        return int(self._requeue(keys=[self.queue_key, self.inflight_key, self.scores_key]))

    def reclaim_dead(self) -> int:
        """Move the in-flight requests of workers whose lease ran out back into the queue."""
        return int(self._reclaim(keys=[self.queue_key, self.workers_key, f"{self.prefix}:lost",
                                       f"{self.prefix}:reclaimed"], args=[self.prefix, self.worker]))

    def pending(self) -> int:
        """Requests queued or in flight on any registered worker (one atomic count)."""
        return int(self._pending(keys=[self.queue_key, self.workers_key], args=[self.prefix]))

    def lost_workers(self) -> int:
        return int(self.server.get(f"{self.prefix}:lost") or 0)

    def reclaimed_requests(self) -> int:
        return int(self.server.get(f"{self.prefix}:reclaimed") or 0)


class ReliableScheduler(Scheduler):
    """scrapy-redis's scheduler (priority queue, Redis duplicate filter) with a reliable pop."""

    frontier: Frontier

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        instance = cls(server=redis.Redis.from_url(settings["REDIS_URL"]), persist=True,
                       queue_key=f"{settings['BRANDSWEEP_REDIS_PREFIX']}:queue",
                       queue_cls="scrapy_redis.queue.PriorityQueue",
                       dupefilter_key=f"{settings['BRANDSWEEP_REDIS_PREFIX']}:seen", serializer=picklecompat)
        instance.frontier = Frontier.from_settings(settings)
        instance.df = RFPDupeFilter(instance.server, instance.dupefilter_key,
                                    debug=settings.getbool("DUPEFILTER_DEBUG"))
        instance.stats = crawler.stats
        return instance

    def open(self, spider: Spider) -> None:
        """scrapy-redis's ``open`` without its ``spider.log`` call (deprecated in Scrapy 2.19)."""
        from scrapy_redis.queue import PriorityQueue

        self.spider = spider
        self.queue = PriorityQueue(server=self.server, spider=spider, key=self.queue_key, serializer=self.serializer)
        if len(self.queue):
            log.info("joining the crawl: %d request(s) queued", len(self.queue))

    def enqueue_request(self, request: Request) -> bool:
        """Queue ``request`` unless the shared filter has seen it. A redirect or retry of an
        in-flight request is queued as a new one; the original is acknowledged when Scrapy is done
        with it (its token in the queued copy is replaced when the copy is popped)."""
        if not self.frontier.push(self.df.request_fingerprint(request), -request.priority,
                                  self.queue._encode_request(request), dont_filter=request.dont_filter):
            if self.stats:
                self.stats.inc_value("dupefilter/filtered")
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
            self.stats.inc_value("scheduler/enqueued")  # what the progress bar counts
        return True

    def next_request(self) -> Request | None:
        got = self.frontier.pop()
        if got is None:
            return None
        token, data = got
        request = self.queue._decode_request(data)
        request.meta[TOKEN_META] = token
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def close(self, reason: str) -> None:
        """Keep the shared queue (other workers use it); hand back what this worker still holds."""
        returned = self.frontier.requeue_own()
        if returned:
            log.info("handed %d unfinished request(s) back to the queue", returned)


class WorkerHooks:
    """Heartbeats, acknowledgements and the shared end of the crawl, for one worker."""

    def __init__(self, crawler: Crawler, frontier: Frontier) -> None:
        self.crawler = crawler
        self.frontier = frontier
        self._stop = threading.Event()
        self._beats: threading.Thread | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        hooks = cls(crawler, Frontier.from_settings(crawler.settings))
        crawler.signals.connect(hooks.opened, signal=signals.spider_opened)
        crawler.signals.connect(hooks.idle, signal=signals.spider_idle)
        crawler.signals.connect(hooks.closed, signal=signals.spider_closed)
        return hooks

    def opened(self, spider: Spider) -> None:
        self.frontier.register()
        self._beats = threading.Thread(target=self._beat, name="brandsweep-heartbeat", daemon=True)
        self._beats.start()
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None)
        if slot is None or not callable(getattr(slot, "remove_request", None)):
            raise RuntimeError("this Scrapy has no engine slot to acknowledge requests on (tested on 2.19)")
        remove: Callable[[Request], None] = slot.remove_request

        def remove_and_ack(request: Request) -> None:
            token = request.meta.get(TOKEN_META)
            if token is not None:
                self.frontier.ack(token)
            remove(request)

        slot.remove_request = remove_and_ack

    def _beat(self) -> None:
        """Renew the lease, and reclaim dead workers' requests even while this one is busy."""
        while not self._stop.wait(self.frontier.lease_s / 3):
            try:
                self.frontier.beat()
                self._reclaim()
            except redis.RedisError as exc:  # the next beat tries again; the lease covers a few misses
                log.warning("heartbeat failed: %s", exc)

    def _reclaim(self) -> None:
        reclaimed = self.frontier.reclaim_dead()
        if reclaimed:
            log.warning("reclaimed %d in-flight request(s) of dead worker(s)", reclaimed)

    def idle(self, spider: Spider) -> None:
        self._reclaim()
        if self.frontier.pending() > 0:
            raise DontCloseSpider("requests queued or in flight on some worker")

    def closed(self, spider: Spider, reason: str) -> None:
        self._stop.set()
        if self._beats is not None:
            self._beats.join(timeout=5)


async def _no_start(self: Spider) -> AsyncIterator[Any]:
    return
    yield  # an async generator that yields nothing


def worker_spider(spidercls: type[Spider]) -> type[Spider]:
    """``spidercls`` for a worker: the same callbacks, no start requests (they are in Redis)."""
    return type(spidercls.__name__, (spidercls,), {"start": _no_start, "__module__": spidercls.__module__})


def worker_settings(redis_url: str, prefix: str, worker: str, lease_s: float) -> dict[str, Any]:
    """The Scrapy settings that make a crawl a worker of the distributed crawl at ``prefix``."""
    return {
        "REDIS_URL": redis_url,
        "BRANDSWEEP_REDIS_PREFIX": prefix,
        "BRANDSWEEP_WORKER_ID": worker,
        "BRANDSWEEP_WORKER_LEASE_S": lease_s,
        "SCHEDULER": "brandsweep.crawler.distributed.ReliableScheduler",
        "EXTENSIONS": {"brandsweep.crawler.distributed.WorkerHooks": 0},
    }


async def seed_requests(spider: Spider, server: redis.Redis, prefix: str) -> tuple[int, int]:
    """Queue the spider's start requests at ``prefix`` (through the shared duplicate filter);
    return (queued, already seen)."""
    from scrapy_redis.queue import PriorityQueue

    queue = PriorityQueue(server, spider, f"{prefix}:queue", serializer=picklecompat)
    seen = RFPDupeFilter(server, f"{prefix}:seen")
    frontier = Frontier(server, prefix, "seeder")
    queued = dupes = 0
    async for out in spider.start():
        if not isinstance(out, Request):
            raise TypeError(f"spider {spider.name}: start() yielded {type(out).__name__}, not a request")
        if frontier.push(seen.request_fingerprint(out), -out.priority, queue._encode_request(out),
                         dont_filter=out.dont_filter):
            queued += 1
        else:
            dupes += 1
    return queued, dupes
