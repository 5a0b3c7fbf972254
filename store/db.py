"""The store's database interface: one API over SQLite (embedded default) and PostgreSQL.

:func:`open_db` takes a file path (SQLite, ``./brandsweep.db`` by default) or a
``postgresql://`` URL and returns a :class:`Database`; the schema is brought up to date on open
by the same migrations on both (:mod:`brandsweep.store.sql` says which SQL is portable). Every
caller uses only this API:

``db.execute(sql, params)``
    one statement with ``?`` placeholders; returns a cursor (``fetchone``, ``fetchall``,
    ``rowcount``, iteration over tuples).
``db.query(sql, params)``
    rows as dicts. ``db.scalar(sql, params)``: the first column of the first row.
``db.executemany(sql, rows)``
    one statement, many parameter rows (pipelined on PostgreSQL).
``with db.transaction():``
    a write transaction. SQLite takes its write lock up front (``BEGIN IMMEDIATE``), so
    concurrent writers queue instead of failing; PostgreSQL runs READ COMMITTED and a
    read-then-write on a key first calls ``db.lock_keys(keys)`` (transaction-scoped advisory
    locks, taken in sorted order so writers never deadlock). Nested calls are savepoints.
``retrying(db, fn)``
    runs ``fn`` (which opens its own transaction) again when the backend says the failure was
    transient (SQLite busy, PostgreSQL deadlock or serialization failure).
``db.insert_id(table, row)``, ``db.upsert(table, rows, key=..., update=...)``
    insert returning the new ``id``; insert-or-update / insert-or-ignore of many rows at once
    (``update=None`` ignores conflicts). PostgreSQL sends many rows with ``COPY`` into a
    staging table, then one ``INSERT ... SELECT ... ON CONFLICT``.
``db.dialect``, ``db.location``, ``db.blobs``
    ``"sqlite"`` or ``"postgresql"``; the file or URL (password hidden); where image bytes
    live (:mod:`brandsweep.store.blobs`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, Protocol, TypeVar

from brandsweep.core.errors import StoreError
from brandsweep.store.blobs import BlobStore
from brandsweep.store.migrations import MIGRATIONS
from brandsweep.store.sql import placeholders, portable_ddl, statements

DEFAULT_DB = "brandsweep.db"
T = TypeVar("T")
# Above this many rows an upsert on PostgreSQL goes through COPY; below it, one pipelined statement per row.
COPY_MIN_ROWS = 32


def utcnow() -> str:
    """The current time as ISO 8601 UTC with a ``Z``, second precision."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def is_url(target: str | Path) -> bool:
    """True for a PostgreSQL URL (``postgresql://`` or ``postgres://``), False for a SQLite file path."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Database:
    """What every backend offers (see the module docstring). Subclasses: SQLiteDatabase, PostgresDatabase."""

    dialect: str = ""
    location: str = ""
    blobs: BlobStore

    # --- provided by each backend ---------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Cursor:
        raise NotImplementedError

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        raise NotImplementedError

    def query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        raise NotImplementedError

    def transaction(self) -> AbstractContextManager[Database]:
        raise NotImplementedError

    def in_transaction(self) -> bool:
        raise NotImplementedError

    def lock_keys(self, keys: Sequence[str]) -> None:
        """Serialize writers of the same keys until the transaction ends (PostgreSQL; SQLite already
        holds the one write lock)."""

    def is_retryable(self, exc: BaseException) -> bool:
        """True when ``exc`` is a transient failure and the whole transaction may be run again."""
        return False

    def table_names(self) -> list[str]:
        raise NotImplementedError

    def columns(self, table: str) -> list[str]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def _bulk_upsert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]], key: Sequence[str],
                     sql: str) -> None:
        self.executemany(sql, rows)

    def sidecar(self, suffix: str) -> Path:
        """A folder for files that belong to this store (evidence bundles): beside a SQLite file;
        named after the database in the working folder for PostgreSQL."""
        raise NotImplementedError

    # --- shared helpers ---------------------------------------------------------------------------
    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.execute(sql, params).fetchone()
        return row[0] if row else None

    def insert_id(self, table: str, row: Mapping[str, Any]) -> int:
        """Insert one row and return its generated ``id``."""
        cols = list(row)
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({placeholders(len(cols))}) RETURNING id"
        return int(self.execute(sql, list(row.values())).fetchone()[0])

    def upsert(
        self,
        table: str,
        rows: Sequence[Mapping[str, Any]],
        *,
        key: Sequence[str],
        update: Sequence[str] | Mapping[str, str] | None = (),
    ) -> int:
        """Insert ``rows``; on a conflict of ``key``: ``update=()`` (default) replaces every other column
        given, a list updates those columns from the new row, a mapping gives ``SET`` expressions
        (``excluded.col`` is the new value), ``None`` keeps the stored row (insert-or-ignore).

        Rows sharing a key are reduced to one first (the last when updating, the first when ignoring),
        the same on both backends. Returns the number of rows sent.
        """
        if not rows:
            return 0
        columns = list(rows[0])
        key_of, row_of = _tuple_getter(key), _tuple_getter(columns)
        seen: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        for r in rows:
            k = key_of(r)
            if update is None and k in seen:
                continue
            seen[k] = row_of(r)
        try:  # the same order as _sort_key's whenever no None meets a value (a feed batch: 2x faster)
            order = sorted(seen)
        except TypeError:
            order = sorted(seen, key=_sort_key)
        values = [seen[k] for k in order]  # one order everywhere: no lock cycles
        conflict = f"ON CONFLICT ({', '.join(key)}) "
        if update is None:
            conflict += "DO NOTHING"
        else:
            if isinstance(update, Mapping):
                sets = [f"{c} = {expr}" for c, expr in update.items()]
            else:
                sets = [f"{c} = excluded.{c}" for c in (update or [c for c in columns if c not in key])]
            conflict += f"DO UPDATE SET {', '.join(sets)}" if sets else "DO NOTHING"
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders(len(columns))}) {conflict}"
        self._bulk_upsert(table, columns, values, key, sql)
        return len(values)

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table (sorted), to compare two stores or a store before and after."""
        out = {}
        for table in sorted(self.table_names()):
            if table == "schema_migrations":
                continue
            cols = self.columns(table)
            order = ", ".join(str(i + 1) for i in range(len(cols)))
            out[table] = [tuple(r) for r in self.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()]
        return out

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _tuple_getter(names: Sequence[str]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """``row -> tuple(row[n] for n in names)``, in C (itemgetter)."""
    if len(names) == 1:
        get = itemgetter(names[0])
        return lambda row: (get(row),)
    return itemgetter(*names)


def _sort_key(k: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    return tuple((v is None, v if v is not None else 0) for v in k)


def transaction(db: Database) -> AbstractContextManager[Database]:
    """``db.transaction()`` (kept as a function for callers written before the backends)."""
    return db.transaction()


def retrying(db: Database, fn: Callable[[], T], *, attempts: int = 8, base_delay_s: float = 0.05) -> T:
    """Run ``fn`` (one whole transaction) again while the backend calls its failure transient."""
    for attempt in range(attempts):
        try:
            return fn()
        except Exception as exc:
            if attempt == attempts - 1 or db.in_transaction() or not db.is_retryable(exc):
                raise
            time.sleep(base_delay_s * 2 ** attempt)
    raise AssertionError("unreachable")


def _missing(db: Database, newest: int) -> bool:
    """True when a migration is still to apply; refuse a store newer than this brandsweep."""
    if "schema_migrations" not in db.table_names():
        return True
    applied = {int(r[0]) for r in db.execute("SELECT version FROM schema_migrations")}
    if applied and max(applied) > newest:
        raise StoreError(
            f"{db.location}: database schema version {max(applied)} is newer than this brandsweep "
            f"understands ({newest}); upgrade brandsweep"
        )
    return bool({v for v, _, _ in MIGRATIONS} - applied)


def migrate(db: Database) -> int:
    """Apply every migration the database lacks (by version number, in order); return the newest.

    Each migration runs in one transaction together with its ``schema_migrations`` row; on
    PostgreSQL the whole run holds an advisory lock, so processes opening a new store at once
    apply each migration once.
    """
    newest = max(v for v, _, _ in MIGRATIONS)
    if not _missing(db, newest):
        return newest  # the usual case: no write, no lock
    with db.transaction():
        db.lock_keys(["brandsweep:migrate"])
        db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        applied = {int(r[0]) for r in db.execute("SELECT version FROM schema_migrations")}
        for version, description, sql in sorted(MIGRATIONS):
            if version in applied:
                continue
            with db.transaction():
                for statement in statements(sql):
                    db.execute(portable_ddl(statement, db.dialect))
                db.execute("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",
                           (version, description, utcnow()))
    return newest


def open_db(target: str | Path | None = None, *, create: bool = True, blobs: str | Path | None = None) -> Database:
    """Open (and create or upgrade) the store: a SQLite file path or a ``postgresql://`` URL.

    ``blobs`` is a folder for image bytes; without it SQLite keeps them in ``<file>.blobs/`` beside
    the database and PostgreSQL in its ``blobs`` table, where workers on every host reach them.
    """
    target = DEFAULT_DB if target is None or target == "" else target
    if is_url(target):
        from brandsweep.store.postgres import open_postgres

        db: Database = open_postgres(str(target), blobs=blobs)
    else:
        from brandsweep.store.sqlite import open_sqlite

        db = open_sqlite(Path(target), create=create, blobs=blobs)
    try:
        migrate(db)
    except BaseException:
        db.close()
        raise
    return db


def db_path(db: Database) -> str:
    """The store's location: the SQLite file, or the PostgreSQL URL without its password."""
    return db.location


def blob_dir(db: Database) -> Path:
    """The blob folder of a store whose blobs are files (SQLite by default)."""
    folder = getattr(db.blobs, "folder", None)
    if folder is None:
        raise StoreError(f"{db.location}: image blobs are kept in the database, not in a folder")
    return Path(folder)
