"""Run history: what each crawl, feed import or rematch did, read from ``crawl_runs``.

``crawl_runs.stats`` holds the run's Scrapy stats (JSON); ``run_listings`` (migration 0002) what
the run saw of each listing (new, changed, unchanged, gone), which is the authority for those
counts when present (a listing can be marked gone after the crawl, from what it did not see).
:func:`summarize` turns one row into the figures an analyst asks for: pages fetched, listings
new / changed / gone, new leads, errors grouped by reason, duration.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from brandsweep.store.db import Database

# Scrapy stats prefixes that count failures, and the short reason shown for each.
_ERROR_PREFIXES = (
    ("downloader/exception_type_count/", ""),
    ("retry/max_reached", "retries exhausted"),
    ("httperror/response_ignored_status_count/", "http "),
    ("drop_item/", "dropped: "),
    ("brandsweep/extract_failed/", "extract failed: "),
    ("brandsweep/images/refused/", "image refused: "),
    ("brandsweep/photos/timeout", "photo reading timed out"),
    ("brandsweep/photos/error", "photo reading failed"),
    ("robotstxt/forbidden", "robots.txt forbidden"),
    ("offsite/filtered", "offsite filtered"),
    ("brandsweep/pagination_capped", "pagination capped"),
    ("brandsweep/failures/", "failed: "),
    ("brandsweep/refused/", "refused: "),
    ("brandsweep/trap/", "trap: "),
    ("brandsweep/encoding/undecodable_bytes", "undecodable bytes"),
)


@dataclass(slots=True)
class RunSummary:
    id: int
    kind: str
    marketplace: str | None
    source: str | None
    started_at: str
    finished_at: str | None
    status: str
    pages: int = 0
    listings_new: int = 0
    listings_changed: int = 0
    listings_gone: int = 0
    listings_unchanged: int = 0
    leads_new: int = 0
    photos_read: int = 0  # images the photo engines read (issue 15)
    photos_text: int = 0  # ... in which OCR found text
    photos_logos: int = 0  # ... in which a catalog logo was found
    photos_timeout: int = 0  # ... stopped at photo_timeout
    errors: Counter[str] = field(default_factory=Counter)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def duration_s(self) -> float | None:
        if not self.finished_at:
            return None
        return (_parse(self.finished_at) - _parse(self.started_at)).total_seconds()

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "marketplace": self.marketplace, "source": self.source,
            "started_at": self.started_at, "finished_at": self.finished_at, "status": self.status,
            "duration_s": self.duration_s, "pages": self.pages, "listings_new": self.listings_new,
            "listings_changed": self.listings_changed, "listings_gone": self.listings_gone,
            "listings_unchanged": self.listings_unchanged, "leads_new": self.leads_new,
            "photos_read": self.photos_read, "photos_text": self.photos_text, "photos_logos": self.photos_logos,
            "photos_timeout": self.photos_timeout,
            "errors": dict(self.errors.most_common()),
        }


def _parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


def _int(stats: dict[str, Any], *keys: str) -> int:
    for k in keys:
        v = stats.get(k)
        if isinstance(v, int | float) and not isinstance(v, bool):
            return int(v)
    return 0


def errors_by_reason(stats: dict[str, Any]) -> Counter[str]:
    out: Counter[str] = Counter()
    for key, value in stats.items():
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            continue
        for prefix, label in _ERROR_PREFIXES:
            if key.startswith(prefix):
                rest = key[len(prefix):]
                tail = rest if prefix.startswith("brandsweep/") else rest.rsplit(".", 1)[-1]
                reason = (label + tail) if rest else label
                out[reason.strip()] += value
                break
    return out


def summarize(row: dict[str, Any], changes: dict[str, int] | None = None) -> RunSummary:
    try:
        stats = json.loads(row.get("stats") or "{}")
    except ValueError:
        stats = {}
    stats = stats if isinstance(stats, dict) else {}
    out = RunSummary(
        id=int(row["id"]), kind=row["kind"], marketplace=row.get("marketplace"), source=row.get("source"),
        started_at=row["started_at"], finished_at=row.get("finished_at"), status=row["status"],
        pages=_int(stats, "downloader/response_count", "lines"),
        listings_new=_int(stats, "brandsweep/listings/new", "listings/new"),
        listings_changed=_int(stats, "brandsweep/listings/changed", "listings/changed"),
        listings_gone=_int(stats, "brandsweep/listings/gone", "brandsweep/listings_gone", "listings/gone"),
        listings_unchanged=_int(stats, "brandsweep/listings/unchanged", "listings/unchanged"),
        leads_new=_int(stats, "brandsweep/leads/new", "leads/new"),
        photos_read=_int(stats, "brandsweep/photos/read"), photos_text=_int(stats, "brandsweep/photos/text_found"),
        photos_logos=_int(stats, "brandsweep/photos/logos_found"),
        photos_timeout=_int(stats, "brandsweep/photos/timeout"),
        errors=errors_by_reason(stats), stats=stats,
    )
    if changes:
        out.listings_new = changes.get("new", 0)
        out.listings_changed = changes.get("changed", 0)
        out.listings_unchanged = changes.get("unchanged", 0)
        out.listings_gone = changes.get("gone", 0)
    return out


def run_changes(db: Database, run_ids: list[int]) -> dict[int, dict[str, int]]:
    """{run id: {change: listings}} from ``run_listings``; empty where the store has no such table."""
    if not run_ids or "run_listings" not in db.table_names():
        return {}
    out: dict[int, dict[str, int]] = {}
    marks = ",".join("?" * len(run_ids))
    for r in db.query(f"SELECT run_id, change, COUNT(*) AS n FROM run_listings WHERE run_id IN ({marks}) "
                      "GROUP BY run_id, change", run_ids):
        out.setdefault(int(r["run_id"]), {})[r["change"]] = int(r["n"])
    return out


def list_runs(db: Database, *, limit: int = 20, marketplace: str | None = None,
              kind: str | None = None) -> list[RunSummary]:
    where, args = [], []
    if marketplace:
        where.append("marketplace = ?")
        args.append(marketplace)
    if kind:
        where.append("kind = ?")
        args.append(kind)
    sql = "SELECT * FROM crawl_runs" + (f" WHERE {' AND '.join(where)}" if where else "")
    rows = list(db.query(sql + " ORDER BY id DESC LIMIT ?", [*args, limit]))
    changes = run_changes(db, [int(r["id"]) for r in rows])
    return [summarize(r, changes.get(int(r["id"]))) for r in rows]


def get_run(db: Database, run_id: int) -> RunSummary | None:
    rows = list(db.query("SELECT * FROM crawl_runs WHERE id = ?", [run_id]))
    return summarize(rows[0], run_changes(db, [run_id]).get(run_id)) if rows else None


def run_leads(db: Database, run_id: int, *, limit: int = 20) -> list[dict[str, Any]]:
    """Leads first flagged in this run, best first."""
    return list(db.query(
        "SELECT l.lead_id, l.platform, l.listing_id, l.score, b.name AS brand, li.title FROM leads l "
        "LEFT JOIN brands b ON b.id = l.brand_id "
        "LEFT JOIN listings li ON li.platform = l.platform AND li.listing_id = l.listing_id "
        "WHERE l.run_id = ? ORDER BY l.score DESC, l.lead_id LIMIT ?", [run_id, limit]))


def schedule_runs(db: Database, *, schedule: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    if "schedule_runs" not in db.table_names():
        return []
    if schedule:
        return list(db.query("SELECT * FROM schedule_runs WHERE schedule = ? ORDER BY id DESC LIMIT ?",
                             [schedule, limit]))
    return list(db.query("SELECT * FROM schedule_runs ORDER BY id DESC LIMIT ?", [limit]))
