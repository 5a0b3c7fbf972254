"""Plain data types shared by the matchers and their callers.

The matchers see only these: no Scrapy objects, no SQLite rows. The crawler pipeline,
the feed importer and ``brandsweep rematch`` build them from what they have, and read
back a :class:`MatchResult`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from brandsweep.matchers.logos import LogoHit


@dataclass(frozen=True, slots=True)
class Mark:
    """A registered trademark of a brand."""

    reg_no: str
    word: str | None = None
    office: str | None = None
    nice_classes: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Product:
    """A catalog product with its manufacturer's suggested retail price."""

    product_id: str
    name: str
    msrp: float | None = None
    currency: str | None = None


@dataclass(frozen=True, slots=True)
class AuthorizedSeller:
    platform: str
    seller_id: str
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Brand:
    """One catalog brand as the matchers see it."""

    brand_id: str
    name: str
    rightsholder: str
    aliases: tuple[str, ...] = ()
    marks: tuple[Mark, ...] = ()
    products: tuple[Product, ...] = ()
    authorized_sellers: tuple[AuthorizedSeller, ...] = ()


@dataclass(frozen=True, slots=True)
class CatalogImage:
    """A catalog image (logo or product photo) and its perceptual hash as hex text."""

    ref: str  # stable reference shown to users, e.g. "swoosh/products/runner1.jpg"
    brand_id: str
    phash: str
    product_id: str | None = None
    mark_reg_no: str | None = None


@dataclass(frozen=True, slots=True)
class ListingView:
    """What the matchers need of one listing."""

    platform: str
    listing_id: str
    title: str
    description: str = ""
    price: float | None = None
    currency: str | None = None
    seller_id: str | None = None
    seller_name: str | None = None
    image_hashes: tuple[str, ...] = ()  # perceptual hashes (hex) of the listing's images
    photo_text: str = ""  # text read in the listing's photos (OCR), one line per text box
    photo_logos: tuple[LogoHit, ...] = ()  # catalog logos found in the listing's photos


@dataclass(frozen=True, slots=True)
class Reason:
    """One signal behind a score, rendered as ``code:value`` in exports."""

    code: str
    value: str = ""
    points: float = 0.0

    def render(self) -> str:
        return f"{self.code}:{self.value}" if self.value != "" else self.code


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The verdict on one listing: its best catalog brand, a 0–100 score and the reasons."""

    brand_id: str | None = None
    product_id: str | None = None
    mark_reg_no: str | None = None
    score: float = 0.0
    is_lead: bool = False
    reasons: tuple[Reason, ...] = field(default_factory=tuple)
    image_ref: str | None = None
    image_distance: int | None = None

    def reasons_text(self) -> str:
        return ";".join(r.render() for r in self.reasons)
