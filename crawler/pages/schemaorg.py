"""schema.org products in a page: a pure function of (url, html) → :class:`PageProducts`.

Sources (read by :mod:`brandsweep.crawler.pages.structured`): JSON-LD, microdata (schema.org and
data-vocabulary.org) and, for pages with neither, Open Graph product tags; Open Graph also fills
a main product's missing price, currency, title or images. Products described twice (JSON-LD
and microdata of one product) are merged.

Which products become listings:

- the page's **main product**: the one a ``WebPage``'s ``mainEntity`` names, else the one whose
  URL or ``@id`` is the page, else the first product not nested in another;
- other top-level products and products in an ``ItemList`` (several products on one page,
  category pages): each is a listing of its own;
- products nested in another product (``isRelatedTo``, ``isSimilarTo``, accessories) are
  skipped and counted (``related``); their URLs are returned as links to follow;
- a ``ProductGroup`` is one listing: its ``hasVariant`` products give its offers and images;
  its price is the variant the page URL names, else the lowest;
- a product offered by several sellers (offers, or an ``AggregateOffer``'s offers, naming
  different sellers) is one listing per seller: each seller matters for counterfeit screening.

Listing ids, stable across crawls and unique on the page: ``sku``, ``productID`` (or a group's
``productGroupID``), a GTIN, ``@id``, the offer's URL, the product's URL; else, for the main
product, the page's path (a seller editing the title keeps the listing), and for the others a
hash of name and page. A seller's listing of a product adds ``~<seller>`` to the product's id.

Misses are counted by reason in :attr:`PageProducts.misses` (``bad_jsonld``, ``no_title``,
``related``); notes on what was filled in or split in :attr:`PageProducts.notes`.
"""

from __future__ import annotations

import hashlib
import html as htmllib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from brandsweep.crawler.pages.prices import currency_code, price_and_currency
from brandsweep.crawler.pages.structured import Graph, as_list, read_graph, types_of

PRODUCT_TYPES = frozenset({"Product", "ProductGroup", "IndividualProduct", "ProductModel", "SomeProducts"})
PAGE_TYPES = frozenset({"WebPage", "ItemPage", "ProductPage", "CollectionPage"})
# Properties through which a product names *other* products: those are skipped on this page.
NESTED_KEYS = frozenset({"isRelatedTo", "isSimilarTo", "isAccessoryOrSparePartFor", "isConsumableFor", "related",
                         "relatedProducts", "isBasedOn", "model", "predecessorOf", "successorOf", "review",
                         "isVariantOf", "hasVariant", "itemOffered", "offers"})
LIST_PRICE_TYPES = frozenset({"ListPrice", "StrikethroughPrice", "MSRP", "SRP", "InvoicePrice"})
ID_KEYS = ("sku", "productID", "productGroupID", "gtin14", "gtin13", "gtin12", "gtin8", "gtin", "identifier")


@dataclass(slots=True)
class PageProducts:
    products: list[dict[str, Any]] = field(default_factory=list)  # listings to store, the main product first
    links: list[str] = field(default_factory=list)  # URLs of products this page names but does not describe
    misses: Counter[str] = field(default_factory=Counter)  # products (or scripts) lost, by reason
    notes: Counter[str] = field(default_factory=Counter)  # what was filled in, split or merged


@dataclass(slots=True)
class _Found:
    node: dict[str, Any]
    role: str  # "top", "listed", "related"
    source: str  # "json-ld", "microdata"
    main_hint: bool = False  # named by a page's mainEntity


