"""Crawl, feed and rematch runs: every run is recorded with its outcome, stats and changes.

A run starts as ``running`` with the process id that runs it. A run whose process died without
finishing (``kill -9``, power loss) is marked ``interrupted`` the next time a run starts, so a
crash leaves a truthful record and never a run that looks complete.

What a run saw is in ``run_listings``: ``new``, ``changed``, ``unchanged`` and ``gone``.
Gone is decided conservatively: a listing whose own page answered 404/410 is gone at once
(:func:`mark_gone`); otherwise only a run that finished ``ok`` with scope ``full`` (it walked the
whole marketplace and no list or listing page failed) may mark the listings of its marketplace
that it did not see as gone (:func:`sweep_gone`). A partial, failed or interrupted run never
marks anything gone.

Resume: a crawl started soon after one of the same marketplace was killed takes over the listings
the killed run stored (:func:`carry_over`) and skips their pages; everything else is fetched.
"""

from __future__ import annotations

import json
import os
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

from brandsweep.core.procs import pid_alive
from brandsweep.store.db import Database, transaction, utcnow
from brandsweep.store.sql import placeholders

CHANGES = ("new", "changed", "unchanged", "gone")


def close_stale_runs(db: Database) -> int:
    """Mark runs of this host whose process is gone as ``interrupted``; return how many. A run of
    another host (a store shared through PostgreSQL) is left alone: its pid means nothing here."""
    host = socket.gethostname()
    stale = [r[0] for r in db.execute("SELECT id, pid, host FROM crawl_runs WHERE status = 'running'").fetchall()
             if r[1] is not None and r[2] in (None, host) and r[1] != os.getpid() and not pid_alive(int(r[1]))]
    for run_id in stale:
        db.execute("UPDATE crawl_runs SET status = 'interrupted', finished_at = ? WHERE id = ? AND status = 'running'",
                   (utcnow(), run_id))
    return len(stale)


def start_run(db: Database, kind: str, *, marketplace: str | None = None,
              source: str | None = None, scope: str = "partial") -> int:
    close_stale_runs(db)
    return db.insert_id("crawl_runs", {"kind": kind, "marketplace": marketplace, "source": source,
                                       "started_at": utcnow(), "status": "running", "scope": scope,
                                       "pid": os.getpid(), "host": socket.gethostname()})


def finish_run(db: Database, run_id: int, *, status: str, stats: dict[str, Any],
               scope: str | None = None) -> None:
    db.execute(
        "UPDATE crawl_runs SET finished_at = ?, status = ?, stats = ?, scope = COALESCE(?, scope) WHERE id = ?",
        (utcnow(), status, json.dumps(stats, ensure_ascii=False, sort_keys=True, default=str), scope, run_id),
    )


def mark_gone(db: Database, platform: str, listing_id: str, *, run_id: int | None, now: str) -> bool:
    """The listing's own page said it is gone (404/410): mark it, once. True if it was live."""
    cur = db.execute(
        "UPDATE listings SET gone_run_id = ?, gone_at = ? WHERE platform = ? AND listing_id = ? "
        "AND gone_run_id IS NULL", (run_id, now, platform, listing_id))
    if cur.rowcount and run_id is not None:
        db.upsert("run_listings", [{"run_id": run_id, "platform": platform, "listing_id": listing_id,
                                    "change": "gone"}], key=("run_id", "platform", "listing_id"))
    return bool(cur.rowcount)


def sweep_gone(db: Database, run_id: int, platform: str) -> int:
    """After a complete run: its marketplace's crawled listings it did not see are gone. Returns how many."""
    now = utcnow()
    with transaction(db):
        ids = [r[0] for r in db.execute(
            """
            SELECT l.listing_id FROM listings l JOIN crawl_runs r ON r.id = l.last_run_id
            WHERE l.platform = ? AND l.gone_run_id IS NULL AND r.kind = 'crawl' AND l.last_run_id < ?
              AND NOT EXISTS (SELECT 1 FROM run_listings s
                              WHERE s.run_id = ? AND s.platform = l.platform AND s.listing_id = l.listing_id)
            """, (platform, run_id, run_id)).fetchall()]
        for listing_id in ids:
            mark_gone(db, platform, listing_id, run_id=run_id, now=now)
    return len(ids)


def run_changes(db: Database, run_id: int) -> dict[str, int]:
    counts = dict.fromkeys(CHANGES, 0)
    for change, n in db.execute("SELECT change, COUNT(*) FROM run_listings WHERE run_id = ? GROUP BY change",
                                (run_id,)):
        counts[change] = n
    return counts


def run_listing_ids(db: Database, run_id: int, change: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in db.execute(
        "SELECT platform, listing_id FROM run_listings WHERE run_id = ? AND change = ? ORDER BY platform, listing_id",
        (run_id, change))]


def failure_counts(stats: dict[str, Any]) -> dict[str, int]:
    """Every failure a run's stats counted, by reason (brandsweep's own keys and Scrapy's)."""
    prefixes = ("brandsweep/failures/", "brandsweep/refused/", "brandsweep/images/refused/", "brandsweep/trap/",
                "drop_item/", "retry/max_reached", "brandsweep/encoding/undecodable_bytes",
                "brandsweep/extract_failed/", "brandsweep/pagination_capped", "robotstxt/forbidden",
                "downloader/exception_type_count/")
    return {k: int(v) for k, v in sorted(stats.items())
            if isinstance(v, int | float) and any(k.startswith(p) for p in prefixes) and v}


def interrupted_runs(db: Database, marketplace: str, *, max_age_s: float) -> list[int]:
    """Crawl runs of ``marketplace`` killed since its last run that ended, started within ``max_age_s``."""
    cutoff = datetime.now(UTC) - timedelta(seconds=max_age_s)
    out = []
    for run_id, status, started in db.execute(
            "SELECT id, status, started_at FROM crawl_runs WHERE kind = 'crawl' AND marketplace = ? "
            "AND status != 'running' ORDER BY id DESC", (marketplace,)):
        if status != "interrupted" or datetime.fromisoformat(started.replace("Z", "+00:00")) < cutoff:
            break
        out.append(int(run_id))
    return out


def carry_over(db: Database, run_id: int, from_runs: list[int]) -> set[str]:
    """Resume: the listings the killed runs stored count as seen (``unchanged``) by ``run_id``, so it
    need not fetch their pages again. Returns their ids."""
    if not from_runs:
        return set()
    with transaction(db):
        rows = db.execute(f"SELECT DISTINCT platform, listing_id FROM run_listings WHERE run_id IN "
                          f"({placeholders(len(from_runs))}) AND change != 'gone'", from_runs).fetchall()
        db.upsert("run_listings", [{"run_id": run_id, "platform": p, "listing_id": i, "change": "unchanged"}
                                   for p, i in rows], key=("run_id", "platform", "listing_id"), update=None)
    return {r[1] for r in rows}
