"""``shopfront``: an English, server-rendered marketplace (UTF-8 HTML).

Pages: ``/`` (categories, search form, deals), ``/search?q=&page=``, ``/c/<category>?page=``,
``/item/<id>``, ``/seller/<id>?page=``, ``/img/<id>-<n>.jpg``, ``/robots.txt`` (disallows
``/account/``).  With faults on, ``/deals/...`` and some extra links (see README) misbehave.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

from brandsweep.marketplace_fixtures.faults import FaultMixin
from brandsweep.marketplace_fixtures.search import SearchIndex
from brandsweep.marketplace_fixtures.server import Request, Response, Site, esc, text

PER_PAGE = 20


def money(price: float | None, currency: str) -> str:
    if price is None:
        return '<span class="price price-na">Price on request</span>'
    sym = "$" if currency == "USD" else "¥"
    return f'<span class="price" data-currency="{currency}" data-amount="{price:.2f}">{sym}{price:,.2f}</span>'


def page(title: str, body: str, head: str = "") -> Response:
    doc = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{esc(title)} | Shopfront</title>'
           f'{head}</head><body><header class="site-header"><a class="logo" href="/">Shopfront</a>'
           '<form class="search" action="/search" method="get"><input name="q" type="search">'
           '<button type="submit">Search</button></form><a href="/account/orders">My orders</a></header>'
           f'<main>{body}</main><footer>© Shopfront marketplace</footer></body></html>\n')
    return Response(200, doc.encode("utf-8"), "text/html; charset=utf-8")


class Shopfront(FaultMixin, Site):
    name = "shopfront"

    def __init__(self, *a: Any, **kw: Any) -> None:
        super().__init__(*a, **kw)
        self.index = SearchIndex(self.gen, self.name)

    def route(self, req: Request) -> Response:
        p = req.path
        if self.options.faults:
            fault = self.fault_route(req)
            if fault is not None:
                return fault
        if p == "/robots.txt":
            return text("User-agent: *\nDisallow: /account/\nDisallow: /cart\n\nSitemap: /sitemap.xml\n")
        if p == "/":
            return self.home()
        if p == "/search":
            q = req.arg("q")
            return self.results(f"Results for “{q}”", self.index.search(q), req, {"q": q}, "/search")
        if p.startswith("/c/"):
            cat = p[3:]
            return self.results(cat.title(), self.index.category(cat), req, {}, f"/c/{quote(cat)}")
        if p.startswith("/item/"):
            return self.item(p[6:])
        if p.startswith("/seller/"):
            return self.seller_page(p[8:], req)
        if p.startswith("/img/"):
            return self.image(self.name, p[5:])
        if p.startswith("/account/"):
            return page("My account", "<h1>Sign in</h1><p>Private area.</p>")
        return self.not_found()

    def not_found(self) -> Response:
        r = page("Not found", '<h1 class="not-found">This listing is no longer available</h1>')
        r.status = 404
        return r

    def home(self) -> Response:
        cats = "".join(f'<li><a class="category" href="/c/{quote(c)}">{esc(c.title())}</a></li>'
                       for c in self.index.category_names())
        deals = self.fault_links_html() if self.options.faults else ""
        return page("Shopfront", f'<h1>Shop by category</h1><ul class="categories">{cats}</ul>{deals}')

    def card(self, i: int) -> str:
        x = self.gen.listing(i)
        img = f'<img class="thumb" src="/img/{x["listing_id"]}-0.jpg" alt="">' if x["images"] else ""
        sold = f'<span class="sales">{x["sales_count"]:,} sold</span>' if x["sales_count"] is not None else ""
        return (f'<li class="result" data-listing-id="{x["listing_id"]}">{img}'
                f'<a class="result-title" href="/item/{x["listing_id"]}">{esc(x["title"])}</a>'
                f'{money(x["price"], x["currency"])}{sold}'
                f'<a class="result-seller" href="/seller/{x["seller_id"]}">{esc(x["seller_name"])}</a></li>')

    def results(self, heading: str, found: list[int], req: Request, params: dict[str, str], base: str,
                ) -> Response:
        n = max(1, req.int_arg("page", 1))
        chunk = found[(n - 1) * PER_PAGE:n * PER_PAGE]
        if self.options.faults and n > 1:  # duplicate listings across pages: repeat the previous page's tail
            chunk = found[(n - 1) * PER_PAGE - 3:(n - 1) * PER_PAGE] + chunk
        items = "".join(self.card(i) for i in chunk)
        nav = ""
        if n > 1:
            nav += f'<a rel="prev" href="{base}?{urlencode({**params, "page": n - 1})}">Previous</a>'
        if n * PER_PAGE < len(found):
            nav += f'<a rel="next" href="{base}?{urlencode({**params, "page": n + 1})}">Next</a>'
        body = (f'<h1>{esc(heading)}</h1><p class="result-count">{len(found)} results</p>'
                f'<ul class="results">{items}</ul><nav class="pagination">{nav}</nav>')
        if not found:
            body += '<p class="no-results">No results found.</p>'
        return page(heading, body)

    def item(self, lid: str) -> Response:
        i = self.gen.index_of(self.name, lid)
        if i is None:
            return self.not_found()
        x = self.gen.listing(i)
        if x.get("removed"):
            return self.not_found()
        s = self.gen.seller(i)
        gallery = "".join(f'<img class="product-image" src="/img/{lid}-{n}.jpg" alt="{esc(x["title"])}">'
                          for n in range(len(x["images"])))
        gallery += self.fault_gallery(i) if self.options.faults else ""
        sold = f'<span class="sales">{x["sales_count"]:,} sold</span>' if x["sales_count"] is not None else ""
        head = ""
        if x["jsonld"]:
            ld: dict[str, Any] = {"@context": "https://schema.org", "@type": "Product", "name": x["title"],
                                  "sku": lid, "description": x["description"],
                                  "image": [f"{self.base_url}/img/{lid}-{n}.jpg" for n in range(len(x["images"]))],
                                  "offers": {"@type": "Offer", "priceCurrency": x["currency"],
                                             "seller": {"@type": "Organization", "name": x["seller_name"]},
                                             "availability": "https://schema.org/InStock"}}
            if x["price"] is not None:
                ld["offers"]["price"] = f'{x["price"]:.2f}'
            head = f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
        body = (f'<article class="listing" data-listing-id="{lid}"><div class="gallery">{gallery}</div>'
                f'<h1 class="product-title">{esc(x["title"])}</h1><div class="price-box">'
                f'{money(x["price"], x["currency"])}</div>{sold}'
                f'<div class="seller-box">Sold by <a class="seller-link" href="/seller/{s.seller_id}">'
                f'{esc(s.name)}</a> <span class="seller-location">{esc(s.location_en)}</span></div>'
                f'<section class="description">{esc(x["description"])}</section>'
                f'<a class="add-to-cart" href="/cart?add={lid}">Add to cart</a></article>')
        return page(x["title"], body, head)

    def seller_page(self, sid: str, req: Request) -> Response:
        found = self.gen.find_seller(self.name, sid)
        if found is None:
            return self.not_found()
        no, s = found
        listings = [i for i in self.gen.seller_listings(self.name, no) if not self.gen.listing(i).get("removed")]
        info = (f'<h1 class="seller-name">{esc(s.name)}</h1><dl class="seller-info">'
                f'<dt>Location</dt><dd class="location">{esc(s.location_en)}</dd>'
                f'<dt>Phone</dt><dd class="phone">{esc(s.phone)}</dd>'
                f'<dt>Address</dt><dd class="address">{esc(s.address)}</dd>'
                f'<dt>Member since</dt><dd class="since">{s.opened}</dd></dl>')
        n = max(1, req.int_arg("page", 1))
        chunk = listings[(n - 1) * PER_PAGE:n * PER_PAGE]
        nav = (f'<a rel="next" href="/seller/{sid}?page={n + 1}">Next</a>' if n * PER_PAGE < len(listings) else "")
        body = (f'<section class="seller" data-seller-id="{sid}">{info}</section>'
                f'<ul class="results">{"".join(self.card(i) for i in chunk)}</ul>'
                f'<nav class="pagination">{nav}</nav>')
        return page(s.name, body)
