"""Import a rightsholder catalog into the store: all of it, or nothing.

The document is parsed and validated and every image is read and hashed before the first
write; the writes then happen in one transaction. Ids are stable keys: importing the same
document again changes no row, a newer version updates rows in place, and a brand that
disappears from its rightsholder's document is kept (``in_catalog = 0``) so its match history
stays readable.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brandsweep.core.errors import CatalogError
from brandsweep.matchers import ImageRefused, hash_image
from brandsweep.rightsholder_catalog.schema import RightsholderDoc, validate
from brandsweep.store.db import Database, transaction, utcnow
from brandsweep.store.listings import store_image

MAX_IMAGE_BYTES = 20 * 1024 * 1024
URL_TIMEOUT_S = 20.0


@dataclass(slots=True)
class ImportSummary:
    path: str
    rightsholders: int = 0
    brands: int = 0
    marks: int = 0
    products: int = 0
    images: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    retired_brands: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _LoadedImage:
    ref: str
    source: str
    data: bytes
    phash: str
    size: tuple[int, int] | None


def load_document(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CatalogError(str(path), [("$", f"cannot read file: {exc.strerror or exc}")]) from exc
    except UnicodeDecodeError as exc:
        raise CatalogError(str(path), [("$", f"not UTF-8 text: {exc.reason} at byte {exc.start}")]) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(
            str(path), [("$", f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")]
        ) from exc


def _read_image(ref: str, base: Path) -> bytes:
    """Read a catalog image: a path inside the catalog's folder, or an http(s) URL."""
    if ref.startswith(("http://", "https://")):
        req = urllib.request.Request(ref, headers={"User-Agent": "brandsweep-catalog-import"})
        with urllib.request.urlopen(req, timeout=URL_TIMEOUT_S) as resp:
            data = resp.read(MAX_IMAGE_BYTES + 1)
        if len(data) > MAX_IMAGE_BYTES:
            raise ValueError(f"image larger than {MAX_IMAGE_BYTES} bytes")
        return data
    if "://" in ref:
        raise ValueError("only relative paths and http(s) URLs are allowed")
    rel = Path(ref)
    if rel.is_absolute():
        raise ValueError("absolute path; image paths are relative to the catalog's folder")
    root = base.resolve()
    target = (root / rel).resolve()
    if not target.is_relative_to(root):
        raise ValueError("path leads outside the catalog's folder")
    if not target.is_file():
        raise ValueError("no such file")
    if target.stat().st_size > MAX_IMAGE_BYTES:
        raise ValueError(f"image larger than {MAX_IMAGE_BYTES} bytes")
    return target.read_bytes()


def _load_images(docs: list[RightsholderDoc], base: Path) -> tuple[dict[str, _LoadedImage], list[tuple[str, str]]]:
    """Read and hash every image the document names; return them and the problems."""
    loaded: dict[str, _LoadedImage] = {}
    problems: list[tuple[str, str]] = []
    wanted: list[tuple[str, str]] = []  # (image reference, JSON path)
    for rh in docs:
        for brand in rh.brands:
            wanted += [(m.image, f"{m.path}.image") for m in brand.marks if m.image]
            for prod in brand.products:
                wanted += list(prod.images)
    for ref, jpath in wanted:
        if ref in loaded:
            continue
        try:
            data = _read_image(ref, base)
            phash = hash_image(data)
        except ImageRefused as exc:
            problems.append((jpath, f"image {ref!r} refused: {exc}"))
            continue
        except (OSError, ValueError, urllib.error.URLError) as exc:
            problems.append((jpath, f"unreadable image {ref!r}: {exc}"))
            continue
        loaded[ref] = _LoadedImage(ref=ref, source=ref, data=data, phash=phash, size=_size(data))
    return loaded, problems


def _size(data: bytes) -> tuple[int, int] | None:
    from io import BytesIO

    from PIL import Image

    try:
        with Image.open(BytesIO(data)) as im:
            return im.size
    except OSError:
        return None


def import_catalog(db: Database, path: str | Path) -> ImportSummary:
    """Validate and import the catalog at ``path``; raise :class:`CatalogError` and write nothing if bad."""
    p = Path(path)
    doc = load_document(p)
    docs, probs = validate(doc)
    if probs.items:
        raise CatalogError(str(p), probs.items)
    images, img_problems = _load_images(docs, p.parent)
    if img_problems:
        raise CatalogError(str(p), img_problems)
    summary = ImportSummary(path=str(p), warnings=[f"{w}: {why}" for w, why in probs.warnings])
    now = utcnow()
    with transaction(db):
        for rh in docs:
            _import_rightsholder(db, rh, images, summary, now)
    return summary


