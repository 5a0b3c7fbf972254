"""Spider for ``shopfront``-style marketplaces: categories and searches → listings → sellers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Response

from brandsweep.crawler.pages import shopfront as pages
from brandsweep.crawler.spiders.base import BrowseAndSearchSpider


class ShopfrontSpider(BrowseAndSearchSpider):
    name = "shopfront"

    def listing_id_of(self, url: str) -> str | None:
        path = urlsplit(url).path
        return path.rsplit("/", 1)[-1] if path.startswith("/item/") else None

    def parse_home(self, response: Response) -> Iterator[Any]:
        for url in pages.home_page(response.url, response.text):
            yield self.request(url, self.parse_results, kind="list", cb_kwargs={"page": 1, "prev": frozenset()})
        for url in pages.deal_links(response.url, response.text):
            yield self.request(url, self.parse_results, kind="page", cb_kwargs={"page": 1, "prev": frozenset()})

    def parse_results(self, response: Response, page: int, prev: frozenset[str]) -> Iterator[Any]:
        if not hasattr(response, "text"):
            self.inc("brandsweep/failures/page/not_html")
            return
        if response.meta.get("kind") == "page" and response.css("article.listing"):
            yield from self.parse_listing(response)  # a promotion that links straight to a listing
            return
        found = pages.results_page(response.url, response.text)
        for url in found.listing_urls:
            yield self.request(url, self.parse_listing, kind="listing")
        for url in found.seller_urls:
            yield self.request(url, self.parse_seller, kind="seller", cb_kwargs={"page": 1, "prev": frozenset()})
        if found.next_url and self.follow_next(page, found.listing_urls, prev):
            yield self.request(found.next_url, self.parse_results, kind=response.meta.get("kind", "list"),
                               cb_kwargs={"page": page + 1, "prev": frozenset(found.listing_urls)})

    def parse_listing(self, response: Response) -> Iterator[Any]:
        record = pages.listing_page(response.url, response.text, platform=self.platform)
        if record is None:
            self.inc("brandsweep/extract_failed/listing")
            return
        yield record

    def parse_seller(self, response: Response, page: int, prev: frozenset[str]) -> Iterator[Any]:
        if page == 1:
            seller = pages.seller_page(response.url, response.text, platform=self.platform)
            if seller is not None:
                yield seller
        # A seller's other listings are part of tracing its network (they may sell under other names).
        found = pages.results_page(response.url, response.text)
        for url in found.listing_urls:
            yield self.request(url, self.parse_listing, kind="listing")
        if found.next_url and self.follow_next(page, found.listing_urls, prev):
            yield self.request(found.next_url, self.parse_seller, kind="seller",
                               cb_kwargs={"page": page + 1, "prev": frozenset(found.listing_urls)})
