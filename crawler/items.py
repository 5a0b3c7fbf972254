"""Items the spiders yield: a listing, or a seller's shop details.

Both are plain dataclasses shared with the rest of brandsweep, so a spider's output and a
platform feed line are the same record.
"""

from brandsweep.records import ListingRecord, SellerRecord

__all__ = ["ListingRecord", "SellerRecord"]
