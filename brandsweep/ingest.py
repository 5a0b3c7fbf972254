"""The one path by which a listing enters the store: store it, match it, record the verdict.

Spiders (through the item pipeline) and platform feeds both end here, so a listing is
stored, versioned and scored the same way whatever brought it in. Each listing is one
transaction: a process killed at any moment leaves every listing either fully stored and
scored or not stored at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlite_utils

from brandsweep.records import FetchedImage, ListingRecord
from brandsweep.store.db import transaction, utcnow
from brandsweep.store.leads import save_match
from brandsweep.store.listings import remember_image_url, store_image, store_listing, store_listing_images
from matchers import ImageRefused, Matcher, hash_image
from matchers.types import ListingView, MatchResult


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


class Ingestor:
    """Stores and scores listings for one run."""

    def __init__(self, db: sqlite_utils.Database, matcher: Matcher, run_id: int | None) -> None:
        self.db = db
        self.matcher = matcher
        self.run_id = run_id
        self.counts = IngestCounts()

    def ingest(self, rec: ListingRecord, images: Sequence[FetchedImage] = ()) -> MatchResult:
        result = self.matcher.match(view_of(rec, images))
        now = utcnow()
        with transaction(self.db):
            change = store_listing(self.db, rec, run_id=self.run_id, now=now)
            store_listing_images(self.db, rec.platform, rec.listing_id, images)
            lead_id, created = save_match(self.db, rec.platform, rec.listing_id, result,
                                          run_id=self.run_id, now=now)
        self.counts.listings[change] += 1
        for img in images:
            self.counts.images["hashed" if img.phash else f"refused/{img.refused or 'unknown'}"] += 1
        if lead_id:
            self.counts.leads += 1
            self.counts.leads_new += int(created)
        return result
