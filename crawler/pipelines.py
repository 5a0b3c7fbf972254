"""The one seam between Scrapy and the rest of brandsweep.

``StorePipeline`` hands everything a crawl stores to :class:`brandsweep.store.ingest.CrawlIngest`
and never touches the store on the reactor thread: reads go to the ingest layer's reader thread,
writes (listings, images, sellers, gone listings) to its writer thread, which batches many of them
per transaction and matches listings there too. The pipeline awaits each write's commit, so an
item is done only once it is stored; while another process holds the store's write lock, the
writes wait and the crawl goes on downloading.

Each :class:`ListingRecord`'s images are fetched through the crawler's own downloader (so every
middleware, limit and host rule applies to them too), judged and hashed in a worker thread (only
usable ones are kept as blobs), and stored with the listing. :class:`SellerRecord` items update the
seller table; a :class:`~brandsweep.crawler.items.ListingGone` marks a stored listing gone. Every
dropped item is counted under ``drop_item/<reason>`` in the crawl stats.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future
from functools import partial
from typing import Any, Self, TypeVar

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, IgnoreRequest

from brandsweep.core.records import FetchedImage, ListingRecord, SellerRecord
from brandsweep.crawler.items import ListingGone
from brandsweep.crawler.photos import PhotoStage
from brandsweep.matchers import MatchConfig
from brandsweep.rightsholder_catalog import build_matcher
from brandsweep.store.ingest import CrawlIngest

T = TypeVar("T")


def done(fut: Future[T]) -> asyncio.Future[T]:
    """Await a store future without blocking the loop."""
    return asyncio.wrap_future(fut)


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.db_path = settings.get("BRANDSWEEP_DB")
        self.blobs = settings.get("BRANDSWEEP_BLOBS") or None
        self.max_images = settings.getint("BRANDSWEEP_MAX_IMAGES_PER_LISTING", 4)
        run_id = settings.get("BRANDSWEEP_RUN_ID")
        self.run_id = int(run_id) if run_id is not None else None
        # the [matchers] configuration, as plain values (brandsweep.crawl.run_crawl sets it)
        self.match_config = MatchConfig.from_mapping(settings.getdict("BRANDSWEEP_MATCHERS"))
        self.store: CrawlIngest | None = None
        self.photos: PhotoStage | None = None
        self.pending: dict[str, asyncio.Future[FetchedImage]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def stats(self) -> Any:
        return self.crawler.stats

    def _store(self) -> CrawlIngest:
        assert self.store is not None, "the pipeline is not open"
        return self.store

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.store = CrawlIngest(self.db_path, partial(build_matcher, config=self.match_config), run_id=self.run_id,
                                 blobs=self.blobs,
                                 marketplace=getattr(spider, "name", None), source=getattr(spider, "base_url", None))
        # text and logos in the listings' photos, read in worker processes (crawler/photos.py)
        self.photos = PhotoStage(self.match_config, self.db_path, self.blobs, self.store, self.stats)

    async def close_spider(self) -> None:
        store = self._store()
        if self.photos is not None:
            await asyncio.to_thread(self.photos.close)
        writer = await asyncio.to_thread(store.drain)
        for key, value in (store.counts() | writer.as_dict()).items():
            self.stats.set_value(f"brandsweep/{key}", value)
        reason = self.stats.get_value("finish_reason") or "finished"
        await asyncio.to_thread(store.close, status="ok" if reason == "finished" else reason,
                                stats=self.stats.get_stats())

    async def process_item(self, item: Any) -> Any:
        store = self._store()
        if isinstance(item, ListingGone):
            if await done(store.mark_gone(item.platform, item.listing_id)):
                self.stats.inc_value("brandsweep/listings_gone")
            return item
        if isinstance(item, SellerRecord):
            await done(store.store_seller(item))
            self.stats.inc_value("brandsweep/sellers")
            return item
        if not isinstance(item, ListingRecord):
            self._drop("unknown_item", f"not a listing: {type(item).__name__}")
        if not item.title.strip():
            self._drop("no_title", f"listing without a title: {item.url}")
        urls = list(dict.fromkeys(item.image_urls))[: self.max_images]
        images = list(await asyncio.gather(*(self._image(u) for u in urls)))
        photos = await self.photos.photos(images) if self.photos is not None else ("", ())
        result, _ = await done(store.ingest(item, images, photos))
        self.stats.inc_value("brandsweep/listings_stored")
        if result.is_lead:
            self.stats.inc_value("brandsweep/leads_matched")
        return item

    def _judge_in_worker(self, body: bytes) -> tuple[str | None, str | None]:
        """Decode, hash and (if usable) keep as a blob, in a worker thread, never the reactor's
        (counted, so a test can tell)."""
        on_reactor = threading.current_thread() is threading.main_thread()
        self.stats.inc_value("brandsweep/images/hashed_on_reactor_thread" if on_reactor
                             else "brandsweep/images/hashed_in_worker_thread")
        return self._store().judge_image(body)

    def _drop(self, reason: str, message: str) -> None:
        self.stats.inc_value(f"drop_item/{reason}")
        raise DropItem(message)

    async def _image(self, url: str) -> FetchedImage:
        """Fetch, judge and store one image, once per URL even when listings share it."""
        cached = await done(self._store().cached_image(url))
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
        store = self._store()
        known = await done(store.known_image(body))
        if known is not None:
            phash, refused = known[1], known[2]
        else:
            phash, refused = await asyncio.to_thread(self._judge_in_worker, body)
        img = await done(store.record_image(url, body, phash, refused))
        self.stats.inc_value("brandsweep/images/hashed" if phash else f"brandsweep/images/refused/{refused}")
        return img

    def _refused(self, url: str, reason: str) -> FetchedImage:
        self.stats.inc_value(f"brandsweep/images/refused/{reason}")
        return FetchedImage(url=url, refused=reason)
