"""What every marketplace spider shares: its arguments and the bound on list pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import scrapy


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


class MarketplaceSpider(scrapy.Spider):
    """Arguments: ``base_url`` (required), ``queries`` (search terms), ``platform`` (name stored
    with each listing; defaults to the spider's name), ``max_pages`` (result pages followed per
    list, a bound against pagination traps), ``browse`` (also walk the category pages)."""

    default_max_pages = 500

    def __init__(
        self,
        base_url: str | None = None,
        queries: Iterable[str] | str | None = None,
        platform: str | None = None,
        max_pages: int | str | None = None,
        browse: bool | str = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not base_url:
            raise ValueError(f"spider {self.name} needs base_url (scrapy crawl {self.name} -a base_url=URL)")
        self.base_url = base_url.rstrip("/")
        self.queries = _as_list(queries)
        self.platform = platform or self.name
        self.max_pages = int(max_pages) if max_pages else self.default_max_pages
        self.browse = _as_bool(browse)

    def url(self, path: str) -> str:
        return self.base_url + path
