"""Several writers on one store (parallel crawls, a feed import during a crawl) all get their rows in."""

from __future__ import annotations

import json
import subprocess
import sys

from brandsweep.store import open_db
from tests.conftest import ROOT, SAMPLE_CATALOG, run_cli

N = 300


def _feed(path, platform: str) -> None:
    lines = [
        {"platform": platform, "listing_id": str(i), "url": f"http://{platform}.example/item/{i}",
         "title": f"Nike Air Force 1 replica 1:1 AAA lot {i}" if i % 3 == 0 else f"Ceramic mug set {i}",
         "price": 99.0, "currency": "CNY", "seller_id": f"s{i % 17}"}
        for i in range(N)
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")


def test_parallel_feed_imports_into_one_store_lose_nothing(tmp_path):
    db_path = tmp_path / "shared.db"
    assert run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db_path).returncode == 0
    feeds = []
    for platform in ("alpha", "beta", "gamma"):
        feed = tmp_path / f"{platform}.jsonl"
        _feed(feed, platform)
        feeds.append(feed)
    procs = [subprocess.Popen([sys.executable, "-m", "brandsweep.cli", "--db", str(db_path), "--quiet",
                               "listings", "import", str(f)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for f in feeds]
    results = [(p.wait(timeout=300), p.communicate()) for p in procs]
    for code, (_out, err) in results:
        assert code == 0, err
    db = open_db(db_path)
    assert db.execute("SELECT COUNT(*) FROM listings").fetchone()[0] == 3 * N
    assert db.execute("SELECT COUNT(*) FROM matches").fetchone()[0] == 3 * N
    assert db.execute("SELECT COUNT(*) FROM leads").fetchone()[0] == 3 * len(range(0, N, 3))
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
