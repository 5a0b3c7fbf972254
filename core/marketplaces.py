"""Per-marketplace crawl configuration: one frozen object, parsed once, refusing bad values.

A marketplace names the spider that knows its pages, where it is, which hosts requests may go
to, how politely to crawl it, and where its credentials come from (an environment variable,
never the configuration file). ``brandsweep.toml`` holds one ``[marketplaces.NAME]`` table per
marketplace; :meth:`MarketplaceConfig.from_mapping` parses one table and raises ``ValueError``
naming the offending key.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class MarketplaceConfig:
    name: str
    spider: str
    base_url: str | None = None
    # Hosts requests and image downloads may go to; empty means the base URL's host only.
    allowed_hosts: tuple[str, ...] = ()
    # Private, loopback and link-local addresses are refused unless allowed (the bundled test
    # marketplaces run on loopback, so their built-in entries allow it).
    allow_private_addresses: bool = False
    render_js: bool = False  # pages need a real browser (scrapy-playwright)
    concurrency: int = 4  # concurrent requests to this marketplace
    download_delay_s: float = 0.0
    autothrottle: bool = True
    max_pages: int = 200  # list pages followed per search or category (pagination-trap bound)
    retry_times: int = 3
    timeout_s: float = 30.0
    max_response_bytes: int = 20 * 1024 * 1024
    api_key_env: str | None = None  # name of the environment variable holding the API key
    retry_after_max_s: float = 120.0  # longest Retry-After honoured; a longer one gives the request up
    backoff_base_s: float = 0.5  # retry n waits backoff_base_s * 2**(n-1) (capped at backoff_max_s)
    backoff_max_s: float = 30.0
    browser_max_pages: int = 4  # browser pages open at once (render_js marketplaces)
    user_agent: str | None = None  # default: brandsweep's descriptive User-Agent
    extra_settings: Mapping[str, Any] = field(default_factory=dict)  # raw Scrapy settings

    @property
    def hosts(self) -> tuple[str, ...]:
        """Allowed hosts: ``host`` (any port) or ``host:port`` entries. By default the base URL's
        host *and port*, so another service on the same machine is a different host."""
        if self.allowed_hosts:
            return self.allowed_hosts
        parts = urlsplit(self.base_url or "")
        if not parts.hostname:
            return ()
        return (f"{parts.hostname}:{parts.port}",) if parts.port else (parts.hostname,)

    def with_base_url(self, base_url: str) -> MarketplaceConfig:
        return dataclasses.replace(self, base_url=base_url)

    def scrapy_settings(self) -> dict[str, Any]:
        """The Scrapy settings this marketplace's politeness, limits and safety rules come to."""
        out: dict[str, Any] = {
            "CONCURRENT_REQUESTS_PER_DOMAIN": self.concurrency,
            "CONCURRENT_REQUESTS": max(self.concurrency * 2, 8),
            "DOWNLOAD_DELAY": self.download_delay_s,
            "AUTOTHROTTLE_ENABLED": self.autothrottle,
            "AUTOTHROTTLE_TARGET_CONCURRENCY": float(self.concurrency),
            "RETRY_TIMES": self.retry_times,
            "DOWNLOAD_TIMEOUT": self.timeout_s,
            "DOWNLOAD_MAXSIZE": self.max_response_bytes,
            "BRANDSWEEP_ALLOWED_HOSTS": list(self.hosts),
            "BRANDSWEEP_ALLOW_PRIVATE": self.allow_private_addresses,
            "BRANDSWEEP_RETRY_AFTER_MAX": self.retry_after_max_s,
            "BRANDSWEEP_BACKOFF_BASE": self.backoff_base_s,
            "BRANDSWEEP_BACKOFF_MAX": self.backoff_max_s,
            "BRANDSWEEP_MAX_PAGES": self.max_pages,
            "BRANDSWEEP_RENDER_JS": self.render_js,
            "BRANDSWEEP_BROWSER_MAX_PAGES": self.browser_max_pages,
        }
        if self.user_agent:
            out["USER_AGENT"] = self.user_agent
        out.update(self.extra_settings)
        return out

    @classmethod
    def from_mapping(cls, name: str, data: Mapping[str, Any]) -> MarketplaceConfig:
        """Parse one ``[marketplaces.NAME]`` table; ``ValueError`` names the bad key."""
        known = {f.name for f in dataclasses.fields(cls)} - {"name"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"{unknown[0]}: unknown key (known: {', '.join(sorted(known))})")
        if "spider" not in data:
            raise ValueError("spider: required key is missing")
        kwargs: dict[str, Any] = {"name": name}
        for f in dataclasses.fields(cls):
            if f.name == "name" or f.name not in data:
                continue
            kwargs[f.name] = _coerce(f.name, data[f.name], f.default)
        cfg = cls(**kwargs)
        if cfg.base_url is not None and urlsplit(cfg.base_url).scheme not in ("http", "https"):
            raise ValueError(f"base_url: expected an http(s) URL, got {cfg.base_url!r}")
        if cfg.concurrency < 1:
            raise ValueError("concurrency: must be at least 1")
        if cfg.max_pages < 1:
            raise ValueError("max_pages: must be at least 1")
        if cfg.browser_max_pages < 1:
            raise ValueError("browser_max_pages: must be at least 1")
        if cfg.timeout_s <= 0:
            raise ValueError("timeout_s: must be more than 0")
        if cfg.max_response_bytes < 1024:
            raise ValueError("max_response_bytes: must be at least 1024")
        return cfg


def _coerce(key: str, value: Any, default: Any) -> Any:
    if key == "allowed_hosts":
        if not isinstance(value, list) or not all(isinstance(h, str) and h for h in value):
            raise ValueError(f"{key}: expected a list of host names")
        return tuple(h.lower() for h in value)
    if key == "extra_settings":
        if not isinstance(value, dict):
            raise ValueError(f"{key}: expected a table")
        return dict(value)
    if key in ("spider", "base_url", "api_key_env", "user_agent"):
        if not isinstance(value, str) or not value:
            raise ValueError(f"{key}: expected a non-empty string")
        return value
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError(f"{key}: expected true or false")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{key}: expected an integer")
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ValueError(f"{key}: expected a non-negative number")
        return float(value)
    return value


# The bundled test marketplaces (marketplace_fixtures); their base URLs are known only once
# the fixture server has started and printed them.
BUILTIN: Mapping[str, MarketplaceConfig] = MappingProxyType({
    "shopfront": MarketplaceConfig(name="shopfront", spider="shopfront", allow_private_addresses=True),
    "taoshop": MarketplaceConfig(name="taoshop", spider="taoshop", allow_private_addresses=True),
    "jsmall": MarketplaceConfig(name="jsmall", spider="jsmall", allow_private_addresses=True, render_js=True,
                                timeout_s=20.0),
    "partnerapi": MarketplaceConfig(name="partnerapi", spider="partnerapi", allow_private_addresses=True,
                                    api_key_env="BRANDSWEEP_PARTNERAPI_KEY", concurrency=2),
})


def marketplace_config(name: str, *, spider: str | None = None, base_url: str | None = None) -> MarketplaceConfig:
    """The built-in entry for ``name`` (or a default one for ``spider``), pointed at ``base_url``."""
    cfg = BUILTIN.get(name) or MarketplaceConfig(name=name, spider=spider or name)
    if spider and spider != cfg.spider:
        cfg = dataclasses.replace(cfg, spider=spider)
    return cfg.with_base_url(base_url) if base_url else cfg
