"""``taoshop``: a Chinese marketplace in the style of Taobao, served in GBK.

Pages (all GBK): ``/`` 首页, ``/search?q=&s=<offset>`` (44 per page, "下一页" link), ``/list/<类目>?s=``,
``/item.htm?id=<id>``, ``/shop/<shop id>.htm?s=`` (店铺; **no charset declaration** in header or
meta: the one page type a crawler must sniff), ``/img/<id>-<n>.jpg``, ``/robots.txt`` (disallows
``/member/``).  Characters GBK lacks (styled letters, emoji) are sent as HTML character references.
The query ``q`` may be percent-encoded UTF-8 or GBK.
"""

from __future__ import annotations

import json
from types import MappingProxyType
from typing import Any
from urllib.parse import quote, unquote_to_bytes, urlencode

from brandsweep.marketplace_fixtures.search import SearchIndex
from brandsweep.marketplace_fixtures.server import Request, Response, Site, esc, text

PER_PAGE = 44
CAT_ZH = MappingProxyType({
          "all": "全部宝贝", "shoes": "鞋靴", "apparel": "服饰", "bag": "箱包", "perfume": "香水", "phone": "手机",
          "earbuds": "耳机",
          "watch": "手表", "liquor": "酒类", "skincare": "护肤", "bodycare": "洗护", "accessories": "数码配件",
          "food": "食品", "toys": "玩具", "books": "图书", "home": "家居"})


def gbk(doc: str) -> bytes:
    return doc.encode("gbk", "xmlcharrefreplace")


def paid(n: int | None) -> str:
    if n is None:
        return ""
    if n >= 10000:
        return f"{n // 10000}万+人付款"
    if n >= 100:
        return f"{n // 100 * 100}+人付款"
    return f"{n}人付款"


def yuan(price: float | None) -> str:
    if price is None:
        return '<div class="price"><span class="price-na">价格面议</span></div>'
    return f'<div class="price"><em class="tb-rmb">￥</em><strong class="tb-rmb-num">{price:.2f}</strong></div>'


def page(title: str, body: str, head: str = "", declare: bool = True) -> Response:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gbk">' if declare else ""
    doc = (f'<!DOCTYPE html>\n<html><head>{meta}<title>{esc(title)}-淘铺网</title>{head}</head><body>'
           '<div class="site-nav"><a href="/">淘铺网首页</a> <a href="/member/login.htm">亲，请登录</a></div>'
           '<form class="search-form" action="/search"><input name="q" placeholder="搜索 宝贝"><button>搜索</button>'
           f'</form><div id="page">{body}</div><div class="footer">© 淘铺网</div></body></html>\n')
    ctype = "text/html; charset=GBK" if declare else "text/html"
    return Response(200, gbk(doc), ctype)


def decode_query(raw: str) -> str:
    for part in raw.split("&"):
        k, _, v = part.partition("=")
        if k == "q":
            b = unquote_to_bytes(v.replace("+", " "))
            try:
                return b.decode("utf-8")
            except UnicodeDecodeError:
                return b.decode("gbk", "replace")
    return ""


