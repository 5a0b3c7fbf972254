"""Killing an export mid-write (a real ``kill -9`` of the exporting process) leaves the previous file intact."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time

from tests.conftest import ROOT

N = 150_000


def fill(db_path):
    from brandsweep.store import open_db

    db = open_db(db_path)
    now = "2026-11-28T10:00:00Z"
    rows = [("shopfront", f"{i:07d}", f"http://shop.example/item/{i}", f"耐克 Nike Air 复刻 listing {i} =SUM(1)",
             99.5 + i % 100, "CNY", f"s-{i % 997}", "莆田 工厂店", "福建 莆田", i % 5000, now, now, now, "h")
            for i in range(N)]
    with db.transaction():
        db.executemany(
            "INSERT INTO listings (platform, listing_id, url, title, price, currency, seller_id, seller_name, "
            "seller_location, sales_count, captured_at, first_seen, last_seen, content_hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.close()


def export_cmd(db_path, out):
    return [sys.executable, "-m", "brandsweep.cli", "--db", str(db_path), "listings", "export", "-o", str(out)]


def test_kill_minus_9_mid_export_keeps_previous_file(tmp_path):
    db_path = tmp_path / "big.db"
    fill(db_path)
    out = tmp_path / "listings.csv"
    subprocess.run(export_cmd(db_path, out), check=True, cwd=ROOT, capture_output=True, timeout=300)
    before = out.read_bytes()
    digest = hashlib.sha256(before).hexdigest()
    assert before.count(b"\r\n") == N + 1
    proc = subprocess.Popen(export_cmd(db_path, out), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    part = None
    while time.monotonic() < deadline and proc.poll() is None:
        parts = [p for p in tmp_path.glob(".listings.csv.*.part") if p.stat().st_size > 0]
        if parts:
            part = parts[0]
            break
        time.sleep(0.005)
    assert part is not None, "the export finished before it could be killed mid-write; make the table bigger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    print(f"killed export with {part.stat().st_size} bytes written to {part.name}")
    assert hashlib.sha256(out.read_bytes()).hexdigest() == digest
    assert 0 < part.stat().st_size < len(before)
    # The next export of the same file clears what the killed writer left behind.
    subprocess.run(export_cmd(db_path, out), check=True, cwd=ROOT, capture_output=True, timeout=300)
    assert not part.exists()
    assert not list(tmp_path.glob(".listings.csv.*.part"))
    assert out.read_bytes().count(b"\r\n") == N + 1
