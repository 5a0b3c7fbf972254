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
from collections.abc import Iterable, Sequence
from typing import Any, Literal
from urllib.parse import urlsplit

from brandsweep.core.records import FetchedImage, ListingRecord, SellerRecord
from brandsweep.store.db import Database

Change = Literal["new", "changed", "unchanged"]
Key = tuple[str, str]
KEY_CHUNK = 400  # keys per "IN (VALUES ...)" lookup: 800 parameters, within every backend's limit
# Columns an update of a stored listing leaves alone.
_KEEP_ON_UPDATE = ("platform", "listing_id", "first_seen", "first_run_id")


def listing_lock_key(platform: str, listing_id: str) -> str:
    """The key :meth:`Database.lock_keys` takes before a listing is read and rewritten."""
    return f"listing\x1f{platform}\x1f{listing_id}"


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


def stored_state(db: Database, keys: Iterable[Key]) -> dict[Key, tuple[str, int, int | None]]:
    """``{(platform, listing_id): (content_hash, version, gone_run_id)}`` of the keys that are stored."""
    out: dict[Key, tuple[str, int, int | None]] = {}
    todo = list(dict.fromkeys(keys))
    for start in range(0, len(todo), KEY_CHUNK):
        chunk = todo[start:start + KEY_CHUNK]
        values = ", ".join(["(?, ?)"] * len(chunk))
        for p, i, h, v, g in db.execute(
                "SELECT platform, listing_id, content_hash, version, gone_run_id FROM listings "
                f"WHERE (platform, listing_id) IN (VALUES {values})", [x for k in chunk for x in k]):
            out[(p, i)] = (h, int(v), g)
    return out


def store_listings(db: Database, records: Sequence[ListingRecord], *, run_id: int | None, now: str) -> list[Change]:
    """Insert or update listings, their versions, run changes and sellers; say what each was.

    Call inside a transaction that holds :func:`listing_lock_key` of every record, with no key
    twice in ``records`` (:mod:`brandsweep.store.ingest` splits a batch where a key repeats).
    """
    state = stored_state(db, ((r.platform, r.listing_id) for r in records))
    listing_rows: list[dict[str, Any]] = []
    version_rows: list[dict[str, Any]] = []
    run_rows: list[dict[str, Any]] = []
    sellers: list[SellerRecord] = []
    changes: list[Change] = []
    for rec in records:
        digest = content_hash(rec)
        old = state.get((rec.platform, rec.listing_id))
        change: Change
        if old is None:
            version, change = 1, "new"
        else:
            old_hash, version, gone_run = old
            change = "unchanged" if old_hash == digest and gone_run is None else "changed"
            version += int(old_hash != digest)
        captured = rec.captured_at or now
        listing_rows.append({
            "platform": rec.platform, "listing_id": rec.listing_id, "url": rec.url, "title": rec.title,
            "description": rec.description, "price": rec.price, "currency": rec.currency,
            "seller_id": rec.seller_id, "seller_name": rec.seller_name, "seller_location": rec.seller_location,
            "sales_count": rec.sales_count, "image_urls": json.dumps(list(rec.image_urls), ensure_ascii=False),
            "captured_at": captured, "first_seen": now, "last_seen": now, "first_run_id": run_id,
            "last_run_id": run_id, "content_hash": digest, "version": version, "gone_run_id": None, "gone_at": None,
        })
        if old is None or old[0] != digest:
            version_rows.append({
                "platform": rec.platform, "listing_id": rec.listing_id, "version": version, "run_id": run_id,
                "captured_at": captured, "content_hash": digest, "title": rec.title, "price": rec.price,
                "currency": rec.currency, "seller_id": rec.seller_id})
        if run_id is not None:
            run_rows.append({"run_id": run_id, "platform": rec.platform, "listing_id": rec.listing_id,
                             "change": change})
        if rec.seller_id:
            sellers.append(SellerRecord(platform=rec.platform, seller_id=rec.seller_id, name=rec.seller_name,
                                        location=rec.seller_location, phone=rec.seller_phone,
                                        address=rec.seller_address, url=rec.seller_url))
        changes.append(change)
    columns = list(listing_rows[0]) if listing_rows else []
    db.upsert("listings", listing_rows, key=("platform", "listing_id"),
              update=[c for c in columns if c not in _KEEP_ON_UPDATE])
    db.upsert("listing_versions", version_rows, key=("platform", "listing_id", "version"))
    # The first classification within a run wins: a listing met twice in one run stays "new".
    db.upsert("run_listings", run_rows, key=("run_id", "platform", "listing_id"), update=None)
    store_sellers(db, sellers, now=now)
    return changes


def store_listing(db: Database, rec: ListingRecord, *, run_id: int | None, now: str) -> Change:
    """:func:`store_listings` for one record (call inside a transaction)."""
    db.lock_keys([listing_lock_key(rec.platform, rec.listing_id)])
    return store_listings(db, [rec], run_id=run_id, now=now)[0]


_SELLER_UPDATE = {c: f"COALESCE(excluded.{c}, sellers.{c})" for c in ("name", "location", "phone", "address", "url")}


