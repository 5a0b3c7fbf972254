"""Page objects of ``shopfront``-style marketplaces: English, server-rendered HTML.

Pure functions of (url, html): no requests, no Scrapy. Where a listing page also carries
schema.org JSON-LD, the visible page wins and JSON-LD fills the gaps.
"""

from __future__ import annotations

from urllib.parse import urljoin

from parsel import Selector

from brandsweep.core.records import ListingRecord, SellerRecord
from brandsweep.crawler.pages import common
from brandsweep.crawler.pages.common import ResultsPage, clean, first_int, last_segment
from brandsweep.crawler.pages.prices import parse_price
from brandsweep.crawler.pages.schemaorg import jsonld_products


def home_page(url: str, html: str) -> list[str]:
    """Category pages linked from the home page."""
    sel = Selector(text=html)
    return [urljoin(url, h) for h in sel.css("a.category::attr(href)").getall()]


def deal_links(url: str, html: str) -> list[str]:
    """Promotion pages linked from the home page ("Today's deals"): list-like pages of any shape."""
    sel = Selector(text=html)
    return [urljoin(url, h) for h in sel.css("a.deal::attr(href)").getall()]


def results_page(url: str, html: str) -> ResultsPage:
    """A search-result, category or seller listing page."""
    return common.results_page(url, html, item="li.result", link="a.result-title::attr(href)",
                               seller="a.result-seller::attr(href)", next_link='a[rel="next"]::attr(href)')


def listing_page(url: str, html: str, *, platform: str) -> ListingRecord | None:
    """A listing page to a record; ``None`` when the page holds no listing."""
    sel = Selector(text=html)
    article = sel.css("article.listing")
    ld = next(iter(jsonld_products(url, sel)), {})
    listing_id = article.attrib.get("data-listing-id") if article else None
    listing_id = listing_id or ld.get("sku") or last_segment(url)
    title = clean(" ".join(sel.css("h1.product-title ::text").getall())) or ld.get("title")
    if not listing_id or not title:
        return None
    price_node = sel.css(".price-box span.price[data-amount]")
    if price_node:
        price = parse_price(price_node.attrib.get("data-amount"))
        currency = price_node.attrib.get("data-currency") or ld.get("currency")
    else:
        price = ld.get("price")
        currency = ld.get("currency") if price is not None else None
    seller_href = sel.css("a.seller-link::attr(href)").get()
    seller_url = urljoin(url, seller_href) if seller_href else ld.get("seller_url")
    images = [urljoin(url, s) for s in sel.css("img.product-image::attr(src)").getall()] or ld.get("image_urls", [])
    return ListingRecord(
        platform=platform,
        listing_id=str(listing_id),
        url=url,
        title=title,
        description=clean(" ".join(sel.css("section.description ::text").getall())) or ld.get("description"),
        price=price,
        currency=currency,
        seller_id=last_segment(seller_url),
        seller_name=clean(sel.css("a.seller-link ::text").get()) or ld.get("seller_name"),
        seller_location=clean(sel.css("span.seller-location ::text").get()),
        sales_count=first_int(sel.css("span.sales ::text").get()),
        image_urls=list(dict.fromkeys(images)),
        seller_url=seller_url,
    )


def seller_page(url: str, html: str, *, platform: str) -> SellerRecord | None:
    sel = Selector(text=html)
    section = sel.css("section.seller")
    seller_id = (section.attrib.get("data-seller-id") if section else None) or last_segment(url)
    if not section or not seller_id:
        return None
    return SellerRecord(
        platform=platform,
        seller_id=seller_id,
        name=clean(sel.css("h1.seller-name ::text").get()),
        location=clean(sel.css("dd.location ::text").get()),
        phone=clean(sel.css("dd.phone ::text").get()),
        address=clean(sel.css("dd.address ::text").get()),
        url=url.split("?", 1)[0],
    )
