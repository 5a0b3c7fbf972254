"""Each fault endpoint of ``serve --faults`` misbehaves as the README says."""

from __future__ import annotations

import http.client
import io
import socket
import warnings
from collections.abc import Iterator

import pytest
from parsel import Selector
from PIL import Image

from tests.test_fixtures_marketplaces import Served, get, raw


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    s = Served("--size", "200", "--seed", "7", "--faults", "--slow-seconds", "3",
               "--canary", "http://127.0.0.2:9/canary")
    yield s.urls["shopfront"]
    s.close()


def test_fault_pages_are_linked_from_normal_pages(base: str) -> None:
    links = Selector(text=get(base + "/")[2].decode()).css("a.deal::attr(href)").getall()
    assert {"/deals/flash-sale", "/deals/live", "/deals/busy", "/deals/clearance", "/deals/weekly", "/item/bad-1",
            "/deals/loop/a", "/deals/partner-offer", "/deals/all?page=1"} <= set(links)
    gallery = []
    for lid in Selector(text=get(base + "/c/all")[2].decode()).css("li.result::attr(data-listing-id)").getall():
        gallery += Selector(text=get(f"{base}/item/{lid}")[2].decode()).css("img.product-image::attr(src)").getall()
    assert any(src in ("/img/broken.jpg", "/img/truncated.jpg", "/img/bomb.png", "/img/page.jpg") for src in gallery)


def test_slow_response(base: str) -> None:
    with pytest.raises((TimeoutError, socket.timeout)):
        with raw(base + "/deals/flash-sale", timeout=1) as r:
            r.read()


def test_hang_after_headers(base: str) -> None:
    with raw(base + "/deals/live", timeout=1.5) as resp:
        assert resp.status == 200 and int(resp.headers["Content-Length"]) >= 1000
        with pytest.raises((TimeoutError, socket.timeout)):
            resp.read()


def test_503_with_retry_after(base: str) -> None:
    status, headers, _ = get(base + "/deals/busy")
    assert status == 503 and headers["retry-after"] == "30"


def test_dropped_connection(base: str) -> None:
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        with raw(base + "/deals/clearance"):
            pass


def test_truncated_body(base: str) -> None:
    with raw(base + "/deals/weekly") as resp, pytest.raises(http.client.IncompleteRead):
        resp.read()


def test_malformed_html(base: str) -> None:
    status, _, body = get(base + "/item/bad-1")
    assert status == 200
    text = body.decode()
    assert "\x00" in text and "<title>Editor's pick | Shopfront<title>" in text  # unclosed title, NUL byte
    assert "</body>" not in text and "</html>" not in text


def test_broken_truncated_and_fake_images(base: str) -> None:
    for path in ("/img/broken.jpg", "/img/truncated.jpg", "/img/page.jpg"):
        status, headers, body = get(base + path)
        assert status == 200 and headers["content-type"] == "image/jpeg"
        with pytest.raises(OSError):
            Image.open(io.BytesIO(body)).load()
    assert get(base + "/img/page.jpg")[2].startswith(b"<!DOCTYPE html>")


def test_decompression_bomb_png(base: str) -> None:
    status, headers, body = get(base + "/img/bomb.png")
    assert status == 200 and headers["content-type"] == "image/png" and len(body) < 200_000
    with warnings.catch_warnings(), pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(body))


def test_redirect_loop(base: str) -> None:
    with raw(base + "/deals/loop/a") as a:
        assert a.status == 302 and a.headers["Location"] == "/deals/loop/b"
    with raw(base + "/deals/loop/b") as b:
        assert b.status == 302 and b.headers["Location"] == "/deals/loop/a"


def test_redirect_to_loopback_outside_marketplace(base: str) -> None:
    with raw(base + "/deals/partner-offer") as r:
        assert r.status == 302 and r.headers["Location"] == "http://127.0.0.2:9/canary"


def test_endless_pagination_trap(base: str) -> None:
    url, pages, contents = base + "/deals/all?page=1", 0, set()
    while url and pages < 40:
        sel = Selector(text=get(url)[2].decode())
        contents.add(tuple(sel.css("li.result a::attr(href)").getall()))
        nxt = sel.css('a[rel="next"]::attr(href)').get()
        url = base + nxt if nxt else ""
        pages += 1
    assert pages == 40 and url.endswith("page=41") and len(contents) == 1


def test_duplicate_listings_across_pages(base: str) -> None:
    p1 = Selector(text=get(base + "/c/all?page=1")[2].decode()).css("li.result::attr(data-listing-id)").getall()
    p2 = Selector(text=get(base + "/c/all?page=2")[2].decode()).css("li.result::attr(data-listing-id)").getall()
    assert p2[:3] == p1[-3:]