def _clean(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if isinstance(value, list):
        value = next((v for v in value if v not in (None, "")), None)
        return _clean(value)
    if value is None or isinstance(value, bool | dict):
        return None
    text = str(value)
    if "&" in text:
        text = htmllib.unescape(text)
    return " ".join(text.split()) or None


def _url_key(url: str) -> str:
    """A host-independent key for a URL: its path (no outer slashes), query and fragment."""
    parts = urlsplit(url)
    key = parts.path.strip("/")
    if parts.query:
        key += "?" + parts.query
    if parts.fragment:
        key += "#" + parts.fragment
    return key or "/"


def _abs(base: str, value: Any) -> str | None:
    text = value.strip() if isinstance(value, str) else None
    if not text or text.startswith(("data:", "javascript:")):
        return None
    return urljoin(base, text)


def _find(value: Any, source: str, out: list[_Found], main_ids: set[str], *, role: str = "top",
          depth: int = 0) -> None:
    if depth > 40:
        return
    if isinstance(value, list):
        for sub in value:
            _find(sub, source, out, main_ids, role=role, depth=depth + 1)
        return
    if not isinstance(value, dict):
        return
    types = types_of(value)
    if types & PAGE_TYPES:
        for entity in as_list(value.get("mainEntity")):
            if isinstance(entity, dict) and isinstance(entity.get("@id"), str):
                main_ids.add(entity["@id"])
    if types & PRODUCT_TYPES:
        out.append(_Found(value, "top" if role == "main" else role, source, main_hint=role == "main"))
        for key, sub in value.items():  # products named inside a product are other products
            if key not in ("hasVariant", "offers", "isVariantOf") and isinstance(sub, list | dict):
                _find(sub, source, out, main_ids, role="related", depth=depth + 1)
        return
    if "Offer" in types and "itemOffered" in value and not types & {"AggregateOffer"}:
        for item in as_list(value["itemOffered"]):  # an Offer wrapping its product
            if isinstance(item, dict) and types_of(item) & PRODUCT_TYPES and "offers" not in item:
                offer = {k: v for k, v in value.items() if k != "itemOffered"}
                out.append(_Found({**item, "offers": offer}, role, source))
        return
    for key, sub in value.items():
        if not isinstance(sub, list | dict):
            continue
        sub_role = role
        if key in ("itemListElement", "hasPart") and role != "related":
            sub_role = "listed"
        elif key == "mainEntity" and types & PAGE_TYPES and role == "top":
            sub_role = "main"
        _find(sub, source, out, main_ids, role=sub_role, depth=depth + 1)


def _offers(graph: Graph, node: dict[str, Any]) -> list[dict[str, Any]]:
    """The concrete offers of a product: each with price, currency, seller, url (AggregateOffers opened)."""
    out: list[dict[str, Any]] = []
    for raw in as_list(node.get("offers", node.get("offerDetails"))):
        off = graph.deref(raw)
        if not isinstance(off, dict):
            continue
        inner = [graph.deref(o) for o in as_list(off.get("offers"))]
        inner = [o for o in inner if isinstance(o, dict)]
        if inner:
            out += [_offer(graph, o, parent=off) for o in inner]
        else:
            out.append(_offer(graph, off, parent=None))
    return out


def _offer(graph: Graph, off: dict[str, Any], parent: dict[str, Any] | None) -> dict[str, Any]:
    price_text: Any = off.get("price")
    currency = _clean(off.get("priceCurrency") or off.get("currency"))
    specs = [graph.deref(s) for s in as_list(off.get("priceSpecification"))]
    specs = [s for s in specs if isinstance(s, dict) and s.get("price") is not None]
    if specs and (price_text is None or currency is None):
        sale = [s for s in specs if not types_of({"@type": s.get("priceType", [])}) & LIST_PRICE_TYPES]
        spec = (sale or specs)[0]
        price_text = spec.get("price") if price_text is None else price_text
        currency = currency or _clean(spec.get("priceCurrency"))
    if price_text is None:
        price_text = off.get("lowPrice")
    if parent is not None:
        currency = currency or _clean(parent.get("priceCurrency") or parent.get("currency"))
        if price_text is None:
            price_text = parent.get("price", parent.get("lowPrice"))
    price, named = price_and_currency(price_text.get("@value") if isinstance(price_text, dict) else price_text)
    seller = graph.deref(off.get("seller") or off.get("offeredBy") or (parent or {}).get("seller"))
    return {"price": price, "currency": currency_code(currency) or currency or named, "seller": seller,
            "url": off.get("url") or off.get("offerURL"), "sku": _clean(off.get("sku"))}


def _images(graph: Graph, value: Any, base: str) -> list[str]:
    out: list[str] = []
    for item in as_list(value):
        item = graph.deref(item)
        if isinstance(item, dict):
            item = item.get("contentUrl") or item.get("url") or item.get("@id")
        url = _abs(base, item)
        if url and url not in out:
            out.append(url)
    return out


def _seller_fields(seller: Any, base: str) -> dict[str, Any]:
    if isinstance(seller, str):
        return {"seller_name": _clean(seller), "seller_url": None, "seller_id": None}
    if not isinstance(seller, dict):
        return {"seller_name": None, "seller_url": None, "seller_id": None}
    url = _abs(base, seller.get("url")) if isinstance(seller.get("url"), str) else None
    ident = seller.get("identifier")
    return {"seller_name": _clean(seller.get("name") or seller.get("legalName")), "seller_url": url,
            "seller_id": _clean(ident.get("value") if isinstance(ident, dict) else ident)}


def _sales(node: dict[str, Any]) -> int | None:
    for stat in as_list(node.get("interactionStatistic")):
        if isinstance(stat, dict) and "userInteractionCount" in stat:
            try:
                return int(str(stat["userInteractionCount"]).replace(",", ""))
            except ValueError:
                return None
    return None


def _product(graph: Graph, found: _Found, page_url: str) -> dict[str, Any]:
    node = found.node
    variants = [graph.deref(v) for v in as_list(node.get("hasVariant"))]
    variants = [v for v in variants if isinstance(v, dict)]
    offers = _offers(graph, node)
    for variant in variants:
        for off in _offers(graph, variant):
            off["url"] = off["url"] or variant.get("url")
            off["sku"] = off["sku"] or _clean(variant.get("sku"))
            offers.append(off)
    images = _images(graph, node.get("image"), page_url)
    for variant in variants if not images else []:
        images += [u for u in _images(graph, variant.get("image"), page_url) if u not in images]
    name = _clean(node.get("name")) or next((_clean(v.get("name")) for v in variants if v.get("name")), None)
    brand = graph.deref(node.get("brand") or node.get("manufacturer"))
    ident = next((_clean(node.get(k)) for k in ID_KEYS if _clean(node.get(k))), None)
    node_id = node.get("@id") if isinstance(node.get("@id"), str) and not node["@id"].startswith("_:") else None
    own_url = _abs(page_url, node.get("url")) if isinstance(node.get("url"), str) else None
    return {
        "title": name, "description": _clean(node.get("description")), "brand": _clean(brand),
        "sku": ident, "node_id": _abs(page_url, node_id) if node_id else None, "own_url": own_url,
        "offers": offers, "image_urls": images, "sales_count": _sales(node), "role": found.role,
        "main_hint": found.main_hint, "source": found.source, "variants": len(variants),
    }


def _priced(offers: list[dict[str, Any]], page_key: str, base: str) -> dict[str, Any] | None:
    """The offer that gives the listing's price: the one for this page's URL, else the lowest."""
    priced = [o for o in offers if o["price"] is not None]
    for off in priced:
        if isinstance(off["url"], str) and _url_key(urljoin(base, off["url"])) == page_key:
            return off
    return min(priced, key=lambda o: o["price"]) if priced else (offers[0] if offers else None)


def _opengraph(og: dict[str, list[str]], base: str) -> dict[str, Any] | None:
    def first(*keys: str) -> str | None:
        return next((og[k][0] for k in keys if og.get(k)), None)

    amount = first("product:sale_price:amount", "product:price:amount", "og:price:amount")
    is_product = any("product" in t for t in og.get("og:type", []))
    if not (is_product or amount):
        return None
    price, named = price_and_currency(amount)
    currency = first("product:sale_price:currency", "product:price:currency", "og:price:currency")
    images = [u for u in (_abs(base, x) for k in ("og:image", "og:image:url", "og:image:secure_url")
                          for x in og.get(k, [])) if u]
    return {"title": _clean(first("og:title")), "description": _clean(first("og:description")),
            "brand": _clean(first("product:brand", "og:brand")), "sku": _clean(first("product:retailer_item_id")),
            "node_id": None, "own_url": _abs(base, first("og:url")), "image_urls": list(dict.fromkeys(images)),
            "offers": [{"price": price, "currency": currency_code(currency) or currency or named, "seller": None,
                        "url": None, "sku": None}],
            "sales_count": None, "role": "top", "main_hint": False, "source": "opengraph", "variants": 0}


def _fill(into: dict[str, Any], other: dict[str, Any]) -> None:
    for key in ("title", "description", "brand", "sku", "node_id", "own_url", "sales_count"):
        if not into.get(key) and other.get(key):
            into[key] = other[key]
    if not any(o["price"] is not None for o in into["offers"]):
        into["offers"] = other["offers"] + into["offers"]
    if not into["image_urls"]:
        into["image_urls"] = list(other["image_urls"])


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["sku"] and b["sku"]:
        return bool(a["sku"] == b["sku"])
    return a["source"] != b["source"] and bool(a["title"]) and (a["title"] or "").lower() == (b["title"] or "").lower()


def _seller_key(seller: dict[str, Any]) -> str | None:
    """What tells sellers apart: their id, the last segment of their page's URL, else their name."""
    url = seller.get("seller_url")
    segment = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1] if url else None
    return seller.get("seller_id") or segment or seller.get("seller_name")


