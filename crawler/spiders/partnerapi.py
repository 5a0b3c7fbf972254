"""Spider for the partner cooperation API: every listing by cursor paging, then each seller once.

The API key comes from the environment variable named by the spider argument ``api_key_env``
(the marketplace's ``api_key_env``), never from a file or the command line. 429 answers carry
``Retry-After``, which :class:`brandsweep.crawler.middlewares.PoliteRetryMiddleware` honours.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

from scrapy.http import Response

from brandsweep.crawler.pages import partnerapi as pages
from brandsweep.crawler.spiders.base import MarketplaceSpider

PAGE_SIZE = 100


class PartnerapiSpider(MarketplaceSpider):
    name = "partnerapi"
    default_max_pages = 100_000  # API pages of PAGE_SIZE: 10 million listings
    page_cap_unit = f"API pages of {PAGE_SIZE} listings"

    def __init__(self, *args: Any, api_key_env: str = "BRANDSWEEP_PARTNERAPI_KEY", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_key_env = api_key_env
        self.seen_cursors: set[str] = set()

    @property
    def covers_everything(self) -> bool:
        return True  # the API lists every listing whatever the queries

    def headers(self) -> dict[str, str]:
        key = os.environ.get(self.api_key_env)
        if not key:
            raise ValueError(f"partnerapi: the API key is missing: set the environment variable {self.api_key_env}")
        return {"X-Api-Key": key, "Accept": "application/json"}

    def page_url(self, cursor: str | None) -> str:
        params: dict[str, Any] = {"limit": PAGE_SIZE}
        if cursor:
            params["cursor"] = cursor
        return self.url("/v1/listings?" + urlencode(params))

    async def start(self) -> AsyncIterator[Any]:
        yield self.request(self.page_url(None), self.parse_listings, kind="list", headers=self.headers(),
                           cb_kwargs={"page": 1})

    def parse_listings(self, response: Response, page: int) -> Iterator[Any]:
        try:
            found = pages.listings_page(response.url, response.body, platform=self.platform)
        except pages.BadDocument as exc:
            self.inc("brandsweep/failures/list/bad_document")
            self.inc("brandsweep/listing_failures")
            self.logger.warning("%s", exc)
            return
        yield from found.listings
        for seller_id in found.seller_ids:
            yield self.request(self.url(f"/v1/sellers/{seller_id}"), self.parse_seller, kind="seller",
                               headers=self.headers())
        cursor = found.next_cursor
        if cursor is None:
            return
        if cursor in self.seen_cursors:
            self.inc("brandsweep/trap/repeated_cursor")
            self.inc("brandsweep/listing_failures")
            return
        if page >= self.max_pages:
            self.capped()
            return
        self.seen_cursors.add(cursor)
        yield self.request(self.page_url(cursor), self.parse_listings, kind="list", headers=self.headers(),
                           cb_kwargs={"page": page + 1})

    def parse_seller(self, response: Response) -> Iterator[Any]:
        try:
            seller = pages.seller(response.url, response.body, platform=self.platform)
        except pages.BadDocument:
            self.inc("brandsweep/failures/seller/bad_document")
            return
        if seller is not None:
            yield seller