def store_sellers(db: Database, recs: Iterable[SellerRecord], *, now: str) -> None:
    """Insert or update sellers; a field the new record lacks keeps its stored value."""
    merged: dict[Key, dict[str, Any]] = {}
    for rec in recs:
        row = {"platform": rec.platform, "seller_id": rec.seller_id, "name": rec.name, "location": rec.location,
               "phone": rec.phone, "address": rec.address, "url": rec.url, "first_seen": now, "last_seen": now}
        old = merged.get((rec.platform, rec.seller_id))
        merged[(rec.platform, rec.seller_id)] = row if old is None else {
            k: (v if v is not None else old[k]) for k, v in row.items()}
    db.upsert("sellers", list(merged.values()), key=("platform", "seller_id"),
              update={**_SELLER_UPDATE, "last_seen": "excluded.last_seen"})


def store_seller(db: Database, rec: SellerRecord, *, now: str) -> None:
    store_sellers(db, [rec], now=now)


def store_images_of(db: Database, items: Sequence[tuple[str, str, Sequence[FetchedImage]]]) -> None:
    """Replace the images of each listing ``(platform, listing_id, images)``, in order."""
    db.executemany("DELETE FROM listing_images WHERE platform = ? AND listing_id = ?",
                   [(p, i) for p, i, _ in items])
    db.upsert("listing_images", [
        {"platform": p, "listing_id": i, "position": pos, "url": img.url, "sha256": img.sha256,
         "refused": img.refused}
        for p, i, images in items for pos, img in enumerate(images)], key=("platform", "listing_id", "position"))


def store_listing_images(db: Database, platform: str, listing_id: str, images: Sequence[FetchedImage]) -> None:
    store_images_of(db, [(platform, listing_id, images)])


def image_hashes_of(db: Database, keys: Sequence[Key]) -> dict[Key, tuple[str, ...]]:
    """The pHashes of each listing's usable images, in position order (one query per chunk of keys)."""
    out: dict[Key, list[str]] = {}
    for start in range(0, len(keys), KEY_CHUNK):
        chunk = keys[start:start + KEY_CHUNK]
        values = ", ".join(["(?, ?)"] * len(chunk))
        for p, i, h in db.execute(
                "SELECT li.platform, li.listing_id, i.phash FROM listing_images li "
                "JOIN images i ON i.sha256 = li.sha256 "
                f"WHERE (li.platform, li.listing_id) IN (VALUES {values}) AND i.phash IS NOT NULL "
                "ORDER BY li.platform, li.listing_id, li.position", [x for k in chunk for x in k]):
            out.setdefault((p, i), []).append(h)
    return {k: tuple(v) for k, v in out.items()}


def cached_image(db: Database, url: str) -> FetchedImage | None:
    """What an image URL resolved to before, so it is not fetched again."""
    row = db.execute(
        "SELECT u.sha256, i.phash, COALESCE(u.refused, i.refused) FROM image_urls u "
        "LEFT JOIN images i ON i.sha256 = u.sha256 WHERE u.url = ?",
        (url,),
    ).fetchone()
    if row is None:
        return None
    return FetchedImage(url=url, sha256=row[0], phash=row[1], refused=row[2])


def known_image(db: Database, data: bytes) -> tuple[str, str | None, str | None] | None:
    """``(sha256, phash, refused)`` of bytes already in the store, so they are not hashed again."""
    digest = hashlib.sha256(data).hexdigest()
    row = db.execute("SELECT phash, refused FROM images WHERE sha256 = ?", (digest,)).fetchone()
    return (digest, row[0], row[1]) if row else None


def remember_image_url(db: Database, img: FetchedImage, *, now: str) -> None:
    db.upsert("image_urls", [{"url": img.url, "sha256": img.sha256, "refused": img.refused, "fetched_at": now}],
              key=("url",))


def write_blob(db: Database, data: bytes) -> str:
    """Keep ``data`` under its SHA-256 in the store's blob store (written whole or not at all)."""
    return db.blobs.write(data)


def store_image(
    db: Database,
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
    db.upsert("images", [{"sha256": digest, "phash": phash, "refused": refused, "width": size[0] if size else None,
                          "height": size[1] if size else None, "size": len(data), "first_seen": now}],
              key=("sha256",), update=None)
    return digest


def rehash_stale_images(db: Database, *, catalog_only: bool = False) -> tuple[int, int]:
    """Re-hash, from their kept bytes, the usable images whose stored hash has an older format
    (:data:`brandsweep.matchers.image.HASH_CHUNKS`): every image, or only the catalog's. Return
    ``(re-hashed, left)``; ``left`` counts stale images whose bytes are gone (their old hash still
    matches, with less tolerance to crops). One transaction; running it again finds nothing to do."""
    from brandsweep.matchers.image import HASH_CHUNKS, ImageRefused, hash_image

    where = "i.phash IS NOT NULL AND i.refused IS NULL AND LENGTH(i.phash) <> ?"
    if catalog_only:
        where += " AND i.sha256 IN (SELECT sha256 FROM catalog_images)"
    stale = [r[0] for r in db.execute(f"SELECT i.sha256 FROM images i WHERE {where}", (16 * HASH_CHUNKS,))]
    if not stale:
        return 0, 0
    updates: list[tuple[str, str]] = []
    left = 0
    for sha in stale:
        data = db.blobs.read(sha)
        phash = None
        if data is not None:
            try:
                phash = hash_image(data)
            except ImageRefused:
                phash = None
        if phash is None:
            left += 1
        else:
            updates.append((phash, sha))
    with db.transaction():
        db.executemany("UPDATE images SET phash = ? WHERE sha256 = ?", updates)
    return len(updates), left
