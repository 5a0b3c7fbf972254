"""The one path by which listings enter the store: store them, match them, record the verdict.

Spiders (through the item pipeline) and platform feeds both end here, so a listing is stored,
versioned and scored the same way whatever brought it in; so are the images, sellers and gone
listings a crawl meets. A listing is matched first (pure, no lock held), then stored with its
images and match in one transaction (a savepoint inside a batch for crawls): a process killed at
any moment leaves every listing either fully stored and scored or not stored at all.

- :class:`Ingestor`: stores and scores listings for one run on the caller's thread (feeds).
- :class:`CrawlIngest`: everything a crawl stores, never on the caller's thread: reads on one
  reader thread (its own connection; WAL readers never wait for writers), writes batched on one
  :class:`~brandsweep.store.writer.StoreWriter` thread, matching there too. Every method returns a
  :class:`concurrent.futures.Future` at once, which resolves once the write has committed.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from brandsweep.core.records import FetchedImage, ListingRecord, SellerRecord
from brandsweep.matchers import ImageRefused, Matcher, hash_image
from brandsweep.matchers.types import ListingView, MatchResult
from brandsweep.store.db import blob_dir, open_db, transaction, utcnow
from brandsweep.store.leads import save_match
from brandsweep.store.listings import (
    Change,
    cached_image,
    known_image,
    listing_image_hashes,
    remember_image_url,
    store_image,
    store_listing,
    store_listing_images,
    store_seller,
    write_blob_in,
)
from brandsweep.store.runs import finish_run, mark_gone, start_run
from brandsweep.store.writer import StoreWriter, WriterStats


@dataclass(slots=True)
class IngestCounts:
    listings: Counter[str] = field(default_factory=Counter)  # new / changed / unchanged
    leads_new: int = 0
    leads: int = 0
    images: Counter[str] = field(default_factory=Counter)  # hashed / refused/<reason>

    def as_dict(self) -> dict[str, int]:
        out = {f"listings/{k}": v for k, v in sorted(self.listings.items())}
        out |= {f"images/{k}": v for k, v in sorted(self.images.items())}
        out |= {"leads/new": self.leads_new, "leads/total": self.leads}
        return out


def hash_image_bytes(data: bytes) -> tuple[str | None, str | None]:
    """``(phash, None)`` for a usable image, ``(None, reason)`` for a refused one. Thread-safe."""
    try:
        return hash_image(data), None
    except ImageRefused as exc:
        return None, exc.reason


def record_image(db: sqlite_utils.Database, url: str, data: bytes, phash: str | None,
                 refused: str | None) -> FetchedImage:
    """Store fetched image bytes and remember what the URL resolved to."""
    now = utcnow()
    sha = store_image(db, data, phash=phash, refused=refused, size=None, now=now)
    img = FetchedImage(url=url, sha256=sha, phash=phash, refused=refused)
    remember_image_url(db, img, now=now)
    return img


def view_of(rec: ListingRecord, images: Sequence[FetchedImage]) -> ListingView:
    return ListingView(
        platform=rec.platform,
        listing_id=rec.listing_id,
        title=rec.title,
        description=rec.description or "",
        price=rec.price,
        currency=rec.currency,
        seller_id=rec.seller_id,
        seller_name=rec.seller_name,
        image_hashes=tuple(i.phash for i in images if i.phash),
    )


@dataclass(frozen=True, slots=True)
class Stored:
    """What storing one listing did."""

    result: MatchResult
    change: Change
    lead_id: str | None
    created: bool
    images: tuple[FetchedImage, ...] = ()


class Ingestor:
    """Stores and scores listings for one run."""

    def __init__(self, db: sqlite_utils.Database, matcher: Matcher, run_id: int | None) -> None:
        self.db = db
        self.matcher = matcher
        self.run_id = run_id
        self.counts = IngestCounts()

    def match(self, rec: ListingRecord, images: Sequence[FetchedImage] = ()) -> MatchResult:
        return self.matcher.match(view_of(rec, images))

    def store(self, rec: ListingRecord, images: Sequence[FetchedImage], result: MatchResult) -> Stored:
        """Store the listing, its images and its match (inside a transaction, or it opens one)."""
        now = utcnow()
        with transaction(self.db):
            change = store_listing(self.db, rec, run_id=self.run_id, now=now)
            store_listing_images(self.db, rec.platform, rec.listing_id, images)
            lead_id, created = save_match(self.db, rec.platform, rec.listing_id, result,
                                          run_id=self.run_id, now=now)
        return Stored(result, change, lead_id, created, tuple(images))

    def count(self, stored: Stored) -> None:
        """Count a stored listing (once its transaction has committed)."""
        self.counts.listings[stored.change] += 1
        for img in stored.images:
            self.counts.images["hashed" if img.phash else f"refused/{img.refused or 'unknown'}"] += 1
        if stored.lead_id:
            self.counts.leads += 1
            self.counts.leads_new += int(stored.created)

    def ingest(self, rec: ListingRecord, images: Sequence[FetchedImage] = ()) -> MatchResult:
        """Match, store in one transaction, count: one listing, on this thread."""
        stored = self.store(rec, images, self.match(rec, images))
        self.count(stored)
        return stored.result


def judge_image(blobs: Path, data: bytes) -> tuple[str | None, str | None]:
    """Hash fetched image bytes and keep them as a blob only if usable: ``(phash, None)`` or
    ``(None, reason)``. File work and decoding only, no database: safe in any thread."""
    phash, refused = hash_image_bytes(data)
    if refused is None:
        write_blob_in(blobs, data)  # written (fsync + rename) before any row refers to it
    return phash, refused


class CrawlIngest:
    """Everything one crawl stores, off the caller's thread (see the module docstring).

    ``run_id`` is the run the caller recorded; ``None`` starts one (``kind`` crawl, ``marketplace``,
    ``source``) that :meth:`close` finishes. ``matcher_for(db)`` builds the matcher from the store.
    """

    def __init__(self, path: str | Path, matcher_for: Callable[[sqlite_utils.Database], Matcher], *,
                 run_id: int | None, marketplace: str | None = None, source: str | None = None,
                 max_batch: int = 256) -> None:
        self.db = open_db(path)  # the writer thread's, once it starts
        self.own_run = run_id is None
        if run_id is None:
            run_id = start_run(self.db, "crawl", marketplace=marketplace, source=source)
        self.run_id = run_id
        self.blobs = blob_dir(self.db)
        self.ingestor = Ingestor(self.db, matcher_for(self.db), run_id)
        self.reader = open_db(path)
        self._reads = ThreadPoolExecutor(1, thread_name_prefix="brandsweep-store-reader")
        self._writer = StoreWriter(self.db, max_batch=max_batch)
        self._lock = threading.Lock()

    # reads: one reader thread, its own connection
    def cached_image(self, url: str) -> Future[FetchedImage | None]:
        """What an image URL resolved to before (in any run), so it is not fetched again."""
        return self._reads.submit(cached_image, self.reader, url)

    def known_image(self, data: bytes) -> Future[tuple[str, str | None, str | None] | None]:
        """``(sha256, phash, refused)`` of bytes already in the store, so they are not hashed again."""
        return self._reads.submit(known_image, self.reader, data)

    def judge_image(self, data: bytes) -> tuple[str | None, str | None]:
        """:func:`judge_image` into this store's blob folder (call it in a worker thread)."""
        return judge_image(self.blobs, data)

    # writes: batched on the writer thread, each future resolved after its commit
    def record_image(self, url: str, data: bytes, phash: str | None, refused: str | None) -> Future[FetchedImage]:
        return self._writer.submit(lambda db: record_image(db, url, data, phash, refused))

    def ingest(self, rec: ListingRecord, images: Sequence[FetchedImage]) -> Future[Stored]:
        """Match (on the writer thread, before the transaction), store and score one listing."""
        ingestor = self.ingestor
        fut = self._writer.submit_prepared(lambda: ingestor.match(rec, images),
                                           lambda db, result: ingestor.store(rec, images, result))
        fut.add_done_callback(self._count)
        return fut

    def _count(self, fut: Future[Stored]) -> None:
        if not fut.cancelled() and fut.exception() is None:
            with self._lock:
                self.ingestor.count(fut.result())

    def store_seller(self, rec: SellerRecord) -> Future[None]:
        return self._writer.submit(lambda db: store_seller(db, rec, now=utcnow()))

    def mark_gone(self, platform: str, listing_id: str) -> Future[bool]:
        """The listing's own page said it is gone (404/410); True if it was live until now."""
        run_id = self.run_id
        return self._writer.submit(lambda db: mark_gone(db, platform, listing_id, run_id=run_id, now=utcnow()))

    def counts(self) -> dict[str, int]:
        with self._lock:
            return self.ingestor.counts.as_dict()

    def drain(self) -> WriterStats:
        """Commit everything queued and stop the threads (blocking: from a loop, call it in a worker thread)."""
        stats = self._writer.close()
        self._reads.shutdown(wait=True)
        return stats

    def close(self, *, status: str = "ok", stats: dict[str, Any] | None = None) -> None:
        """After :meth:`drain`: finish the run this object started (with ``status`` and ``stats``) and
        close the connections (blocking)."""
        try:
            if self.own_run:
                finish_run(self.db, self.run_id, status=status, stats=stats or {})
        finally:
            self.reader.close()
            self.db.close()


