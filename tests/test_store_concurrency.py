"""Several writers on one store (parallel crawls, feed imports at once, on one or many hosts) lose
nothing and duplicate nothing: on SQLite through its one write lock, on PostgreSQL through
per-listing advisory locks taken by each ingest transaction."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from brandsweep.store import open_db
from tests.conftest import ROOT, SAMPLE_CATALOG, run_cli

pytestmark = pytest.mark.store

N = 300
WRITERS = 4


def _line(i: int) -> dict:
    return {"platform": "shared", "listing_id": str(i), "url": f"http://shared.example/item/{i}",
            "title": f"Nike Air Force 1 replica 1:1 AAA lot {i}" if i % 3 == 0 else f"Ceramic mug set {i}",
            "price": 99.0, "currency": "CNY", "seller_id": f"s{i % 17}", "seller_phone": f"1380000{i % 17:04d}"}


def _feed(path, ids) -> None:
    path.write_text("\n".join(json.dumps(_line(i)) for i in ids) + "\n", encoding="utf-8")


def test_concurrent_imports_of_overlapping_feeds_lose_nothing_and_duplicate_nothing(tmp_path, new_store):
    """Each writer imports half of the listings, overlapping every other writer's half, all at once:
    every listing is stored once, exactly one run saw it as new, each has one version, one match,
    and each lead exists once."""
    db_path = new_store("shared")
    assert run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db_path).returncode == 0
    feeds = []
    for w in range(WRITERS):
        feed = tmp_path / f"writer{w}.jsonl"
        start = w * N // (2 * WRITERS)
        ids = [(start + k) % N for k in range(N // 2)]  # overlapping windows, in a different order per writer
        _feed(feed, ids if w % 2 == 0 else list(reversed(ids)))
        feeds.append((feed, set(ids)))
    union = set().union(*(ids for _, ids in feeds))
    procs = [subprocess.Popen([sys.executable, "-m", "brandsweep.cli", "--db", str(db_path), "--quiet",
                               "listings", "import", str(f)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for f, _ in feeds]
    for p in procs:
        _out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    db = open_db(db_path)
    try:
        stored = [r[0] for r in db.execute("SELECT listing_id FROM listings")]
        assert sorted(stored) == sorted(str(i) for i in union), "every listing once, none lost"
        assert db.scalar("SELECT COUNT(*) FROM listing_versions") == len(union), "one version each: same content"
        assert db.scalar("SELECT MAX(version) FROM listings") == 1
        assert db.scalar("SELECT COUNT(*) FROM matches") == len(union)
        new = db.scalar("SELECT COUNT(*) FROM run_listings WHERE change = 'new'")
        seen = db.scalar("SELECT COUNT(*) FROM run_listings")
        assert new == len(union), "exactly one writer stored each listing first"
        assert seen == sum(len(ids) for _, ids in feeds), "every run recorded each listing it imported, once"
        leads = [r[0] for r in db.execute("SELECT listing_id FROM leads")]
        assert sorted(leads) == sorted(str(i) for i in union if i % 3 == 0)
        assert db.scalar("SELECT COUNT(*) FROM sellers") == 17
        runs = [tuple(r) for r in db.execute("SELECT status, stats FROM crawl_runs WHERE kind = 'feed'")]
        assert [s for s, _ in runs] == ["ok"] * WRITERS
        assert sum(json.loads(st).get("listings/new", 0) for _, st in runs) == len(union)
        if db.dialect == "sqlite":
            assert db.integrity_ok()
    finally:
        db.close()
