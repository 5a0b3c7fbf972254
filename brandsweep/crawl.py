"""Running one crawl in this process: record the run, start Scrapy, collect its stats.

Scrapy's reactor cannot be restarted in a process, so one process runs one crawl; the
scheduler starts a fresh process per job.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import AsyncCrawlerProcess
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

from brandsweep.core.errors import CrawlError
from brandsweep.core.marketplaces import MarketplaceConfig, marketplace_config
from brandsweep.matchers import MatchConfig
from brandsweep.rightsholder_catalog.queries import brand_search_terms
from brandsweep.store import Database, open_db
from brandsweep.store.runs import (
    carry_over,
    failure_counts,
    finish_run,
    interrupted_runs,
    run_changes,
    start_run,
    sweep_gone,
)

PLAYWRIGHT_HANDLERS = MappingProxyType({
    "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
    "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
})
# Spiders that find listings without searching (sitemaps, APIs): they need no catalog terms.
NO_SEARCH_SPIDERS = frozenset({"schemaorg", "partnerapi"})


def crawl_settings(cfg: MarketplaceConfig) -> dict[str, Any]:
    """Scrapy settings for one marketplace: politeness, limits, allowed hosts, and the browser only
    when the marketplace needs one (the playwright download handler is not even loaded otherwise)."""
    out = cfg.scrapy_settings()
    if cfg.render_js:
        out["DOWNLOAD_HANDLERS"] = dict(PLAYWRIGHT_HANDLERS)
        out["PLAYWRIGHT_MAX_PAGES_PER_CONTEXT"] = cfg.browser_max_pages
        out["PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT"] = int(cfg.timeout_s * 1000)
    return out


@dataclass(slots=True)
class CrawlSummary:
    run_id: int
    marketplace: str
    status: str
    stats: dict[str, Any] = field(default_factory=dict)

    def stat(self, key: str) -> int:
        value = self.stats.get(key, 0)
        return int(value) if isinstance(value, int | float) else 0

    def failures(self) -> dict[str, int]:
        return failure_counts(self.stats)

    def capped_text(self) -> str:
        """What a page cap cut, or ``""``: a capped run is partial and marks nothing gone."""
        lists = self.stat("brandsweep/pagination_capped")
        if not lists:
            return ""
        cap, unit = self.stats.get("brandsweep/page_cap"), self.stats.get("brandsweep/page_cap_unit", "pages")
        return (f"\ncapped: {lists} list(s) stopped at max_pages {cap} ({unit}); the run is partial and nothing "
                "is marked gone (raise max_pages for this marketplace, or --max-pages)")

    def failures_text(self) -> str:
        found = self.failures()
        return ("\nfailures: " + ", ".join(f"{k}={v}" for k, v in found.items())) if found else ""


def _origin(url: str | None) -> tuple[str, str, int | None] | None:
    parts = urlsplit(url or "")
    if not parts.hostname:
        return None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    return parts.scheme, parts.hostname.lower(), port


def site_config(url: str, *, name: str | None = None, render_js: bool = False,
                configured: Mapping[str, MarketplaceConfig] | None = None) -> MarketplaceConfig:
    """The configuration of a ``--url`` crawl: the schemaorg spider at that URL.

    A ``[marketplaces.NAME]`` entry applies when ``name`` names it or its ``base_url`` is on the
    same scheme, host and port: its depth, concurrency, allowed hosts, image hosts, limits and
    politeness, under its name. Without one, only that host and port are allowed. Private and
    loopback addresses are allowed for the allowed hosts because the operator named the URL;
    every other host stays refused, so a seller's link cannot lead anywhere else.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CrawlError(f"--url: expected an http(s) URL, got {url!r}")
    configured = configured or {}
    entry = configured.get(name) if name else None
    if entry is None:
        entry = next((c for c in configured.values() if _origin(c.base_url) == _origin(url)), None)
    if entry is None:
        return MarketplaceConfig(name=name or parts.netloc, spider="schemaorg", base_url=url,
                                 allow_private_addresses=True, render_js=render_js)
    hosts = entry.allowed_hosts or MarketplaceConfig(name=entry.name, spider="schemaorg", base_url=url).hosts
    return dataclasses.replace(entry, spider="schemaorg", base_url=url, allowed_hosts=hosts,
                               allow_private_addresses=True, render_js=entry.render_js or render_js)


def search_terms(db: Database, spider: str, name: str, queries: list[str] | None, browse: bool) -> list[str]:
    """The crawl's search terms: the given ones, else every catalog brand name and alias; a crawl
    that would search nothing and browse nothing is refused."""
    if queries is None:
        queries = brand_search_terms(db)
        if not queries and spider not in NO_SEARCH_SPIDERS:
            raise CrawlError("the catalog is empty: import one with 'brandsweep catalog import FILE' first")
    if not queries and not browse and spider not in NO_SEARCH_SPIDERS:
        raise CrawlError(f"nothing to crawl on {name}: no search terms and --no-browse")
    return queries


