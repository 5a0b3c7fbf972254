"""What the photo engines read in each stored image, and the catalog's logo index (issue 15).

- ``image_readings`` (migration 0006): one row per image (by SHA-256): status, the reading as JSON
  (OCR lines, logo hits: :meth:`PhotoReading.to_json`), whether OCR ran, the digest of the logo
  index the logos were matched against, the engines' settings, and ``reads``, how many times the
  engines read this image (a rematch reads none: it reuses the row).
- ``logo_indexes``: the logo index built from the catalog's mark images, once per set of logos
  (its digest), so a crawl does not rebuild it.

A listing's photo fields (:func:`listing_photos`) come from its first ``max_images`` usable images
that have a reading, in position order.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from brandsweep.matchers.logos import FORMAT_VERSION as LOGO_FORMAT
from brandsweep.matchers.logos import LogoHit, LogoIndex
from brandsweep.matchers.photo_reader import PhotoReader, PhotoReading, PhotoSettings, photo_fields
from brandsweep.store.db import Database, utcnow
from brandsweep.store.listings import KEY_CHUNK

log = logging.getLogger(__name__)

Key = tuple[str, str]


def engines_of(settings: PhotoSettings) -> str:
    """The engines' settings that change what a reading says, stored with it."""
    return (f"ocr={int(settings.ocr)}:{settings.ocr_max_side}:{settings.ocr_min_confidence:g};"
            f"logos={int(settings.logos)}:{settings.logo_min_inliers}")


@dataclass(frozen=True, slots=True)
class StoredReading:
    reading: PhotoReading
    ocr: bool
    logo_index: str | None


def save_reading(db: Database, sha256: str, reading: PhotoReading, *, settings: PhotoSettings,
                 logo_index: str | None, now: str | None = None) -> None:
    """Store (or replace) what the engines read in one image; ``reads`` counts the readings."""
    db.execute(
        "INSERT INTO image_readings (sha256, status, detail, reading, ocr, logo_index, engines, seconds, reads, "
        "read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT (sha256) DO UPDATE SET status = excluded.status, "
        "detail = excluded.detail, reading = excluded.reading, ocr = excluded.ocr, "
        "logo_index = excluded.logo_index, engines = excluded.engines, seconds = excluded.seconds, "
        "reads = image_readings.reads + 1, read_at = excluded.read_at",
        (sha256, reading.status, reading.detail or None, json.dumps(reading.to_json(), ensure_ascii=False),
         int(settings.ocr), logo_index if settings.logos else None, engines_of(settings), reading.seconds,
         now or utcnow()))


def readings_of(db: Database, shas: Sequence[str]) -> dict[str, StoredReading]:
    out: dict[str, StoredReading] = {}
    for start in range(0, len(shas), KEY_CHUNK):
        chunk = list(shas[start:start + KEY_CHUNK])
        marks = ", ".join("?" * len(chunk))
        for r in db.query(f"SELECT sha256, reading, ocr, logo_index FROM image_readings WHERE sha256 IN ({marks})",
                          chunk):
            out[r["sha256"]] = StoredReading(PhotoReading.from_json(json.loads(r["reading"])), bool(r["ocr"]),
                                             r["logo_index"])
    return out


def listing_photos(db: Database, keys: Sequence[Key], max_images: int) -> dict[Key, tuple[str, tuple[LogoHit, ...]]]:
    """Each listing's ``(photo_text, photo_logos)`` from the stored readings of its first
    ``max_images`` usable images (no engine runs)."""
    if max_images <= 0:
        return {}
    per: dict[Key, list[PhotoReading]] = {}
    for start in range(0, len(keys), KEY_CHUNK):
        chunk = keys[start:start + KEY_CHUNK]
        values = ", ".join(["(?, ?)"] * len(chunk))
        seen: dict[Key, int] = {}
        for r in db.query(
                "SELECT li.platform, li.listing_id, r.reading FROM listing_images li "
                "JOIN images i ON i.sha256 = li.sha256 LEFT JOIN image_readings r ON r.sha256 = li.sha256 "
                f"WHERE (li.platform, li.listing_id) IN (VALUES {values}) AND i.phash IS NOT NULL "
                "ORDER BY li.platform, li.listing_id, li.position", [x for k in chunk for x in k]):
            key = (r["platform"], r["listing_id"])
            seen[key] = seen.get(key, 0) + 1
            if seen[key] <= max_images and r["reading"]:
                per.setdefault(key, []).append(PhotoReading.from_json(json.loads(r["reading"])))
    return {k: photo_fields(v) for k, v in per.items()}


def catalog_logos(db: Database) -> list[tuple[str, str, str]]:
    """``(brand_id, ref, sha256)`` of every mark image (logo) of a catalog brand, in ref order."""
    return [(r["brand_id"], r["ref"], r["sha256"]) for r in db.query(
        "SELECT c.brand_id, c.ref, c.sha256 FROM catalog_images c JOIN brands b ON b.id = c.brand_id "
        "WHERE c.mark_reg_no IS NOT NULL AND b.in_catalog = 1 ORDER BY c.ref")]


def _digest(logos: Sequence[tuple[str, str, str]]) -> str:
    """Names an index by the logos it holds and the index format: a new way of describing logos
    builds a new index, and the photos read against the old one are matched again."""
    lines = [f"format {LOGO_FORMAT}", *("\t".join(x) for x in logos)]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:32]


