"""Refused image bodies (decompression bombs, non-images) are judged before they are kept: they never
reach the blob store, the HTML report never inlines them, and stores written before this rule
(which kept such blobs) still never show them."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil

from brandsweep.feed import import_feed
from brandsweep.marketplace_fixtures.faults import bomb_png
from brandsweep.reports.html_report import build_report
from brandsweep.rightsholder_catalog import build_matcher, import_catalog
from brandsweep.store import open_db
from tests.conftest import SAMPLE_CATALOG

NOT_AN_IMAGE = b"<!DOCTYPE html><html><body>sorry, this is a page</body></html>"


def _feed(tmp_path, bomb: bytes):
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "bomb.png").write_bytes(bomb)
    (folder / "page.jpg").write_bytes(NOT_AN_IMAGE)
    shutil.copy(SAMPLE_CATALOG.parent / "products" / "nike-af1-07.jpg", folder / "af1.jpg")
    lines = [
        {"platform": "shopfront", "listing_id": "bomb", "url": "https://shop.example/item/bomb",
         "title": "Nike Air Force 1 07 复刻 1:1 AAA replica sneakers", "price": 99.0, "currency": "CNY",
         "image_urls": ["bomb.png"]},
        {"platform": "shopfront", "listing_id": "page", "url": "https://shop.example/item/page",
         "title": "Nike Air Force 1 07 replica 1:1 AAA", "price": 99.0, "currency": "CNY",
         "image_urls": ["page.jpg", "af1.jpg"]},
    ]
    feed = folder / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    return feed


def test_refused_bodies_are_not_kept_and_never_inlined(tmp_path):
    db_path = tmp_path / "store.db"
    bomb = bomb_png()  # 400 M pixels claimed, a few tens of kB
    feed = _feed(tmp_path, bomb)
    db = open_db(db_path)
    import_catalog(db, SAMPLE_CATALOG)
    assert not import_feed(db, feed, build_matcher(db)).errors
    bodies = {"too_many_pixels": bomb, "not_an_image": NOT_AN_IMAGE}
    refused = {hashlib.sha256(body).hexdigest(): reason for reason, body in bodies.items()}
    good = hashlib.sha256((feed.parent / "af1.jpg").read_bytes()).hexdigest()
    recorded = dict(db.execute("SELECT sha256, refused FROM images WHERE sha256 IN (?, ?)", list(refused)).fetchall())
    leads = {r[0] for r in db.execute("SELECT listing_id FROM leads WHERE active = 1")}
    assert recorded == refused, "the verdict is recorded with the image"
    assert leads == {"bomb", "page"}
    blobs = db_path.with_name(db_path.name + ".blobs")
    for sha in refused:
        assert not (blobs / sha[:2] / sha).exists(), f"refused body kept as a blob: {refused[sha]}"
    assert (blobs / good[:2] / good).exists()

    def report() -> str:
        return build_report(db)

    def inlined(html: str) -> set[str]:
        return {reason for reason, body in bodies.items() if base64.b64encode(body).decode() in html}

    html = report()
    assert inlined(html) == set()
    assert base64.b64encode((feed.parent / "af1.jpg").read_bytes()).decode() in html, "the usable image is shown"
    # A store written by an earlier version kept refused bodies as blobs: still never inlined.
    for sha, reason in refused.items():
        (blobs / sha[:2]).mkdir(exist_ok=True)
        (blobs / sha[:2] / sha).write_bytes(bodies[reason])
    assert inlined(report()) == set()
    db.close()
