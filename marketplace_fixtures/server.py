"""One process, one listening socket per marketplace (each on 127.0.0.1, port 0).

Each marketplace is a :class:`Site`: ``handle(request) -> Response``.  A response may carry a fault
(``slow``, ``hang``, ``drop``, ``truncate``) that the handler acts out on the socket.
"""

from __future__ import annotations

import html
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from brandsweep.marketplace_fixtures.generator import Generated
from brandsweep.marketplace_fixtures.images import ImageMaker


@dataclass(frozen=True)
class Options:
    faults: bool = False
    api_key: str = "fixtures-api-key"
    api_rate: float = 10.0  # requests per second per key (burst = 2x)
    canary: str | None = None
    slow_seconds: float = 10.0


@dataclass
class Request:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    raw_query: str = ""

    def arg(self, name: str, default: str = "") -> str:
        return self.query.get(name, [default])[0]

    def int_arg(self, name: str, default: int) -> int:
        try:
            return int(self.arg(name, str(default)))
        except ValueError:
            return default


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)
    fault: str | None = None  # slow | hang | drop | truncate
    delay: float = 0.0


def text(body: str, status: int = 200, ctype: str = "text/plain; charset=utf-8") -> Response:
    return Response(status, body.encode("utf-8"), ctype)


def redirect(location: str, status: int = 302) -> Response:
    return Response(status, b"", "text/html; charset=utf-8", [("Location", location)])


def esc(s: object) -> str:
    return html.escape(str(s), quote=True)


class Site:
    """Base class of a marketplace; subclasses implement :meth:`route`."""

    name = "site"

    def __init__(self, gen: Generated, images: ImageMaker, options: Options) -> None:
        self.gen = gen
        self.images = images
        self.options = options
        self.base_url = ""
        self.stop = threading.Event()

    def route(self, req: Request) -> Response:
        raise NotImplementedError

    def handle(self, req: Request) -> Response:
        try:
            return self.route(req)
        except KeyError:
            return self.not_found()

    def not_found(self) -> Response:
        return text("not found\n", 404)

    def image(self, platform: str, name: str) -> Response:
        """``<listing id>-<n>.jpg`` of ``platform``."""
        stem = name.removesuffix(".jpg")
        lid, _, n = stem.rpartition("-")
        i = self.gen.index_of(platform, lid)
        if i is None or not n.isdigit():
            return self.not_found()
        refs = self.gen.listing(i)["images"]
        if int(n) >= len(refs):
            return self.not_found()
        return Response(200, self.images.render(refs[int(n)]), "image/jpeg",
                        [("Cache-Control", "max-age=86400")])


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = f"{site.name}/1.0"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

        def do_HEAD(self) -> None:
            self.do_GET(head=True)

        def do_GET(self, head: bool = False) -> None:
            parts = urlsplit(self.path)
            req = Request(parts.path, parse_qs(parts.query, keep_blank_values=True),
                          {k.lower(): v for k, v in self.headers.items()}, parts.query)
            resp = site.handle(req)
            if resp.fault == "drop":
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            if resp.fault == "slow":
                site.stop.wait(resp.delay)
            self.send_response(resp.status)
            self.send_header("Content-Type", resp.content_type)
            for k, v in resp.headers:
                self.send_header(k, v)
            length = len(resp.body)
            if resp.fault in ("truncate", "hang"):
                length = max(length * 2, 1000)
            self.send_header("Content-Length", str(length))
            self.end_headers()
            if head:
                return
            if resp.fault == "hang":
                self.wfile.flush()
                site.stop.wait(3600)
                self.close_connection = True
                return
            body = resp.body
            self.wfile.write(body)
            self.wfile.flush()
            if resp.fault == "truncate":
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    return Handler


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def start(sites: list[Site], host: str = "127.0.0.1") -> list[tuple[Site, Server, threading.Thread]]:
    """Bind each site to ``host`` port 0 and serve it in a background thread."""
    running = []
    for site in sites:
        srv = Server((host, 0), _handler(site))
        site.base_url = f"http://{host}:{srv.server_address[1]}"
        t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        t.start()
        running.append((site, srv, t))
    return running


def stop_all(running: list[tuple[Site, Server, threading.Thread]]) -> None:
    for site, srv, _t in running:
        site.stop.set()
        srv.shutdown()
        srv.server_close()


class TokenBucket:
    """Requests per second with a burst; used by the cooperation API (per instance, thread-safe)."""

    def __init__(self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens: dict[str, float] = {}
        self.stamp: dict[str, float] = {}
        self.lock = threading.Lock()

    def take(self, key: str) -> float:
        """0.0 if allowed, else the seconds to wait."""
        with self.lock:
            now = self.clock()
            tokens = min(self.burst, self.tokens.get(key, self.burst) + (now - self.stamp.get(key, now)) * self.rate)
            self.stamp[key] = now
            if tokens >= 1:
                self.tokens[key] = tokens - 1
                return 0.0
            self.tokens[key] = tokens
            return (1 - tokens) / self.rate
