"""A crawl never stalls on another writer's lock: the store is written from the ingest layer's writer
thread, so while another process holds SQLite's write lock the crawl keeps downloading, and once
the lock is free everything is stored."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler

from brandsweep.store import open_db
from brandsweep.store.writer import StoreWriter
from tests.conftest import ROOT, SAMPLE_CATALOG, run_cli
from tests.test_crawl_support import serving, write_schemaorg_site


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


HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def insert(k):
    return lambda db: db.execute("INSERT INTO t (k, v) VALUES (?, 'x')", (k,)).rowcount


def test_a_lock_held_by_another_process_delays_writes_not_the_caller(db_path):
    """The store writer alone: while another process holds SQLite's write lock, submitting never
    waits, the batch is begun again until the lock is free, and then everything commits."""
    db = open_db(db_path)
    db.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)")
    db.execute("PRAGMA busy_timeout = 200")  # wait briefly per try, so the retries show
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(db_path), "2.5"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    writer = StoreWriter(db)
    started = time.monotonic()
    futures = [writer.submit(insert(k)) for k in range(20)]
    assert time.monotonic() - started < 0.5, "submitting never waits for the lock"
    assert not any(f.done() for f in futures)
    assert [f.result(30) for f in futures] == [1] * 20
    assert time.monotonic() - started >= 1.5
    stats = writer.close()
    holder.wait(10)
    holder.stdout.close()
    assert stats.lock_waits >= 1
    assert db.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 20
    db.close()