def load_logo_index(db: Database) -> tuple[LogoIndex | None, str | None, bool]:
    """The logo index of the catalog's current logos, its digest, and whether it came from
    ``logo_indexes`` (False: built now, not stored; see :func:`save_logo_index`). Reads only."""
    logos = catalog_logos(db)
    if not logos:
        return None, None, True
    digest = _digest(logos)
    row = db.execute("SELECT data FROM logo_indexes WHERE digest = ?", (digest,)).fetchone()
    if row is not None:
        return LogoIndex.from_bytes(bytes(row[0])), digest, True
    entries, present, missing = [], [], []
    for brand_id, ref, sha in logos:
        data = db.blobs.read(sha)
        if data is None:
            missing.append(ref)
            continue
        entries.append((brand_id, ref.rsplit("/", 1)[-1], data))
        present.append((brand_id, ref, sha))
    if missing:
        # an index of fewer logos is named by the logos it holds, so it is rebuilt (and photos matched
        # against it again) once the images are back; it is never taken for the whole catalog's
        shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        log.warning("%d of %d catalog logo images are missing from the blob store (%s); logos are matched "
                    "without them", len(missing), len(logos), shown)
        if not present:
            return None, None, False
        digest = _digest(present)
        row = db.execute("SELECT data FROM logo_indexes WHERE digest = ?", (digest,)).fetchone()
        if row is not None:
            return LogoIndex.from_bytes(bytes(row[0])), digest, True
    return LogoIndex.build(entries), digest, False


def save_logo_index(db: Database, digest: str, index: LogoIndex) -> None:
    db.upsert("logo_indexes", [{"digest": digest, "data": index.to_bytes(), "logos": len(index),
                                "built_at": utcnow()}], key=("digest",), update=None)


def logo_index_for(db: Database) -> tuple[LogoIndex | None, str | None]:
    """The logo index of the catalog's current logos and its digest, built once per set of logos and
    kept in ``logo_indexes`` (``(None, None)`` without logos)."""
    index, digest, stored = load_logo_index(db)
    if index is not None and digest is not None and not stored:
        with db.transaction():
            save_logo_index(db, digest, index)
    return index, digest


def stale_logo_readings(db: Database, digest: str | None) -> list[str]:
    """Images read (status ok) against another logo index than ``digest``, or with logos off."""
    if digest is None:
        return []
    return [r[0] for r in db.execute(
        "SELECT sha256 FROM image_readings WHERE status = 'ok' AND (logo_index IS NULL OR logo_index <> ?) "
        "ORDER BY sha256", (digest,))]


def refresh_logos(db: Database, settings: PhotoSettings) -> int:
    """Match again, against the catalog's current logo index, the logos of images read against another
    one (a catalog whose logos changed), from their kept bytes; their OCR text is kept (no OCR runs).
    Returns the images re-matched."""
    if not settings.logos:
        return 0
    index, digest = logo_index_for(db)
    stale = stale_logo_readings(db, digest)
    if not stale or index is None:
        return 0
    old = readings_of(db, stale)
    logos_only = dataclasses.replace(settings, ocr=False)
    done = 0
    with PhotoReader(logos_only, index) as reader:
        futures = {}
        for sha in stale:
            data = db.blobs.read(sha)
            if data is not None:
                futures[sha] = reader.submit(data)
        for sha, fut in futures.items():
            new = fut.result()
            if new.status != "ok":
                continue
            before = old[sha]
            merged = dataclasses.replace(before.reading, logos=new.logos)
            with db.transaction():
                save_reading(db, sha, merged, settings=dataclasses.replace(settings, ocr=before.ocr),
                             logo_index=digest)
            done += 1
    return done


def unread_photos(db: Database, settings: PhotoSettings, max_images: int) -> list[str]:
    """Images among each listing's first ``max_images`` usable ones with no reading the current
    engines can use: never read (crawled with the engines off, imported), read without OCR while it
    is on now, or failed (timeout, error)."""
    if max_images <= 0:
        return []
    rows = db.query(
        "SELECT li.platform, li.listing_id, li.sha256, r.status, r.ocr FROM listing_images li "
        "JOIN images i ON i.sha256 = li.sha256 LEFT JOIN image_readings r ON r.sha256 = li.sha256 "
        "WHERE i.phash IS NOT NULL ORDER BY li.platform, li.listing_id, li.position")
    seen: dict[Key, int] = {}
    out: dict[str, None] = {}
    for r in rows:
        key = (r["platform"], r["listing_id"])
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > max_images:
            continue
        if r["status"] is None or r["status"] not in ("ok", "refused") or (settings.ocr and not r["ocr"]):
            out[r["sha256"]] = None
    return list(out)


def read_unread(db: Database, settings: PhotoSettings, max_images: int) -> int:
    """Read, with the engines of ``settings``, the photos :func:`unread_photos` names, from their kept
    bytes, and store the readings (each in its own transaction: an interrupted run keeps what it
    read). Returns the photos read."""
    if not (settings.ocr or settings.logos):
        return 0
    index, digest = logo_index_for(db) if settings.logos else (None, None)
    todo = unread_photos(db, settings, max_images)
    if not todo:
        return 0
    done = 0
    with PhotoReader(settings, index) as reader:
        if not reader.enabled:
            return 0
        futures = {}
        for sha in todo:
            data = db.blobs.read(sha)
            if data is not None:
                futures[sha] = reader.submit(data)
        for sha, fut in futures.items():
            with db.transaction():
                save_reading(db, sha, fut.result(), settings=settings, logo_index=digest)
            done += 1
    return done
