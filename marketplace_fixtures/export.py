"""``generate --out DIR``: labels, the platform feed (formats.md §2), site data and images on disk."""

from __future__ import annotations

import json
from pathlib import Path
from types import MappingProxyType
from typing import Any

from brandsweep.marketplace_fixtures.generator import Generated
from brandsweep.marketplace_fixtures.images import ImageMaker

CAPTURED_AT = "2026-11-28T10:00:00Z"  # fixed, so the same seed gives byte-identical files
URL_PATTERNS = MappingProxyType({
    "shopfront": "https://shopfront.example/item/{id}",
    "taoshop": "https://taoshop.example/item.htm?id={id}",
    "jsmall": "https://jsmall.example/p/{id}",
    "partnerapi": "https://partnerapi.example/v1/listings/{id}",
})


def listing_url(platform: str, listing_id: str) -> str:
    return URL_PATTERNS[platform].format(id=listing_id)


def feed_record(x: dict[str, Any], image_paths: list[str], seller: Any = None) -> dict[str, Any]:
    """One listing in the platform-feed shape of formats.md §2, plus the seller's phone and
    address (brandsweep's feed extension) when the seller is given."""
    extra = {"seller_phone": seller.phone, "seller_address": seller.address} if seller is not None else {}
    return {"platform": x["platform"], "listing_id": x["listing_id"],
            "url": listing_url(x["platform"], x["listing_id"]),
            "title": x["title"], "description": x["description"], "price": x["price"], "currency": x["currency"],
            "seller_id": x["seller_id"], "seller_name": x["seller_name"], "seller_location": x["seller_location"],
            "sales_count": x["sales_count"], "image_urls": image_paths, "captured_at": CAPTURED_AT, **extra}


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=False) + "\n"


def write_all(gen: Generated, out: Path, *, images: bool = True) -> dict[str, int]:
    """Write labels.jsonl, feed.jsonl, listings.jsonl, sellers.jsonl and images/ under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    maker = ImageMaker(gen.catalog)
    if images:
        (out / "images").mkdir(exist_ok=True)
    n_images = 0
    shops = {(platform, s.seller_id): s for platform, sellers in gen.sellers.items() for s in sellers}
    with (out / "labels.jsonl").open("w", encoding="utf-8") as labels, \
            (out / "feed.jsonl").open("w", encoding="utf-8") as feed, \
            (out / "listings.jsonl").open("w", encoding="utf-8") as listings:
        for x in gen.listings():
            labels.write(_dump(x["label"]))
            if x.get("removed"):
                continue
            paths = []
            for n, ref in enumerate(x["images"]):
                rel = f"images/{x['platform']}-{x['listing_id']}-{n}.jpg"
                if images:
                    (out / rel).write_bytes(maker.render(ref))
                    n_images += 1
                paths.append(rel)
            feed.write(_dump(feed_record(x, paths, shops.get((x["platform"], x["seller_id"])))))
            listings.write(_dump({k: v for k, v in x.items() if k != "label"}))
    with (out / "sellers.jsonl").open("w", encoding="utf-8") as f:
        for platform, shops in gen.sellers.items():
            for s in shops:
                f.write(_dump({"platform": platform, "seller_id": s.seller_id, "name": s.name,
                               "province": s.province, "city": s.city, "location": s.location(), "phone": s.phone,
                               "address": s.address, "role": s.role, "network_id": s.network_id,
                               "authorized_brand": s.brand_id, "opened": s.opened}))
    return {"listings": gen.size, "images": n_images}
