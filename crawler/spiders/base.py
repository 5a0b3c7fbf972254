"""What every marketplace spider shares: arguments, list-page bounds, failure accounting.

Failures: every request a spider makes carries ``errback=self.failed`` and a ``kind`` in its
meta (``list``, ``listing``, ``seller``, ``page``). A failure is counted under
``brandsweep/failures/<kind>/<reason>`` (``http_404``, ``timeout``, ``data_loss``,
``connection_lost``, ``refused_<why>``, ``robots``, ...). A 404/410 on a listing's own page
yields :class:`~brandsweep.crawler.items.ListingGone`; any other listing failure makes the run unable to
tell what is gone (``brandsweep/listing_failures``; so does a failed ``list`` page), so no
gone-sweep is done after it.

Spider traps: result pages are followed at most ``max_pages`` per list, and a page whose
listings all appeared on the page before it ends the list (``brandsweep/trap/repeated_page``).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from brandsweep.crawler.items import ListingGone
from brandsweep.crawler.pages.encoding import Decoded, decode_html


def _as_list(value: Any) -> list[str]:
    """Spider arguments arrive as lists from code and as comma-separated text from ``scrapy crawl -a``."""
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off", "")
    return bool(value)


def failure_reason(failure: Failure) -> str:
    """A short, stats-key-safe code for why a request failed."""
    exc = failure.value
    if isinstance(exc, HttpError):
        return f"http_{exc.response.status}"
    reason = getattr(exc, "reason", None)
    if isinstance(exc, IgnoreRequest) and isinstance(reason, str):
        return f"refused_{reason}"
    name = type(exc).__name__
    if "ERR_BLOCKED_BY_CLIENT" in str(exc):
        return "refused_browser"
    if "Timeout" in name or "TimedOut" in name:
        return "timeout"
    if "DataLoss" in name or "PotentialDataLoss" in name:
        return "data_loss"
    if name == "DownloadConnectionRefusedError" or name == "ConnectionRefusedError":
        return "connection_refused"
    if name in ("ResponseFailed", "ConnectionLost", "ConnectionDone", "ResponseNeverReceived", "DownloadFailedError"):
        text = repr(exc)
        return "data_loss" if "DataLoss" in text or "_DataLoss" in text else "connection_lost"
    if name == "IgnoreRequest" and "robots" in str(exc).lower():
        return "robots"
    if name == "IgnoreRequest" and "max" in str(exc).lower():
        return "too_large"
    return name


def decode_where(body: bytes, content_type: bytes | None) -> tuple[Decoded, bool]:
    """The decoded page, and whether it was decoded on the reactor (main) thread."""
    return decode_html(body, content_type), threading.current_thread() is threading.main_thread()


class MarketplaceSpider(scrapy.Spider):
    """Arguments: ``base_url`` (required), ``queries`` (search terms), ``platform`` (name stored
    with each listing; defaults to the spider's name), ``max_pages`` (result pages followed per
    list, a bound against pagination traps), ``browse`` (also walk the category pages; a run that
    browses everything covers the whole marketplace, so what it does not see is gone)."""

    default_max_pages = 500  # result pages per search or category: 500 pages of a typical 20-60 listings
    page_cap_unit = "result pages per list"  # what max_pages counts, for the run summary

    def __init__(
        self,
        base_url: str | None = None,
        queries: Iterable[str] | str | None = None,
        platform: str | None = None,
        max_pages: int | str | None = None,
        browse: bool | str = True,
        skip_listing_ids: Iterable[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.skip_listing_ids = frozenset(skip_listing_ids or ())
        if not base_url:
            raise ValueError(f"spider {self.name} needs base_url (scrapy crawl {self.name} -a base_url=URL)")
        self.base_url = base_url.rstrip("/")
        self.queries = _as_list(queries)
        self.platform = platform or self.name
        self._max_pages_arg = int(max_pages) if max_pages else None
        self.browse = _as_bool(browse)

    @property
    def max_pages(self) -> int:
        if self._max_pages_arg is not None:
            return self._max_pages_arg
        crawler = getattr(self, "crawler", None)
        if crawler is not None and crawler.settings.get("BRANDSWEEP_MAX_PAGES"):
            return crawler.settings.getint("BRANDSWEEP_MAX_PAGES")
        return self.default_max_pages

    @property
    def covers_everything(self) -> bool:
        """Whether this run, if it finishes cleanly, has seen every live listing."""
        return self.browse

    def url(self, path: str) -> str:
        return self.base_url + path

    def inc(self, key: str, by: int = 1) -> None:
        self.crawler.stats.inc_value(key, by)

    def request(self, url: str, callback: Any, *, kind: str, **kwargs: Any) -> scrapy.Request:
        meta = {"kind": kind, **kwargs.pop("meta", {})}
        return scrapy.Request(url, callback=callback, errback=self.failed, meta=meta, **kwargs)

    def count_decoding(self, decoded: Decoded, *, on_reactor: bool) -> None:
        self.inc("brandsweep/encoding/decoded_on_reactor_thread" if on_reactor
                 else "brandsweep/encoding/decoded_in_worker_thread")
        self.inc(f"brandsweep/encoding/{decoded.encoding}")
        if not decoded.declared:
            self.inc("brandsweep/encoding/sniffed")
        if decoded.undecodable:
            self.inc("brandsweep/encoding/undecodable_bytes", decoded.undecodable)
            self.inc("brandsweep/encoding/pages_with_undecodable_bytes")

    async def text(self, response: Response) -> str:
        """The page's text by :func:`~brandsweep.crawler.pages.encoding.decode_html`, decoded in a worker
        thread: a 20 MB body must not hold up the reactor (and every other download) while it decodes."""
        decoded, on_reactor = await asyncio.to_thread(decode_where, response.body,
                                                      response.headers.get(b"Content-Type"))
        self.count_decoding(decoded, on_reactor=on_reactor)
        return decoded.text

    def listing_id_of(self, url: str) -> str | None:
        """The listing id a listing page URL names (for gone listings); spiders override."""
        return None

    def failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        kind = request.meta.get("kind", "page")
        reason = failure_reason(failure)
        self.inc(f"brandsweep/failures/{kind}/{reason}")
        self.logger.info("failed (%s) %s: %s", reason, request.url, failure.getErrorMessage())
        if kind not in ("list", "listing"):
            return
        status = failure.value.response.status if isinstance(failure.value, HttpError) else None
        listing_id = request.meta.get("listing_id") or self.listing_id_of(request.url)
        if kind == "listing" and status in (404, 410) and listing_id:
            yield ListingGone(platform=self.platform, listing_id=str(listing_id), url=request.url, status=status)
        elif not reason.startswith("refused_"):
            self.inc("brandsweep/listing_failures")

    def capped(self) -> None:
        """A list stopped at the page cap: the run cannot tell what is gone (it stays partial)."""
        self.inc("brandsweep/pagination_capped")
        self.crawler.stats.set_value("brandsweep/page_cap", self.max_pages)
        self.crawler.stats.set_value("brandsweep/page_cap_unit", self.page_cap_unit)

    def follow_next(self, page: int, listing_urls: list[str], prev_urls: frozenset[str]) -> bool:
        """Whether to follow the next result page: within the page cap, and this page not a repeat."""
        if listing_urls and set(listing_urls) <= prev_urls:
            self.inc("brandsweep/trap/repeated_page")
            return False
        if page >= self.max_pages:
            self.capped()
            return False
        return True


class BrowseAndSearchSpider(MarketplaceSpider):
    """A server-rendered marketplace: category pages from the home page (when browsing) and
    ``/search?q=TERM`` result lists, both handled by the subclass's ``parse_home`` and
    ``parse_results(response, page, prev)``."""

    async def start(self) -> AsyncIterator[Any]:
        if self.browse:
            yield self.request(self.url("/"), self.parse_home, kind="page")
        for term in self.queries:
            yield self.request(self.url("/search?" + urlencode({"q": term})), self.parse_results, kind="list",
                               cb_kwargs={"page": 1, "prev": frozenset()})

    def parse_home(self, response: Response) -> Iterator[Any]:
        raise NotImplementedError

    def parse_results(self, response: Response, page: int, prev: frozenset[str]) -> Iterator[Any]:
        raise NotImplementedError
