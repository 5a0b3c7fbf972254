"""``jsmall``: a JavaScript-rendered marketplace. The HTML is an empty shell; script fills it.

HTML shells: ``/`` and ``/?q=`` (grid), ``/p/<id>`` (listing), ``/store/<id>`` (seller); script
``/static/app.js``.  JSON: ``/api/search?q=&offset=&limit=`` (``{"items": [...], "next_offset": n|null,
"total": n}``; 24 per batch, more on scroll or the "Load more" button), ``/api/items/<id>``,
``/api/stores/<id>?offset=``.  Images ``/img/<id>-<n>.jpg``; robots.txt disallows ``/checkout/``.
"""

from __future__ import annotations

import json
from typing import Any

from brandsweep.marketplace_fixtures.search import SearchIndex
from brandsweep.marketplace_fixtures.server import Request, Response, Site, text

BATCH = 24

APP_JS = r"""
(function () {
  var grid = document.getElementById('grid');
  var more = document.getElementById('load-more');
  var params = new URLSearchParams(location.search);
  var next = 0, loading = false;
  function card(it) {
    var a = document.createElement('a');
    a.className = 'card'; a.href = '/p/' + it.id; a.setAttribute('data-id', it.id);
    a.innerHTML = '<img class="card-img" src="' + it.image + '"><div class="card-title"></div>' +
      '<div class="card-price"></div><div class="card-seller"></div>';
    a.querySelector('.card-title').textContent = it.title;
    a.querySelector('.card-price').textContent =
      it.price === null ? 'Ask seller' : (it.currency + ' ' + it.price.toFixed(2));
    a.querySelector('.card-seller').textContent = it.seller.name;
    return a;
  }
  var m = location.pathname.match(/^\/p\/(.+)$/), s = location.pathname.match(/^\/store\/(.+)$/);
  function listUrl(offset) {
    return s ? '/api/stores/' + s[1] + '?offset=' + offset
             : '/api/search?q=' + encodeURIComponent(params.get('q') || '') + '&offset=' + offset + '&limit=24';
  }
  function load() {
    if (next === null || loading) return;
    loading = true;
    fetch(listUrl(next))
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (s && next === 0) storeHeader(d);
        d.items.forEach(function (it) { grid.appendChild(card(it)); });
        next = d.next_offset; loading = false;
        more.hidden = next === null;
      });
  }
  function detail(id) {
    fetch('/api/items/' + id).then(function (r) { return r.json(); }).then(function (it) {
      var root = document.getElementById('item');
      root.innerHTML = '<h1 class="item-title"></h1><div class="item-price"></div>' +
        '<div class="item-sales"></div><a class="item-seller"></a><span class="item-location"></span>' +
        '<p class="item-desc"></p><div class="item-images"></div>';
      root.querySelector('.item-title').textContent = it.title;
      root.querySelector('.item-price').textContent =
        it.price === null ? 'Ask seller' : (it.currency + ' ' + it.price.toFixed(2));
      root.querySelector('.item-sales').textContent = it.sales_count === null ? '' : it.sales_count + ' sold';
      var s = root.querySelector('.item-seller'); s.textContent = it.seller.name; s.href = '/store/' + it.seller.id;
      root.querySelector('.item-location').textContent = it.seller.location;
      root.querySelector('.item-desc').textContent = it.description;
      it.images.forEach(function (u) {
        var i = document.createElement('img'); i.src = u; root.querySelector('.item-images').appendChild(i);
      });
    });
  }
  function storeHeader(st) {
    var root = document.getElementById('store');
    root.innerHTML = '<h1 class="store-name"></h1><div class="store-location"></div><div class="store-phone"></div>';
    root.querySelector('.store-name').textContent = st.name;
    root.querySelector('.store-location').textContent = st.location;
    root.querySelector('.store-phone').textContent = st.phone;
  }
  if (m) { detail(m[1]); } else {
    more.addEventListener('click', load);
    window.addEventListener('scroll', function () {
      if (window.innerHeight + window.scrollY >= document.body.offsetHeight - 200) load();
    });
    load();
  }
})();
"""


