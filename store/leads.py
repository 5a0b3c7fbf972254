"""Matches and leads in the store.

Every listing has at most one current match (its best brand, score and reasons). A listing
whose match is a lead gets a row in ``leads`` with a ``lead_id`` derived from its key, so
re-crawling, re-importing or re-matching it never creates a second lead. A lead whose listing
stops matching is kept (``active = 0``) with its status and history, never deleted.
"""

from __future__ import annotations

import hashlib

import sqlite_utils

from brandsweep.core.errors import LeadNotFound
from brandsweep.matchers.types import MatchResult
from brandsweep.store.db import transaction

LEAD_STATUSES = ("new", "reviewed", "exported", "dismissed")


def lead_id_for(platform: str, listing_id: str) -> str:
    digest = hashlib.sha256(f"{platform}\x1f{listing_id}".encode()).hexdigest()
    return f"L-{digest[:12]}"


def save_match(
    db: sqlite_utils.Database,
    platform: str,
    listing_id: str,
    result: MatchResult,
    *,
    run_id: int | None,
    now: str,
) -> tuple[str | None, bool]:
    """Record the match of one listing (inside a transaction).

    Returns ``(lead_id, created)``: the lead id if the listing is a lead, and whether the lead
    is new with this call.
    """
    db["matches"].insert(
        {
            "platform": platform,
            "listing_id": listing_id,
            "brand_id": result.brand_id,
            "product_id": result.product_id,
            "mark_reg_no": result.mark_reg_no,
            "score": round(result.score, 1),
            "is_lead": int(result.is_lead),
            "reasons": result.reasons_text(),
            "image_ref": result.image_ref,
            "image_distance": result.image_distance,
            "matched_at": now,
        },
        replace=True,
    )
    lead_id = lead_id_for(platform, listing_id)
    if not result.is_lead:
        db.execute(
            "UPDATE leads SET active = 0, updated_at = ? WHERE lead_id = ? AND active = 1",
            (now, lead_id),
        )
        return None, False
    existed = db.execute("SELECT 1 FROM leads WHERE lead_id = ?", (lead_id,)).fetchone() is not None
    db.execute(
        """
        INSERT INTO leads (lead_id, platform, listing_id, brand_id, score, active, status,
                           first_flagged_at, updated_at, run_id)
        VALUES (?, ?, ?, ?, ?, 1, 'new', ?, ?, ?)
        ON CONFLICT (lead_id) DO UPDATE SET
            brand_id = excluded.brand_id, score = excluded.score, active = 1,
            updated_at = CASE WHEN leads.score != excluded.score OR leads.active = 0
                              OR IFNULL(leads.brand_id, '') != IFNULL(excluded.brand_id, '')
                         THEN excluded.updated_at ELSE leads.updated_at END
        """,
        (lead_id, platform, listing_id, result.brand_id, round(result.score, 1), now, now, run_id),
    )
    return lead_id, not existed


def mark_lead(db: sqlite_utils.Database, lead_id: str, *, status: str | None, note: str | None, now: str) -> dict:
    """Set a lead's status and/or note, recording the change in ``lead_events``; return the lead row."""
    if status is not None and status not in LEAD_STATUSES:
        raise ValueError(f"status must be one of {', '.join(LEAD_STATUSES)}, got {status!r}")
    with transaction(db):
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


def mark_exported(db: sqlite_utils.Database, lead_ids: list[str], *, target: str, now: str) -> int:
    """Mark leads as exported (status ``exported``, ``exported_at``), except dismissed ones; return how many."""
    n = 0
    with transaction(db):
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


def lead_history(db: sqlite_utils.Database, lead_id: str) -> list[dict]:
    """Every recorded change of one lead, oldest first."""
    return [dict(r) for r in db.query("SELECT * FROM lead_events WHERE lead_id = ? ORDER BY id", [lead_id])]
