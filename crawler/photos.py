"""The crawl's photo reading (issue 15): the first ``photo_max_images`` usable photos of each listing go
to one :class:`~brandsweep.matchers.photo_reader.PhotoReader` per crawl (worker processes, never the
reactor thread: ``submit`` returns a ``concurrent.futures.Future`` the pipeline awaits), and what
they showed is stored in ``image_readings`` and handed to the matcher with the listing.

An image is read once: a reading in the store (from this or an earlier crawl) is reused when it was
made with OCR as now and against the current logo index; a failed one (``timeout``, ``error``) is
read again next time. Stats (``brandsweep/photos/...``): ``read``, ``reused``, ``text_found``,
``logos_found``, ``timeout``, ``refused/<reason>``, ``error``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from brandsweep.core.records import FetchedImage
from brandsweep.matchers import MatchConfig
from brandsweep.matchers.photo_reader import PhotoReader, PhotoReading, photo_fields, settings_from
from brandsweep.store.db import open_db
from brandsweep.store.ingest import NO_PHOTOS, CrawlIngest, Photos
from brandsweep.store.photos import StoredReading, load_logo_index


class PhotoStage:
    """Reads listing photos for one crawl; ``enabled`` is False (and no process starts) when the
    ``[matchers]`` switches turn both engines off, or OCR is off and the catalog has no logo."""

    def __init__(self, config: MatchConfig, target: str, blobs: str | None, store: CrawlIngest, stats: Any) -> None:
        self.max_images = config.photo_max_images
        self.store = store
        self.stats = stats
        self.settings = settings_from(config)
        self.digest: str | None = None
        self.reader: PhotoReader | None = None
        self._inflight: dict[str, asyncio.Future[PhotoReading]] = {}
        if not config.photos_on:
            return
        index = None
        if config.photo_logos:
            db = open_db(target, blobs=blobs)  # reads only: another process may hold the write lock
            try:
                index, self.digest, stored = load_logo_index(db)
            finally:
                db.close()
            if index is not None and self.digest is not None and not stored:
                store.save_logo_index(self.digest, index)  # on the writer thread, with the crawl's writes
        reader = PhotoReader(self.settings, index)
        if reader.enabled:
            self.reader = reader
            stats.set_value("brandsweep/photos/workers", self.settings.workers)

    @property
    def enabled(self) -> bool:
        return self.reader is not None

    def close(self) -> None:
        """Stop the workers (blocking: call it in a worker thread)."""
        if self.reader is not None:
            self.stats.set_value("brandsweep/photos/workers_replaced", self.reader.restarts)
            self.reader.close()

    def _usable(self, stored: StoredReading) -> bool:
        s = self.settings
        return (stored.reading.status in ("ok", "refused") and (stored.ocr or not s.ocr)
                and (not s.logos or self.digest is None or stored.logo_index == self.digest))

    async def photos(self, images: Sequence[FetchedImage]) -> Photos:
        """What the listing's first photos show, reading those never read."""
        if self.reader is None:
            return NO_PHOTOS
        shas = list(dict.fromkeys(i.sha256 for i in images if i.phash and i.sha256))[: self.max_images]
        if not shas:
            return NO_PHOTOS
        ask = [s for s in shas if s not in self._inflight]
        stored = await asyncio.wrap_future(self.store.readings(ask)) if ask else {}
        readings: list[PhotoReading] = []
        for sha in shas:
            known = stored.get(sha)
            if known is not None and self._usable(known):
                self.stats.inc_value("brandsweep/photos/reused")
                readings.append(known.reading)
            else:
                readings.append(await asyncio.shield(self._read(sha)))
        return photo_fields(readings)

    def _read(self, sha: str) -> asyncio.Future[PhotoReading]:
        fut = self._inflight.get(sha)
        if fut is None:
            fut = self._inflight[sha] = asyncio.ensure_future(self._read_now(sha))
        return fut

    async def _read_now(self, sha: str) -> PhotoReading:
        assert self.reader is not None
        try:
            data = await asyncio.wrap_future(self.store.read_blob(sha))
            if data is None:
                reading = PhotoReading("error", detail="no kept bytes")
            else:
                reading = await asyncio.wrap_future(self.reader.submit(data))  # a worker process, not this thread
            self._count(reading)
            await asyncio.wrap_future(self.store.record_reading(sha, reading, self.settings, self.digest))
            return reading
        finally:
            self._inflight.pop(sha, None)

    def _count(self, reading: PhotoReading) -> None:
        inc = self.stats.inc_value
        inc("brandsweep/photos/read")
        if reading.status == "ok":
            if reading.lines:
                inc("brandsweep/photos/text_found")
            if reading.logos:
                inc("brandsweep/photos/logos_found")
        elif reading.status == "refused":
            inc(f"brandsweep/photos/refused/{reading.detail or 'unknown'}")
        else:
            inc(f"brandsweep/photos/{reading.status}")