def project_settings(overrides: dict[str, Any] | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("brandsweep.crawler.settings", priority="project")
    if overrides:
        settings.setdict(overrides, priority="cmdline")
    return settings


def spider_names() -> list[str]:
    return sorted(SpiderLoader.from_settings(project_settings()).list())


def run_crawl(
    db_path: str | Path,
    spider: str,
    *,
    base_url: str | None,
    marketplace: str | None = None,
    queries: list[str] | None = None,
    max_pages: int | None = None,
    settings: dict[str, Any] | None = None,
    log_level: str = "WARNING",
    browse: bool = True,
    progress: Callable[[dict[str, int]], None] | None = None,
    config: MarketplaceConfig | None = None,
    spider_args: dict[str, Any] | None = None,
    blobs: str | None = None,
    matchers: MatchConfig | None = None,
) -> CrawlSummary:
    """Crawl ``spider`` at ``base_url`` into the store at ``db_path``; return the run's summary.

    ``browse=False`` crawls only the search results of ``queries`` (a sweep), not the categories.
    ``progress`` is called after every response with ``pages`` (responses so far), ``queued``
    (requests scheduled so far) and ``listings`` (listings stored so far).

    ``blobs`` is the ``[store] blobs`` folder for image bytes (None: the store's default place).
    ``matchers`` (the ``[matchers]`` configuration; None: the defaults) scores the listings: it
    reaches the store pipeline as the ``BRANDSWEEP_MATCHERS`` setting (plain values).

    ``config`` (default: the built-in entry named ``marketplace``, else defaults) gives politeness,
    limits and allowed hosts. A run that finishes ``ok`` having walked the whole marketplace with
    no failed list or listing page is ``full``; only such a run marks unseen listings gone.
    """
    name = marketplace or spider
    cfg = config or marketplace_config(name, spider=spider, base_url=base_url)
    if base_url and cfg.base_url != base_url:
        cfg = cfg.with_base_url(base_url)
    if cfg.api_key_env and not os.environ.get(cfg.api_key_env):
        raise CrawlError(f"{name}: the API key is missing: set the environment variable {cfg.api_key_env}")
    loader = SpiderLoader.from_settings(project_settings())
    if spider not in loader.list():
        raise CrawlError(f"no spider named {spider!r}; known: {', '.join(sorted(loader.list()))}")
    db = open_db(db_path, blobs=blobs)
    try:
        queries = search_terms(db, spider, name, queries, browse)
        run_id = start_run(db, "crawl", marketplace=name, source=base_url)
        window = project_settings(settings).getfloat("BRANDSWEEP_RESUME_WINDOW_S")
        resumed = interrupted_runs(db, name, max_age_s=window) if window > 0 else []
        carried = carry_over(db, run_id, resumed)
    finally:
        db.close()
    overrides = {
        "BRANDSWEEP_DB": str(db_path),
        "BRANDSWEEP_BLOBS": blobs or "",
        "BRANDSWEEP_RUN_ID": run_id,
        "BRANDSWEEP_MATCHERS": (matchers or MatchConfig()).to_mapping(),
        "LOG_LEVEL": log_level,
        "LOG_INSTALL_ROOT_HANDLER": True,
        **crawl_settings(cfg),
        **(settings or {}),
    }
    process = AsyncCrawlerProcess(project_settings(overrides))
    logging.getLogger("scrapy").setLevel(log_level)
    crawler = process.create_crawler(loader.load(spider))
    kwargs: dict[str, Any] = {"queries": queries, "platform": name, "browse": browse, **(spider_args or {})}
    if carried:
        kwargs["skip_listing_ids"] = carried
    if cfg.api_key_env:
        kwargs["api_key_env"] = cfg.api_key_env
    if progress is not None:
        _connect_progress(crawler, progress)
    if base_url:
        kwargs["base_url"] = base_url
    if max_pages is not None:
        kwargs["max_pages"] = max_pages
    process.crawl(crawler, **kwargs)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    reason = str(stats.get("finish_reason", "unknown"))
    status = "ok" if reason == "finished" and not stats.get("brandsweep/fatal") else reason
    covers = bool(getattr(crawler.spider, "covers_everything", False))
    scope = "full" if (status == "ok" and covers and not stats.get("brandsweep/listing_failures")
                       and not stats.get("brandsweep/pagination_capped")) else "partial"
    db = open_db(db_path, blobs=blobs)
    try:
        if scope == "full":
            stats["brandsweep/gone_swept"] = sweep_gone(db, run_id, name)
        changes = run_changes(db, run_id)
        for change in ("new", "changed", "unchanged", "gone"):
            stats[f"brandsweep/listings/{change}"] = changes[change]
        stats["brandsweep/scope"] = scope
        if resumed:
            stats["brandsweep/resume/from_runs"] = ",".join(map(str, resumed))
            stats["brandsweep/resume/carried_over"] = len(carried)
        finish_run(db, run_id, status=status, stats=stats, scope=scope)
    finally:
        db.close()
    return CrawlSummary(run_id=run_id, marketplace=name, status=status, stats=stats)


def _connect_progress(crawler: Any, progress: Callable[[dict[str, int]], None]) -> None:
    pages = [0]  # responses to scheduled page requests (not robots.txt, not images)

    def report(request: Any = None, **_: Any) -> None:
        stats = crawler.stats
        if stats is None:
            return
        if request is not None and not request.meta.get("brandsweep_image") \
                and not request.url.endswith("/robots.txt"):
            pages[0] += 1
        progress({
            "pages": pages[0],
            "queued": int(stats.get_value("scheduler/enqueued", 0)),
            "listings": int(stats.get_value("brandsweep/listings_stored", 0)),
        })

    crawler.signals.connect(report, signal=signals.response_received, weak=False)
    crawler.signals.connect(report, signal=signals.spider_closed, weak=False)
