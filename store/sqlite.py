"""The SQLite backend: one file in WAL mode, the embedded default (``./brandsweep.db``).

WAL lets readers (exports, reports) run while a crawl writes; ``synchronous=NORMAL`` in WAL mode
keeps every committed transaction across a process kill (only an OS crash can lose the last
ones), which is the guarantee the crawler relies on. Write transactions begin ``IMMEDIATE``: a
plain (deferred) transaction that reads first and writes later cannot wait for another writer
(SQLite answers "database is locked" at once instead of using the busy timeout), so taking the
lock up front makes concurrent writers queue for up to ``busy_timeout``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from brandsweep.core.errors import StoreError
from brandsweep.store.blobs import FolderBlobs
from brandsweep.store.db import Cursor, Database

BUSY_TIMEOUT_MS = 30000


class SQLiteDatabase(Database):
    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection, location: str, blobs: str | Path | None) -> None:
        self.conn = conn
        self.location = location
        folder = Path(blobs) if blobs else (None if location == ":memory:" else Path(location + ".blobs"))
        self.blobs = FolderBlobs(folder) if folder else _NoBlobs()  # type: ignore[assignment]
        self._depth = 0

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description or ()]
        for row in cur:
            yield dict(zip(names, row, strict=True))

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        if self.conn.in_transaction:
            self._depth += 1
            name = f"sp{self._depth}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield self
            except BaseException:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
                raise
            else:
                self.conn.execute(f"RELEASE {name}")
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def is_retryable(self, exc: BaseException) -> bool:
        return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                                "AND name NOT LIKE 'sqlite_%' ORDER BY name")]

    def columns(self, table: str) -> list[str]:
        return [r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")]

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def sidecar(self, suffix: str) -> Path:
        if self.location == ":memory:":
            raise StoreError(f"an in-memory database has no {suffix} folder")
        p = Path(self.location)
        return p.with_name(f"{p.name}.{suffix}")

    def close(self) -> None:
        self.conn.close()
        self.blobs.close()

    def __repr__(self) -> str:
        return f"<SQLiteDatabase {self.location}>"


class _NoBlobs:
    def write(self, data: bytes) -> str:
        raise StoreError("an in-memory database has no blob folder")

    def read(self, sha256: str) -> bytes | None:
        return None

    def close(self) -> None:
        return None


def open_sqlite(path: Path, *, create: bool, blobs: str | Path | None) -> SQLiteDatabase:
    memory = str(path) == ":memory:"
    if not memory and not create and not path.exists():
        raise StoreError(f"{path}: no such database (run 'brandsweep catalog import' first)")
    if not memory and path.parent and not path.parent.exists():
        raise StoreError(f"{path}: folder {path.parent} does not exist")
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not memory:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot open database: {exc}") from exc
    return SQLiteDatabase(conn, str(path), blobs)
