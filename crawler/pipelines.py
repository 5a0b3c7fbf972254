"""The one seam between Scrapy and the rest of brandsweep.

``StorePipeline`` takes each :class:`ListingRecord`, fetches its images through the crawler's
own downloader (so every middleware, limit and host rule applies to them too), hashes them off
the reactor thread, and hands the listing to :class:`brandsweep.store.ingest.Ingestor`, which stores
and scores it in one transaction. :class:`SellerRecord` items update the seller table.

A :class:`~brandsweep.crawler.items.ListingGone` marks a stored listing gone. Every dropped item is counted
under ``drop_item/<reason>`` in the crawl stats.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, Self, TypeVar

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, IgnoreRequest

from brandsweep.core.records import FetchedImage, ListingRecord, SellerRecord
from brandsweep.crawler.items import ListingGone
from brandsweep.rightsholder_catalog import build_matcher
from brandsweep.store import open_db, utcnow
from brandsweep.store.db import transaction
from brandsweep.store.ingest import Ingestor, hash_image_bytes, record_image
from brandsweep.store.listings import cached_image, known_image, store_seller
from brandsweep.store.runs import finish_run, mark_gone, start_run

T = TypeVar("T")
LOCK_RETRIES = 8


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.db = open_db(settings.get("BRANDSWEEP_DB"), blobs=settings.get("BRANDSWEEP_BLOBS") or None)
        self.max_images = settings.getint("BRANDSWEEP_MAX_IMAGES_PER_LISTING", 4)
        self.blobs = self.db.blobs
        run_id = settings.get("BRANDSWEEP_RUN_ID")
        self.own_run = run_id is None
        self.run_id = int(run_id) if run_id is not None else 0
        self.ingestor: Ingestor | None = None
        self.pending: dict[str, asyncio.Future[FetchedImage]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def stats(self) -> Any:
        return self.crawler.stats

    async def _write(self, fn: Callable[[], T]) -> T:
        """Run one whole write transaction, again if the backend calls the failure transient (SQLite
        locked longer than the busy timeout, PostgreSQL deadlock or serialization failure; see
        ``store.db``); the failed attempt was rolled back whole, so repeating it is safe."""
        for attempt in range(LOCK_RETRIES):
            try:
                return fn()
            except Exception as exc:
                if not self.db.is_retryable(exc) or attempt == LOCK_RETRIES - 1:
                    raise
                self.stats.inc_value("brandsweep/store/lock_retries")
                await asyncio.sleep(0.05 * 2 ** attempt)
        raise AssertionError("unreachable")

    def open_spider(self) -> None:
        spider = self.crawler.spider
        if self.own_run:
            self.run_id = start_run(self.db, "crawl", marketplace=getattr(spider, "name", None),
                                    source=getattr(spider, "base_url", None))
        self.ingestor = Ingestor(self.db, build_matcher(self.db), self.run_id)

    def close_spider(self) -> None:
        if self.ingestor is not None:
            for key, value in self.ingestor.counts.as_dict().items():
                self.stats.set_value(f"brandsweep/{key}", value)
        if self.own_run:
            reason = self.stats.get_value("finish_reason") or "finished"
            finish_run(self.db, self.run_id, status="ok" if reason == "finished" else reason,
                       stats=self.stats.get_stats())
        self.db.close()

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, ListingGone):
            if await self._write(lambda: self._mark_gone(item)):
                self.stats.inc_value("brandsweep/listings_gone")
            return item
        if isinstance(item, SellerRecord):
            await self._write(lambda: self._store_seller(item))
            self.stats.inc_value("brandsweep/sellers")
            return item
        if not isinstance(item, ListingRecord):
            self._drop("unknown_item", f"not a listing: {type(item).__name__}")
        if not item.title.strip():
            self._drop("no_title", f"listing without a title: {item.url}")
        urls = list(dict.fromkeys(item.image_urls))[: self.max_images]
        images = list(await asyncio.gather(*(self._image(u) for u in urls)))
        ingestor = self.ingestor
        assert ingestor is not None
        result = await self._write(lambda: ingestor.ingest(item, images))
        self.stats.inc_value("brandsweep/listings_stored")
        if result.is_lead:
            self.stats.inc_value("brandsweep/leads_matched")
        return item

    def _hash_in_worker(self, body: bytes) -> tuple[str | None, str | None]:
        """Decode and hash in a worker thread, never the reactor's (counted, so a test can tell)."""
        on_reactor = threading.current_thread() is threading.main_thread()
        self.stats.inc_value("brandsweep/images/hashed_on_reactor_thread" if on_reactor
                             else "brandsweep/images/hashed_in_worker_thread")
        self.blobs.write(body)
        return hash_image_bytes(body)

    def _mark_gone(self, item: ListingGone) -> bool:
        with transaction(self.db):
            return mark_gone(self.db, item.platform, item.listing_id, run_id=self.run_id, now=utcnow())

    def _store_seller(self, item: SellerRecord) -> None:
        with transaction(self.db):
            store_seller(self.db, item, now=utcnow())

    def _record_image(self, url: str, body: bytes, phash: str | None, refused: str | None) -> FetchedImage:
        with transaction(self.db):
            return record_image(self.db, url, body, phash, refused)

    def _drop(self, reason: str, message: str) -> None:
        self.stats.inc_value(f"drop_item/{reason}")
        raise DropItem(message)

    async def _image(self, url: str) -> FetchedImage:
        """Fetch, hash and store one image, once per URL even when listings share it."""
        cached = cached_image(self.db, url)
        if cached is not None:
            self.stats.inc_value("brandsweep/images/cached")
            return cached
        if url in self.pending:
            return await asyncio.shield(self.pending[url])
        fut: asyncio.Future[FetchedImage] = asyncio.get_running_loop().create_future()
        self.pending[url] = fut
        try:
            img = await self._fetch_image(url)
            fut.set_result(img)
            return img
        except BaseException:
            fut.cancel()
            raise
        finally:
            del self.pending[url]

    async def _fetch_image(self, url: str) -> FetchedImage:
        engine = self.crawler.engine
        assert engine is not None
        try:
            response = await engine.download_async(Request(url, meta={"brandsweep_image": True}, priority=10))
        except IgnoreRequest as exc:
            return self._refused(url, f"ignored:{type(exc).__name__}")
        except Exception as exc:  # network errors: counted and kept, never fatal to the listing
            return self._refused(url, f"fetch_error:{type(exc).__name__}")
        if response.status != 200:
            return self._refused(url, f"http_{response.status}")
        body = response.body
        known = known_image(self.db, body)
        if known is not None:
            phash, refused = known[1], known[2]
        else:  # decode, hash and write the blob (fsync) in a worker thread, not the reactor's
            phash, refused = await asyncio.to_thread(self._hash_in_worker, body)
        img = await self._write(lambda: self._record_image(url, body, phash, refused))
        self.stats.inc_value("brandsweep/images/hashed" if phash else f"brandsweep/images/refused/{refused}")
        return img

    def _refused(self, url: str, reason: str) -> FetchedImage:
        self.stats.inc_value(f"brandsweep/images/refused/{reason}")
        return FetchedImage(url=url, refused=reason)