def shell(title: str, root: str) -> Response:
    doc = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title} - JSMall</title>'
           '<meta name="viewport" content="width=device-width"></head><body><nav><a href="/">JSMall</a>'
           '<form action="/"><input name="q" type="search"><button>Search</button></form></nav>'
           f'<main>{root}<div id="grid" class="grid"></div><button id="load-more" hidden>Load more</button></main>'
           '<noscript>JSMall needs JavaScript to show products.</noscript>'
           '<script src="/static/app.js" defer></script></body></html>\n')
    return Response(200, doc.encode("utf-8"), "text/html; charset=utf-8")


def jsonr(obj: Any, status: int = 200) -> Response:
    return Response(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")


class JSMall(Site):
    name = "jsmall"

    def __init__(self, *a: Any, **kw: Any) -> None:
        super().__init__(*a, **kw)
        self.index = SearchIndex(self.gen, self.name)

    def not_found(self) -> Response:
        return jsonr({"error": "not_found"}, 404)

    def summary(self, i: int) -> dict[str, Any]:
        x = self.gen.listing(i)
        return {"id": x["listing_id"], "title": x["title"], "price": x["price"], "currency": x["currency"],
                "image": f"/img/{x['listing_id']}-0.jpg" if x["images"] else None, "url": f"/p/{x['listing_id']}",
                "seller": {"id": x["seller_id"], "name": x["seller_name"]}}

    def route(self, req: Request) -> Response:
        p = req.path
        if p == "/robots.txt":
            return text("User-agent: *\nDisallow: /checkout/\n")
        if p == "/static/app.js":
            return Response(200, APP_JS.encode(), "application/javascript; charset=utf-8")
        if p == "/":
            return shell("Home", "")
        if p.startswith("/p/") or p.startswith("/store/"):
            return shell("Product" if p.startswith("/p/") else "Store",
                         '<div id="item"></div>' if p.startswith("/p/") else '<div id="store"></div>')
        if p == "/api/search":
            q = req.arg("q")
            found = self.index.search(q) if q.strip() else self.all()
            off = max(0, req.int_arg("offset", 0))
            lim = min(100, max(1, req.int_arg("limit", BATCH)))
            chunk = found[off:off + lim]
            nxt = off + lim if off + lim < len(found) else None
            return jsonr({"items": [self.summary(i) for i in chunk], "next_offset": nxt, "total": len(found)})
        if p.startswith("/api/items/"):
            i = self.gen.index_of(self.name, p[11:])
            if i is None or self.gen.listing(i).get("removed"):
                return self.not_found()
            x = self.gen.listing(i)
            s = self.gen.seller(i)
            return jsonr({**self.summary(i), "description": x["description"], "sales_count": x["sales_count"],
                          "images": [f"/img/{x['listing_id']}-{n}.jpg" for n in range(len(x["images"]))],
                          "seller": {"id": s.seller_id, "name": s.name, "location": s.location_en}})
        if p.startswith("/api/stores/"):
            found_s = self.gen.find_seller(self.name, p[12:])
            if found_s is None:
                return self.not_found()
            no, s = found_s
            listings = [i for i in self.gen.seller_listings(self.name, no) if not self.gen.listing(i).get("removed")]
            off = max(0, req.int_arg("offset", 0))
            nxt = off + BATCH if off + BATCH < len(listings) else None
            return jsonr({"id": s.seller_id, "name": s.name, "location": s.location_en, "phone": s.phone,
                          "address": s.address, "items": [self.summary(i) for i in listings[off:off + BATCH]],
                          "next_offset": nxt})
        if p.startswith("/img/"):
            return self.image(self.name, p[5:])
        return Response(404, b"<!DOCTYPE html><html><body><h1>Not found</h1></body></html>")

    def all(self) -> list[int]:
        self.index.build()
        idx = self.gen.by_platform[self.name]
        return [idx[k] for k, t in enumerate(self.index.texts) if t]
