"""The browser side of the host policy: every request a page makes is checked, redirects too.

Playwright's ``page.route`` sees only the first request of a redirect chain; the browser follows
the rest on its own, straight past any check. So :class:`BrowserGuard` answers every routed
request itself: it fetches with ``max_redirects=0``, checks each ``Location`` hop against the
:class:`~brandsweep.core.hosts.HostPolicy`, and fulfils the page's request with the final
response. A refused request (a seller's script calling an internal address, an image on another
host, a redirect off the marketplace) is aborted; so is a response larger than ``max_bytes``.
WebSockets are checked the same way (``page.route_web_socket``), and a page cannot install a
service worker to get round the route (the caller's context sets ``service_workers="block"``).

The crawler (``crawler/spiders``) and evidence capture (``reports/evidence.py``) both use it: the
crawler counts what happened in its stats and skips images, media and fonts (the pipeline fetches
images itself, once); evidence capture loads everything the policy allows, lists what it refused
in the bundle's manifest, and keeps the raw response of the page itself for the WARC record.

Events passed to ``note(event, url)``: ``refused/<reason>`` (a policy reason code, ``too_large``
or ``redirect_limit``), ``skipped/<resource type>`` and ``fetch_error``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Route, WebSocketRoute
from playwright.async_api import Request as PlaywrightRequest

from brandsweep.core.hosts import HostPolicy

MAX_REDIRECTS = 5
# Chromium flags that keep a page from reaching the network outside the routed requests: no
# WebRTC UDP (STUN to arbitrary addresses), no background services.
ISOLATION_ARGS = ("--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
                  "--webrtc-ip-handling-policy=disable_non_proxied_udp")


@dataclass(slots=True)
class Fetched:
    """The page's own document as the guard fetched it: every hop's URL and status, the last
    response's status line, headers and (decoded) body."""

    hops: list[tuple[str, int]] = field(default_factory=list)
    status: int = 0
    status_text: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    method: str = "GET"

    @property
    def url(self) -> str:
        return self.hops[-1][0] if self.hops else ""


class BrowserGuard:
    def __init__(self, policy: HostPolicy, *, note: Callable[[str, str], None], max_bytes: int, timeout_s: float,
                 skip_types: Collection[str] = (), keep_document: bool = False) -> None:
        self.policy = policy
        self.note = note
        self.max_bytes = max_bytes
        self.timeout_ms = timeout_s * 1000
        self.skip_types = frozenset(skip_types)
        self.keep_document = keep_document  # keep the main frame's document as fetched (evidence does)
        self.document: Fetched | None = None  # the main frame's last navigation, as fetched
        self.document_refusal: tuple[str, str] | None = None  # (url, reason) when that navigation was refused

    async def install(self, page: Page, request: Any = None) -> None:
        """Route every request and WebSocket of ``page`` through the guard (scrapy-playwright calls
        this as ``playwright_page_init_callback``, after its own route, so this one runs first)."""
        await page.route("**", self.handle)
        await page.route_web_socket("**", self.handle_web_socket)

    async def refusal(self, url: str) -> str | None:
        if self.policy.needs_resolution(url):
            return await asyncio.to_thread(self.policy.refusal, url)
        return self.policy.refusal(url)

    def _refused(self, request: PlaywrightRequest | None, url: str, reason: str) -> None:
        self.note(f"refused/{reason}", url)
        if request is not None and self.keep_document and _is_main_document(request):
            self.document_refusal = (url, reason)

    async def handle_web_socket(self, ws: WebSocketRoute) -> None:
        reason = await self.refusal(ws.url.replace("ws://", "http://", 1).replace("wss://", "https://", 1))
        if reason is not None:
            self.note(f"refused/{reason}", ws.url)
            await ws.close(code=1008, reason="refused by brandsweep's host policy")
            return
        ws.connect_to_server()

    async def handle(self, route: Route, request: PlaywrightRequest) -> None:
        url = request.url
        main = self.keep_document and _is_main_document(request)
        hops: list[tuple[str, int]] = []
        try:
            for _hop in range(MAX_REDIRECTS + 1):
                reason = await self.refusal(url)
                if reason is not None:
                    self._refused(request, url, reason)
                    await route.abort("blockedbyclient")
                    return
                if request.resource_type in self.skip_types:
                    self.note(f"skipped/{request.resource_type}", url)
                    await route.abort("blockedbyclient")
                    return
                response = await route.fetch(url=url, max_redirects=0, timeout=self.timeout_ms)
                hops.append((url, response.status))
                location = response.headers.get("location")
                if 300 <= response.status < 400 and location:
                    url = urljoin(url, location)
                    continue
                body = await response.body()
                if len(body) > self.max_bytes:
                    self._refused(request, url, "too_large")
                    await route.abort("blockedbyclient")
                    return
                if main:
                    self.document = Fetched(
                        hops=hops, status=response.status, status_text=response.status_text,
                        headers=[(h["name"], h["value"]) for h in response.headers_array], body=body,
                        request_headers=[(h["name"], h["value"]) for h in await request.headers_array()],
                        method=request.method)
                await route.fulfill(response=response, body=body)
                return
            self._refused(request, url, "redirect_limit")
            await route.abort("blockedbyclient")
        except PlaywrightError as exc:
            self.note("fetch_error", url)
            if "closed" in str(exc).lower():
                return
            try:
                await route.abort("failed")
            except PlaywrightError:
                return


def _is_main_document(request: PlaywrightRequest) -> bool:
    try:
        return request.is_navigation_request() and request.frame.parent_frame is None
    except PlaywrightError:  # a service worker's request has no frame
        return False


def counting(inc: Callable[[str], Any]) -> Callable[[str, str], None]:
    """A ``note`` that counts each event under brandsweep's stats keys (``inc(key)``):
    ``brandsweep/refused/browser/<reason>``, ``brandsweep/browser/skipped/<type>``,
    ``brandsweep/failures/browser/fetch_error``."""
    def note(event: str, url: str) -> None:
        kind, _, detail = event.partition("/")
        if kind == "refused":
            inc(f"brandsweep/refused/browser/{detail}")
        elif kind == "skipped":
            inc(f"brandsweep/browser/skipped/{detail}")
        else:
            inc(f"brandsweep/failures/browser/{event}")
    return note
