"""Generic spider for any site publishing schema.org ``Product`` (JSON-LD, microdata, Open Graph).

Order of work: when the start URL is the site's root, its sitemaps (``/sitemap.xml``, sitemap
indexes, gzip, and ``Sitemap:`` lines of ``robots.txt``) are read first, and every page they name
is crawled before any link found on a page: links (the start page included) wait in the
frontier until the crawl first runs out of requests (Scrapy's ``spider_idle``), that is until
the sitemaps and every page they name are done. Product URLs the markup names (related products, list
entries) leave the frontier before other links.

Link following is bounded: link pages in flight plus link pages already found without a product
stay below ``max_pages`` (``brandsweep/links/followed``, ``brandsweep/links/plain_pages``); once
``max_pages`` pages without a product were met, no further link is followed
(``brandsweep/links/capped`` counts those dropped, and the run is ``partial``). ``DEPTH_LIMIT``
(the marketplace's ``max_depth``, default 20) bounds the depth. A run that read a sitemap and
failed on no page covers the whole site.

Each page is decoded (:mod:`~brandsweep.crawler.pages.encoding`, windows-1252 and GBK pages
without a declaration included) and its products extracted
(:func:`brandsweep.crawler.pages.schemaorg.extract`) in a worker thread, not on the reactor.
Every product becomes a listing with an id of its own; an id already stored in this run is
stored again only when this page is that product's own page (``brandsweep/products/duplicate_in_run``
otherwise). Counted: ``brandsweep/products/{found,main,stored}``, misses under
``brandsweep/products/missed/<reason>`` (``bad_jsonld``, ``no_title``, ``related``), and
``brandsweep/products/<note>`` (``no_price``, ``merged``, ``seller_offers``, ``variants``,
``opengraph_only``, ``price_from_opengraph``, ``id_disambiguated``). A product the page only
lists (not its main one) whose own URL is on this site is followed, not stored from the list
(``brandsweep/products/listed_elsewhere``), so its partial and full versions never alternate.
With ``BRANDSWEEP_RENDER_JS`` the pages are rendered in Chromium behind the browser guard.
"""

from __future__ import annotations

import asyncio
import gzip
import io
import threading
from collections import deque
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from urllib.parse import urljoin, urlsplit

from parsel import Selector
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url

from brandsweep.core.records import ListingRecord
from brandsweep.crawler.pages import schemaorg as pages
from brandsweep.crawler.pages.encoding import Decoded, decode_html
from brandsweep.crawler.spiders.base import MarketplaceSpider

MAX_SITEMAP_BYTES = 50 * 1024 * 1024
PRIORITY = MappingProxyType({"sitemap": 30, "sitemap_page": 20, "product_link": 10, "link": 0})
NOT_PAGES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".css", ".js", ".pdf", ".zip", ".gz",
             ".mp4", ".mp3", ".woff", ".woff2", ".ttf", ".xml", ".json", ".txt")


def listing_from_product(url: str, product: dict[str, Any], *, platform: str) -> ListingRecord | None:
    title = product.get("title")
    if not title:
        return None
    page_url = product.get("url") or url
    listing_id = product.get("listing_id") or product.get("sku") or urlsplit(page_url).path.strip("/") or page_url
    seller_url = product.get("seller_url")
    seller_id = product.get("seller_id") or (urlsplit(seller_url).path.rstrip("/").rsplit("/", 1)[-1]
                                             if seller_url else None) or product.get("seller_name")
    return ListingRecord(
        platform=platform, listing_id=str(listing_id), url=page_url, title=" ".join(str(title).split()),
        description=product.get("description"), price=product.get("price"),
        currency=product.get("currency") if product.get("price") is not None else None,
        seller_id=seller_id, seller_name=product.get("seller_name"), sales_count=product.get("sales_count"),
        image_urls=list(dict.fromkeys(product.get("image_urls") or [])), seller_url=seller_url,
    )


@dataclass(slots=True)
class _Page:
    decoded: Decoded
    found: pages.PageProducts
    links: list[str] = field(default_factory=list)
    on_reactor: bool = False


def _read_page(url: str, body: bytes, content_type: bytes | None, root: str) -> _Page:
    """Decode, parse and extract one page (run in a worker thread)."""
    decoded = decode_html(body, content_type)
    sel = Selector(text=decoded.text)
    found = pages.extract(url, sel)
    links = []
    for href in sel.xpath("//a/@href").getall():
        link = urljoin(url, href.strip()).split("#", 1)[0]
        if (link.startswith(root + "/") or link == root) and not urlsplit(link).path.lower().endswith(NOT_PAGES):
            links.append(link)
    on_reactor = threading.current_thread() is threading.main_thread()
    return _Page(decoded, found, list(dict.fromkeys(links)), on_reactor)


