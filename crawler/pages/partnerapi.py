"""Page objects of the partner cooperation API: JSON documents to records (pure)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from brandsweep.core.records import ListingRecord, SellerRecord
from brandsweep.crawler.pages.prices import parse_price


class BadDocument(ValueError):
    """The API answered with something that is not the documented JSON."""


@dataclass(slots=True)
class ListingsPage:
    listings: list[ListingRecord] = field(default_factory=list)
    seller_ids: list[str] = field(default_factory=list)
    next_cursor: str | None = None


def _load(url: str, body: bytes | str) -> Any:
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadDocument(f"{url}: not JSON: {exc}") from exc


def _location(seller: dict[str, Any]) -> str | None:
    parts = [p for p in (seller.get("province"), seller.get("city")) if isinstance(p, str) and p]
    return " ".join(parts) or None


def listing(url: str, obj: dict[str, Any], *, platform: str) -> ListingRecord | None:
    lid, title = obj.get("listing_id"), obj.get("title")
    if lid is None or not isinstance(title, str) or not title.strip():
        return None
    seller = obj.get("seller") if isinstance(obj.get("seller"), dict) else {}
    images = [urljoin(url, u) for u in obj.get("image_urls") or [] if isinstance(u, str) and u]
    sales = obj.get("sales_count")
    return ListingRecord(
        platform=platform,
        listing_id=str(lid),
        url=urljoin(url, str(obj.get("url") or url)),
        title=" ".join(title.split()),
        description=obj.get("description") if isinstance(obj.get("description"), str) else None,
        price=parse_price(obj.get("price")),
        currency=obj.get("currency") if isinstance(obj.get("currency"), str) else None,
        seller_id=str(seller["seller_id"]) if seller.get("seller_id") is not None else None,
        seller_name=seller.get("name"),
        seller_location=_location(seller),
        sales_count=sales if isinstance(sales, int) and not isinstance(sales, bool) else None,
        image_urls=list(dict.fromkeys(images)),
    )


def listings_page(url: str, body: bytes | str, *, platform: str) -> ListingsPage:
    doc = _load(url, body)
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), list):
        raise BadDocument(f"{url}: expected {{\"data\": [...], \"next_cursor\": ...}}")
    page = ListingsPage(next_cursor=doc.get("next_cursor") if isinstance(doc.get("next_cursor"), str) else None)
    for obj in doc["data"]:
        rec = listing(url, obj, platform=platform) if isinstance(obj, dict) else None
        if rec is not None:
            page.listings.append(rec)
            if rec.seller_id:
                page.seller_ids.append(rec.seller_id)
    page.seller_ids = list(dict.fromkeys(page.seller_ids))
    return page


def seller(url: str, body: bytes | str, *, platform: str) -> SellerRecord | None:
    doc = _load(url, body)
    if not isinstance(doc, dict) or doc.get("seller_id") is None:
        return None
    return SellerRecord(platform=platform, seller_id=str(doc["seller_id"]), name=doc.get("name"),
                        location=_location(doc), phone=doc.get("phone"), address=doc.get("address"), url=url)
