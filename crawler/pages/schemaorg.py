"""schema.org Product extraction from JSON-LD and microdata: a pure function of (url, html).

Used by the generic ``schemaorg`` spider and as the structured source of truth on marketplace
pages that publish it. Returns plain dicts with the feed's field names (docs/formats.md §2).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

from parsel import Selector

_PRICE = re.compile(r"-?\d+(?:[.,]\d+)*")


def parse_price(text: Any) -> float | None:
    """'¥1,299.00', '1299', 1299.0, '1.299,00' → 1299.0; None when there is no number."""
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        return float(text)
    m = _PRICE.search(str(text).replace("\u00a0", "").replace(" ", ""))
    if not m:
        return None
    num = m.group(0)
    if "," in num and "." in num:
        num = num.replace(",", "") if num.rfind(".") > num.rfind(",") else num.replace(".", "").replace(",", ".")
    elif "," in num:
        head, _, tail = num.rpartition(",")
        num = head.replace(",", "") + ("." + tail if len(tail) != 3 else tail)
    try:
        return float(num)
    except ValueError:
        return None


def _types(node: dict[str, Any]) -> set[str]:
    t = node.get("@type", [])
    names = t if isinstance(t, list) else [t]
    return {str(n).rsplit("/", 1)[-1] for n in names}


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for sub in node:
            yield from _walk(sub)
    elif isinstance(node, dict):
        yield node
        for key in ("@graph", "itemListElement", "item", "mainEntity"):
            if key in node:
                yield from _walk(node[key])


def _text(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name") or value.get("@id")
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _images(value: Any, base: str) -> list[str]:
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        url = item.get("url") or item.get("contentUrl") if isinstance(item, dict) else item
        if isinstance(url, str) and url.strip():
            out.append(urljoin(base, url.strip()))
    return out


def _offer(value: Any) -> dict[str, Any]:
    offers = value if isinstance(value, list) else [value]
    for off in offers:
        if isinstance(off, dict):
            price = off.get("price", off.get("lowPrice"))
            if price is None and isinstance(off.get("priceSpecification"), dict):
                price = off["priceSpecification"].get("price")
            return {
                "price": parse_price(price),
                "currency": _text(off.get("priceCurrency")),
                "seller": off.get("seller"),
                "url": _text(off.get("url")),
            }
    return {}


def _from_jsonld(node: dict[str, Any], url: str) -> dict[str, Any]:
    offer = _offer(node.get("offers"))
    seller = offer.get("seller")
    sales = None
    stats = node.get("interactionStatistic")
    for stat in stats if isinstance(stats, list) else [stats]:
        if isinstance(stat, dict) and "userInteractionCount" in stat:
            try:
                sales = int(stat["userInteractionCount"])
            except (TypeError, ValueError):
                sales = None
    return {
        "title": _text(node.get("name")),
        "description": _text(node.get("description")),
        "price": offer.get("price"),
        "currency": offer.get("currency"),
        "brand": _text(node.get("brand")),
        "sku": _text(node.get("sku") or node.get("productID")),
        "seller_name": _text(seller),
        "seller_url": urljoin(url, seller["url"]) if isinstance(seller, dict) and seller.get("url") else None,
        "seller_id": _text(seller.get("identifier")) if isinstance(seller, dict) else None,
        "image_urls": _images(node.get("image"), url),
        "url": urljoin(url, offer["url"]) if offer.get("url") else _text(node.get("url")) or url,
        "sales_count": sales,
    }


def jsonld_products(url: str, html: str | Selector) -> list[dict[str, Any]]:
    sel = html if isinstance(html, Selector) else Selector(text=html)
    out = []
    for raw in sel.xpath('//script[@type="application/ld+json"]/text()').getall():
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            continue
        for node in _walk(data):
            if "Product" in _types(node):
                out.append(_from_jsonld(node, url))
    return out


def microdata_products(url: str, html: str | Selector) -> list[dict[str, Any]]:
    sel = html if isinstance(html, Selector) else Selector(text=html)
    out = []
    for scope in sel.xpath('//*[@itemscope and contains(@itemtype, "schema.org/Product")]'):
        def prop(name: str, s: Selector = scope) -> str | None:
            node = s.xpath(f'.//*[@itemprop="{name}"]')
            if not node:
                return None
            first = node[0]
            value = first.attrib.get("content") or first.attrib.get("src") or first.attrib.get("href")
            if value is None:
                value = " ".join(first.xpath(".//text()").getall())
            return " ".join(value.split()) or None

        images = [urljoin(url, s) for s in scope.xpath('.//*[@itemprop="image"]/@src | '
                                                      './/*[@itemprop="image"]/@content').getall()]
        seller_name = seller_url = None
        seller = scope.xpath('.//*[@itemprop="seller"]')
        if seller:
            seller_name = " ".join(" ".join(seller[0].xpath('.//*[@itemprop="name"]//text()').getall()).split()) or None
            href = seller[0].xpath('.//*[@itemprop="url"]/@href | .//*[@itemprop="url"]/@content').get()
            seller_url = urljoin(url, href) if href else None
        out.append({
            "title": prop("name"),
            "description": prop("description"),
            "price": parse_price(prop("price")),
            "currency": prop("priceCurrency"),
            "brand": prop("brand"),
            "sku": prop("sku"),
            "seller_name": seller_name,
            "seller_url": seller_url,
            "seller_id": None,
            "image_urls": images,
            "url": url,
            "sales_count": None,
        })
    return out


def products(url: str, html: str | Selector) -> list[dict[str, Any]]:
    """Every schema.org Product on the page, JSON-LD first, then microdata."""
    return jsonld_products(url, html) or microdata_products(url, html)
