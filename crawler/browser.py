"""The browser side of the host policy: every request a page makes is checked, redirects too.

Playwright's ``page.route`` sees only the first request of a redirect chain; the browser follows
the rest on its own, straight past any check. So :class:`BrowserGuard` answers every routed
request itself: it fetches with ``max_redirects=0``, checks each ``Location`` hop against the
:class:`~brandsweep.core.hosts.HostPolicy`, and fulfils the page's request with the final response. A
refused request (a seller's script calling an internal address, an image on another host, a
redirect off the marketplace) is aborted and counted under ``brandsweep/refused/browser/<reason>``;
images, media and fonts are not loaded at all (extraction reads their URLs; the pipeline
fetches images once, through Scrapy); a response larger than the crawl's size limit is aborted
(``DOWNLOAD_MAXSIZE`` does not apply to browser pages). It is installed with ``playwright_page_init_callback``, which
scrapy-playwright calls after its own route, so this one runs first.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urljoin

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Route
from playwright.async_api import Request as PlaywrightRequest

from brandsweep.core.hosts import HostPolicy

MAX_REDIRECTS = 5
SKIPPED_TYPES = frozenset({"image", "media", "font"})


class BrowserGuard:
    def __init__(self, policy: HostPolicy, *, stats: Any, max_bytes: int, timeout_s: float) -> None:
        self.policy = policy
        self.stats = stats
        self.max_bytes = max_bytes
        self.timeout_ms = timeout_s * 1000

    async def install(self, page: Page, request: Any) -> None:
        await page.route("**", self.handle)

    async def _refusal(self, url: str) -> str | None:
        if self.policy.needs_resolution(url):
            return await asyncio.to_thread(self.policy.refusal, url)
        return self.policy.refusal(url)

    def _count(self, key: str) -> None:
        self.stats.inc_value(f"brandsweep/refused/browser/{key}")

    async def handle(self, route: Route, request: PlaywrightRequest) -> None:
        url = request.url
        try:
            for _hop in range(MAX_REDIRECTS + 1):
                reason = await self._refusal(url)
                if reason is not None:
                    self._count(reason)
                    await route.abort("blockedbyclient")
                    return
                if request.resource_type in SKIPPED_TYPES:  # the pipeline fetches images itself, once
                    self.stats.inc_value(f"brandsweep/browser/skipped/{request.resource_type}")
                    await route.abort("blockedbyclient")
                    return
                response = await route.fetch(url=url, max_redirects=0, timeout=self.timeout_ms)
                location = response.headers.get("location")
                if 300 <= response.status < 400 and location:
                    url = urljoin(url, location)
                    continue
                body = await response.body()
                if len(body) > self.max_bytes:
                    self._count("too_large")
                    await route.abort("blockedbyclient")
                    return
                await route.fulfill(response=response, body=body)
                return
            self._count("redirect_limit")
            await route.abort("blockedbyclient")
        except PlaywrightError as exc:
            self.stats.inc_value("brandsweep/failures/browser/fetch_error")
            if "closed" in str(exc).lower():
                return
            try:
                await route.abort("failed")
            except PlaywrightError:
                return
