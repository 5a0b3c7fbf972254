"""The SQLite store: the single source of truth for catalog, listings, matches and leads."""

from brandsweep.store.db import DEFAULT_DB, blob_dir, open_db, utcnow

__all__ = ["DEFAULT_DB", "blob_dir", "open_db", "utcnow"]
