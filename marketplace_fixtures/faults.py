"""Fault endpoints of ``shopfront`` (on with ``--faults``); the README's table lists each one.

They are linked from normal pages (the home page's "Today's deals", the first category page and
every 7th listing's gallery), so a crawler meets them the way it meets any page.
"""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

from brandsweep.marketplace_fixtures.server import Request, Response, esc, redirect

FAULT_LINKS = (
    ("/deals/flash-sale", "Flash sale"),  # slow
    ("/deals/live", "Live deals"),  # hang after headers
    ("/deals/busy", "Members' sale"),  # 503 + Retry-After
    ("/deals/clearance", "Clearance"),  # dropped connection
    ("/deals/weekly", "Weekly picks"),  # truncated body
    ("/item/bad-1", "Editor's pick"),  # malformed HTML
    ("/deals/loop/a", "Bundle offers"),  # redirect loop
    ("/deals/partner-offer", "Partner offer"),  # redirect to loopback outside the marketplace (SSRF bait)
    ("/deals/all?page=1", "All deals"),  # endless pagination
)
FAULT_IMAGES = ("/img/broken.jpg", "/img/truncated.jpg", "/img/bomb.png", "/img/page.jpg")


def bomb_png(width: int = 20000, height: int = 20000) -> bytes:
    """A 1-bit PNG whose header claims width x height pixels (400 M): a few tens of kB on disk."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    comp = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    out = io.BytesIO()
    for _ in range(height):
        out.write(comp.compress(row))
    out.write(comp.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", out.getvalue()) + chunk(b"IEND", b"")


MALFORMED = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Editor\'s pick | Shopfront<title></head>'
    '<body><main><article class="listing" data-listing-id="bad-1"><div class="gallery"><img class="product-image" '
    'src="/img/broken.jpg"<h1 class="product-title">Editor\'s pick: Canvas Tote Bag <b>Eco <i>Shopping</b></i>'
    '<div class="price-box"><span class="price" data-currency="USD" data-amount="9.99">$9.99</span>'
    '<table><tr><td>Material<td>Canvas</tr><p>Unclosed paragraph<div class="seller-box">Sold by '
    '<a class="seller-link" href="/seller/">Unknown & Co <span class="seller-location">Somewhere'
    '\x00\x1b <script>document.write("<div>"</script></article></main>'
)


class FaultMixin:
    """Mixed into the shopfront Site; needs ``self.gen``, ``self.options``, ``self.base_url``."""

    gen: Any
    options: Any
    base_url: str

    def fault_links_html(self) -> str:
        links = "".join(f'<li><a class="deal" href="{u}">{esc(t)}</a></li>' for u, t in FAULT_LINKS)
        return f'<section class="deals"><h2>Today\'s deals</h2><ul>{links}</ul></section>'

    def fault_gallery(self, i: int) -> str:
        if i % 7:
            return ""
        src = FAULT_IMAGES[(i // 7) % len(FAULT_IMAGES)]
        return f'<img class="product-image" src="{src}" alt="">'

    def _canary(self) -> str:
        if self.options.canary:
            return self.options.canary
        port = self.base_url.rsplit(":", 1)[-1]
        return f"http://127.0.0.2:{port}/internal/admin"

    def fault_route(self, req: Request) -> Response | None:
        p = req.path
        if p == "/deals/flash-sale":
            delay = float(req.arg("delay", str(self.options.slow_seconds)))
            body = '<html><body><h1>Flash sale</h1><p>Deals are loading slowly today.</p></body></html>'
            return Response(200, body.encode(), fault="slow", delay=delay)
        if p == "/deals/live":
            return Response(200, b"<html><body>", fault="hang")
        if p == "/deals/busy":
            return Response(503, b"<html><body><h1>Service busy, try later</h1></body></html>",
                            headers=[("Retry-After", "30")])
        if p == "/deals/clearance":
            return Response(fault="drop")
        if p == "/deals/weekly":
            body = "".join(f'<li class="result"><a href="/item/{100000 + k}">Weekly pick {k}</a></li>'
                           for k in range(50))
            return Response(200, f"<html><body><ul class=\"results\">{body}</ul></body></html>".encode(),
                            fault="truncate")
        if p.startswith("/item/bad-"):
            return Response(200, MALFORMED.encode("utf-8", "surrogateescape"))
        if p == "/deals/loop/a":
            return redirect("/deals/loop/b")
        if p == "/deals/loop/b":
            return redirect("/deals/loop/a")
        if p == "/deals/partner-offer":
            return redirect(self._canary())
        if p == "/deals/all":
            n = max(1, req.int_arg("page", 1))
            idx = self.gen.by_platform["shopfront"]
            items = "".join(f'<li class="result"><a class="result-title" href="/item/{self.gen.listing_id(idx[k])}">'
                            f'Deal {k}</a></li>' for k in range(min(10, len(idx))))
            body = (f'<html><body><h1>All deals - page {n}</h1><ul class="results">{items}</ul>'
                    f'<nav class="pagination"><a rel="next" href="/deals/all?page={n + 1}">Next</a></nav>'
                    '</body></html>')
            return Response(200, body.encode())
        if p == "/img/broken.jpg":
            return Response(200, b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8, "image/jpeg")
        if p == "/img/truncated.jpg":
            idx = self.gen.by_platform["shopfront"]
            full = self.images.render(self.gen.listing(idx[0])["images"][0])  # type: ignore[attr-defined]
            return Response(200, full[: len(full) // 2], "image/jpeg")
        if p == "/img/bomb.png":
            return Response(200, self.bomb(), "image/png")
        if p == "/img/page.jpg":
            return Response(200, b"<!DOCTYPE html><html><body><h1>Image not found</h1></body></html>", "image/jpeg")
        return None

    def bomb(self) -> bytes:
        cached = getattr(self, "_bomb", None)
        if cached is None:
            cached = bomb_png()
            self._bomb = cached
        return cached
