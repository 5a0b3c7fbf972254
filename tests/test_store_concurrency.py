"""Several writers on one store (parallel crawls, a feed import during a crawl) all get their rows in, and a
crawl never stalls on another writer's lock."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler

from brandsweep.store import open_db
from tests.conftest import ROOT, SAMPLE_CATALOG, run_cli
from tests.test_crawl_support import serving, write_schemaorg_site

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


@contextmanager
def logged_site(folder, delay_s: float):
    """Serve ``folder`` on 127.0.0.1 (in this process), each response after ``delay_s``; yield the base
    URL and the list of (time, path) of every request received."""
    seen: list[tuple[float, str]] = []

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw) -> None:
            super().__init__(*a, directory=str(folder), **kw)

        def do_GET(self) -> None:
            seen.append((time.monotonic(), self.path))
            time.sleep(delay_s)
            super().do_GET()

        def log_message(self, *a: object) -> None:
            return

    with serving(Handler) as base:
        yield base, seen


def test_crawl_downloads_go_on_while_another_process_holds_the_write_lock(tmp_path):
    """The store's writes wait for the lock on their own thread: while another process holds the write
    lock for 6 s, the crawl keeps downloading (before, the whole reactor sat in SQLite's busy wait), and
    once the lock is released everything is stored."""
    site = tmp_path / "site"
    listings = write_schemaorg_site(site, size=300, seed=11)
    db_path = tmp_path / "crawl.db"
    assert run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db_path).returncode == 0
    hold_s = 6.0
    with logged_site(site, delay_s=0.03) as (base, seen):
        crawl = subprocess.Popen([sys.executable, "-m", "brandsweep.cli", "--db", str(db_path), "--quiet", "crawl",
                                  "--url", base + "/"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
        try:
            probe = sqlite3.connect(db_path, isolation_level=None, timeout=60)
            deadline = time.monotonic() + 240
            while probe.execute("SELECT COUNT(*) FROM listings").fetchone()[0] < 5:
                assert crawl.poll() is None and time.monotonic() < deadline, "the crawl stored nothing"
                time.sleep(0.05)
            probe.execute("BEGIN IMMEDIATE")  # hold the write lock, as a long feed import or a second crawl may
            locked_at = time.monotonic()
            time.sleep(hold_s)
            stored_while_locked = probe.execute("SELECT COUNT(*) FROM listings").fetchone()[0]
            probe.execute("COMMIT")
            released_at = time.monotonic()
            _out, err = crawl.communicate(timeout=600)
        finally:
            if crawl.poll() is None:
                crawl.kill()
                crawl.communicate()
    assert crawl.returncode == 0, err
    during = [p for t, p in seen if locked_at + 1.0 < t < released_at]
    assert len(during) >= 20, f"only {len(during)} requests while the lock was held: the crawl stalled"
    db = open_db(db_path)
    stored = db.execute("SELECT COUNT(*) FROM listings").fetchone()[0]
    db.close()
    assert stored == len(listings) > stored_while_locked
