"""Crawl, feed and rematch runs: every run is recorded with its outcome and stats."""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from brandsweep.store.db import utcnow


def start_run(db: sqlite_utils.Database, kind: str, *, marketplace: str | None = None,
              source: str | None = None) -> int:
    cur = db.execute(
        "INSERT INTO crawl_runs (kind, marketplace, source, started_at, status) VALUES (?, ?, ?, ?, 'running')",
        (kind, marketplace, source, utcnow()),
    )
    return int(cur.lastrowid or 0)


def finish_run(db: sqlite_utils.Database, run_id: int, *, status: str, stats: dict[str, Any]) -> None:
    db.execute(
        "UPDATE crawl_runs SET finished_at = ?, status = ?, stats = ? WHERE id = ?",
        (utcnow(), status, json.dumps(stats, ensure_ascii=False, sort_keys=True, default=str), run_id),
    )
