"""The one path by which listings enter the store: store them, match them, record the verdict.

Spiders (through the item pipeline) and platform feeds both end here, so a listing is stored,
versioned and scored the same way whatever brought it in; so are the images, sellers and gone
listings a crawl meets. Listings are matched first (pure, no lock held), then stored with their
images and matches in one transaction: a process killed at any moment leaves every listing either
fully stored and scored or not stored at all. The transaction first locks the keys of its listings
(PostgreSQL; SQLite holds its one write lock), so concurrent writers of the same listings on any
host queue and neither loses nor duplicates a version, a run change or a lead. A batch in which a
key repeats is written as consecutive groups without a repeat, in order, so it ends exactly as the
same listings ingested one by one.

- :class:`Ingestor`: stores and scores listings for one run on the caller's thread;
  :meth:`Ingestor.ingest_many` (a feed batch; :meth:`Ingestor.ingest` is a batch of one) is one
  transaction.
- :class:`CrawlIngest`: everything a crawl stores, never on the caller's thread: reads on one
  reader thread (its own connection; readers never wait for writers), writes batched on one
  :class:`~brandsweep.store.writer.StoreWriter` thread, each listing in its own savepoint, matching
  there too. Every method returns a :class:`concurrent.futures.Future` at once, which resolves once
  the write has committed.

:func:`rematch` reads stored listings in keyset-paged batches (``WHERE (platform, listing_id) >
last ORDER BY ... LIMIT n``), so memory stays one batch whatever the store's size, and each
batch's verdicts are written in one transaction.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brandsweep.core.records import FetchedImage, ListingRecord, SellerRecord
from brandsweep.matchers import ImageRefused, Matcher, hash_image
from brandsweep.matchers.logos import LogoHit, LogoIndex
from brandsweep.matchers.photo_reader import PhotoReading, PhotoSettings
from brandsweep.matchers.types import ListingView, MatchResult
from brandsweep.store.blobs import BlobStore
from brandsweep.store.db import Database, open_db, retrying, transaction, utcnow
from brandsweep.store.leads import save_matches
from brandsweep.store.listings import (
    cached_image,
    image_hashes_of,
    known_image,
    listing_lock_key,
    remember_image_url,
    store_image,
    store_images_of,
    store_listings,
    store_seller,
)
from brandsweep.store.photos import StoredReading, listing_photos, readings_of, save_logo_index, save_reading
from brandsweep.store.runs import finish_run, mark_gone, start_run
from brandsweep.store.writer import StoreWriter, WriterStats

Item = tuple[ListingRecord, Sequence[FetchedImage]]
Photos = tuple[str, tuple[LogoHit, ...]]  # a listing's photo_text and photo_logos (store/photos.py)
NO_PHOTOS: Photos = ("", ())


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


def record_image(db: Database, url: str, data: bytes, phash: str | None,
                 refused: str | None) -> FetchedImage:
    """Store fetched image bytes and remember what the URL resolved to."""
    now = utcnow()
    sha = store_image(db, data, phash=phash, refused=refused, size=None, now=now)
    img = FetchedImage(url=url, sha256=sha, phash=phash, refused=refused)
    remember_image_url(db, img, now=now)
    return img


def view_of(rec: ListingRecord, images: Sequence[FetchedImage], photos: Photos = NO_PHOTOS) -> ListingView:
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
        photo_text=photos[0],
        photo_logos=photos[1],
    )


def _groups(items: Sequence[Item]) -> list[list[int]]:
    """Indexes of ``items`` in consecutive groups in which no listing key repeats."""
    groups: list[list[int]] = [[]]
    seen: set[tuple[str, str]] = set()
    for n, (rec, _) in enumerate(items):
        key = (rec.platform, rec.listing_id)
        if key in seen:
            groups.append([])
            seen = set()
        seen.add(key)
        groups[-1].append(n)
    return [g for g in groups if g]


@dataclass(slots=True)
class Stored:
    """What storing a batch did: each listing's change and each verdict ``(lead_id, created)``."""

    changes: list[str] = field(default_factory=list)
    verdicts: list[tuple[str | None, bool]] = field(default_factory=list)