def _listings(p: dict[str, Any], listing_id: str, page_url: str, page_key: str) -> list[dict[str, Any]]:
    base = {"title": p["title"], "description": p["description"], "brand": p["brand"], "sku": p["sku"],
            "image_urls": p["image_urls"], "sales_count": p["sales_count"], "main": p["main"],
            "source": p["source"]}
    own = p["own_url"] if p["own_url"] and not p["main"] else None
    sellers: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    for off in p["offers"]:
        fields = _seller_fields(off["seller"], page_url)
        key = _seller_key(fields)
        if key and key not in sellers:
            sellers[key] = (off, fields)
    if len(sellers) > 1 and not p["variants"]:
        out = []
        for key, (off, fields) in sellers.items():
            url = _abs(page_url, off["url"]) if off["url"] and not p["main"] else own
            out.append({**base, **fields, "listing_id": f"{listing_id}~{key}", "price": off["price"],
                        "currency": off["currency"], "url": url or page_url, "seller_offer": True})
        return out
    off = _priced(p["offers"], page_key, page_url) or {"price": None, "currency": None, "seller": None, "url": None}
    fields = _seller_fields(off["seller"], page_url)
    if fields["seller_name"] is None and sellers:
        fields = next(iter(sellers.values()))[1]
    url = own or (_abs(page_url, off["url"]) if off["url"] and not p["main"] else None)
    return [{**base, **fields, "listing_id": listing_id, "price": off["price"], "currency": off["currency"],
             "url": url or page_url, "seller_offer": False}]


