"""Validation of a catalog document (docs/formats.md §1) into typed records.

Every problem is collected with the JSON path where it occurs, so one run tells the
rightsholder everything that is wrong with their file, not just the first thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

FORMAT = "brandsweep-catalog/1"
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True, slots=True)
class MarkDoc:
    reg_no: str
    word: str | None
    office: str | None
    nice_classes: tuple[int, ...]
    expires: str | None
    image: str | None
    path: str  # JSON path, for messages


@dataclass(frozen=True, slots=True)
class ProductDoc:
    product_id: str
    name: str
    msrp: float | None
    currency: str | None
    images: tuple[tuple[str, str], ...]  # (image reference, JSON path)


@dataclass(frozen=True, slots=True)
class SellerDoc:
    platform: str
    seller_id: str
    name: str | None


@dataclass(frozen=True, slots=True)
class BrandDoc:
    brand_id: str
    name: str
    aliases: tuple[str, ...]
    marks: tuple[MarkDoc, ...]
    products: tuple[ProductDoc, ...]
    sellers: tuple[SellerDoc, ...]


@dataclass(frozen=True, slots=True)
class RightsholderDoc:
    rh_id: str
    name: str
    contact: str | None
    brands: tuple[BrandDoc, ...]


@dataclass(slots=True)
class Problems:
    items: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def add(self, path: str, why: str) -> None:
        self.items.append((path, why))


_KNOWN = MappingProxyType({
    "$": {"format", "rightsholders"},
    "rightsholder": {"id", "name", "contact", "brands"},
    "brand": {"id", "name", "aliases", "marks", "products", "authorized_sellers"},
    "mark": {"reg_no", "office", "word", "nice_classes", "expires", "image"},
    "product": {"id", "name", "msrp", "currency", "images"},
    "seller": {"platform", "seller_id", "name"},
})


def _obj(value: Any, path: str, kind: str, probs: Problems) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        probs.add(path, f"expected an object, got {type(value).__name__}")
        return None
    for key in value:
        if key not in _KNOWN[kind]:
            probs.warnings.append((f"{path}.{key}", "unknown key, ignored"))
    return value


def _list(obj: dict[str, Any], key: str, path: str, probs: Problems) -> list[Any]:
    value = obj.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        probs.add(f"{path}.{key}", f"expected a list, got {type(value).__name__}")
        return []
    return value


def _text(obj: dict[str, Any], key: str, path: str, probs: Problems, *, required: bool) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            probs.add(f"{path}.{key}", "required key is missing")
        return None
    if not isinstance(value, str) or not value.strip():
        probs.add(f"{path}.{key}", "expected a non-empty string")
        return None
    return value.strip()


def validate(doc: Any) -> tuple[list[RightsholderDoc], Problems]:
    """Check a parsed document; return the typed records and every problem found."""
    probs = Problems()
    top = _obj(doc, "$", "$", probs)
    if top is None:
        return [], probs
    if top.get("format") != FORMAT:
        probs.add("$.format", f"expected {FORMAT!r}, got {top.get('format')!r}")
    seen_rh: set[str] = set()
    seen_brand: dict[str, str] = {}
    seen_reg: dict[str, str] = {}
    out: list[RightsholderDoc] = []
    rhs = _list(top, "rightsholders", "$", probs)
    if "rightsholders" not in top:
        probs.add("$.rightsholders", "required key is missing")
    for i, raw_rh in enumerate(rhs):
        path = f"$.rightsholders[{i}]"
        rh = _obj(raw_rh, path, "rightsholder", probs)
        if rh is None:
            continue
        rh_id = _text(rh, "id", path, probs, required=True)
        name = _text(rh, "name", path, probs, required=True)
        contact = _text(rh, "contact", path, probs, required=False)
        if rh_id is not None:
            if rh_id in seen_rh:
                probs.add(f"{path}.id", f"duplicate rightsholder id {rh_id!r}")
            seen_rh.add(rh_id)
        brands = []
        for j, raw_brand in enumerate(_list(rh, "brands", path, probs)):
            bpath = f"{path}.brands[{j}]"
            brand = _brand(raw_brand, bpath, probs, seen_reg)
            if brand is None:
                continue
            if brand.brand_id in seen_brand:
                first = seen_brand[brand.brand_id]
                probs.add(f"{bpath}.id", f"duplicate brand id {brand.brand_id!r} (first at {first})")
            seen_brand[brand.brand_id] = bpath
            brands.append(brand)
        if rh_id is not None and name is not None:
            out.append(RightsholderDoc(rh_id, name, contact, tuple(brands)))
    return out, probs


def _brand(raw: Any, path: str, probs: Problems, seen_reg: dict[str, str]) -> BrandDoc | None:
    b = _obj(raw, path, "brand", probs)
    if b is None:
        return None
    brand_id = _text(b, "id", path, probs, required=True)
    name = _text(b, "name", path, probs, required=True)
    aliases: list[str] = []
    for k, alias in enumerate(_list(b, "aliases", path, probs)):
        if not isinstance(alias, str) or not alias.strip():
            probs.add(f"{path}.aliases[{k}]", "expected a non-empty string")
        elif alias.strip() not in aliases:
            aliases.append(alias.strip())
    marks = []
    for k, raw_mark in enumerate(_list(b, "marks", path, probs)):
        mpath = f"{path}.marks[{k}]"
        mark = _mark(raw_mark, mpath, probs)
        if mark is None:
            continue
        if mark.reg_no in seen_reg:
            first = seen_reg[mark.reg_no]
            probs.add(f"{mpath}.reg_no", f"duplicate registration number {mark.reg_no!r} (first at {first})")
        seen_reg[mark.reg_no] = mpath
        marks.append(mark)
    products = []
    seen_prod: set[str] = set()
    for k, raw_prod in enumerate(_list(b, "products", path, probs)):
        ppath = f"{path}.products[{k}]"
        prod = _product(raw_prod, ppath, probs)
        if prod is None:
            continue
        if prod.product_id in seen_prod:
            probs.add(f"{ppath}.id", f"duplicate product id {prod.product_id!r} in this brand")
        seen_prod.add(prod.product_id)
        products.append(prod)
    sellers = []
    seen_sel: set[tuple[str, str]] = set()
    for k, raw_sel in enumerate(_list(b, "authorized_sellers", path, probs)):
        spath = f"{path}.authorized_sellers[{k}]"
        s = _obj(raw_sel, spath, "seller", probs)
        if s is None:
            continue
        platform = _text(s, "platform", spath, probs, required=True)
        seller_id = _text(s, "seller_id", spath, probs, required=True)
        sname = _text(s, "name", spath, probs, required=False)
        if platform and seller_id:
            if (platform, seller_id) in seen_sel:
                probs.add(spath, f"duplicate authorized seller {platform}/{seller_id}")
            seen_sel.add((platform, seller_id))
            sellers.append(SellerDoc(platform, seller_id, sname))
    if brand_id is None or name is None:
        return None
    return BrandDoc(brand_id, name, tuple(aliases), tuple(marks), tuple(products), tuple(sellers))


def _mark(raw: Any, path: str, probs: Problems) -> MarkDoc | None:
    m = _obj(raw, path, "mark", probs)
    if m is None:
        return None
    reg_no = _text(m, "reg_no", path, probs, required=True)
    word = _text(m, "word", path, probs, required=False)
    office = _text(m, "office", path, probs, required=False)
    image = _text(m, "image", path, probs, required=False)
    classes: list[int] = []
    for k, c in enumerate(_list(m, "nice_classes", path, probs)):
        if isinstance(c, bool) or not isinstance(c, int) or not 1 <= c <= 45:
            probs.add(f"{path}.nice_classes[{k}]", "expected a Nice class number 1-45")
        else:
            classes.append(c)
    expires = _text(m, "expires", path, probs, required=False)
    if expires is not None:
        try:
            date.fromisoformat(expires)
        except ValueError:
            probs.add(f"{path}.expires", f"expected a date YYYY-MM-DD, got {expires!r}")
    if reg_no is None:
        return None
    return MarkDoc(reg_no, word, office, tuple(classes), expires, image, path)


def _product(raw: Any, path: str, probs: Problems) -> ProductDoc | None:
    p = _obj(raw, path, "product", probs)
    if p is None:
        return None
    pid = _text(p, "id", path, probs, required=True)
    name = _text(p, "name", path, probs, required=True)
    msrp = p.get("msrp")
    if msrp is not None and (isinstance(msrp, bool) or not isinstance(msrp, int | float) or msrp < 0):
        probs.add(f"{path}.msrp", f"expected a non-negative number, got {msrp!r}")
        msrp = None
    currency = _text(p, "currency", path, probs, required=False)
    if currency is not None and not _CURRENCY.match(currency):
        probs.add(f"{path}.currency", f"expected an ISO 4217 code like CNY, got {currency!r}")
    if msrp is not None and currency is None:
        probs.warnings.append((f"{path}.currency", "msrp without currency; CNY assumed"))
        currency = "CNY"
    images: list[tuple[str, str]] = []
    for k, img in enumerate(_list(p, "images", path, probs)):
        if not isinstance(img, str) or not img.strip():
            probs.add(f"{path}.images[{k}]", "expected an image path or URL")
        else:
            images.append((img.strip(), f"{path}.images[{k}]"))
    if pid is None or name is None:
        return None
    return ProductDoc(pid, name, float(msrp) if msrp is not None else None, currency, tuple(images))
