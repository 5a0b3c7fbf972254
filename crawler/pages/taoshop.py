"""Page objects of ``taoshop``-style marketplaces: Chinese, GBK, Taobao-like markup.

Pure functions of (url, text): the caller decodes the bytes (:mod:`brandsweep.crawler.pages.encoding`),
because one page type (shops) declares no charset at all.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

from parsel import Selector

from brandsweep.core.records import ListingRecord, SellerRecord
from brandsweep.crawler.pages import common
from brandsweep.crawler.pages.common import ResultsPage, clean
from brandsweep.crawler.pages.prices import parse_price
from brandsweep.crawler.pages.schemaorg import jsonld_products

_INT = re.compile(r"\d[\d,]*")


def _sales(text: str | None) -> int | None:
    """'月销量 123' → 123; '1万+人付款' → 10000; '300+人付款' → 300."""
    if not text:
        return None
    m = _INT.search(text)
    if not m:
        return None
    n = int(m.group(0).replace(",", ""))
    return n * 10000 if "万" in text[m.end():m.end() + 2] else n


def listing_id_of(url: str) -> str | None:
    return (parse_qs(urlsplit(url).query).get("id") or [None])[0]


def shop_id_of(url: str | None) -> str | None:
    if not url:
        return None
    path = urlsplit(url).path
    if not path.startswith("/shop/"):
        return None
    return path[len("/shop/"):].removesuffix(".htm") or None


def home_page(url: str, html: str) -> list[str]:
    return [urljoin(url, h) for h in Selector(text=html).css("a.cat::attr(href)").getall()]


def results_page(url: str, html: str) -> ResultsPage:
    """A search, category or shop page: listing and shop links, and the next page."""
    return common.results_page(url, html, item="div.item", link=".title a::attr(href)",
                               seller="a.shopname::attr(href)", next_link="a.next::attr(href)")


def listing_page(url: str, html: str, *, platform: str) -> ListingRecord | None:
    sel = Selector(text=html)
    info = sel.css(".tb-item-info")
    ld = next(iter(jsonld_products(url, sel)), {})
    listing_id = (info.attrib.get("data-item-id") if info else None) or ld.get("sku") or listing_id_of(url)
    title = clean(" ".join(sel.css(".tb-detail-hd h1 ::text").getall())) or ld.get("title")
    if not info or not listing_id or not title:
        return None
    price = parse_price(sel.css(".tb-promo-price .tb-rmb-num::text").get())
    if price is None:
        price = ld.get("price")
    shop_href = sel.css("a.shop-name::attr(href)").get()
    shop_url = urljoin(url, shop_href) if shop_href else None
    images = [urljoin(url, s) for s in sel.css("#J_UlThumb img::attr(src)").getall()] or ld.get("image_urls", [])
    return ListingRecord(
        platform=platform,
        listing_id=str(listing_id),
        url=url,
        title=title,
        description=clean(" ".join(sel.css("#description ::text").getall())),
        price=price,
        currency="CNY" if price is not None else None,
        seller_id=shop_id_of(shop_url),
        seller_name=clean(sel.css("a.shop-name ::text").get()),
        seller_location=clean(sel.css(".tb-deliver-from ::text").get()),
        sales_count=_sales(sel.css("span.tm-count ::text").get()),
        image_urls=list(dict.fromkeys(images)),
        seller_url=shop_url,
    )


def shop_page(url: str, html: str, *, platform: str) -> SellerRecord | None:
    sel = Selector(text=html)
    info = sel.css(".shop-info")
    seller_id = (info.attrib.get("data-shop-id") if info else None) or shop_id_of(url)
    if not info or not seller_id:
        return None
    return SellerRecord(
        platform=platform,
        seller_id=seller_id,
        name=clean(sel.css("span.shop-title ::text").get()),
        location=clean(sel.css("dd.locus ::text").get()),
        phone=clean(sel.css("dd.tel ::text").get()),
        address=clean(sel.css("dd.addr ::text").get()),
        url=url.split("?", 1)[0],
    )
