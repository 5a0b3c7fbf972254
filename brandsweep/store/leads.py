"""Matches and leads in the store.

Every listing has at most one current match (its best brand, score and reasons). A listing
whose match is a lead gets a row in ``leads`` with a ``lead_id`` derived from its key, so
re-crawling, re-importing or re-matching it never creates a second lead. A lead whose listing
stops matching is kept (``active = 0``) with its status and history, never deleted.
"""

from __future__ import annotations

import hashlib

import sqlite_utils

from matchers.types import MatchResult

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
