"""``brandsweep crawl --url``: a schema.org site served from a folder, crawled by the real CLI."""

from __future__ import annotations

import json

import pytest

from brandsweep.store import open_db
from tests.conftest import run_cli
from tests.test_crawl_support import canary, serve_folder, write_schemaorg_site


def test_crawl_url_captures_every_product_with_its_fields(tmp_path):
    site = tmp_path / "site"
    listings = write_schemaorg_site(site, size=120, seed=5)
    db_path = tmp_path / "s.db"
    with serve_folder(site) as url:
        res = run_cli("crawl", "--url", url + "/", db_path=db_path)
    assert res.returncode == 0, res.stderr
    db = open_db(db_path)
    rows = {r["listing_id"]: r for r in db.query("SELECT * FROM listings")}
    images = {(r["listing_id"]): r["n"] for r in db.query(
        "SELECT listing_id, COUNT(sha256) AS n FROM listing_images GROUP BY listing_id")}
    run = db.execute("SELECT scope, status FROM crawl_runs ORDER BY id DESC").fetchone()
    db.close()
    want = {x["site_id"]: x for x in listings}
    assert len(set(rows) & set(want)) >= 0.99 * len(want)
    assert set(rows) <= set(want)
    for lid, x in want.items():
        r = rows[lid]
        assert r["title"] == " ".join(x["title"].split())
        assert r["price"] == (round(x["price"], 2) if x["price"] is not None else None)
        assert r["currency"] == (x["currency"] if x["price"] is not None else None)
        assert r["seller_name"] == x["seller_name"] and r["seller_id"] == f"{x['seller_id']}.html"
        assert json.loads(r["image_urls"]) == [f"{url}/img/{lid}-{n}.jpg" for n in range(len(x["images"]))]
        assert images.get(lid, 0) == len(x["images"]), "every image fetched and stored"
    assert run == ("full", "ok"), "a sitemap crawl with no failure covers the whole site"


@pytest.mark.browser
@pytest.mark.parametrize("render_js", [False, True], ids=["scrapy", "browser"])
def test_ssrf_canary_gets_no_request(tmp_path, render_js):
    """Bait aimed at another loopback address: a link, an image, a redirect and a script."""
    site = tmp_path / "site"
    with canary() as (bait, hits):
        listings = write_schemaorg_site(site, size=12, seed=3, bait=bait)
        db_path = tmp_path / "c.db"
        with serve_folder(site, redirect_to=bait + "/redirect-bait") as url:
            args = ["crawl", "--url", url + "/", *(["--render-js"] if render_js else [])]
            res = run_cli(*args, db_path=db_path)
        assert res.returncode == 0, res.stderr
        assert hits == [], f"the canary was reached: {hits}"
    db = open_db(db_path)
    stored = db.execute("SELECT COUNT(*) FROM listings").fetchone()[0]
    stats = json.loads(db.execute("SELECT stats FROM crawl_runs ORDER BY id DESC").fetchone()[0])
    db.close()
    assert stored == len(listings), "the bait does not stop good listings from being stored"
    refused = {k: v for k, v in stats.items() if k.startswith("brandsweep/refused/")}
    if render_js:  # script and image bait met the browser guard on every page; the redirected navigation too
        assert stats.get("brandsweep/refused/browser/host_not_allowed", 0) >= 2 * len(listings) + 1, refused
    else:  # the redirect hop met the downloader guard
        assert stats.get("brandsweep/refused/redirect_hop", 0) > 0, refused
