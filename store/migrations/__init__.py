"""Versioned schema migrations, one SQL file each: ``NNNN_name.sql``.

To change the schema, add a file with the next number; never edit one that has shipped. The
first line (``-- description``) says what it does. Each migration runs in one transaction
together with the row that records it in ``schema_migrations``.
"""

from __future__ import annotations

import re
from importlib import resources

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def load() -> tuple[tuple[int, str, str], ...]:
    """Every migration as (version, description, sql), in version order."""
    out = []
    for entry in resources.files(__package__).iterdir():
        m = _NAME.match(entry.name)
        if not m:
            continue
        sql = entry.read_text(encoding="utf-8")
        first = sql.splitlines()[0] if sql else ""
        description = first[2:].strip() if first.startswith("--") else entry.name
        out.append((int(m.group(1)), description, sql))
    versions = [v for v, _, _ in out]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a version number: {sorted(versions)}")
    return tuple(sorted(out))


MIGRATIONS = load()