def stored_view(db: sqlite_utils.Database, row: dict[str, object]) -> ListingView:
    platform, listing_id = str(row["platform"]), str(row["listing_id"])
    price = row["price"]
    return ListingView(
        platform=platform,
        listing_id=listing_id,
        title=str(row["title"]),
        description=str(row["description"] or ""),
        price=float(price) if isinstance(price, int | float) else None,
        currency=str(row["currency"]) if row["currency"] else None,
        seller_id=str(row["seller_id"]) if row["seller_id"] else None,
        seller_name=str(row["seller_name"]) if row["seller_name"] else None,
        image_hashes=listing_image_hashes(db, platform, listing_id),
    )


def rematch(
    db: sqlite_utils.Database,
    matcher: Matcher,
    *,
    progress: Callable[[int, int], None] | None = None,
    batch: int = 500,
) -> dict[str, int]:
    """Re-score every stored listing against the current catalog, without fetching anything."""
    total = db.execute("SELECT COUNT(*) FROM listings").fetchone()[0]
    counts = {"listings": 0, "leads": 0, "leads/new": 0, "leads/dropped": 0}
    before = {r[0] for r in db.execute("SELECT lead_id FROM leads WHERE active = 1")}
    rows = list(db.query("SELECT platform, listing_id, title, description, price, currency, seller_id, "
                         "seller_name FROM listings ORDER BY platform, listing_id"))
    for start in range(0, len(rows), batch):
        chunk = rows[start:start + batch]
        now = utcnow()
        with transaction(db):
            for row in chunk:
                result = matcher.match(stored_view(db, row))
                lead_id, created = save_match(db, str(row["platform"]), str(row["listing_id"]), result,
                                              run_id=None, now=now)
                counts["listings"] += 1
                if lead_id:
                    counts["leads"] += 1
                    counts["leads/new"] += int(created)
        if progress:
            progress(min(start + batch, total), total)
    after = {r[0] for r in db.execute("SELECT lead_id FROM leads WHERE active = 1")}
    counts["leads/dropped"] = len(before - after)
    return counts
