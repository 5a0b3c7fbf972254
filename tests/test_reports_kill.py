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


def bytes_being_written(pid: int, folder) -> int:
    """Bytes the process has written so far to a file it is creating in ``folder``: a named
    temporary file, or an anonymous one (O_TMPFILE, shown as ``folder/#inode (deleted)``)."""
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
            if target.startswith(f"{folder}/") and (target.endswith(".part") or target.endswith("(deleted)")):
                size = os.stat(f"/proc/{pid}/fd/{fd}").st_size
                if size > 0:
                    return size
        except OSError:
            continue
    return 0


def outputs(folder) -> list[str]:
    """Every file in the folder but the store's own (the database and its -wal/-shm files)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("big.db"))


def test_kill_minus_9_mid_export_keeps_previous_file_and_leaves_nothing(tmp_path):
    db_path = tmp_path / "big.db"
    fill(db_path)
    out = tmp_path / "listings.csv"
    subprocess.run(export_cmd(db_path, out), check=True, cwd=ROOT, capture_output=True, timeout=300)
    before = out.read_bytes()
    digest = hashlib.sha256(before).hexdigest()
    assert before.count(b"\r\n") == N + 1
    files_before = outputs(tmp_path)
    proc = subprocess.Popen(export_cmd(db_path, out), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    written = 0
    while time.monotonic() < deadline and proc.poll() is None and not written:
        written = bytes_being_written(proc.pid, tmp_path)
        time.sleep(0.005)
    assert written, "the export finished before it could be killed mid-write; make the table bigger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    print(f"killed the export with {written}+ of {len(before)} bytes written")
    assert written < len(before)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == digest
    # The killed writer left no temporary file behind: its file had no name until it was complete.
    assert outputs(tmp_path) == files_before
    subprocess.run(export_cmd(db_path, out), check=True, cwd=ROOT, capture_output=True, timeout=300)
    assert out.read_bytes().count(b"\r\n") == N + 1
    assert outputs(tmp_path) == files_before
