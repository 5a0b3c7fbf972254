"""A real Scrapy crawl of the local test marketplace, end to end through the real CLI."""

from __future__ import annotations

import csv
import io
import json
import re

from brandsweep.reports.export import COLUMNS
from brandsweep.store import open_db
from tests.conftest import SAMPLE_CATALOG, run_cli


def _labels(marketplaces, platform: str) -> dict[str, dict]:
    rows = [json.loads(x) for x in marketplaces.labels.read_text(encoding="utf-8").splitlines() if x.strip()]
    return {r["listing_id"]: r for r in rows if r["platform"] == platform}


def test_crawl_stores_every_shopfront_listing_and_scores_it(marketplaces, tmp_path):
    db_path = tmp_path / "crawl.db"
    assert run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db_path).returncode == 0
    res = run_cli("crawl", "shopfront", "--base-url", marketplaces.urls["shopfront"], db_path=db_path)
    assert res.returncode == 0, res.stderr
    assert re.search(r"run \d+ shopfront: ok", res.stdout)
    truth = _labels(marketplaces, "shopfront")
    db = open_db(db_path)
    rows = {r["listing_id"]: r for r in db.query("SELECT * FROM listings WHERE platform = 'shopfront'")}
    assert set(rows) == set(truth), "every listing reachable from the categories is stored, nothing else"
    # Every stored listing has a match row, and images were fetched and hashed.
    assert db.execute("SELECT COUNT(*) FROM matches").fetchone()[0] == len(rows)
    hashed = db.execute("SELECT COUNT(*) FROM listing_images WHERE sha256 IS NOT NULL").fetchone()[0]
    assert hashed >= len(rows) * 0.9
    # Seller pages were visited: sellers carry phone and address from their shop page.
    assert db.execute("SELECT COUNT(*) FROM sellers WHERE phone IS NOT NULL").fetchone()[0] > 0
    run = db.execute("SELECT status, stats FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
    assert run[0] == "ok" and json.loads(run[1])["brandsweep/listings_stored"] == len(rows)
    expected = {lid for lid, lb in truth.items() if lb["expected_lead"]}
    found = {r[0] for r in db.execute("SELECT listing_id FROM leads WHERE active = 1")}
    db.close()
    assert len(found & expected) >= 0.8 * len(expected)
    assert len(found - expected) <= max(1, 0.1 * len(found))


def test_recrawl_adds_no_duplicates(marketplaces, tmp_path):
    db_path = tmp_path / "again.db"
    run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db_path)
    counts = []
    for _ in range(2):
        res = run_cli("crawl", "shopfront", "--base-url", marketplaces.urls["shopfront"], db_path=db_path)
        assert res.returncode == 0, res.stderr
        db = open_db(db_path)
        counts.append([db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                       for t in ("listings", "leads", "listing_versions", "images")])
        db.close()
    assert counts[0] == counts[1]
    out = tmp_path / "leads.csv"
    assert run_cli("leads", "export", "-o", str(out), db_path=db_path).returncode == 0
    header = next(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert header == list(COLUMNS)
