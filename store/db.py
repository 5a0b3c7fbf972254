"""Opening the store: one SQLite file in WAL mode, schema brought up to date on open."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from brandsweep.core.errors import StoreError
from brandsweep.store.migrations import MIGRATIONS

DEFAULT_DB = "brandsweep.db"


def utcnow() -> str:
    """The current time as ISO 8601 UTC with a ``Z``, second precision."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A write transaction that takes SQLite's write lock when it begins (``BEGIN IMMEDIATE``).

    A plain (deferred) transaction that reads first and writes later cannot wait for another
    writer: SQLite answers "database is locked" at once instead of using the busy timeout.
    Taking the lock up front makes concurrent writers (parallel crawls into one store, a feed
    import during a crawl) queue for up to ``busy_timeout``. Nested calls use savepoints.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


def migrate(db: sqlite_utils.Database) -> int:
    """Apply every migration the database lacks (by version number, in order); return the newest."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    applied = {int(r[0]) for r in db.execute("SELECT version FROM schema_migrations")}
    newest = max(v for v, _, _ in MIGRATIONS)
    if applied and max(applied) > newest:
        raise StoreError(
            f"{db_path(db)}: database schema version {max(applied)} is newer than this brandsweep "
            f"understands ({newest}); upgrade brandsweep"
        )
    for version, description, sql in sorted(MIGRATIONS):
        if version in applied:
            continue
        with transaction(db):
            for statement in _statements(sql):
                db.execute(statement)
            db.execute(
                "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",
                (version, description, utcnow()),
            )
    return newest


def _statements(sql: str) -> list[str]:
    """Split a migration script into statements (executescript would commit on its own)."""
    out: list[str] = []
    buf = ""
    for line in sql.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        raise StoreError(f"incomplete SQL statement in migration: {buf.strip()[:60]}")
    return out


def db_path(db: sqlite_utils.Database) -> str:
    row = db.execute("PRAGMA database_list").fetchone()
    return str(row[2]) if row and row[2] else ":memory:"


def open_db(path: str | Path, *, create: bool = True) -> sqlite_utils.Database:
    """Open (and create or upgrade) the store at ``path``.

    WAL lets readers (exports, reports) run while a crawl writes; ``synchronous=NORMAL``
    in WAL mode keeps every committed transaction across a process kill (only an OS crash
    can lose the last ones), which is the guarantee the crawler relies on.
    """
    p = Path(path)
    if not create and not p.exists():
        raise StoreError(f"{p}: no such database (run 'brandsweep catalog import' first)")
    if p.parent and not p.parent.exists():
        raise StoreError(f"{p}: folder {p.parent} does not exist")
    try:
        conn = sqlite3.connect(str(p), timeout=30.0, isolation_level=None, check_same_thread=False)
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA busy_timeout = 30000")
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        migrate(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{p}: cannot open database: {exc}") from exc
    return db


def blob_dir(db: sqlite_utils.Database) -> Path:
    """Folder beside the database file where content-addressed blobs (images) are kept."""
    path = db_path(db)
    if path == ":memory:":
        raise StoreError("an in-memory database has no blob folder")
    p = Path(path)
    return p.with_name(p.name + ".blobs")