def _listing_id(p: dict[str, Any], page_url: str, page_key: str) -> str:
    sku = p["sku"] or (None if p["variants"] else next((o["sku"] for o in p["offers"] if o["sku"]), None))
    if sku:
        return str(sku)
    if p["node_id"]:
        return _url_key(p["node_id"])
    offer_url = next((o["url"] for o in p["offers"] if isinstance(o["url"], str) and o["url"].strip()), None)
    for url in (offer_url, p["own_url"]):
        if url:
            return _url_key(urljoin(page_url, url.strip()))
    if p["main"]:
        return page_key
    digest = hashlib.sha256(f"{p['title']}\n{page_key}".encode()).hexdigest()[:16]
    return f"h-{digest}"


def extract(url: str, html: str | Selector) -> PageProducts:
    """Every product of the page that should be a listing, the main one first; misses counted."""
    sel = html if isinstance(html, Selector) else Selector(text=html)
    graph = read_graph(url, sel)
    result = PageProducts()
    if graph.bad_scripts:
        result.misses["bad_jsonld"] += graph.bad_scripts
    found: list[_Found] = []
    main_ids: set[str] = set()
    _find(graph.roots, "json-ld", found, main_ids)
    _find(graph.microdata, "microdata", found, main_ids)
    page_key = _url_key(url)
    products: list[dict[str, Any]] = []
    for item in found:
        if item.role == "related":
            result.misses["related"] += 1
            link = _abs(url, item.node.get("url")) if isinstance(item.node.get("url"), str) else None
            if link:
                result.links.append(link)
            continue
        p = _product(graph, item, url)
        p["main_hint"] = p["main_hint"] or (isinstance(item.node.get("@id"), str) and item.node["@id"] in main_ids)
        twin = next((q for q in products if _same(q, p)), None)
        if twin is not None:
            _fill(twin, p)
            result.notes["merged"] += 1
        else:
            products.append(p)
    og = _opengraph(graph.opengraph, url)
    if not products and og is not None:
        products.append(og)
        result.notes["opengraph_only"] += 1
    _choose_main(products, url, page_key)
    main = next((p for p in products if p["main"]), None)
    if main is not None and og is not None and main is not og:
        before = any(o["price"] is not None for o in main["offers"])
        _fill(main, og)
        if not before and any(o["price"] is not None for o in main["offers"]):
            result.notes["price_from_opengraph"] += 1
    seen: set[str] = set()
    for p in sorted(products, key=lambda q: not q["main"]):
        if not p["title"]:
            result.misses["no_title"] += 1
            continue
        listing_id = _listing_id(p, url, page_key)
        if listing_id in seen:
            listing_id = f"{listing_id}~{len(seen)}"
            result.notes["id_disambiguated"] += 1
        seen.add(listing_id)
        listings = _listings(p, listing_id, url, page_key)
        if len(listings) > 1:
            result.notes["seller_offers"] += len(listings)
        if p["variants"]:
            result.notes["variants"] += p["variants"]
        for listing in listings:
            if listing["price"] is None:
                result.notes["no_price"] += 1
            result.products.append(listing)
    return result


def _choose_main(products: list[dict[str, Any]], url: str, page_key: str) -> None:
    for p in products:
        p["main"] = False
    candidates = [p for p in products if p["role"] == "top"]
    if not candidates:
        return
    main = next((p for p in candidates if p["main_hint"]), None)
    if main is None:
        for p in candidates:
            urls = [p["own_url"], p["node_id"], *(o["url"] for o in p["offers"] if isinstance(o["url"], str))]
            if any(u and _url_key(urljoin(url, u)).split("#", 1)[0] == page_key for u in urls):
                main = p
                break
    (main or candidates[0])["main"] = True


def products(url: str, html: str | Selector) -> list[dict[str, Any]]:
    """Every product listing of the page (see :func:`extract`), the main product first."""
    return extract(url, html).products


def jsonld_products(url: str, html: str | Selector) -> list[dict[str, Any]]:
    """The page's products as :func:`products` gives them (marketplace pages use them to fill gaps)."""
    return products(url, html)


__all__ = ["PageProducts", "extract", "jsonld_products", "products"]
