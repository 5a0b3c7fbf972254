"""Page objects of ``jsmall``-style marketplaces: the DOM a browser rendered, and the site's JSON API.

The HTML the server sends is an empty shell; these functions read the DOM after the site's
script filled it (``page.content()`` in the browser). The JSON functions read the same site's
API, used to check that the browser crawl sees the same listings.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from brandsweep.core.records import ListingRecord, SellerRecord
from brandsweep.crawler.pages.common import clean
from brandsweep.crawler.pages.prices import parse_price

_CURRENCY = re.compile(r"^\s*([A-Z]{3})\s")
_INT = re.compile(r"\d[\d,]*")


@dataclass(slots=True)
class Grid:
    listing_urls: list[str] = field(default_factory=list)
    seller_urls: list[str] = field(default_factory=list)


def _last(url: str | None) -> str | None:
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1] or None if url else None


def price_of(text: str | None) -> tuple[float | None, str | None]:
    """'CNY 12.00' → (12.0, 'CNY'); 'Ask seller' → (None, None)."""
    if not text:
        return None, None
    price = parse_price(text)
    m = _CURRENCY.match(text)
    return price, (m.group(1) if m and price is not None else None)


def grid_page(url: str, html: str) -> Grid:
    sel = Selector(text=html)
    grid = Grid()
    for card in sel.css("a.card[data-id]"):
        href = card.attrib.get("href")
        if href:
            grid.listing_urls.append(urljoin(url, href))
    grid.seller_urls = [urljoin(url, h) for h in sel.css("a.item-seller::attr(href)").getall()]
    grid.listing_urls = list(dict.fromkeys(grid.listing_urls))
    return grid


def listing_page(url: str, html: str, *, platform: str) -> ListingRecord | None:
    sel = Selector(text=html)
    title = clean(" ".join(sel.css("#item .item-title ::text").getall()))
    listing_id = _last(url)
    if not title or not listing_id:
        return None
    price, currency = price_of(sel.css("#item .item-price ::text").get())
    seller_href = sel.css("#item a.item-seller::attr(href)").get()
    seller_url = urljoin(url, seller_href) if seller_href else None
    sales = sel.css("#item .item-sales ::text").get()
    m = _INT.search(sales or "")
    return ListingRecord(
        platform=platform,
        listing_id=listing_id,
        url=url,
        title=title,
        description=clean(" ".join(sel.css("#item .item-desc ::text").getall())),
        price=price,
        currency=currency,
        seller_id=_last(seller_url),
        seller_name=clean(sel.css("#item a.item-seller ::text").get()),
        seller_location=clean(sel.css("#item .item-location ::text").get()),
        sales_count=int(m.group(0).replace(",", "")) if m else None,
        image_urls=list(dict.fromkeys(urljoin(url, s) for s in sel.css("#item .item-images img::attr(src)").getall())),
        seller_url=seller_url,
    )


def store_page(url: str, html: str, *, platform: str) -> SellerRecord | None:
    sel = Selector(text=html)
    name = clean(sel.css("#store .store-name ::text").get())
    seller_id = _last(url.split("?", 1)[0])
    if not name or not seller_id:
        return None
    return SellerRecord(platform=platform, seller_id=seller_id, name=name,
                        location=clean(sel.css("#store .store-location ::text").get()),
                        phone=clean(sel.css("#store .store-phone ::text").get()), url=url.split("?", 1)[0])


def api_item(url: str, body: bytes | str, *, platform: str, base_url: str) -> ListingRecord | None:
    """``/api/items/<id>`` to the record the rendered ``/p/<id>`` page gives."""
    obj: Any = json.loads(body)
    if not isinstance(obj, dict) or not obj.get("id") or not obj.get("title"):
        return None
    seller = obj.get("seller") or {}
    page_url = urljoin(base_url, obj.get("url") or f"/p/{obj['id']}")
    return ListingRecord(
        platform=platform, listing_id=str(obj["id"]), url=page_url, title=clean(obj["title"]) or "",
        description=clean(obj.get("description")), price=parse_price(obj.get("price")),
        currency=obj.get("currency") if obj.get("price") is not None else None,
        seller_id=seller.get("id"), seller_name=clean(seller.get("name")),
        seller_location=clean(seller.get("location")), sales_count=obj.get("sales_count"),
        image_urls=[urljoin(base_url, u) for u in obj.get("images") or []],
        seller_url=urljoin(base_url, f"/store/{seller['id']}") if seller.get("id") else None,
    )
