"""Building the matcher from the stored catalog, and re-scoring stored listings."""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from brandsweep.store.db import transaction, utcnow
from brandsweep.store.leads import save_match
from brandsweep.store.listings import listing_image_hashes
from matchers import MatchConfig, Matcher
from matchers.types import ListingView
from rightsholder_catalog.queries import matcher_catalog


def build_matcher(db: sqlite_utils.Database, config: MatchConfig | None = None) -> Matcher:
    brands, images = matcher_catalog(db)
    return Matcher(brands, images, config or MatchConfig())


def stored_view(db: sqlite_utils.Database, row: dict[str, object]) -> ListingView:
    platform, listing_id = str(row["platform"]), str(row["listing_id"])
    price = row["price"]
    return ListingView(
        platform=platform,
        listing_id=listing_id,
        title=str(row["title"]),
        description=str(row["description"] or ""),
        price=float(price) if isinstance(price, int | float) else None,
        currency=str(row["currency"]) if row["currency"] else None,
        seller_id=str(row["seller_id"]) if row["seller_id"] else None,
        seller_name=str(row["seller_name"]) if row["seller_name"] else None,
        image_hashes=listing_image_hashes(db, platform, listing_id),
    )


def rematch(
    db: sqlite_utils.Database,
    matcher: Matcher,
    *,
    progress: Callable[[int, int], None] | None = None,
    batch: int = 500,
) -> dict[str, int]:
    """Re-score every stored listing against the current catalog, without fetching anything."""
    total = db.execute("SELECT COUNT(*) FROM listings").fetchone()[0]
    counts = {"listings": 0, "leads": 0, "leads/new": 0, "leads/dropped": 0}
    before = {r[0] for r in db.execute("SELECT lead_id FROM leads WHERE active = 1")}
    rows = list(db.query("SELECT platform, listing_id, title, description, price, currency, seller_id, "
                         "seller_name FROM listings ORDER BY platform, listing_id"))
    for start in range(0, len(rows), batch):
        chunk = rows[start:start + batch]
        now = utcnow()
        with transaction(db):
            for row in chunk:
                result = matcher.match(stored_view(db, row))
                lead_id, created = save_match(db, str(row["platform"]), str(row["listing_id"]), result,
                                              run_id=None, now=now)
                counts["listings"] += 1
                if lead_id:
                    counts["leads"] += 1
                    counts["leads/new"] += int(created)
        if progress:
            progress(min(start + batch, total), total)
    after = {r[0] for r in db.execute("SELECT lead_id FROM leads WHERE active = 1")}
    counts["leads/dropped"] = len(before - after)
    return counts