def _sync(
    db: Database,
    table: str,
    keys: tuple[str, ...],
    rows: list[dict[str, Any]],
    scope: dict[str, Any],
    summary: ImportSummary,
    *,
    stamp: str | None = None,
) -> None:
    """Make ``table``'s rows within ``scope`` equal ``rows``: insert, update changed, delete gone.

    With an empty scope, rows are only inserted or updated.

    Rows whose content is unchanged are not written at all, so a repeated import is a no-op.
    """
    where = " AND ".join(f"{k} = ?" for k in scope) or "1 = 1"
    existing = {
        tuple(r[k] for k in keys): r
        for r in db.query(f"SELECT * FROM {table} WHERE {where}", list(scope.values()))
    }
    wanted = {tuple(r[k] for k in keys) for r in rows}
    for row in rows:
        full = {**scope, **row}
        old = existing.get(tuple(row[k] for k in keys))
        if old is not None and all(old.get(k) == v for k, v in full.items()):
            summary.unchanged += 1
            continue
        if stamp is not None:
            full["updated_at"] = stamp
        db.upsert(table, [full], key=keys)
        if old is None:
            summary.inserted += 1
        else:
            summary.updated += 1
    if not scope:  # rows keyed globally (rightsholders, brands) are never deleted here
        return
    for key in existing.keys() - wanted:
        db.execute(
            f"DELETE FROM {table} WHERE " + " AND ".join(f"{k} = ?" for k in keys),
            list(key),
        )
        summary.updated += 1


def _import_rightsholder(
    db: Database,
    rh: RightsholderDoc,
    images: dict[str, _LoadedImage],
    summary: ImportSummary,
    now: str,
) -> None:
    summary.rightsholders += 1
    _sync(db, "rightsholders", ("id",), [{"id": rh.rh_id, "name": rh.name, "contact": rh.contact}],
          {}, summary, stamp=now)
    brand_rows = [
        {"id": b.brand_id, "rightsholder_id": rh.rh_id, "name": b.name,
         "aliases": json.dumps(list(b.aliases), ensure_ascii=False), "in_catalog": 1}
        for b in rh.brands
    ]
    for row in brand_rows:
        _sync(db, "brands", ("id",), [row], {}, summary, stamp=now)
    present = {b.brand_id for b in rh.brands}
    for (old_id,) in db.execute(
        "SELECT id FROM brands WHERE rightsholder_id = ? AND in_catalog = 1", (rh.rh_id,)
    ).fetchall():
        if old_id not in present:
            db.execute("UPDATE brands SET in_catalog = 0, updated_at = ? WHERE id = ?", (now, old_id))
            summary.retired_brands.append(old_id)
    for b in rh.brands:
        summary.brands += 1
        summary.marks += len(b.marks)
        summary.products += len(b.products)
        scope = {"brand_id": b.brand_id}
        _sync(db, "marks", ("reg_no",), [
            {"reg_no": m.reg_no, "office": m.office, "word": m.word,
             "nice_classes": json.dumps(list(m.nice_classes)), "expires": m.expires, "image": m.image}
            for m in b.marks
        ], scope, summary)
        _sync(db, "products", ("brand_id", "id"), [
            {"brand_id": b.brand_id, "id": p.product_id, "name": p.name, "msrp": p.msrp,
             "currency": p.currency}
            for p in b.products
        ], scope, summary)
        _sync(db, "authorized_sellers", ("brand_id", "platform", "seller_id"), [
            {"brand_id": b.brand_id, "platform": s.platform, "seller_id": s.seller_id, "name": s.name}
            for s in b.sellers
        ], scope, summary)
        img_rows: list[dict[str, Any]] = []
        refs: list[tuple[str, str | None, str | None]] = [(m.image, None, m.reg_no) for m in b.marks if m.image]
        refs += [(ref, p.product_id, None) for p in b.products for ref, _ in p.images]
        for ref, product_id, reg_no in refs:
            img = images[ref]
            sha = store_image(db, img.data, phash=img.phash, refused=None, size=img.size, now=now)
            img_rows.append({"ref": f"{b.brand_id}/{ref}", "product_id": product_id,
                             "mark_reg_no": reg_no, "source": img.source, "sha256": sha})
        summary.images += len(img_rows)
        _sync(db, "catalog_images", ("ref",), img_rows, scope, summary)
