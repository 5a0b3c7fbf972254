"""The crawl's browser guard: :class:`brandsweep.core.browser.BrowserGuard` (shared with evidence
capture) with this crawl's host policy, limits and stats.

Images, media and fonts are not loaded in the browser: extraction reads their URLs from the DOM
and the pipeline fetches each image once, through Scrapy. Every event is counted
(``brandsweep/refused/browser/<reason>``, ``brandsweep/browser/skipped/<type>``,
``brandsweep/failures/browser/fetch_error``).
"""

from __future__ import annotations

from scrapy.crawler import Crawler

from brandsweep.core.browser import BrowserGuard, counting
from brandsweep.crawler.middlewares import policy_for

SKIPPED_TYPES = frozenset({"image", "media", "font"})


def guard_for(crawler: Crawler) -> BrowserGuard:
    settings = crawler.settings
    stats = crawler.stats
    assert stats is not None
    return BrowserGuard(policy_for(crawler), note=counting(stats.inc_value), skip_types=SKIPPED_TYPES,
                        max_bytes=settings.getint("DOWNLOAD_MAXSIZE"), timeout_s=settings.getfloat("DOWNLOAD_TIMEOUT"))
