"""Matches and leads in the store.

Every listing has at most one current match (its best brand, score and reasons). A listing
whose match is a lead gets a row in ``leads`` with a ``lead_id`` derived from its key, so
re-crawling, re-importing or re-matching it never creates a second lead. A lead whose listing
stops matching is kept (``active = 0``) with its status and history, never deleted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from brandsweep.core.errors import LeadNotFound
from brandsweep.matchers.types import MatchResult
from brandsweep.store.db import Database, transaction
from brandsweep.store.sql import placeholders

LEAD_STATUSES = ("new", "reviewed", "exported", "dismissed")
CHUNK = 500
_LEAD_UPDATE = {
    "brand_id": "excluded.brand_id",
    "score": "excluded.score",
    "active": "1",
    "updated_at": "CASE WHEN leads.score != excluded.score OR leads.active = 0 "
                  "OR COALESCE(leads.brand_id, '') != COALESCE(excluded.brand_id, '') "
                  "THEN excluded.updated_at ELSE leads.updated_at END",
}


def lead_id_for(platform: str, listing_id: str) -> str:
    digest = hashlib.sha256(f"{platform}\x1f{listing_id}".encode()).hexdigest()
    return f"L-{digest[:12]}"


def save_matches(
    db: Database,
    results: Sequence[tuple[str, str, MatchResult]],
    *,
    run_id: int | None,
    now: str,
) -> tuple[list[tuple[str | None, bool]], int]:
    """Record the match of each ``(platform, listing_id, result)`` (inside a transaction, no key twice).

    Returns ``(lead_id, created)`` per result (the lead id if the listing is a lead, and whether the
    lead is new with this call) and how many active leads stopped being leads.
    """
    db.upsert("matches", [
        {"platform": p, "listing_id": i, "brand_id": r.brand_id, "product_id": r.product_id,
         "mark_reg_no": r.mark_reg_no, "score": round(r.score, 1), "is_lead": int(r.is_lead),
         "reasons": r.reasons_text(), "image_ref": r.image_ref, "image_distance": r.image_distance,
         "matched_at": now}
        for p, i, r in results], key=("platform", "listing_id"))
    ids = [lead_id_for(p, i) for p, i, _ in results]
    leads = [lid for lid, (_, _, r) in zip(ids, results, strict=True) if r.is_lead]
    dropped_ids = [lid for lid, (_, _, r) in zip(ids, results, strict=True) if not r.is_lead]
    existed: set[str] = set()
    for start in range(0, len(leads), CHUNK):
        chunk = leads[start:start + CHUNK]
        existed |= {r[0] for r in db.execute(
            f"SELECT lead_id FROM leads WHERE lead_id IN ({placeholders(len(chunk))})", chunk)}
    dropped = 0
    for start in range(0, len(dropped_ids), CHUNK):
        chunk = dropped_ids[start:start + CHUNK]
        dropped += db.execute(f"UPDATE leads SET active = 0, updated_at = ? WHERE active = 1 "
                              f"AND lead_id IN ({placeholders(len(chunk))})", [now, *chunk]).rowcount
    db.upsert("leads", [
        {"lead_id": lid, "platform": p, "listing_id": i, "brand_id": r.brand_id, "score": round(r.score, 1),
         "active": 1, "status": "new", "first_flagged_at": now, "updated_at": now, "run_id": run_id}
        for lid, (p, i, r) in zip(ids, results, strict=True) if r.is_lead], key=("lead_id",), update=_LEAD_UPDATE)
    out = [(lid, lid not in existed) if r.is_lead else (None, False)
           for lid, (_, _, r) in zip(ids, results, strict=True)]
    return out, dropped


def save_match(
    db: Database,
    platform: str,
    listing_id: str,
    result: MatchResult,
    *,
    run_id: int | None,
    now: str,
) -> tuple[str | None, bool]:
    """:func:`save_matches` for one listing (inside a transaction)."""
    return save_matches(db, [(platform, listing_id, result)], run_id=run_id, now=now)[0][0]


def mark_lead(db: Database, lead_id: str, *, status: str | None, note: str | None, now: str) -> dict:
    """Set a lead's status and/or note, recording the change in ``lead_events``; return the lead row."""
    if status is not None and status not in LEAD_STATUSES:
        raise ValueError(f"status must be one of {', '.join(LEAD_STATUSES)}, got {status!r}")
    with transaction(db):
        db.lock_keys([f"lead\x1f{lead_id}"])  # two analysts at once: each event records the status it replaced
        row = db.execute("SELECT status FROM leads WHERE lead_id = ?", (lead_id,)).fetchone()
        if row is None:
            raise LeadNotFound(f"no lead {lead_id!r}")
        old = row[0]
        new = status or old
        db.execute(
            "UPDATE leads SET status = ?, note = COALESCE(?, note), updated_at = ? WHERE lead_id = ?",
            (new, note, now, lead_id),
        )
        db.execute(
            "INSERT INTO lead_events (lead_id, at, kind, old_status, new_status, note) VALUES (?, ?, 'mark', ?, ?, ?)",
            (lead_id, now, old, new, note),
        )
    return dict(next(db.query("SELECT * FROM leads WHERE lead_id = ?", [lead_id])))


def mark_exported(db: Database, lead_ids: list[str], *, target: str, now: str) -> int:
    """Mark leads as exported (status ``exported``, ``exported_at``), except dismissed ones; return how many."""
    n = 0
    with transaction(db):
        db.lock_keys([f"lead\x1f{lead_id}" for lead_id in lead_ids])
        for lead_id in lead_ids:
            row = db.execute("SELECT status FROM leads WHERE lead_id = ?", (lead_id,)).fetchone()
            if row is None or row[0] == "dismissed":
                continue
            db.execute("UPDATE leads SET status = 'exported', exported_at = ? WHERE lead_id = ?", (now, lead_id))
            db.execute(
                "INSERT INTO lead_events (lead_id, at, kind, old_status, new_status, note) "
                "VALUES (?, ?, 'export', ?, 'exported', ?)",
                (lead_id, now, row[0], target),
            )
            n += 1
    return n


def lead_history(db: Database, lead_id: str) -> list[dict]:
    """Every recorded change of one lead, oldest first."""
    return [dict(r) for r in db.query("SELECT * FROM lead_events WHERE lead_id = ? ORDER BY id", [lead_id])]
