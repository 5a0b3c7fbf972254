"""Real crawls of the bundled taoshop (GBK), partnerapi (key, cursor, 429) and jsmall (Chromium)."""

from __future__ import annotations

import json
import urllib.request

import pytest

from brandsweep.crawler.pages.jsmall import api_item
from brandsweep.marketplace_fixtures import generate
from brandsweep.store import open_db
from tests.conftest import SAMPLE_CATALOG, run_cli, start_marketplaces

KEY_ENV = {"BRANDSWEEP_PARTNERAPI_KEY": "fixtures-api-key"}


def _truth(platform: str, size: int = 200, seed: int = 7) -> dict[str, dict]:
    gen = generate(None, size, seed)
    return {x["listing_id"]: x for x in gen.listings() if x["platform"] == platform}


def _crawl(db_path, name, url, *args, env=None):
    assert run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db_path).returncode == 0
    res = run_cli("crawl", name, "--base-url", url, *args, db_path=db_path, env=env)
    assert res.returncode == 0, res.stderr
    db = open_db(db_path)
    run = db.execute("SELECT status, scope, stats FROM crawl_runs ORDER BY id DESC").fetchone()
    return db, run[0], run[1], json.loads(run[2]), res.stdout


def test_taoshop_gbk_pages_read_right(marketplaces, tmp_path):
    db, status, scope, stats, _ = _crawl(tmp_path / "t.db", "taoshop", marketplaces.urls["taoshop"], "-q", "耐克")
    truth = _truth("taoshop")
    rows = {r["listing_id"]: r for r in db.query("SELECT * FROM listings WHERE platform = 'taoshop'")}
    sellers = {r["seller_id"]: r for r in db.query("SELECT * FROM sellers WHERE platform = 'taoshop'")}
    db.close()
    assert (status, scope) == ("ok", "full")
    assert set(rows) == set(truth)
    for lid, x in truth.items():
        assert rows[lid]["title"] == " ".join(x["title"].split()), "GBK (and &#NNNN; references) decoded"
        assert rows[lid]["seller_name"] == x["seller_name"]
    gen = generate(None, 200, 7)
    names = {s.seller_id: s.name for i in range(200) for s in [gen.seller(i)] if s.platform == "taoshop"}
    shop_named = [sid for sid, r in sellers.items() if r["phone"]]
    assert shop_named and all(sellers[sid]["name"] == names[sid] for sid in shop_named), \
        "shop pages, which declare no charset, are sniffed as GBK"
    assert stats["brandsweep/encoding/sniffed"] >= len(shop_named)
    assert stats.get("brandsweep/encoding/undecodable_bytes", 0) == 0
    assert stats["brandsweep/encoding/decoded_in_worker_thread"] >= len(rows), "decoded off the reactor thread"
    assert "brandsweep/encoding/decoded_on_reactor_thread" not in stats


def test_partnerapi_pages_by_cursor_and_honours_429(tmp_path):
    proc, m = start_marketplaces(tmp_path, "--size", "400", "--seed", "7", "--api-rate", "3")
    try:
        missing = run_cli("crawl", "partnerapi", "--base-url", m.urls["partnerapi"], db_path=tmp_path / "x.db",
                          env={"BRANDSWEEP_PARTNERAPI_KEY": ""})
        db, status, scope, stats, _ = _crawl(tmp_path / "p.db", "partnerapi", m.urls["partnerapi"], env=KEY_ENV)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()
    assert missing.returncode == 1 and "BRANDSWEEP_PARTNERAPI_KEY" in missing.stderr
    rows = {r["listing_id"]: r for r in db.query("SELECT * FROM listings WHERE platform = 'partnerapi'")}
    phones = db.execute("SELECT COUNT(*) FROM sellers WHERE platform = 'partnerapi' AND phone IS NOT NULL").fetchone()
    db.close()
    truth = _truth("partnerapi", 400)
    assert set(rows) == set(truth) and (status, scope) == ("ok", "full")
    assert stats.get("brandsweep/retry_after/honoured", 0) > 0, "the 3 req/s limit was met and waited out"
    assert phones[0] > 0


def _api_listings(base: str) -> dict[str, object]:
    out = {}
    offset: int | None = 0
    while offset is not None:
        with urllib.request.urlopen(f"{base}/api/search?offset={offset}&limit=100") as resp:
            doc = json.load(resp)
        for it in doc["items"]:
            with urllib.request.urlopen(f"{base}/api/items/{it['id']}") as resp:
                out[it["id"]] = api_item(resp.url, resp.read(), platform="jsmall", base_url=base)
        offset = doc["next_offset"]
    return out


@pytest.mark.browser
def test_jsmall_in_the_browser_yields_what_its_api_says(marketplaces, tmp_path):
    base = marketplaces.urls["jsmall"]
    db, status, scope, stats, _ = _crawl(tmp_path / "j.db", "jsmall", base, "-q", "gucci")
    rows = {r["listing_id"]: r for r in db.query("SELECT * FROM listings WHERE platform = 'jsmall'")}
    db.close()
    api = _api_listings(base)
    assert (status, scope) == ("ok", "full")
    assert set(rows) == set(api)
    for lid, rec in api.items():
        r = rows[lid]
        got = (r["title"], r["price"], r["currency"], r["seller_id"], r["seller_name"], r["seller_location"],
               r["sales_count"], r["description"], json.loads(r["image_urls"]))
        want = (rec.title, rec.price, rec.currency, rec.seller_id, rec.seller_name, rec.seller_location,
                rec.sales_count, rec.description, rec.image_urls)
        assert got == want, lid
    assert stats["playwright/page_count"] == stats["playwright/page_count/closed"] > len(rows), "every page closed"