class SchemaorgSpider(MarketplaceSpider):
    name = "schemaorg"
    default_max_pages = 10_000
    page_cap_unit = "pages without a product"
    custom_settings = {"DEPTH_LIMIT": 20}  # noqa: RUF012  (Scrapy reads it as a class attribute)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start_url = self.base_url + ("" if urlsplit(self.base_url).path else "/")
        root = urlsplit(self.start_url)
        self.root = f"{root.scheme}://{root.netloc}"
        self.sitemap_read = False
        self.links_open = False  # links wait until the sitemaps and every page they name are done
        self.product_links: deque[str] = deque()  # the frontier: product URLs the markup names, first
        self.links: deque[str] = deque()  # then other links found on pages
        self.seen_links: set[str] = set()
        self.links_in_flight = 0
        self.plain_link_pages = 0
        self.links_capped = False
        self.stored: dict[str, bool] = {}  # listing id → stored from the product's own page
        self.guard: Any = None

    @property
    def covers_everything(self) -> bool:
        return self.sitemap_read

    @property
    def max_depth(self) -> int:
        depth = self.crawler.settings.getint("DEPTH_LIMIT")
        return depth if depth > 0 else 1_000_000

    async def start(self) -> AsyncIterator[Any]:
        self.crawler.signals.connect(self.on_idle, signal=signals.spider_idle)
        if self.crawler.settings.getbool("BRANDSWEEP_RENDER_JS"):
            from brandsweep.crawler.browser import guard_for

            self.guard = guard_for(self.crawler)
        if urlsplit(self.start_url).path in ("", "/"):
            yield self.sitemap_request(self.root + "/robots.txt", self.parse_robots)
            yield self.sitemap_request(self.root + "/sitemap.xml", self.parse_sitemap)
        for request in self.follow([self.start_url], kind="link"):
            yield request

    def sitemap_request(self, url: str, callback: Any) -> Any:
        return self.request(url, callback, kind="page", priority=PRIORITY["sitemap"], meta={"sitemap": True})

    def page(self, url: str, *, how: str) -> Any:
        meta: dict[str, Any] = {"reached_by": how}
        if self.guard is not None:
            from scrapy_playwright.page import PageMethod

            meta |= {"playwright": True, "playwright_page_init_callback": self.guard.install,
                     "playwright_page_methods": [PageMethod("wait_for_timeout", 300)]}
        # The spider keeps its own seen-set for links (the duplicate filter would drop a request silently,
        # and the frontier counts every request it sends until its callback or errback runs).
        return self.request(url, self.parse_page, kind="page", meta=meta, priority=PRIORITY[how],
                            dont_filter=how != "sitemap_page")

    def follow(self, urls: list[str], *, kind: str) -> Iterator[Any]:
        """Queue links found on pages in the frontier (each URL once), then send what the bounds allow."""
        for url in urls:
            key = canonicalize_url(url)
            if key in self.seen_links:
                continue
            self.seen_links.add(key)
            if self.links_capped:
                self.inc("brandsweep/links/capped")
                continue
            (self.product_links if kind == "product_link" else self.links).append(url)
        yield from self.release()

    def release(self) -> Iterator[Any]:
        """Send frontier links while no sitemap is being read and, counting the link pages still in
        flight as pages without a product, fewer than ``max_pages`` of those have been met."""
        if not self.links_open:
            return
        while (self.product_links or self.links) and self.plain_link_pages + self.links_in_flight < self.max_pages:
            kind = "product_link" if self.product_links else "link"
            url = (self.product_links or self.links).popleft()
            self.links_in_flight += 1
            self.inc("brandsweep/links/followed")
            yield self.page(url, how=kind)
        if self.plain_link_pages >= self.max_pages and not self.links_capped:
            self.links_capped = True
            self.capped()
        if self.links_capped and (self.product_links or self.links):
            self.inc("brandsweep/links/capped", len(self.product_links) + len(self.links))
            self.product_links.clear()
            self.links.clear()

    def link_done(self, request: Any, *, plain: bool) -> Iterator[Any]:
        if request.meta.get("reached_by") in ("link", "product_link"):
            self.links_in_flight -= 1
            if plain:
                self.plain_link_pages += 1
                self.inc("brandsweep/links/plain_pages")
        yield from self.release()

    def on_idle(self) -> None:
        """Nothing left to fetch: the sitemap phase is over (or a link phase ran dry); send the frontier's
        links. The idle signal, not a count of pending requests, ends the phase: a request dropped
        silently (depth, duplicates) cannot hold the links back forever."""
        self.links_open = True
        requests = list(self.release())
        if requests:
            engine = self.crawler.engine
            assert engine is not None
            for request in requests:
                engine.crawl(request)
            raise DontCloseSpider

    def failed(self, failure: Failure) -> Iterator[Any]:
        yield from super().failed(failure)
        request = failure.request  # type: ignore[attr-defined]
        if not request.meta.get("sitemap"):
            yield from self.link_done(request, plain=True)

    def parse_robots(self, response: Response) -> Iterator[Any]:
        for line in response.text.splitlines() if hasattr(response, "text") else []:
            key, _, value = line.partition(":")
            if key.strip().lower() == "sitemap" and value.strip():
                yield self.sitemap_request(urljoin(response.url, value.strip()), self.parse_sitemap)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        yield from self._sitemap_entries(response)

    def _sitemap_entries(self, response: Response) -> Iterator[Any]:
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                with gzip.GzipFile(fileobj=io.BytesIO(body)) as fh:
                    body = fh.read(MAX_SITEMAP_BYTES + 1)
            except OSError:
                self.inc("brandsweep/failures/page/bad_sitemap")
                return
            if len(body) > MAX_SITEMAP_BYTES:
                self.inc("brandsweep/failures/page/sitemap_too_large")
                return
        try:
            sitemap = Sitemap(body)
        except Exception:  # lxml raises several kinds on junk
            self.inc("brandsweep/failures/page/bad_sitemap")
            return
        self.sitemap_read = True
        for entry in sitemap:
            loc = entry.get("loc")
            if not loc:
                continue
            if sitemap.type == "sitemapindex":
                yield self.sitemap_request(urljoin(response.url, loc.strip()), self.parse_sitemap)
            else:
                url = urljoin(response.url, loc.strip())
                key = canonicalize_url(url)
                if key in self.seen_links:
                    continue
                self.seen_links.add(key)  # a link to it later is not fetched again
                self.inc("brandsweep/sitemap/urls")
                yield self.page(url, how="sitemap_page")

    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        if not hasattr(response, "text"):
            return
        if len(response.body) > self.crawler.settings.getint("DOWNLOAD_MAXSIZE"):
            self.inc("brandsweep/failures/page/too_large")
            return
        page = await asyncio.to_thread(_read_page, response.url, response.body,
                                       response.headers.get(b"Content-Type"), self.root)
        self.count_decoding(page.decoded, on_reactor=page.on_reactor)
        found = page.found
        for reason, n in found.misses.items():
            self.inc(f"brandsweep/products/missed/{reason}", n)
        for note, n in found.notes.items():
            self.inc(f"brandsweep/products/{note}", n)
        elsewhere: list[str] = []
        for record in self._records(response.url, found, elsewhere):
            yield record
        if response.meta.get("depth", 0) < self.max_depth:
            for request in self.follow(found.links + elsewhere, kind="product_link"):
                yield request
            for request in self.follow(page.links, kind="link"):
                yield request
        for request in self.link_done(response.request, plain=not found.products):
            yield request

    def _records(self, url: str, found: pages.PageProducts, elsewhere: list[str]) -> Iterator[ListingRecord]:
        """Listings of the page. A product this page only lists (a category entry, "goes well with")
        whose own page is on this site is followed rather than stored from here: stored from both,
        its partial and full versions would alternate in every run."""
        for product in found.products:
            self.inc("brandsweep/products/found")
            own_page = bool(product.get("main"))
            link = product.get("url")
            if not own_page and isinstance(link, str) and link.split("#", 1)[0] != url \
                    and link.startswith(self.root + "/"):
                self.inc("brandsweep/products/listed_elsewhere")
                elsewhere.append(link)
                continue
            record = listing_from_product(url, product, platform=self.platform)
            if record is None:
                self.inc("brandsweep/products/missed/no_title")
                continue
            if record.listing_id in self.stored and (self.stored[record.listing_id] or not own_page):
                self.inc("brandsweep/products/duplicate_in_run")
                continue
            self.stored[record.listing_id] = own_page
            if own_page:
                self.inc("brandsweep/products/main")
            self.inc("brandsweep/products/stored")
            yield record
