"""Helpers every page object shares: text clean-up, numbers in text, and list pages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from parsel import Selector

_INT = re.compile(r"\d[\d,]*")


@dataclass(slots=True)
class ResultsPage:
    """A list page: the listings and sellers it links to, and the next page if any."""

    listing_urls: list[str] = field(default_factory=list)
    seller_urls: list[str] = field(default_factory=list)
    next_url: str | None = None


def clean(text: str | None) -> str | None:
    """Whitespace collapsed; ``None`` for nothing left."""
    if text is None:
        return None
    text = " ".join(text.split())
    return text or None


def first_int(text: str | None) -> int | None:
    """The first whole number in the text: '1,234 sold' → 1234."""
    if not text:
        return None
    m = _INT.search(text)
    return int(m.group(0).replace(",", "")) if m else None


def last_segment(url: str | None) -> str | None:
    """The last path segment of a URL: '/seller/s-12?page=2' → 's-12'."""
    if not url:
        return None
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1] or None


def results_page(url: str, html: str, *, item: str, link: str, seller: str | None, next_link: str | None
                 ) -> ResultsPage:
    """A list page described by CSS selectors: ``item`` for each entry, ``link`` and ``seller``
    for the hrefs inside it (relative to the entry), ``next_link`` for the next page's href."""
    sel = Selector(text=html)
    page = ResultsPage()
    for entry in sel.css(item):
        href = entry.css(link).get()
        if href:
            page.listing_urls.append(urljoin(url, href))
        shop = entry.css(seller).get() if seller else None
        if shop:
            page.seller_urls.append(urljoin(url, shop))
    nxt = sel.css(next_link).get() if next_link else None
    page.next_url = urljoin(url, nxt) if nxt else None
    page.listing_urls = list(dict.fromkeys(page.listing_urls))
    page.seller_urls = list(dict.fromkeys(page.seller_urls))
    return page
