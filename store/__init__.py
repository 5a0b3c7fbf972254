"""The store: the single source of truth for catalog, listings, matches and leads.

SQLite (a file, the embedded default) or PostgreSQL (a ``postgresql://`` URL) behind one
interface, :class:`brandsweep.store.db.Database`; see that module for the API.
"""

from brandsweep.store.db import DEFAULT_DB, Database, blob_dir, is_url, open_db, retrying, utcnow

__all__ = ["DEFAULT_DB", "Database", "blob_dir", "is_url", "open_db", "retrying", "utcnow"]