class Taoshop(Site):
    name = "taoshop"

    def __init__(self, *a: Any, **kw: Any) -> None:
        super().__init__(*a, **kw)
        self.index = SearchIndex(self.gen, self.name)

    def not_found(self) -> Response:
        r = page("宝贝不存在", '<div class="error-notice">很抱歉，您查看的宝贝不存在，可能已下架或者被转移。</div>')
        r.status = 404
        return r

    def route(self, req: Request) -> Response:
        p = req.path
        if p == "/robots.txt":
            return text("User-agent: *\nDisallow: /member/\nDisallow: /cart.htm\n")
        if p == "/":
            cats = "".join(f'<li><a class="cat" href="/list/{quote(c)}">{esc(CAT_ZH.get(c, c))}</a></li>'
                           for c in self.index.category_names())
            return page("首页", f'<div class="cat-list"><h2>主题市场</h2><ul>{cats}</ul></div>')
        if p == "/search":
            q = decode_query(req.raw_query)
            return self.results(q, self.index.search(q), req, "/search", {"q": q})
        if p.startswith("/list/"):
            cat = p[6:]
            return self.results(CAT_ZH.get(cat, cat), self.index.category(cat), req, f"/list/{quote(cat)}", {})
        if p == "/item.htm":
            return self.item(req.arg("id"))
        if p.startswith("/shop/") and p.endswith(".htm"):
            return self.shop(p[6:-4], req)
        if p.startswith("/img/"):
            return self.image(self.name, p[5:])
        if p.startswith("/member/"):
            return page("登录", "<h3>密码登录</h3>")
        return self.not_found()

    def card(self, i: int) -> str:
        x = self.gen.listing(i)
        s = self.gen.seller(i)
        pic = f'<div class="pic"><img src="/img/{x["listing_id"]}-0.jpg"></div>' if x["images"] else ""
        return (f'<div class="item" data-nid="{x["listing_id"]}">{pic}{yuan(x["price"])}'
                f'<div class="deal-cnt">{paid(x["sales_count"])}</div>'
                f'<div class="title"><a href="/item.htm?id={x["listing_id"]}">{esc(x["title"])}</a></div>'
                f'<div class="shop"><a class="shopname" href="/shop/{s.seller_id}.htm">{esc(s.name)}</a></div>'
                f'<div class="location">{esc(s.location_zh)}</div></div>')

    def results(self, heading: str, found: list[int], req: Request, base: str, params: dict[str, str]) -> Response:
        off = max(0, req.int_arg("s", 0))
        chunk = found[off:off + PER_PAGE]
        pager = ""
        if off > 0:
            pager += f'<a class="prev" href="{base}?{urlencode({**params, "s": max(0, off - PER_PAGE)})}">上一页</a>'
        if off + PER_PAGE < len(found):
            pager += f'<a class="next" href="{base}?{urlencode({**params, "s": off + PER_PAGE})}">下一页</a>'
        cards = "".join(self.card(i) for i in chunk)
        body = (f'<div class="m-itemlist"><h2>{esc(heading)}</h2><div class="total">共 {len(found)} 件宝贝</div>'
                f'<div class="items">{cards}</div></div><div class="pager">{pager}</div>')
        if not found:
            body += '<div class="no-result">没有找到相关的宝贝</div>'
        return page(heading, body)

    def item(self, lid: str) -> Response:
        i = self.gen.index_of(self.name, lid)
        if i is None:
            return self.not_found()
        x = self.gen.listing(i)
        if x.get("removed"):
            return self.not_found()
        s = self.gen.seller(i)
        thumbs = "".join(f'<li><img src="/img/{lid}-{n}.jpg"></li>' for n in range(len(x["images"])))
        head = ""
        if x["jsonld"]:
            ld: dict[str, Any] = {"@context": "https://schema.org", "@type": "Product", "name": x["title"],
                                  "productID": lid,
                                  "image": [f"{self.base_url}/img/{lid}-{n}.jpg" for n in range(len(x["images"]))],
                                  "offers": {"@type": "Offer", "priceCurrency": "CNY"}}
            if x["price"] is not None:
                ld["offers"]["price"] = f'{x["price"]:.2f}'
            head = f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
        sales = f'<span class="tm-count">月销量 {x["sales_count"]}</span>' if x["sales_count"] is not None else ""
        body = (f'<div class="tb-item-info" data-item-id="{lid}"><ul id="J_UlThumb">{thumbs}</ul>'
                f'<div class="tb-detail-hd"><h1>{esc(x["title"])}</h1></div>'
                f'<div class="tb-promo-price">价格 {yuan(x["price"])}</div>{sales}'
                f'<div class="tb-deliver">发货地 <span class="tb-deliver-from">{esc(s.location_zh)}</span></div>'
                f'<div class="tb-shop"><a class="shop-name" href="/shop/{s.seller_id}.htm">{esc(s.name)}</a></div>'
                f'<div id="description">{esc(x["description"])}</div></div>')
        return page(x["title"], body, head)

    def shop(self, sid: str, req: Request) -> Response:
        found = self.gen.find_seller(self.name, sid)
        if found is None:
            return self.not_found()
        no, s = found
        listings = [i for i in self.gen.seller_listings(self.name, no) if not self.gen.listing(i).get("removed")]
        off = max(0, req.int_arg("s", 0))
        pager = (f'<a class="next" href="/shop/{sid}.htm?s={off + PER_PAGE}">下一页</a>'
                 if off + PER_PAGE < len(listings) else "")
        body = (f'<div class="shop-info" data-shop-id="{sid}"><span class="shop-title">{esc(s.name)}</span>'
                f'<dl><dt>所在地</dt><dd class="locus">{esc(s.location_zh)}</dd>'
                f'<dt>联系电话</dt><dd class="tel">{esc(s.phone)}</dd>'
                f'<dt>退货地址</dt><dd class="addr">{esc(s.address)}</dd>'
                f'<dt>开店时间</dt><dd class="since">{s.opened}年</dd></dl></div>'
                f'<div class="items">{"".join(self.card(i) for i in listings[off:off + PER_PAGE])}</div>'
                f'<div class="pager">{pager}</div>')
        return page(s.name, body, declare=False)
