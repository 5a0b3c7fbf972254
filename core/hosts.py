"""Where a crawl may send requests: one host policy for Scrapy requests, redirects and the browser.

Listing and image URLs are written by sellers, so every URL is checked before anything is sent:

- the scheme is http or https;
- the host (and port, where the rule names one) is one the marketplace allows;
- every address the host resolves to is public, unless the marketplace allows private ones:
  loopback, private (RFC 1918, ULA), link-local (cloud metadata at 169.254.169.254), multicast,
  reserved and unspecified addresses are refused.

:meth:`HostPolicy.refusal` returns ``None`` for an allowed URL, else a short reason code
(``scheme``, ``host_not_allowed``, ``private_address``, ``unresolvable``) used in stats keys.
Resolution results are cached per policy instance; resolution is blocking, so async callers run
:meth:`HostPolicy.refusal` in a thread unless :meth:`HostPolicy.needs_resolution` is false.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public(addr: Address) -> bool:
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return not (addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_multicast
                or addr.is_reserved or addr.is_unspecified or not addr.is_global)


class HostPolicy:
    """Allowed hosts (``host`` = any port, ``host:port`` = that port only) and the address rule."""

    def __init__(self, hosts: Iterable[str], *, allow_private: bool = False) -> None:
        self.any_port: set[str] = set()
        self.with_port: set[tuple[str, int]] = set()
        for entry in hosts:
            entry = entry.strip().lower()
            host, sep, port = entry.rpartition(":")
            if sep and port.isdigit() and not host.endswith(":"):
                self.with_port.add((host.strip("[]"), int(port)))
            else:
                self.any_port.add(entry.strip("[]"))
        self.allow_private = allow_private
        self._resolved: dict[str, list[Address] | None] = {}

    def __bool__(self) -> bool:
        return bool(self.any_port or self.with_port)

    def host_allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return False
        return host in self.any_port or (host, port) in self.with_port

    def needs_resolution(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        if self.allow_private or not host:
            return False
        try:
            ipaddress.ip_address(host)
            return False
        except ValueError:
            return host not in self._resolved

    def addresses(self, host: str) -> list[Address] | None:
        try:
            return [ipaddress.ip_address(host)]
        except ValueError:
            pass
        if host not in self._resolved:
            try:
                infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
                self._resolved[host] = [ipaddress.ip_address(str(i[4][0]).split("%", 1)[0]) for i in infos]
            except (OSError, UnicodeError, ValueError):
                self._resolved[host] = None
        return self._resolved[host]

    def refusal(self, url: str) -> str | None:
        """``None`` if ``url`` may be fetched, else why not (a stats-key-safe code)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return "scheme"
        if not self.host_allowed(url):
            return "host_not_allowed"
        if self.allow_private:
            return None
        addrs = self.addresses((parts.hostname or "").lower())
        if not addrs:
            return "unresolvable"
        if not all(is_public(a) for a in addrs):
            return "private_address"
        return None


class ImageHostPolicy:
    """Where a listing's images may be fetched from. Real shops serve them from CDN hosts, so beyond
    the marketplace's own hosts (``pages``, its rules unchanged):

    - ``image_hosts`` configured for the marketplace (``host``, ``host:port``, or ``*.domain`` for
      its subdomains), under the marketplace's address rule;
    - with ``from_markup``, the host the product markup itself named for the image (the first URL
      of a redirect chain, ``named_url``), only when every address it resolves to is public: a
      seller cannot aim an image at the crawler's own network.

    Every redirect hop is judged again, and a hop to a host nobody named is refused.
    """

    def __init__(self, pages: HostPolicy, image_hosts: Iterable[str] = (), *, from_markup: bool = True) -> None:
        self.pages = pages
        self.from_markup = from_markup
        entries = [h.strip().lower() for h in image_hosts if h.strip()]
        self.suffixes = tuple(h[1:] for h in entries if h.startswith("*."))  # ".domain"
        self.configured = HostPolicy([h for h in entries if not h.startswith("*.")],
                                     allow_private=pages.allow_private)
        self.public = HostPolicy((), allow_private=False)  # address checks (and their cache) for other hosts

    def _address_refusal(self, host: str, *, allow_private: bool) -> str | None:
        if allow_private:
            return None
        addrs = self.public.addresses(host)
        if not addrs:
            return "unresolvable"
        return None if all(is_public(a) for a in addrs) else "private_address"

    def needs_resolution(self, url: str) -> bool:
        return self.pages.needs_resolution(url) or self.public.needs_resolution(url)

    def refusal(self, url: str, named_url: str | None = None) -> str | None:
        """``None`` if the image at ``url`` may be fetched, else why not (as :meth:`HostPolicy.refusal`)."""
        reason = self.pages.refusal(url)
        if reason != "host_not_allowed":
            return reason
        host = (urlsplit(url).hostname or "").lower()
        if self.configured.host_allowed(url):
            return self.configured.refusal(url)
        if self.suffixes and host.endswith(self.suffixes):
            return self._address_refusal(host, allow_private=self.pages.allow_private)
        named = (urlsplit(named_url).hostname or "").lower() if named_url else ""
        if self.from_markup and host and host == named:
            return self._address_refusal(host, allow_private=False)
        return "host_not_allowed"
