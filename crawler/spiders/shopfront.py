"""Spider for ``shopfront``-style marketplaces: categories and searches → listings → sellers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from crawler.pages import shopfront as pages
from crawler.spiders.base import MarketplaceSpider


class ShopfrontSpider(MarketplaceSpider):
    name = "shopfront"

    async def start(self) -> AsyncIterator[Any]:
        if self.browse:
            yield scrapy.Request(self.url("/"), callback=self.parse_home)
        for term in self.queries:
            yield scrapy.Request(self.url("/search?" + urlencode({"q": term})), callback=self.parse_results,
                                 cb_kwargs={"page": 1})

    def parse_home(self, response: Response) -> Iterator[Any]:
        for url in pages.home_page(response.url, response.text):
            yield response.follow(url, callback=self.parse_results, cb_kwargs={"page": 1})

    def parse_results(self, response: Response, page: int) -> Iterator[Any]:
        found = pages.results_page(response.url, response.text)
        for url in found.listing_urls:
            yield response.follow(url, callback=self.parse_listing)
        for url in found.seller_urls:
            yield response.follow(url, callback=self.parse_seller, cb_kwargs={"page": 1})
        if found.next_url and page < self.max_pages:
            yield response.follow(found.next_url, callback=self.parse_results, cb_kwargs={"page": page + 1})
        elif found.next_url:
            self.crawler.stats.inc_value("brandsweep/pagination_capped")

    def parse_listing(self, response: Response) -> Iterator[Any]:
        record = pages.listing_page(response.url, response.text, platform=self.platform)
        if record is None:
            self.crawler.stats.inc_value("brandsweep/extract_failed/listing")
            return
        yield record

    def parse_seller(self, response: Response, page: int) -> Iterator[Any]:
        if page == 1:
            seller = pages.seller_page(response.url, response.text, platform=self.platform)
            if seller is not None:
                yield seller
        # A seller's other listings are part of tracing its network (they may sell under other names).
        yield from self.parse_results(response, page)
