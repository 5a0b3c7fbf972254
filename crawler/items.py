"""Items the spiders yield: a listing, a seller's shop details, or news that a listing is gone.

Listings and sellers are plain dataclasses shared with the rest of brandsweep, so a spider's
output and a platform feed line are the same record.
"""

from dataclasses import dataclass

from brandsweep.core.records import ListingRecord, SellerRecord


@dataclass(frozen=True, slots=True)
class ListingGone:
    """The marketplace answered 404/410 for a listing's own page: it was taken down."""

    platform: str
    listing_id: str
    url: str
    status: int


__all__ = ["ListingGone", "ListingRecord", "SellerRecord"]