class Ingestor:
    """Stores and scores listings for one run."""

    def __init__(self, db: Database, matcher: Matcher, run_id: int | None) -> None:
        self.db = db
        self.matcher = matcher
        self.run_id = run_id
        self.counts = IngestCounts()

    def ingest(self, rec: ListingRecord, images: Sequence[FetchedImage] = ()) -> MatchResult:
        return self.ingest_many([(rec, images)])[0]

    def ingest_many(self, items: Sequence[Item]) -> list[MatchResult]:
        """Match, then store and score every ``(record, images)`` in one transaction; counts are
        added only once it has committed. Call it again if the backend reports a transient failure
        (:func:`brandsweep.store.db.retrying`): a failed attempt left nothing behind."""
        if not items:
            return []
        results = self.match(items)
        self.store_counted(items, results)
        return results

    def store_counted(self, items: Sequence[Item], results: Sequence[MatchResult]) -> Stored:
        """:meth:`store` verdicts matched elsewhere (a worker process) in one transaction, then
        :meth:`count` them; retry it like :meth:`ingest_many`."""
        stored = self.store(items, results)
        self.count(items, stored)
        return stored

    def match(self, items: Sequence[Item], photos: Sequence[Photos] = ()) -> list[MatchResult]:
        """The verdict of each listing (pure: no store access, any thread); ``photos``: what each
        listing's photos showed, in order (none when empty)."""
        return [self.matcher.match(view_of(rec, images, photos[n] if photos else NO_PHOTOS))
                for n, (rec, images) in enumerate(items)]

    def store(self, items: Sequence[Item], results: Sequence[MatchResult]) -> Stored:
        """Store and score ``items`` with their ``results`` in one transaction (a savepoint when one is
        open already); count nothing (see :meth:`count`, once it has committed)."""
        now = utcnow()
        out = Stored()
        with transaction(self.db):
            self.db.lock_keys([listing_lock_key(rec.platform, rec.listing_id) for rec, _ in items])
            for group in _groups(items):
                recs = [items[n][0] for n in group]
                out.changes += store_listings(self.db, recs, run_id=self.run_id, now=now)
                store_images_of(self.db, [(r.platform, r.listing_id, items[n][1]) for n, r in zip(group, recs,
                                                                                                    strict=True)])
                saved, _ = save_matches(self.db, [(r.platform, r.listing_id, results[n])
                                                  for n, r in zip(group, recs, strict=True)],
                                        run_id=self.run_id, now=now)
                out.verdicts += saved
        return out

    def count(self, items: Sequence[Item], stored: Stored) -> None:
        for change in stored.changes:
            self.counts.listings[change] += 1
        for _, images in items:
            for img in images:
                self.counts.images["hashed" if img.phash else f"refused/{img.refused or 'unknown'}"] += 1
        for lead_id, created in stored.verdicts:
            if lead_id:
                self.counts.leads += 1
                self.counts.leads_new += int(created)


def judge_image(blobs: BlobStore, data: bytes) -> tuple[str | None, str | None]:
    """Hash fetched image bytes and keep them as a blob only if usable: ``(phash, None)`` or
    ``(None, reason)``. Decoding and the blob store only (both thread-safe): call it in a worker."""
    phash, refused = hash_image_bytes(data)
    if refused is None:
        blobs.write(data)  # kept (fsync + rename, or its own autocommit) before any row refers to it
    return phash, refused


class CrawlIngest:
    """Everything one crawl stores, off the caller's thread (see the module docstring).

    ``run_id`` is the run the caller recorded; ``None`` starts one (``kind`` crawl, ``marketplace``,
    ``source``) that :meth:`close` finishes. ``matcher_for(db)`` builds the matcher from the store.
    """

    def __init__(self, target: str | Path, matcher_for: Callable[[Database], Matcher], *, run_id: int | None,
                 marketplace: str | None = None, source: str | None = None, blobs: str | Path | None = None,
                 max_batch: int = 256) -> None:
        self.db = open_db(target, blobs=blobs)  # the writer thread's, once it starts
        self.own_run = run_id is None
        if run_id is None:
            run_id = start_run(self.db, "crawl", marketplace=marketplace, source=source)
        self.run_id = run_id
        self.ingestor = Ingestor(self.db, matcher_for(self.db), run_id)
        self.reader = open_db(target, blobs=blobs)
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
        """:func:`judge_image` into this store's blobs (call it in a worker thread)."""
        return judge_image(self.db.blobs, data)

    # writes: batched on the writer thread, each future resolved after its commit
    def record_image(self, url: str, data: bytes, phash: str | None, refused: str | None) -> Future[FetchedImage]:
        return self._writer.submit(lambda db: record_image(db, url, data, phash, refused))

    def ingest(self, rec: ListingRecord, images: Sequence[FetchedImage],
               photos: Photos = NO_PHOTOS) -> Future[tuple[MatchResult, Stored]]:
        """Match (on the writer thread, before the transaction), store and score one listing."""
        items: list[Item] = [(rec, images)]
        ingestor = self.ingestor
        fut = self._writer.submit_prepared(lambda: ingestor.match(items, [photos]),
                                           lambda db, results: (results[0], ingestor.store(items, results)))

        def count(done: Future[tuple[MatchResult, Stored]]) -> None:
            if not done.cancelled() and done.exception() is None:
                with self._lock:
                    ingestor.count(items, done.result()[1])

        fut.add_done_callback(count)
        return fut

    def readings(self, shas: Sequence[str]) -> Future[dict[str, StoredReading]]:
        """What the photo engines read before in these images (store/photos.py)."""
        return self._reads.submit(readings_of, self.reader, list(shas))

    def read_blob(self, sha256: str) -> Future[bytes | None]:
        return self._reads.submit(self.reader.blobs.read, sha256)

    def record_reading(self, sha256: str, reading: PhotoReading, settings: PhotoSettings,
                       logo_index: str | None) -> Future[None]:
        return self._writer.submit(lambda db: save_reading(db, sha256, reading, settings=settings,
                                                           logo_index=logo_index))

    def save_logo_index(self, digest: str, index: LogoIndex) -> Future[None]:
        return self._writer.submit(lambda db: save_logo_index(db, digest, index))

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


