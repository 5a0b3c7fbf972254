"""One writer thread per store connection: writes from any thread, applied in batched transactions.

A crawl must never wait for the store on its event loop: SQLite answers a write while another
process holds the write lock only after its busy timeout (30 s), and for that long nothing else
would run (no download, no timeout). So the crawl hands its writes to a :class:`StoreWriter`,
which owns one connection and one thread:

- ``submit(apply)`` queues an operation and returns a :class:`concurrent.futures.Future` at once;
  the caller awaits it (``asyncio.wrap_future``) while its loop goes on.
- The thread takes everything queued (up to ``max_batch`` operations) and applies it in **one
  transaction**; each operation runs in its own savepoint inside it, so one that raises is undone
  alone and fails alone, and the others commit. A batch commits whole or not at all: a process
  killed at any moment leaves each operation either committed or absent, and a future resolves
  only after its operation's commit, so whatever the caller treats as stored is stored.
- Work that needs no lock (matching a listing) goes in ``prepare``, which the thread runs for the
  whole batch before it begins the transaction, so the lock is held only for the writes.
- While another writer holds the lock the thread waits (the connection's busy timeout) and begins
  the batch again, until ``lock_deadline_s``; callers just see their futures resolve later.

Nothing here is backend-specific: it uses the store's ``db.transaction()`` (SQLite ``BEGIN
IMMEDIATE`` / PostgreSQL, savepoints when nested) and ``db.is_retryable`` (SQLite busy, PostgreSQL
deadlock or serialization failure), so it serves both backends.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

from brandsweep.store.db import Database

T = TypeVar("T")
P = TypeVar("P")


@dataclass(slots=True)
class _Op:
    prepare: Callable[[], Any] | None
    apply: Callable[[Database, Any], Any]
    future: Future[Any] = field(default_factory=Future)


@dataclass(slots=True)
class WriterStats:
    operations: int = 0  # committed (or failed alone)
    batches: int = 0  # transactions committed
    lock_waits: int = 0  # batches begun again because another writer held the lock
    largest_batch: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"store/writes": self.operations, "store/batches": self.batches,
                "store/lock_retries": self.lock_waits, "store/largest_batch": self.largest_batch}


class StoreWriter:
    def __init__(self, db: Database, *, max_batch: int = 256, lock_deadline_s: float = 600.0,
                 name: str = "brandsweep-store-writer") -> None:
        self.db = db
        self.max_batch = max_batch
        self.lock_deadline_s = lock_deadline_s
        self.retryable = db.is_retryable
        self.stats = WriterStats()
        self._queue: queue.SimpleQueue[_Op | None] = queue.SimpleQueue()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, apply: Callable[[Database], T]) -> Future[T]:
        """Apply ``apply(db)`` in the next batch; the future holds its result once committed."""
        return self.submit_prepared(None, lambda db, _: apply(db))

    def submit_prepared(self, prepare: Callable[[], P] | None,
                        apply: Callable[[Database, P], T]) -> Future[T]:
        """Run ``prepare()`` on the writer thread before the batch's transaction, then
        ``apply(db, prepared)`` inside it."""
        if self._closed:
            raise RuntimeError("the store writer is closed")
        op = _Op(prepare, apply)
        self._queue.put(op)
        return op.future

    def close(self) -> WriterStats:
        """Apply everything queued, stop the thread and wait for it (blocking)."""
        if not self._closed:
            self._closed = True
            self._queue.put(None)
        self._thread.join()
        return self.stats

    def _run(self) -> None:
        stop = False
        while not stop:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < self.max_batch:
                try:
                    op = self._queue.get_nowait()
                except queue.Empty:
                    break
                if op is None:
                    stop = True
                    break
                batch.append(op)
            self._apply(batch)

    def _apply(self, batch: list[_Op]) -> None:
        ready: list[tuple[_Op, Any]] = []
        for op in batch:
            if not op.future.set_running_or_notify_cancel():
                continue
            try:
                ready.append((op, op.prepare() if op.prepare is not None else None))
            except Exception as exc:
                op.future.set_exception(exc)
        if not ready:
            return
        deadline = time.monotonic() + self.lock_deadline_s
        wait = 0.05
        while True:
            try:
                outcomes = self._transaction(ready)
                break
            except Exception as exc:
                if not self.retryable(exc) or time.monotonic() > deadline:
                    for op, _ in ready:
                        op.future.set_exception(exc)
                    return
                self.stats.lock_waits += 1
                time.sleep(wait)
                wait = min(wait * 2, 2.0)
        self.stats.batches += 1
        self.stats.operations += len(outcomes)
        self.stats.largest_batch = max(self.stats.largest_batch, len(outcomes))
        for op, ok, value in outcomes:
            if ok:
                op.future.set_result(value)
            else:
                op.future.set_exception(value)

    def _transaction(self, ready: list[tuple[_Op, Any]]) -> list[tuple[_Op, bool, Any]]:
        """One transaction for the batch, a savepoint per operation; raises (rolled back whole) when
        the lock could not be had."""
        outcomes: list[tuple[_Op, bool, Any]] = []
        with self.db.transaction():
            for op, prepared in ready:
                try:
                    with self.db.transaction():  # nested: a savepoint
                        outcomes.append((op, True, op.apply(self.db, prepared)))
                except Exception as exc:
                    if self.retryable(exc):
                        raise
                    outcomes.append((op, False, exc))
        return outcomes
