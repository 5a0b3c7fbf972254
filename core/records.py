"""The listing record every source produces: spiders, platform feeds and tests alike.

Field names follow the platform feed format (docs/formats.md §2) so a record converts to and
from a feed line without renaming anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class ListingRecord:
    platform: str
    listing_id: str
    url: str
    title: str
    description: str | None = None
    price: float | None = None
    currency: str | None = None
    seller_id: str | None = None
    seller_name: str | None = None
    seller_location: str | None = None
    sales_count: int | None = None
    image_urls: list[str] = field(default_factory=list)
    captured_at: str | None = None
    # Seller details, where the source has a seller page.
    seller_phone: str | None = None
    seller_address: str | None = None
    seller_url: str | None = None


@dataclass(slots=True)
class SellerRecord:
    """A seller's shop page: who they say they are and where."""

    platform: str
    seller_id: str
    name: str | None = None
    location: str | None = None
    phone: str | None = None
    address: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class FetchedImage:
    """The outcome of fetching one listing image: its bytes' digest and hash, or why not."""

    url: str
    sha256: str | None = None
    phash: str | None = None
    refused: str | None = None
