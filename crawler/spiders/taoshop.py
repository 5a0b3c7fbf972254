"""Spider for ``taoshop``-style marketplaces (Chinese, GBK): categories and searches → listings → shops.

Pages are decoded by :func:`brandsweep.crawler.pages.encoding.decode_html` (in a worker thread, see
:meth:`MarketplaceSpider.text`), not Scrapy's guess: shop pages declare no charset, and Scrapy's
fallback would read their GBK as Windows-1252.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from scrapy.http import Response

from brandsweep.crawler.pages import taoshop as pages
from brandsweep.crawler.spiders.base import BrowseAndSearchSpider


class TaoshopSpider(BrowseAndSearchSpider):
    name = "taoshop"

    def listing_id_of(self, url: str) -> str | None:
        return pages.listing_id_of(url)

    async def parse_home(self, response: Response) -> AsyncIterator[Any]:
        for url in pages.home_page(response.url, await self.text(response)):
            yield self.request(url, self.parse_results, kind="list", cb_kwargs={"page": 1, "prev": frozenset()})

    async def parse_results(self, response: Response, page: int, prev: frozenset[str],  # type: ignore[override]
                            shop: bool = False) -> AsyncIterator[Any]:
        html = await self.text(response)
        if shop and page == 1:
            seller = pages.shop_page(response.url, html, platform=self.platform)
            if seller is not None:
                yield seller
        found = pages.results_page(response.url, html)
        for url in found.listing_urls:
            yield self.request(url, self.parse_listing, kind="listing")
        if not shop:
            for url in found.seller_urls:
                yield self.request(url, self.parse_results, kind="seller",
                                   cb_kwargs={"page": 1, "prev": frozenset(), "shop": True})
        if found.next_url and self.follow_next(page, found.listing_urls, prev):
            yield self.request(found.next_url, self.parse_results, kind="seller" if shop else "list",
                               cb_kwargs={"page": page + 1, "prev": frozenset(found.listing_urls), "shop": shop})

    async def parse_listing(self, response: Response) -> AsyncIterator[Any]:
        record = pages.listing_page(response.url, await self.text(response), platform=self.platform)
        if record is None:
            self.inc("brandsweep/extract_failed/listing")
            return
        yield record
