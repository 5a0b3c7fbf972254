"""Listing images: fetched once per URL (across listings and across runs), stored by SHA-256,
hashed in a worker thread, never on the reactor thread."""

from __future__ import annotations

import io
import json
from collections import Counter

from PIL import Image, ImageDraw

from brandsweep.store import open_db
from tests.conftest import run_cli
from tests.shop_site import serve_routes, sitemap


def _jpeg() -> bytes:
    img = Image.new("RGB", (320, 240), "white")
    draw = ImageDraw.Draw(img)
    for k in range(12):
        draw.rectangle((10 + 20 * k, 20 + 9 * k, 60 + 19 * k, 90 + 11 * k), fill=(20 * k, 255 - 20 * k, 90))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def test_each_image_url_is_fetched_once_and_hashed_off_the_reactor(tmp_path):
    picture = _jpeg()
    hits: Counter[str] = Counter()
    pages = {f"/p/{k}": (f'<html><head><script type="application/ld+json">{{"@type": "Product", "name": "Bag {k}", '
                         f'"sku": "b{k}", "image": ["/img/shared.jpg", "/img/own-{k}.jpg"]}}</script></head>'
                         '<body></body></html>') for k in range(6)}
    routes = {p: (html.encode(), "text/html; charset=utf-8") for p, html in pages.items()}
    routes |= {f"/img/{name}.jpg": (picture, "image/jpeg") for name in ["shared", *(f"own-{k}" for k in range(6))]}
    routes["/sitemap.xml"] = (sitemap(list(pages)), "application/xml")
    db_path = tmp_path / "img.db"
    with serve_routes(routes, hits) as url:
        first = run_cli("crawl", "--url", url, db_path=db_path)
        images_first = {p: n for p, n in hits.items() if p.startswith("/img/")}
        hits.clear()
        second = run_cli("crawl", "--url", url, db_path=db_path)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert images_first == {"/img/shared.jpg": 1, **{f"/img/own-{k}.jpg": 1 for k in range(6)}}
    assert not any(p.startswith("/img/") for p in hits), "a second run fetches no image again"
    db = open_db(db_path)
    blobs = db.execute("SELECT COUNT(*) FROM images").fetchone()[0]
    linked = db.execute("SELECT COUNT(DISTINCT sha256) FROM listing_images").fetchone()[0]
    stats = json.loads(db.execute("SELECT stats FROM crawl_runs ORDER BY id").fetchone()[0])
    folder = db_path.with_name(db_path.name + ".blobs")
    db.close()
    assert blobs == linked == 1, "seven URLs with the same bytes are one stored image"
    assert len([p for p in folder.rglob("*") if p.is_file()]) == 1
    assert stats.get("brandsweep/images/hashed_in_worker_thread", 0) >= 1
    assert stats.get("brandsweep/images/hashed_on_reactor_thread", 0) == 0
