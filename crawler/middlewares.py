"""Downloader middlewares: where requests may go, and how politely failures are retried.

- :class:`HostGuardMiddleware` (first in the chain): every request, including each redirect hop
  (Scrapy sends a redirected request through the whole chain again) and every image the pipeline
  fetches, is checked against the marketplace's :class:`~brandsweep.core.hosts.HostPolicy`; a refused
  request raises ``IgnoreRequest`` and is counted under ``brandsweep/refused/<reason>``.
- :class:`PoliteRetryMiddleware` (in place of Scrapy's ``RetryMiddleware``): retries with
  exponential backoff, through Scrapy's public ``get_retry_request``. A 429 or 503 pauses the whole
  host (its downloader slot) for what ``Retry-After`` asks (Scrapy ignores it, scrapy#3849), or the
  backoff without one: no request goes to that host until the pause is over, the retry included
  (``brandsweep/retry_after/host_paused``). A ``Retry-After`` longer than the marketplace's
  ``retry_after_max_s`` gives the request up at once (counted
  ``brandsweep/failures/retry_after_too_long``) rather than retrying sooner than the site asked.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from typing import Any, Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from brandsweep.core.hosts import HostPolicy, ImageHostPolicy


class RefusedRequest(IgnoreRequest):
    """A request the host policy refused; ``reason`` is the stats code."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"refused ({reason}): {url}")
        self.url = url
        self.reason = reason


def policy_for(crawler: Crawler) -> HostPolicy:
    """The crawl's host policy: from the settings the marketplace configuration wrote, or, under
    plain ``scrapy crawl`` where none are set, from the spider's built-in marketplace entry at its
    ``base_url``."""
    from brandsweep.core.marketplaces import marketplace_config

    settings = crawler.settings
    hosts = settings.getlist("BRANDSWEEP_ALLOWED_HOSTS")
    if hosts:
        return HostPolicy(hosts, allow_private=settings.getbool("BRANDSWEEP_ALLOW_PRIVATE"))
    spider = crawler.spider
    return marketplace_config(getattr(spider, "name", ""), base_url=getattr(spider, "base_url", None)).host_policy()


def image_policy_for(crawler: Crawler, pages: HostPolicy) -> ImageHostPolicy:
    """Where the pipeline's image requests may go: the page policy plus the marketplace's image hosts
    (``BRANDSWEEP_IMAGE_HOSTS``) and, unless switched off, the public hosts the markup names."""
    settings = crawler.settings
    return ImageHostPolicy(pages, settings.getlist("BRANDSWEEP_IMAGE_HOSTS"),
                           from_markup=settings.getbool("BRANDSWEEP_IMAGE_HOSTS_FROM_MARKUP", True))


class HostGuardMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.policy: HostPolicy | None = None
        self.images: ImageHostPolicy | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        if self.policy is None:
            self.policy = policy_for(self.crawler)
            self.images = image_policy_for(self.crawler, self.policy)
        url = request.url
        if request.meta.get("brandsweep_image") and self.images is not None:  # named: a redirect's first URL
            named = (request.meta.get("redirect_urls") or [url])[0]
            if self.images.needs_resolution(url):
                reason = await asyncio.to_thread(self.images.refusal, url, named)
            else:
                reason = self.images.refusal(url, named)
        elif self.policy.needs_resolution(url):
            reason = await asyncio.to_thread(self.policy.refusal, url)
        else:
            reason = self.policy.refusal(url)
        if reason is not None:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value(f"brandsweep/refused/{reason}")
            if request.meta.get("redirect_times"):
                self.crawler.stats.inc_value("brandsweep/refused/redirect_hop")
            raise RefusedRequest(url, reason)


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds: delta-seconds or an HTTP date; ``None`` when absent or unreadable."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class PoliteRetryMiddleware(RetryMiddleware):
    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.retry_after_max = settings.getfloat("BRANDSWEEP_RETRY_AFTER_MAX", 120.0)
        self.backoff_base = settings.getfloat("BRANDSWEEP_BACKOFF_BASE", 0.5)
        self.backoff_max = settings.getfloat("BRANDSWEEP_BACKOFF_MAX", 30.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        o = cls(crawler.settings)
        o.crawler = crawler
        return o

    def _backoff(self, request: Request) -> float:
        n = int(request.meta.get("retry_times", 0))
        return min(self.backoff_max, self.backoff_base * (2 ** n))

    def _inc(self, key: str, by: float = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(key, by)

    def _retry_request(self, request: Request, reason: str | Exception) -> Request | None:
        """Scrapy's public retry helper, with the per-request overrides ``RetryMiddleware`` honours."""
        assert self.crawler.spider is not None
        return get_retry_request(
            request, spider=self.crawler.spider, reason=reason,
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
            give_up_log_level=request.meta.get("give_up_log_level", self.give_up_log_level))

    def pause_host(self, request: Request, seconds: float) -> None:
        """Send nothing more to ``request``'s downloader slot (its host) for ``seconds``.

        The slot's queue is held the way Scrapy holds it for ``DOWNLOAD_DELAY``: the downloader sends
        a slot's next request no sooner than ``delay`` after ``lastseen``, so ``lastseen`` is moved
        to the end of the pause (AutoThrottle adjusts the same public slot fields). Requests already
        on the wire finish; every other request for the host, the retry included, waits.
        """
        engine = self.crawler.engine
        if engine is None:
            return
        downloader = engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is None:
            return
        slot.lastseen = max(slot.lastseen, time.monotonic() + seconds)
        if slot.delay <= 0:  # the delay check (and so the pause) applies only to a slot with a delay
            slot.delay = 0.001
        self._inc("brandsweep/retry_after/host_paused")
        self._inc("brandsweep/retry_after/paused_s", round(seconds, 3))

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        delay = self._backoff(request)
        if response.status in (429, 503):
            # The host asked everyone to wait (Retry-After, or plain 429/503): pause the whole host.
            asked = retry_after_seconds(response.headers.get(b"Retry-After"))
            if asked is not None:
                if asked > self.retry_after_max:
                    self._inc("brandsweep/failures/retry_after_too_long")
                    return response
                delay = max(delay, asked)
                self._inc("brandsweep/retry_after/honoured")
            retry = self._retry_request(request, f"http_{response.status}")
            if retry is None:
                return response
            self.pause_host(request, delay)
            return retry
        retry = self._retry_request(request, f"http_{response.status}")
        if retry is None:
            return response
        self._inc("brandsweep/retry/waited_s", round(delay, 3))
        await asyncio.sleep(delay)  # one failing URL backs off on its own; the host is not paused
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:  # type: ignore[override]
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            return None
        retry = self._retry_request(request, exception)
        if retry is None:
            return None
        delay = self._backoff(request)
        self._inc("brandsweep/retry/waited_s", round(delay, 3))
        await asyncio.sleep(delay)
        return retry


class ResumeFilterMiddleware:
    """Spider middleware: when a crawl resumes a killed one, requests for listing pages the killed run
    already stored (``spider.skip_listing_ids``) are not sent (``brandsweep/resume/skipped``)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def _keep(self, item: Any) -> bool:
        spider = self.crawler.spider
        skip = getattr(spider, "skip_listing_ids", None)
        if not skip or not isinstance(item, Request) or item.meta.get("kind") != "listing":
            return True
        listing_id = item.meta.get("listing_id") or spider.listing_id_of(item.url)  # type: ignore[union-attr]
        if listing_id in skip:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("brandsweep/resume/skipped")
            return False
        return True

    async def process_spider_output_async(self, response: Response, result: Any) -> Any:
        async for item in result:
            if self._keep(item):
                yield item

    def process_spider_output(self, response: Response, result: Any) -> Any:
        for item in result:
            if self._keep(item):
                yield item

    async def process_start(self, start: Any) -> Any:
        async for item in start:
            if self._keep(item):
                yield item
