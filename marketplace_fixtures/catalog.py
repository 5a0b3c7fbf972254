"""Read a ``brandsweep-catalog/1`` document into the small, frozen shapes the generator needs.

This is deliberately not the project's catalog importer (``marketplace_fixtures`` imports nothing
of the project): it reads only what it needs and guesses a product category from the product name
so titles can use the right product words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_CATALOG = Path(__file__).resolve().parents[1] / "rightsholder_catalog" / "sample" / "catalog.json"

# first matching pattern wins; matched against the lower-cased product name
_CATEGORY_RULES: list[tuple[str, str]] = (
    (r"\bbag\b|tote|keepall|wallet|purse", "bag"),
    (r"\bwatch\b|\bband\b", "watch"),
    (r"airpods|freebuds|earbud|headphone", "earbuds"),
    (r"iphone|phone|mate \d|redmi|xiaomi \d|galaxy", "phone"),
    (r"shoe|sneaker|trainer|boot", "shoes"),
    (r"hoodie|jacket|shirt|fleece|tee", "apparel"),
    (r"parfum|eau de|edp|edt|perfume|fragrance", "perfume"),
    (r"% vol|baijiu|liquor|whisky|moutai|wuliangye", "liquor"),
    (r"body wash|soap|\bbar\b|shampoo", "bodycare"),
    (r"serum|cream|foundation|lotion|essence", "skincare"),
)


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    model: str  # the name without the brand and generic words, e.g. "Air Zoom Pegasus 41"
    category: str
    msrp: float | None
    image: Path | None


@dataclass(frozen=True)
class Brand:
    id: str
    name: str
    rightsholder: str
    aliases: tuple[str, ...]
    chinese: str | None  # first alias written in Han characters
    pinyin: str | None  # first all-lowercase ASCII alias
    products: tuple[Product, ...]
    authorized: tuple[tuple[str, str, str], ...]  # (platform, seller_id, name)

    def authorized_on(self, platform: str) -> list[tuple[str, str]]:
        return [(sid, name) for p, sid, name in self.authorized if p == platform]


@dataclass(frozen=True)
class Catalog:
    path: Path
    brands: tuple[Brand, ...]
    logos: dict[str, Path] = field(default_factory=dict)  # brand id -> its first mark's logo image

    def brand(self, brand_id: str) -> Brand:
        for b in self.brands:
            if b.id == brand_id:
                return b
        raise KeyError(brand_id)


_GENERIC = frozenset({"running", "shoe", "shoes", "sneaker", "bag", "tote", "hoodie", "serum", "foundation", "travel",
            "shoulder", "small", "medium", "sportswear", "leather", "body", "wash", "and", "of"})


def _category(name: str) -> str:
    low = name.lower()
    for pattern, cat in _CATEGORY_RULES:
        if re.search(pattern, low):
            return cat
    return "general"


def _model(name: str, brand_words: list[str]) -> str:
    words = name.split()
    lowered = {w.lower() for w in brand_words for w in w.split()}
    kept = [w for w in words if w.lower() not in lowered and w.lower() not in _GENERIC]
    return " ".join(kept).strip() or name


def _has_han(s: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in s)


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load the catalog at ``path`` (default: the bundled sample catalog)."""
    p = Path(path) if path else DEFAULT_CATALOG
    doc = json.loads(p.read_text(encoding="utf-8"))
    if doc.get("format") != "brandsweep-catalog/1":
        raise ValueError(f"{p}: $.format: expected 'brandsweep-catalog/1'")
    brands: list[Brand] = []
    logos: dict[str, Path] = {}
    for rh in doc["rightsholders"]:
        for b in rh.get("brands", []):
            aliases = tuple(b.get("aliases", []))
            words = [b["name"], *aliases]
            products = []
            for pr in b.get("products", []):
                imgs = pr.get("images") or []
                img = (p.parent / imgs[0]) if imgs and not imgs[0].startswith("http") else None
                products.append(Product(pr["id"], pr.get("name", pr["id"]), _model(pr.get("name", ""), words),
                                        _category(pr.get("name", "")), pr.get("msrp"), img))
            chinese = next((a for a in aliases if _has_han(a)), None)
            pinyin = next((a for a in aliases if a.isascii() and a.islower() and len(a) > 3), None)
            auth = tuple((s["platform"], s["seller_id"], s.get("name", s["seller_id"]))
                         for s in b.get("authorized_sellers", []))
            images = [m["image"] for m in b.get("marks", []) if m.get("image") and not m["image"].startswith("http")]
            if images:
                logos[b["id"]] = p.parent / images[0]
            brands.append(Brand(b["id"], b["name"], rh["name"], aliases, chinese, pinyin, tuple(products), auth))
    return Catalog(p, tuple(brands), logos)
