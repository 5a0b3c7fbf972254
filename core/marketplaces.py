"""Per-marketplace configuration: one frozen object, parsed once, refusing bad values.

A marketplace names the spider that knows its pages, where it is, which hosts requests may go
to, how politely to crawl it, and where its credentials come from (an environment variable,
never the configuration file). ``brandsweep.toml`` holds one ``[marketplaces.NAME]`` table per
marketplace; :meth:`MarketplaceConfig.from_mapping` parses one table and raises ``ValueError``
naming the offending key.

This is also where the host policy of every fetch comes from: :meth:`MarketplaceConfig.host_policy`
for crawls (Scrapy requests, redirect hops, images, the browser), :func:`listing_policy` for
evidence capture of a stored listing, whose platform name is data and so grants nothing itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from brandsweep.core.hosts import HostPolicy


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
    # Pages followed per list (a pagination-trap bound), in the spider's own unit: result pages per
    # search or category, "Load more" presses, API pages, pages without a product. None: the spider's
    # default, sized to what its pages mean (a fixed number here capped the partner API at 20,000).
    max_pages: int | None = None
    max_depth: int = 0  # link depth (Scrapy's DEPTH_LIMIT); 0 = the spider's own (schemaorg: 20)
    # Hosts listing images may also come from (CDNs): ``host``, ``host:port`` or ``*.domain``.
    image_hosts: tuple[str, ...] = ()
    # Also fetch an image from the host the product markup names, when it resolves only to public addresses.
    image_hosts_from_markup: bool = True
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

    def host_policy(self) -> HostPolicy:
        """Where this marketplace's requests may go: its hosts; private addresses only if allowed."""
        return HostPolicy(self.hosts, allow_private=self.allow_private_addresses)

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
            "BRANDSWEEP_IMAGE_HOSTS": list(self.image_hosts),
            "BRANDSWEEP_IMAGE_HOSTS_FROM_MARKUP": self.image_hosts_from_markup,
            "BRANDSWEEP_RETRY_AFTER_MAX": self.retry_after_max_s,
            "BRANDSWEEP_BACKOFF_BASE": self.backoff_base_s,
            "BRANDSWEEP_BACKOFF_MAX": self.backoff_max_s,
            "BRANDSWEEP_RENDER_JS": self.render_js,
            "BRANDSWEEP_BROWSER_MAX_PAGES": self.browser_max_pages,
        }
        if self.max_pages is not None:
            out["BRANDSWEEP_MAX_PAGES"] = self.max_pages
        if self.max_depth:
            out["DEPTH_LIMIT"] = self.max_depth
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
        if cfg.max_depth < 0:
            raise ValueError("max_depth: must be 0 (the spider's own) or more")
        if cfg.max_pages is not None and cfg.max_pages < 1:
            raise ValueError("max_pages: must be at least 1")
        if cfg.browser_max_pages < 1:
            raise ValueError("browser_max_pages: must be at least 1")
        if cfg.timeout_s <= 0:
            raise ValueError("timeout_s: must be more than 0")
        if cfg.max_response_bytes < 1024:
            raise ValueError("max_response_bytes: must be at least 1024")
        return cfg


def _coerce(key: str, value: Any, default: Any) -> Any:
    if key in ("allowed_hosts", "image_hosts"):
        if not isinstance(value, list) or not all(isinstance(h, str) and h for h in value):
            raise ValueError(f"{key}: expected a list of host names")
        return tuple(h.lower() for h in value)
    if key == "extra_settings":
        if not isinstance(value, dict):
            raise ValueError(f"{key}: expected a table")
        return dict(value)
    if key == "max_pages":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{key}: expected an integer")
        return value
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


def listing_policy(platform: str, url: str, *, configured: Mapping[str, MarketplaceConfig],
                   crawled_at: Iterable[str] = ()) -> HostPolicy:
    """Where the page of a stored listing may be fetched from (evidence capture).

    ``platform`` comes from the data (a feed line may name any marketplace), so it only selects
    what the operator set up and never grants anything by itself:

    1. ``configured[platform]`` (a ``[marketplaces.NAME]`` table) with an address: its hosts and its
       private-address rule;
    2. a bundled test marketplace that is not configured: the addresses it was crawled at
       (``crawled_at``: the base URLs its crawls were started with, which the operator gave),
       loopback and private addresses allowed, as for the crawl;
    3. otherwise: the listing URL's own host and port, public addresses only.
    """
    cfg = configured.get(platform)
    if cfg is not None and cfg.hosts:
        return cfg.host_policy()
    builtin = BUILTIN.get(platform)
    if cfg is None and builtin is not None:
        hosts = [h for u in crawled_at for h in dataclasses.replace(builtin, base_url=u).hosts]
        return HostPolicy(hosts, allow_private=builtin.allow_private_addresses)
    return HostPolicy(MarketplaceConfig(name=platform, spider="", base_url=url).hosts, allow_private=False)


def marketplace_config(name: str, *, spider: str | None = None, base_url: str | None = None) -> MarketplaceConfig:
    """The built-in entry for ``name`` (or a default one for ``spider``), pointed at ``base_url``."""
    cfg = BUILTIN.get(name) or MarketplaceConfig(name=name, spider=spider or name)
    if spider and spider != cfg.spider:
        cfg = dataclasses.replace(cfg, spider=spider)
    return cfg.with_base_url(base_url) if base_url else cfg
