"""Distributed crawls: ``brandsweep crawl NAME --distributed`` seeds, ``brandsweep worker`` crawls.

The seeder records the run in the store and puts into Redis everything a worker needs: the crawl
description (``brandsweep:crawls`` hash, field NAME: spider, spider arguments, Scrapy settings
with the marketplace's politeness and limits, the run id and the ``[matchers]`` configuration
to score with) and the start requests (:func:`brandsweep.crawler.distributed.seed_requests`).

Each worker is an ordinary Scrapy crawl with the shared frontier
(:mod:`brandsweep.crawler.distributed`) and the normal pipeline: it fetches, extracts, matches
and stores into the shared store (PostgreSQL across hosts, or one SQLite file on one host),
recording under the seeded run. It ends when nothing is queued or in flight on any worker, or
when it is stopped (Ctrl-C/SIGTERM: it finishes what it holds, then leaves). The last worker out
finishes the run: stats summed over the workers, new/changed/gone, and the gone-sweep only when
the run walked the whole marketplace with no failure and no worker lost (a dead worker's
failure counts died with it, so such a run marks nothing gone). If that worker dies too, the next
worker started for the crawl finds nothing left to do and finishes the run.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis
from scrapy.crawler import AsyncCrawlerProcess, Crawler
from scrapy.spiderloader import SpiderLoader

from brandsweep.core.errors import CrawlError
from brandsweep.core.marketplaces import MarketplaceConfig, marketplace_config
from brandsweep.crawl import (
    _connect_progress,
    crawl_settings,
    project_settings,
    search_terms,
)
from brandsweep.crawler.distributed import (
    Frontier,
    crawl_prefix,
    new_worker_id,
    seed_requests,
    worker_settings,
    worker_spider,
)
from brandsweep.matchers import MatchConfig
from brandsweep.store import open_db
from brandsweep.store.runs import finish_run, run_changes, start_run, sweep_gone

log = logging.getLogger(__name__)

SPECS_KEY = "brandsweep:crawls"
DEFAULT_LEASE_S = 30.0
_CRAWL_KEYS = ("queue", "seen", "workers", "token", "lost", "reclaimed", "stats", "finished")


def connect(url: str) -> redis.Redis:
    """A client for ``url``, checked: a clear error instead of a traceback when Redis is not there."""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise CrawlError(f"--redis: expected a redis://HOST:PORT/DB URL, got {url!r}")
    server = redis.Redis.from_url(url, socket_connect_timeout=10)
    try:
        server.ping()
    except redis.RedisError as exc:
        raise CrawlError(f"cannot reach Redis at {url}: {exc}") from exc
    return server


@dataclass(slots=True)
class CrawlSpec:
    """What the seeder put into Redis for the workers."""

    name: str
    spider: str
    run_id: int
    spider_args: dict[str, Any]
    settings: dict[str, Any]
    seeded_at: str

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: bytes | str) -> CrawlSpec:
        return cls(**json.loads(text))


@dataclass(slots=True)
class SeedSummary:
    name: str
    run_id: int
    queued: int
    duplicates: int


def seed_crawl(db_path: str | Path, redis_url: str, spider: str, *, base_url: str | None,
               marketplace: str | None = None, queries: list[str] | None = None, max_pages: int | None = None,
               browse: bool = True, config: MarketplaceConfig | None = None,
               matchers: MatchConfig | None = None, settings: dict[str, Any] | None = None) -> SeedSummary:
    """Record a run for ``spider`` at ``base_url`` and queue its start requests in Redis for workers.

    The arguments are :func:`brandsweep.crawl.run_crawl`'s; ``matchers`` is the ``[matchers]``
    configuration the workers score with.
    """
    name = marketplace or spider
    prefix = _prefix(name)
    cfg = config or marketplace_config(name, spider=spider, base_url=base_url)
    if base_url and cfg.base_url != base_url:
        cfg = cfg.with_base_url(base_url)
    loader = SpiderLoader.from_settings(project_settings())
    if spider not in loader.list():
        raise CrawlError(f"no spider named {spider!r}; known: {', '.join(sorted(loader.list()))}")
    server = connect(redis_url)
    old = server.hget(SPECS_KEY, name)
    if old is not None:
        raise CrawlError(f"a distributed crawl of {name} (run {CrawlSpec.from_json(old).run_id}) is already seeded "
                         f"at {redis_url}: start workers (brandsweep worker --redis {redis_url}) to finish it")
    db = open_db(db_path)
    try:
        queries = search_terms(db, spider, name, queries, browse)
        run_id = start_run(db, "crawl", marketplace=name, source=base_url)
        # No process owns a distributed run: without a pid, no later run on this host takes it for dead.
        db.execute("UPDATE crawl_runs SET pid = NULL WHERE id = ?", (run_id,))
    finally:
        db.close()
    args: dict[str, Any] = {"queries": queries, "platform": name, "browse": browse}
    if base_url:
        args["base_url"] = base_url
    if max_pages is not None:
        args["max_pages"] = max_pages
    if cfg.api_key_env:
        args["api_key_env"] = cfg.api_key_env
    spec = CrawlSpec(name=name, spider=spider, run_id=run_id, spider_args=args,
                     settings={**crawl_settings(cfg), **(settings or {}), "BRANDSWEEP_RUN_ID": run_id,
                               "BRANDSWEEP_MATCHERS": (matchers or MatchConfig()).to_mapping()},
                     seeded_at=datetime.now(UTC).isoformat(timespec="seconds"))
    server.delete(*(f"{prefix}:{k}" for k in _CRAWL_KEYS))
    crawler = Crawler(loader.load(spider), project_settings(spec.settings))
    instance = crawler.spidercls.from_crawler(crawler, **args)
    queued, dupes = asyncio.run(seed_requests(instance, server, prefix))
    server.hset(SPECS_KEY, name, spec.to_json())  # last: a worker never sees a half-seeded crawl
    return SeedSummary(name=name, run_id=run_id, queued=queued, duplicates=dupes)


def _prefix(name: str) -> str:
    try:
        return crawl_prefix(name)
    except ValueError as exc:
        raise CrawlError(str(exc)) from exc


def seeded_crawls(server: redis.Redis) -> dict[str, CrawlSpec]:
    return {k.decode(): CrawlSpec.from_json(v) for k, v in server.hgetall(SPECS_KEY).items()}


@dataclass(slots=True)
class WorkerSummary:
    worker: str
    name: str
    run_id: int
    reason: str
    stats: dict[str, Any] = field(default_factory=dict)
    finished_run: dict[str, Any] | None = None  # the run's summary, when this worker finished it

    def stat(self, key: str) -> int:
        value = self.stats.get(key, 0)
        return int(value) if isinstance(value, int | float) else 0


def run_worker(db_path: str | Path, redis_url: str, *, crawl: str | None = None, lease_s: float = DEFAULT_LEASE_S,
               blobs: str | None = None, log_level: str = "WARNING",
               progress: Callable[[dict[str, int]], None] | None = None) -> WorkerSummary:
    """Work on the distributed crawl ``crawl`` (default: the one seeded first) until nothing is
    left anywhere or this process is stopped; the last worker out finishes the run."""
    if lease_s <= 0:
        raise CrawlError("--lease must be positive")
    server = connect(redis_url)
    specs = seeded_crawls(server)
    if crawl is not None and crawl not in specs:
        raise CrawlError(f"no distributed crawl named {crawl!r} is seeded at {redis_url}"
                         + (f" (seeded: {', '.join(sorted(specs))})" if specs else ""))
    if not specs:
        raise CrawlError(f"nothing to do: no distributed crawl is seeded at {redis_url} "
                         "(brandsweep crawl NAME --base-url URL --distributed --redis URL)")
    spec = specs[crawl] if crawl else min(specs.values(), key=lambda s: (s.seeded_at, s.name))
    _check_store(db_path, spec)
    api_key_env = spec.spider_args.get("api_key_env")
    if api_key_env and not os.environ.get(api_key_env):
        raise CrawlError(f"{spec.name}: the API key is missing: set the environment variable {api_key_env}")
    prefix = _prefix(spec.name)
    worker = new_worker_id()
    overrides = {"BRANDSWEEP_DB": str(db_path), "BRANDSWEEP_BLOBS": blobs or "", "LOG_LEVEL": log_level,
                 "LOG_INSTALL_ROOT_HANDLER": True, **spec.settings,
                 **worker_settings(redis_url, prefix, worker, lease_s)}
    process = AsyncCrawlerProcess(project_settings(overrides))
    logging.getLogger("scrapy").setLevel(log_level)
    loader = SpiderLoader.from_settings(project_settings())
    crawler = process.create_crawler(worker_spider(loader.load(spec.spider)))
    if progress is not None:
        _connect_progress(crawler, progress)
    process.crawl(crawler, **spec.spider_args)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    reason = str(stats.get("finish_reason", "unknown"))
    frontier = Frontier(server, prefix, worker, lease_s=lease_s)
    _add_stats(server, prefix, stats)
    frontier.leave()
    summary = WorkerSummary(worker=worker, name=spec.name, run_id=spec.run_id, reason=reason, stats=stats)
    if reason == "finished":
        covers = bool(getattr(crawler.spider, "covers_everything", False))
        summary.finished_run = _finish_when_last(server, frontier, spec, db_path, blobs, covers=covers)
    return summary


def _check_store(db_path: str | Path, spec: CrawlSpec) -> None:
    db = open_db(db_path, create=False)  # a mistyped path is an error, not a new empty store
    try:
        row = db.execute("SELECT marketplace, status FROM crawl_runs WHERE id = ?", (spec.run_id,)).fetchone()
    finally:
        db.close()
    if row is None or row[0] != spec.name:
        raise CrawlError(f"the store {db_path} has no run {spec.run_id} of {spec.name}: a worker must write to "
                         "the store the crawl was seeded into (pass the seeder's --db)")


def _add_stats(server: redis.Redis, prefix: str, stats: Mapping[str, Any]) -> None:
    with server.pipeline() as pipe:
        for key, value in stats.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                pipe.hincrbyfloat(f"{prefix}:stats", key, value)
        pipe.execute()


def _merged_stats(server: redis.Redis, prefix: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in server.hgetall(f"{prefix}:stats").items():
        number = float(v)
        out[k.decode()] = int(number) if number.is_integer() else number
    return out


def _finish_when_last(server: redis.Redis, frontier: Frontier, spec: CrawlSpec, db_path: str | Path,
                      blobs: str | None, *, covers: bool) -> dict[str, Any] | None:
    """Finish the run if this worker is the last one out (waiting out the lease of a worker that
    died with nothing in hand); another live worker finishes it otherwise."""
    deadline = time.monotonic() + 2 * frontier.lease_s + 10
    while True:
        frontier.reclaim_dead()
        if frontier.pending() > 0:
            return None  # work appeared (a dead worker's requests): the live workers finish it
        if not frontier.workers():
            break
        if time.monotonic() > deadline:
            log.warning("other workers are still registered; the last of them finishes run %s", spec.run_id)
            return None
        time.sleep(min(1.0, frontier.lease_s / 3))
    prefix = frontier.prefix
    # Kept past the clean-up below (a day; seeding the name again clears it), so a worker that
    # leaves a moment later does not finish the run a second time.
    if not server.set(f"{prefix}:finished", frontier.worker, nx=True, ex=86400):
        return None
    stats = _merged_stats(server, prefix)
    lost = frontier.lost_workers()
    stats["brandsweep/distributed/workers_lost"] = lost
    stats["brandsweep/distributed/requests_reclaimed"] = frontier.reclaimed_requests()
    stats["finish_reason"] = "finished"
    full = (covers and not lost and not stats.get("brandsweep/listing_failures")
            and not stats.get("brandsweep/pagination_capped"))
    scope = "full" if full else "partial"
    db = open_db(db_path, blobs=blobs)
    try:
        if full:
            stats["brandsweep/gone_swept"] = sweep_gone(db, spec.run_id, spec.name)
        changes = run_changes(db, spec.run_id)
        for change in ("new", "changed", "unchanged", "gone"):
            stats[f"brandsweep/listings/{change}"] = changes[change]
        stats["brandsweep/scope"] = scope
        finish_run(db, spec.run_id, status="ok", stats=stats, scope=scope)
    finally:
        db.close()
    with server.pipeline() as pipe:
        pipe.hdel(SPECS_KEY, spec.name)
        pipe.delete(*(f"{prefix}:{k}" for k in _CRAWL_KEYS if k != "finished"))
        pipe.execute()
    return stats
