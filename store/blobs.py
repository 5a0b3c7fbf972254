"""Content-addressed blobs (image bytes), keyed by their SHA-256.

Two places, one interface (``write(data) -> sha256``, ``read(sha256) -> bytes | None``), both safe to
call from worker threads:

* :class:`FolderBlobs`: one file per blob, ``<folder>/<sha[:2]>/<sha>``, written whole or not at
  all (fsync + rename). The default beside a SQLite store (``<file>.blobs/``), and the choice for
  PostgreSQL when ``[store] blobs`` names a folder that every host mounts.
* :class:`TableBlobs`: a ``blobs (sha256, data BYTEA)`` table in the PostgreSQL store itself, the
  default there: a worker on any host that reaches the database reaches the images, with no shared
  filesystem. It writes through its own autocommit connection, so a blob written from a hashing
  thread never joins (or waits for) the caller's transaction.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Any, Protocol

from brandsweep.core.files import write_atomic


class BlobStore(Protocol):
    def write(self, data: bytes) -> str: ...

    def read(self, sha256: str) -> bytes | None: ...

    def close(self) -> None: ...


class FolderBlobs:
    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def path(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / sha256

    def write(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, [data], clean_stale=False)
        return digest

    def read(self, sha256: str) -> bytes | None:
        p = self.path(sha256)
        try:
            return p.read_bytes()
        except OSError:
            return None

    def close(self) -> None:
        return None

    def __repr__(self) -> str:
        return f"FolderBlobs({str(self.folder)!r})"


class TableBlobs:
    """Blobs in the PostgreSQL ``blobs`` table, through a connection of their own (opened on first use)."""

    def __init__(self, connect: Any) -> None:
        self._connect = connect  # () -> psycopg.Connection (autocommit)
        self._conn: Any = None
        self._lock = threading.Lock()

    def _connection(self) -> Any:
        if self._conn is None or self._conn.closed:
            self._conn = self._connect()
        return self._conn

    def write(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        with self._lock:
            self._connection().execute(
                "INSERT INTO blobs (sha256, data) VALUES (%s, %s) ON CONFLICT (sha256) DO NOTHING", (digest, data))
        return digest

    def read(self, sha256: str) -> bytes | None:
        with self._lock:
            row = self._connection().execute("SELECT data FROM blobs WHERE sha256 = %s", (sha256,)).fetchone()
        return bytes(row[0]) if row else None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __repr__(self) -> str:
        return "TableBlobs(blobs table)"
