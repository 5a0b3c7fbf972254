"""The store writer: batched transactions on its own thread; a failing write fails alone; a lock held
by another process makes writes wait, never the caller."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from brandsweep.store import open_db
from brandsweep.store.writer import StoreWriter


@pytest.fixture
def table(db):
    db.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)")
    return db


def insert(k, v="x"):
    return lambda db: db.execute("INSERT INTO t (k, v) VALUES (?, ?)", (k, v)).rowcount


def test_queued_writes_commit_in_few_transactions_in_order(table):
    gate = threading.Event()
    writer = StoreWriter(table, max_batch=50)
    first = writer.submit(lambda db: gate.wait(10))  # holds the thread while the others queue up
    futures = [writer.submit(insert(k, f"v{k}")) for k in range(120)]
    gate.set()
    assert first.result(10) is True
    assert [f.result(10) for f in futures] == [1] * 120
    stats = writer.close()
    assert stats.operations == 121 and stats.batches <= 4 and stats.largest_batch == 50
    assert [r[0] for r in table.execute("SELECT v FROM t ORDER BY rowid")] == [f"v{k}" for k in range(120)]


def test_a_failing_write_is_undone_alone(table):
    gate = threading.Event()
    writer = StoreWriter(table)
    writer.submit(lambda db: gate.wait(10))

    def half_then_fail(db):
        db.execute("INSERT INTO t (k, v) VALUES (100, 'half')")
        db.execute("INSERT INTO t (k, v) VALUES (101, NULL)")  # NOT NULL: raises

    good = [writer.submit(insert(k)) for k in (1, 2)]
    bad = writer.submit(half_then_fail)
    later = writer.submit(insert(3))
    gate.set()
    with pytest.raises(sqlite3.IntegrityError):
        bad.result(10)
    assert [f.result(10) for f in (*good, later)] == [1, 1, 1]
    writer.close()
    assert [r[0] for r in table.execute("SELECT k FROM t ORDER BY k")] == [1, 2, 3]


def test_prepare_runs_on_the_writer_thread_outside_the_transaction(table):
    seen = {}

    def prepare():
        seen["thread"] = threading.current_thread().name
        seen["in_tx"] = table.conn.in_transaction
        return "prepared"

    writer = StoreWriter(table)
    fut = writer.submit_prepared(prepare, lambda db, p: db.execute("INSERT INTO t (k, v) VALUES (1, ?)", (p,)).rowcount)
    assert fut.result(10) == 1
    writer.close()
    assert seen == {"thread": "brandsweep-store-writer", "in_tx": False}
    assert table.execute("SELECT v FROM t").fetchone()[0] == "prepared"


HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def test_a_lock_held_by_another_process_delays_writes_not_the_caller(db_path):
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
