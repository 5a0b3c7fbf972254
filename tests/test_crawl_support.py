"""Helpers for crawl tests: static sites written to a folder and served by a real child process
(``python -m http.server`` on port 0), and a canary server that counts every request it gets."""

from __future__ import annotations

import html
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from brandsweep.marketplace_fixtures import ImageMaker, generate

SERVE_SCRIPT = """
import functools, http.server, socketserver, sys
class H(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        if self.path.startswith('/go-away'):
            self.send_response(302); self.send_header('Location', sys.argv[3]); self.send_header('Content-Length', '0')
            self.end_headers(); return
        super().do_GET()
srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(H, directory=sys.argv[1]))
print(f"http://127.0.0.1:{srv.server_address[1]}", flush=True)
srv.serve_forever()
"""


@contextmanager
def serve_folder(folder: Path, redirect_to: str = "http://127.0.0.1:9/") -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 port 0 in a child process; ``/go-away`` redirects to ``redirect_to``."""
    proc = subprocess.Popen([sys.executable, "-c", SERVE_SCRIPT, str(folder), "x", redirect_to],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def reply(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"", ctype: str = "text/html",
          headers: dict[str, str] | None = None, reason: str | None = None) -> None:
    """Answer a request of a test server: status line, headers, Content-Length, body."""
    handler.send_response(status, reason)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Type", ctype)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1") -> Iterator[str]:
    """Run ``handler`` on ``host`` port 0 in a thread of this process; yield its base URL."""
    srv = ThreadingHTTPServer((host, 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield f"http://{host}:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


@contextmanager
def canary(host: str = "127.0.0.2") -> Iterator[tuple[str, list[str]]]:
    """A server on another loopback address that records every request path it receives."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            reply(self, 200, b"ok", "text/plain")

        do_POST = do_GET

        def log_message(self, *a: object) -> None:
            return

    with serving(Handler, host) as url:
        yield url, hits


def _product_jsonld(x: dict, lid: str) -> str:
    ld: dict = {"@context": "https://schema.org", "@type": "Product", "name": x["title"], "sku": lid,
                "description": x["description"], "image": [f"/img/{lid}-{n}.jpg" for n in range(len(x["images"]))],
                "offers": {"@type": "Offer", "priceCurrency": x["currency"],
                           "seller": {"@type": "Organization", "name": x["seller_name"],
                                      "url": f"/seller/{x['seller_id']}.html"}}}
    if x["price"] is not None:
        ld["offers"]["price"] = f"{x['price']:.2f}"
    return f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'


def _product_microdata(x: dict, lid: str) -> str:
    e = html.escape
    imgs = "".join(f'<img itemprop="image" src="/img/{lid}-{n}.jpg">' for n in range(len(x["images"])))
    price = (f'<meta itemprop="price" content="{x["price"]:.2f}"><meta itemprop="priceCurrency" '
             f'content="{x["currency"]}">' if x["price"] is not None else "")
    return (f'<div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">{e(x["title"])}</h1>'
            f'<meta itemprop="sku" content="{lid}">{imgs}<p itemprop="description">{e(x["description"])}</p>'
            f'<div itemprop="offers" itemscope itemtype="https://schema.org/Offer">{price}'
            f'<div itemprop="seller" itemscope itemtype="https://schema.org/Organization">'
            f'<a itemprop="url" href="/seller/{x["seller_id"]}.html"><span itemprop="name">{e(x["seller_name"])}</span>'
            '</a></div></div></div>')


def write_schemaorg_site(folder: Path, *, size: int = 120, seed: int = 5, bait: str | None = None) -> list[dict]:
    """Every generated listing as a static product page (JSON-LD on even ones, microdata on odd),
    a sitemap index with two sitemaps, and robots.txt naming it. With ``bait`` (a canary URL),
    every page also carries a link, an image, a redirect and a script aimed at it."""
    gen = generate(None, size, seed)
    images = ImageMaker(gen.catalog)
    (folder / "p").mkdir(parents=True)
    (folder / "img").mkdir()
    listings = []
    for k, x in enumerate(gen.listings()):
        lid = f"{x['platform']}-{x['listing_id']}"
        body = _product_microdata(x, lid) if k % 2 else ""
        head = "" if k % 2 else _product_jsonld(x, lid)
        if bait:
            head += f'<script>fetch("{bait}/script-bait").catch(function(){{}});</script>'
            body += (f'<a href="{bait}/link-bait">partner</a><img src="{bait}/image-bait.jpg">'
                     '<img src="/go-away/img.jpg"><a href="/go-away/page">more</a>')
        (folder / "p" / f"{lid}.html").write_text(
            f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(x["title"])}</title>{head}'
            f'</head><body>{body}<a href="/">home</a></body></html>', encoding="utf-8")
        for n, ref in enumerate(x["images"]):
            (folder / "img" / f"{lid}-{n}.jpg").write_bytes(images.render(ref))
        listings.append({**x, "site_id": lid})
    half = len(listings) // 2
    for name, part in (("sitemap-1.xml", listings[:half]), ("sitemap-2.xml", listings[half:])):
        urls = "".join(f"<url><loc>/p/{x['site_id']}.html</loc></url>" for x in part)
        (folder / name).write_text('<?xml version="1.0" encoding="UTF-8"?>'
                                   f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
    (folder / "sitemap-index.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>/sitemap-1.xml</loc></sitemap><sitemap><loc>/sitemap-2.xml</loc></sitemap></sitemapindex>")
    (folder / "robots.txt").write_text("User-agent: *\nDisallow: /private/\nSitemap: /sitemap-index.xml\n")
    (folder / "index.html").write_text('<!DOCTYPE html><html><body><a href="/p/">products</a></body></html>')
    return listings


CRAWL_CHILD = """
import json, sys
from brandsweep.crawl import run_crawl
from brandsweep.core.marketplaces import marketplace_config
import dataclasses
args = json.loads(sys.argv[1])
cfg = dataclasses.replace(marketplace_config(args["name"], base_url=args["base_url"]), **args.get("config", {}))
s = run_crawl(args["db"], cfg.spider, base_url=args["base_url"], marketplace=args["name"], config=cfg,
              queries=args.get("queries"), settings=args.get("settings"), browse=args.get("browse", True))
print(json.dumps({"run_id": s.run_id, "status": s.status, "stats": s.stats}, default=str))
"""


def crawl_child(db: Path, name: str, base_url: str, *, config: dict | None = None, settings: dict | None = None,
                queries: list[str] | None = None, browse: bool = True, env: dict | None = None,
                timeout: float = 300) -> dict:
    """Run :func:`brandsweep.crawl.run_crawl` in a child process (one Scrapy reactor per process)."""
    import os

    arg = json.dumps({"db": str(db), "name": name, "base_url": base_url, "config": config or {},
                      "settings": settings or {}, "queries": queries, "browse": browse})
    res = subprocess.run([sys.executable, "-c", CRAWL_CHILD, arg], capture_output=True, text=True,
                         env={**os.environ, **(env or {})}, timeout=timeout, cwd=Path(__file__).parent.parent)
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads(res.stdout.strip().splitlines()[-1])
