"""Generic spider for any site publishing schema.org ``Product`` (JSON-LD or microdata).

Starts from the site's sitemaps (``/sitemap.xml``, sitemap indexes, and ``Sitemap:`` lines of
``robots.txt``) when the start URL is the site's root, and from the start URL itself; follows
links on the same host (depth bounded by ``DEPTH_LIMIT``, at most ``max_pages`` pages without a
product). Each Product becomes a listing: id from ``sku``/``productID``, else the page path.
With ``BRANDSWEEP_RENDER_JS`` the pages are rendered in Chromium behind the browser guard.
A run that read a sitemap and failed on no page covers the whole site. Link following is bounded
by ``DEPTH_LIMIT`` 20 and by ``max_pages`` pages without a product.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from parsel import Selector
from scrapy.http import Response
from scrapy.utils.sitemap import Sitemap

from brandsweep.core.records import ListingRecord
from brandsweep.crawler.pages import schemaorg as pages
from brandsweep.crawler.spiders.base import MarketplaceSpider

MAX_SITEMAP_BYTES = 50 * 1024 * 1024


def listing_from_product(url: str, product: dict[str, Any], *, platform: str) -> ListingRecord | None:
    title = product.get("title")
    if not title:
        return None
    page_url = product.get("url") or url
    listing_id = product.get("sku") or urlsplit(page_url).path.strip("/") or page_url
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
        self.plain_pages = 0
        self.guard: Any = None

    @property
    def covers_everything(self) -> bool:
        return self.sitemap_read

    async def start(self) -> AsyncIterator[Any]:
        if self.crawler.settings.getbool("BRANDSWEEP_RENDER_JS"):
            from brandsweep.crawler.browser import guard_for

            self.guard = guard_for(self.crawler)
        if urlsplit(self.start_url).path in ("", "/"):
            yield self.request(self.root + "/robots.txt", self.parse_robots, kind="page")
            yield self.request(self.root + "/sitemap.xml", self.parse_sitemap, kind="page")
        yield self.page(self.start_url)

    def page(self, url: str) -> Any:
        meta: dict[str, Any] = {}
        if self.guard is not None:
            from scrapy_playwright.page import PageMethod

            meta = {"playwright": True, "playwright_page_init_callback": self.guard.install,
                    "playwright_page_methods": [PageMethod("wait_for_timeout", 300)]}
        return self.request(url, self.parse_page, kind="page", meta=meta)

    def parse_robots(self, response: Response) -> Iterator[Any]:
        for line in response.text.splitlines():
            key, _, value = line.partition(":")
            if key.strip().lower() == "sitemap" and value.strip():
                yield self.request(urljoin(response.url, value.strip()), self.parse_sitemap, kind="page")

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
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
                yield self.request(urljoin(response.url, loc), self.parse_sitemap, kind="page")
            else:
                yield self.page(urljoin(response.url, loc))

    def parse_page(self, response: Response) -> Iterator[Any]:
        if not hasattr(response, "text"):
            return
        if len(response.body) > self.crawler.settings.getint("DOWNLOAD_MAXSIZE"):
            self.inc("brandsweep/failures/page/too_large")
            return
        sel = Selector(text=response.text)
        found = pages.products(response.url, sel)
        for product in found:
            record = listing_from_product(response.url, product, platform=self.platform)
            if record is None:
                self.inc("brandsweep/extract_failed/listing")
            else:
                yield record
        if not found:
            self.plain_pages += 1
            if self.plain_pages > self.max_pages:
                self.capped()
                return
        for href in sel.css("a::attr(href)").getall():
            url = urljoin(response.url, href.strip()).split("#", 1)[0]
            if url.startswith(self.root + "/") or url == self.root:
                yield self.page(url)
