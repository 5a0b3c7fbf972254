"""The one path by which a listing enters the store: store it, match it, record the verdict.

Spiders (through the item pipeline) and platform feeds both end here, so a listing is
stored, versioned and scored the same way whatever brought it in. Each listing is one
transaction: a process killed at any moment leaves every listing either fully stored and
scored or not stored at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import sqlite_utils

from brandsweep.core.records import FetchedImage, ListingRecord
from brandsweep.matchers import ImageRefused, Matcher, hash_image
from brandsweep.matchers.types import ListingView, MatchResult
from brandsweep.store.db import transaction, utcnow
from brandsweep.store.leads import save_match
from brandsweep.store.listings import (
    listing_image_hashes,
    remember_image_url,
    store_image,
    store_listing,
    store_listing_images,
)


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
