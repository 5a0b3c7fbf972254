"""Reading the catalog back out of the store, in the shapes the matchers and reports want."""

from __future__ import annotations

import json
from collections import defaultdict

from brandsweep.matchers import MatchConfig, Matcher
from brandsweep.matchers.types import AuthorizedSeller, Brand, CatalogImage, Mark, Product
from brandsweep.store.db import Database


def matcher_catalog(db: Database) -> tuple[list[Brand], list[CatalogImage]]:
    """Every brand in the catalog (not retired) and every catalog image with a hash."""
    rh_names = {r["id"]: r["name"] for r in db.query("SELECT id, name FROM rightsholders")}
    marks: dict[str, list[Mark]] = defaultdict(list)
    for r in db.query("SELECT * FROM marks ORDER BY reg_no"):
        marks[r["brand_id"]].append(
            Mark(reg_no=r["reg_no"], word=r["word"], office=r["office"],
                 nice_classes=tuple(json.loads(r["nice_classes"] or "[]")))
        )
    products: dict[str, list[Product]] = defaultdict(list)
    for r in db.query("SELECT * FROM products ORDER BY brand_id, id"):
        products[r["brand_id"]].append(
            Product(product_id=r["id"], name=r["name"], msrp=r["msrp"], currency=r["currency"])
        )
    sellers: dict[str, list[AuthorizedSeller]] = defaultdict(list)
    for r in db.query("SELECT * FROM authorized_sellers ORDER BY brand_id, platform, seller_id"):
        sellers[r["brand_id"]].append(
            AuthorizedSeller(platform=r["platform"], seller_id=r["seller_id"], name=r["name"])
        )
    brands = [
        Brand(
            brand_id=r["id"],
            name=r["name"],
            rightsholder=rh_names.get(r["rightsholder_id"], r["rightsholder_id"]),
            aliases=tuple(json.loads(r["aliases"] or "[]")),
            marks=tuple(marks[r["id"]]),
            products=tuple(products[r["id"]]),
            authorized_sellers=tuple(sellers[r["id"]]),
        )
        for r in db.query("SELECT * FROM brands WHERE in_catalog = 1 ORDER BY id")
    ]
    active = {b.brand_id for b in brands}
    images = [
        CatalogImage(ref=r["ref"], brand_id=r["brand_id"], phash=r["phash"],
                     product_id=r["product_id"], mark_reg_no=r["mark_reg_no"])
        for r in db.query(
            "SELECT c.*, i.phash FROM catalog_images c JOIN images i ON i.sha256 = c.sha256 "
            "WHERE i.phash IS NOT NULL ORDER BY c.ref"
        )
        if r["brand_id"] in active
    ]
    return brands, images


def brand_search_terms(db: Database) -> list[str]:
    """Names, aliases and mark words of every catalog brand: what a spider searches for."""
    terms: list[str] = []
    for r in db.query("SELECT id, name, aliases FROM brands WHERE in_catalog = 1 ORDER BY id"):
        terms.append(r["name"])
        terms.extend(json.loads(r["aliases"] or "[]"))
    for r in db.query(
        "SELECT m.word FROM marks m JOIN brands b ON b.id = m.brand_id WHERE b.in_catalog = 1 AND m.word IS NOT NULL"
    ):
        terms.append(r["word"])
    seen: set[str] = set()
    out = []
    for t in terms:
        key = t.casefold()
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out


def build_matcher(db: Database, config: MatchConfig | None = None) -> Matcher:
    """A matcher over the stored catalog, scoring with ``config`` (the ``[matchers]`` section).

    Catalog photos hashed by an older brandsweep (another hash format) are re-hashed first, from
    their kept bytes, so every photo is compared in the current format."""
    from brandsweep.store.listings import rehash_stale_images

    rehash_stale_images(db, catalog_only=True)
    brands, images = matcher_catalog(db)
    return Matcher(brands, images, config or MatchConfig())
