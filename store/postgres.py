"""The PostgreSQL backend (psycopg 3): ``--db postgresql://user@host:5432/brandsweep``.

One connection per process in autocommit mode; :meth:`transaction` opens a real transaction
(READ COMMITTED), nested ones are savepoints. Ingest takes a transaction-scoped advisory lock
per listing key (:meth:`lock_keys`, sorted, so two writers never deadlock on each other), which
makes "read the stored version, then write the next one" safe across processes and hosts; every
other write is a single ``INSERT ... ON CONFLICT`` and atomic on its own. A deadlock or
serialization failure that still happens is reported as retryable and the caller runs the whole
transaction again (:func:`brandsweep.store.db.retrying`).

Many rows at once go through ``COPY`` into a temporary staging table and one
``INSERT ... SELECT ... ON CONFLICT`` (:meth:`_bulk_upsert`): the fast path of feed imports.
``numeric`` results (``SUM`` of integers) are read as ``float``, like SQLite's.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from brandsweep.core.errors import StoreError
from brandsweep.store.blobs import FolderBlobs, TableBlobs
from brandsweep.store.db import COPY_MIN_ROWS, Cursor, Database
from brandsweep.store.sql import to_pyformat

CONNECT_TIMEOUT_S = 10


def redact(url: str) -> str:
    """The URL with its password replaced by ``***`` (for messages and run records)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = (parts.username or "") + ":***"
    return urlunsplit(parts._replace(netloc=f"{user}@{netloc[1]}"))


def _connect(url: str) -> Any:
    import psycopg
    from psycopg.types.numeric import FloatLoader

    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"{redact(url)}: cannot connect to PostgreSQL: {first}") from exc
    conn.adapters.register_loader("numeric", FloatLoader)
    return conn


class PostgresDatabase(Database):
    dialect = "postgresql"

    def __init__(self, url: str, blobs: str | Path | None) -> None:
        self.url = url
        self.location = redact(url)
        self.conn = _connect(url)
        self.blobs = FolderBlobs(blobs) if blobs else TableBlobs(lambda: _connect(url))  # type: ignore[assignment]
        self._sql: dict[str, str] = {}

    def _q(self, sql: str) -> str:
        out = self._sql.get(sql)
        if out is None:
            out = self._sql[sql] = to_pyformat(sql)
        return out

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Cursor:
        return self.conn.execute(self._q(sql), params)  # type: ignore[no-any-return]

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        with self.conn.cursor() as cur:
            cur.executemany(self._q(sql), rows)

    def query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        from psycopg.rows import dict_row

        with self.conn.cursor(row_factory=dict_row) as cur:
            cur.execute(self._q(sql), params)
            yield from cur

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        with self.conn.transaction():
            yield self

    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return bool(self.conn.info.transaction_status != TransactionStatus.IDLE)

    def lock_keys(self, keys: Sequence[str]) -> None:
        if not keys:
            return
        self.conn.execute(
            "SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h "
            "FROM unnest(%s::text[]) AS k ORDER BY h OFFSET 0) AS s", (sorted(set(keys)),))

    def is_retryable(self, exc: BaseException) -> bool:
        from psycopg import errors

        return isinstance(exc, errors.SerializationFailure | errors.DeadlockDetected)

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_type = 'BASE TABLE' ORDER BY table_name")]

    def columns(self, table: str) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = %s ORDER BY ordinal_position", (table,))]

    def _bulk_upsert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]], key: Sequence[str],
                     sql: str) -> None:
        if len(rows) < COPY_MIN_ROWS:
            self.executemany(sql, rows)
            return
        cols = ", ".join(columns)
        stage = f"_stage_{table}_{hashlib.sha1(cols.encode()).hexdigest()[:8]}"
        conflict = sql[sql.index(" ON CONFLICT "):]
        with self.transaction(), self.conn.cursor() as cur:
            cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {stage} ON COMMIT DELETE ROWS AS "
                        f"SELECT {cols} FROM {table} WITH NO DATA")
            cur.execute(f"TRUNCATE {stage}")
            with cur.copy(f"COPY {stage} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {stage} "
                        f"ORDER BY {', '.join(key)}{conflict}")

    def sidecar(self, suffix: str) -> Path:
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", urlsplit(self.url).path.strip("/") or "brandsweep")
        return Path(f"{name}.{suffix}")

    def close(self) -> None:
        self.conn.close()
        self.blobs.close()

    def __repr__(self) -> str:
        return f"<PostgresDatabase {self.location}>"


def open_postgres(url: str, *, blobs: str | Path | None) -> PostgresDatabase:
    return PostgresDatabase(url, blobs)