def stored_view(row: dict[str, object], image_hashes: tuple[str, ...], photos: Photos = NO_PHOTOS) -> ListingView:
    price = row["price"]
    return ListingView(
        platform=str(row["platform"]),
        listing_id=str(row["listing_id"]),
        title=str(row["title"]),
        description=str(row["description"] or ""),
        price=float(price) if isinstance(price, int | float) else None,
        currency=str(row["currency"]) if row["currency"] else None,
        seller_id=str(row["seller_id"]) if row["seller_id"] else None,
        seller_name=str(row["seller_name"]) if row["seller_name"] else None,
        image_hashes=image_hashes,
        photo_text=photos[0],
        photo_logos=photos[1],
    )


_REMATCH_SELECT = ("SELECT platform, listing_id, title, description, price, currency, seller_id, seller_name "
                   "FROM listings")


def stored_batches(db: Database, batch: int) -> Iterator[list[dict[str, object]]]:
    """Every stored listing, ``batch`` rows at a time in key order (keyset paging: one batch in memory)."""
    last: tuple[str, str] | None = None
    while True:
        if last is None:
            rows = list(db.query(f"{_REMATCH_SELECT} ORDER BY platform, listing_id LIMIT ?", [batch]))
        else:
            rows = list(db.query(f"{_REMATCH_SELECT} WHERE (platform, listing_id) > (?, ?) "
                                 "ORDER BY platform, listing_id LIMIT ?", [*last, batch]))
        if not rows:
            return
        yield rows
        last = (str(rows[-1]["platform"]), str(rows[-1]["listing_id"]))


def rematch(
    db: Database,
    matcher: Matcher,
    *,
    progress: Callable[[int, int], None] | None = None,
    batch: int = 500,
) -> dict[str, int]:
    """Re-score every stored listing against the current catalog, without fetching anything. What the
    photo engines read is reused from ``image_readings`` (no engine runs here)."""
    cfg = matcher.config
    photo_images = cfg.photo_max_images if cfg.photo_ocr or cfg.photo_logos else 0
    total = int(db.scalar("SELECT COUNT(*) FROM listings") or 0)
    counts = {"listings": 0, "leads": 0, "leads/new": 0, "leads/dropped": 0}
    for rows in stored_batches(db, batch):
        keys = [(str(r["platform"]), str(r["listing_id"])) for r in rows]
        hashes = image_hashes_of(db, keys)
        photos = listing_photos(db, keys, photo_images)
        results = [(k[0], k[1], matcher.match(stored_view(r, hashes.get(k, ()), photos.get(k, NO_PHOTOS))))
                   for k, r in zip(keys, rows, strict=True)]
        now = utcnow()

        def write(results: list[tuple[str, str, MatchResult]] = results, now: str = now) -> tuple[list, int]:
            with transaction(db):
                return save_matches(db, results, run_id=None, now=now)

        saved, dropped = retrying(db, write)
        counts["listings"] += len(rows)
        counts["leads"] += sum(1 for lead_id, _ in saved if lead_id)
        counts["leads/new"] += sum(1 for lead_id, created in saved if lead_id and created)
        counts["leads/dropped"] += dropped
        if progress:
            progress(counts["listings"], total)
    return counts
