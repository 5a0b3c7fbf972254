"""Listings, their versions, sellers and images in the store.

A listing is keyed by (platform, listing_id). Storing the same content again only moves
``last_seen``; a change of title, price, currency, description, seller or images adds a row
to ``listing_versions`` so the history of a listing is kept. Each run records what it saw of each
listing in ``run_listings`` (``new``, ``changed``, ``unchanged``; ``gone`` is written by
:mod:`brandsweep.store.runs`); the first classification within a run wins, so a listing met
twice in one run stays ``new``. A gone listing that is seen again is ``changed`` and live again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import sqlite_utils

from brandsweep.core.files import write_atomic
from brandsweep.core.records import FetchedImage, ListingRecord, SellerRecord
from brandsweep.store.db import blob_dir

Change = Literal["new", "changed", "unchanged"]


def _image_key(url: str) -> str:
    """An image URL without scheme and host: a listing whose images move to another host
    (CDN rotation, a marketplace's new address) has not changed."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.netloc else url


def content_hash(rec: ListingRecord) -> str:
    payload = json.dumps(
        [rec.title, rec.price, rec.currency, rec.description, rec.seller_id, [_image_key(u) for u in rec.image_urls]],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def store_listing(db: sqlite_utils.Database, rec: ListingRecord, *, run_id: int | None, now: str) -> Change:
    """Insert or update one listing (call inside a transaction); say whether it is new or changed."""
    digest = content_hash(rec)
    row = db.execute(
        "SELECT content_hash, version, gone_run_id FROM listings WHERE platform = ? AND listing_id = ?",
        (rec.platform, rec.listing_id),
    ).fetchone()
    fields = {
        "url": rec.url,
        "title": rec.title,
        "description": rec.description,
        "price": rec.price,
        "currency": rec.currency,
        "seller_id": rec.seller_id,
        "seller_name": rec.seller_name,
        "seller_location": rec.seller_location,
        "sales_count": rec.sales_count,
        "image_urls": json.dumps(list(rec.image_urls), ensure_ascii=False),
        "captured_at": rec.captured_at or now,
        "last_seen": now,
        "last_run_id": run_id,
        "content_hash": digest,
        "gone_run_id": None,
        "gone_at": None,
    }
    if row is None:
        version = 1
        change: Change = "new"
        db["listings"].insert(
            {"platform": rec.platform, "listing_id": rec.listing_id, **fields, "first_seen": now,
             "first_run_id": run_id, "version": version}
        )
    else:
        old_hash, version, gone_run = row
        change = "unchanged" if old_hash == digest and gone_run is None else "changed"
        if old_hash != digest:
            version += 1
        cols = ", ".join(f"{k} = ?" for k in fields)
        db.execute(
            f"UPDATE listings SET {cols}, version = ? WHERE platform = ? AND listing_id = ?",
            [*fields.values(), version, rec.platform, rec.listing_id],
        )
    if run_id is not None:
        db.execute("INSERT OR IGNORE INTO run_listings (run_id, platform, listing_id, change) VALUES (?, ?, ?, ?)",
                   (run_id, rec.platform, rec.listing_id, change))
    if row is None or row[0] != digest:
        db["listing_versions"].insert(
            {"platform": rec.platform, "listing_id": rec.listing_id, "version": version,
             "run_id": run_id, "captured_at": fields["captured_at"], "content_hash": digest,
             "title": rec.title, "price": rec.price, "currency": rec.currency,
             "seller_id": rec.seller_id},
            replace=True,
        )
    if rec.seller_id:
        store_seller(db, SellerRecord(platform=rec.platform, seller_id=rec.seller_id, name=rec.seller_name,
                                      location=rec.seller_location, phone=rec.seller_phone,
                                      address=rec.seller_address, url=rec.seller_url), now=now)
    return change


def store_seller(db: sqlite_utils.Database, rec: SellerRecord, *, now: str) -> None:
    db.execute(
        """
        INSERT INTO sellers (platform, seller_id, name, location, phone, address, url, first_seen, last_seen)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (platform, seller_id) DO UPDATE SET
            name = COALESCE(excluded.name, name),
            location = COALESCE(excluded.location, location),
            phone = COALESCE(excluded.phone, phone),
            address = COALESCE(excluded.address, address),
            url = COALESCE(excluded.url, url),
            last_seen = excluded.last_seen
        """,
        (rec.platform, rec.seller_id, rec.name, rec.location, rec.phone, rec.address, rec.url, now, now),
    )


def store_listing_images(
    db: sqlite_utils.Database, platform: str, listing_id: str, images: Sequence[FetchedImage]
) -> None:
    db.execute("DELETE FROM listing_images WHERE platform = ? AND listing_id = ?", (platform, listing_id))
    for pos, img in enumerate(images):
        db["listing_images"].insert(
            {"platform": platform, "listing_id": listing_id, "position": pos, "url": img.url,
             "sha256": img.sha256, "refused": img.refused}
        )


def listing_image_hashes(db: sqlite_utils.Database, platform: str, listing_id: str) -> tuple[str, ...]:
    rows = db.execute(
        """
        SELECT i.phash FROM listing_images li JOIN images i ON i.sha256 = li.sha256
        WHERE li.platform = ? AND li.listing_id = ? AND i.phash IS NOT NULL ORDER BY li.position
        """,
        (platform, listing_id),
    ).fetchall()
    return tuple(r[0] for r in rows)


def cached_image(db: sqlite_utils.Database, url: str) -> FetchedImage | None:
    """What an image URL resolved to before, so it is not fetched again."""
    row = db.execute(
        "SELECT u.sha256, i.phash, COALESCE(u.refused, i.refused) FROM image_urls u "
        "LEFT JOIN images i ON i.sha256 = u.sha256 WHERE u.url = ?",
        (url,),
    ).fetchone()
    if row is None:
        return None
    return FetchedImage(url=url, sha256=row[0], phash=row[1], refused=row[2])


def known_image(db: sqlite_utils.Database, data: bytes) -> tuple[str, str | None, str | None] | None:
    """``(sha256, phash, refused)`` of bytes already in the store, so they are not hashed again."""
    digest = hashlib.sha256(data).hexdigest()
    row = db.execute("SELECT phash, refused FROM images WHERE sha256 = ?", (digest,)).fetchone()
    return (digest, row[0], row[1]) if row else None


def remember_image_url(db: sqlite_utils.Database, img: FetchedImage, *, now: str) -> None:
    db.execute(
        "INSERT OR REPLACE INTO image_urls (url, sha256, refused, fetched_at) VALUES (?, ?, ?, ?)",
        (img.url, img.sha256, img.refused, now),
    )


def write_blob(db: sqlite_utils.Database, data: bytes) -> str:
    """Keep ``data`` under its SHA-256 in the blob folder (written whole or not at all)."""
    return write_blob_in(blob_dir(db), data)


def write_blob_in(blobs: Path, data: bytes) -> str:
    """:func:`write_blob` given the blob folder: plain file work (fsync + rename), no database, so
    it may run in a worker thread."""
    digest = hashlib.sha256(data).hexdigest()
    folder = blobs / digest[:2]
    target = folder / digest
    if target.exists():
        return digest
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(target, [data], clean_stale=False)
    return digest


def store_image(
    db: sqlite_utils.Database,
    data: bytes,
    *,
    phash: str | None,
    refused: str | None,
    size: tuple[int, int] | None,
    now: str,
) -> str:
    """Record an image's hash, or why it was refused; return its sha256. Only usable images are kept
    as blobs: a refused body (a decompression bomb, a page posing as an image) is never stored."""
    digest = write_blob(db, data) if refused is None else hashlib.sha256(data).hexdigest()
    db.execute(
        "INSERT OR IGNORE INTO images (sha256, phash, refused, width, height, size, first_seen) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (digest, phash, refused, size[0] if size else None, size[1] if size else None, len(data), now),
    )
    return digest
