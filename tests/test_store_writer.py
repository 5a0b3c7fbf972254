"""The store writer on both backends: batched transactions on its own thread, applied in order; a
failing write is undone and fails alone; lock-free work runs before the transaction. (A lock held by
another process: tests/test_crawl_store_lock.py.)"""

from __future__ import annotations

import threading

import pytest

from brandsweep.store.writer import StoreWriter

pytestmark = pytest.mark.store


@pytest.fixture
def table(db):
    db.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL, before INTEGER)")
    return db


def insert(k, v="x"):
    """Insert row k, recording how many rows were there before it (so the order of application shows)."""
    return lambda db: db.execute("INSERT INTO t (k, v, before) SELECT ?, ?, COUNT(*) FROM t", (k, v)).rowcount


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
    rows = table.execute("SELECT k, v, before FROM t ORDER BY k").fetchall()
    assert [tuple(r) for r in rows] == [(k, f"v{k}", k) for k in range(120)]


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
    with pytest.raises(Exception, match=r"(?i)null"):
        bad.result(10)
    assert [f.result(10) for f in (*good, later)] == [1, 1, 1]
    writer.close()
    assert [r[0] for r in table.execute("SELECT k FROM t ORDER BY k")] == [1, 2, 3]


def test_prepare_runs_on_the_writer_thread_outside_the_transaction(table):
    seen = {}

    def prepare():
        seen["thread"] = threading.current_thread().name
        seen["in_tx"] = table.in_transaction()
        return "prepared"

    writer = StoreWriter(table)
    fut = writer.submit_prepared(prepare, lambda db, p: db.execute("INSERT INTO t (k, v) VALUES (1, ?)",
                                                                   (p,)).rowcount)
    assert fut.result(10) == 1
    writer.close()
    assert seen == {"thread": "brandsweep-store-writer", "in_tx": False}
    assert table.execute("SELECT v FROM t").fetchone()[0] == "prepared"
