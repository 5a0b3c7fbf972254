"""Spider for ``jsmall``-style marketplaces, whose pages are filled by script: rendered in Chromium.

Every request goes through scrapy-playwright (switched on for this crawl only, see
:func:`brandsweep.crawl.crawl_settings`) with :class:`~brandsweep.core.browser.BrowserGuard` installed on
the page, so requests the page's script makes obey the same host policy as Scrapy's. Grids are
loaded fully by pressing "Load more" until it disappears (at most ``max_pages`` presses);
listing and store pages are read once the site's API call has answered. Pages are closed by
scrapy-playwright after each response (no page is kept).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

from scrapy.http import Response
from scrapy_playwright.page import PageMethod

from brandsweep.core.browser import BrowserGuard
from brandsweep.crawler.browser import guard_for
from brandsweep.crawler.items import ListingGone
from brandsweep.crawler.pages import jsmall as pages
from brandsweep.crawler.spiders.base import MarketplaceSpider

LOAD_ALL_JS = """async (maxClicks) => {
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const api = () => performance.getEntriesByType('resource').filter(e => e.name.includes('/api/'));
  const grid = document.getElementById('grid'), more = document.getElementById('load-more');
  for (let t = 0; t < 400 && !api().some(e => e.responseEnd > 0); t++) await sleep(25);
  await sleep(30);
  let clicks = 0;
  while (more && !more.hidden && clicks < maxClicks) {
    const n = grid.children.length;
    more.click(); clicks++;
    for (let t = 0; t < 400 && grid.children.length === n; t++) await sleep(25);
    if (grid.children.length === n) break;
    await sleep(10);
  }
  return {clicks: clicks, cards: grid.children.length, more: !!(more && !more.hidden)};
}"""

API_DONE_JS = """async () => {
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  for (let t = 0; t < 400; t++) {
    const e = performance.getEntriesByType('resource').find(x => x.name.includes('/api/'));
    if (e && e.responseEnd > 0) { await sleep(30); return {status: e.responseStatus || 0}; }
    await sleep(25);
  }
  return {status: -1};
}"""


class JsmallSpider(MarketplaceSpider):
    name = "jsmall"
    page_cap_unit = '"Load more" presses per grid'
    guard: BrowserGuard

    async def start(self) -> AsyncIterator[Any]:
        self.guard = guard_for(self.crawler)
        if self.browse:
            yield self.render(self.url("/"), self.parse_grid, kind="list", grid=True)
        for term in self.queries:
            yield self.render(self.url("/?" + urlencode({"q": term})), self.parse_grid, kind="list", grid=True)

    def render(self, url: str, callback: Any, *, kind: str, grid: bool = False, **kwargs: Any) -> Any:
        method = PageMethod("evaluate", LOAD_ALL_JS, self.max_pages) if grid else PageMethod("evaluate", API_DONE_JS)
        meta = {"playwright": True, "playwright_page_methods": [method],
                "playwright_page_init_callback": self.guard.install}
        return self.request(url, callback, kind=kind, meta=meta, **kwargs)

    def listing_id_of(self, url: str) -> str | None:
        path = urlsplit(url).path
        return path[3:] if path.startswith("/p/") else None

    def _result(self, response: Response) -> dict[str, Any]:
        methods = response.meta.get("playwright_page_methods") or []
        result = getattr(methods[0], "result", None) if methods else None
        return result if isinstance(result, dict) else {}

    def _too_large(self, response: Response) -> bool:
        if len(response.body) > self.crawler.settings.getint("DOWNLOAD_MAXSIZE"):
            self.inc(f"brandsweep/failures/{response.meta.get('kind', 'page')}/too_large")
            return True
        return False

    def parse_grid(self, response: Response) -> Iterator[Any]:
        if self._too_large(response):
            self.inc("brandsweep/listing_failures")
            return
        result = self._result(response)
        if result.get("more"):
            self.capped()
        found = pages.grid_page(response.url, response.text)
        for url in found.listing_urls:
            yield self.render(url, self.parse_listing, kind="listing")

    def parse_listing(self, response: Response) -> Iterator[Any]:
        if self._too_large(response):
            self.inc("brandsweep/listing_failures")
            return
        status = self._result(response).get("status")
        listing_id = self.listing_id_of(response.url)
        if status in (404, 410) and listing_id:
            yield ListingGone(platform=self.platform, listing_id=listing_id, url=response.url, status=int(status))
            return
        if status == -1:
            self.inc("brandsweep/failures/listing/browser_timeout")
            self.inc("brandsweep/listing_failures")
            return
        record = pages.listing_page(response.url, response.text, platform=self.platform)
        if record is None:
            self.inc("brandsweep/extract_failed/listing")
            return
        yield record
        if record.seller_url:
            yield self.render(record.seller_url, self.parse_store, kind="seller")

    def parse_store(self, response: Response) -> Iterator[Any]:
        if self._too_large(response):
            return
        seller = pages.store_page(response.url, response.text, platform=self.platform)
        if seller is not None:
            yield seller
