"""Page objects against saved pages, one folder per case in ``tests/pages/`` (web-poet's layout):
``meta.json`` (which page function, the URL, the Content-Type, the body file), the body as it came
over the wire, and ``output.json``, the reviewed expected record. ``UPDATE_GOLDEN=1`` rewrites the
outputs after a deliberate change (review the diff before committing)."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import pytest

from brandsweep.crawler.pages import jsmall, partnerapi, shopfront, taoshop
from brandsweep.crawler.pages.encoding import decode_html
from brandsweep.crawler.spiders.schemaorg import listing_from_product

CASES = Path(__file__).parent / "pages"


def _schemaorg_listing(url: str, html: str, *, platform: str) -> Any:
    from brandsweep.crawler.pages.schemaorg import products

    return [listing_from_product(url, p, platform=platform) for p in products(url, html)]


def _schemaorg_page(url: str, html: str, *, platform: str) -> Any:
    """Everything the schemaorg spider takes from one page: listings (main ones marked), misses, notes, links."""
    from brandsweep.crawler.pages.schemaorg import extract

    found = extract(url, html)
    return {"listings": [listing_from_product(url, p, platform=platform) for p in found.products],
            "main": [str(p["listing_id"]) for p in found.products if p["main"]],
            "misses": dict(sorted(found.misses.items())), "notes": dict(sorted(found.notes.items())),
            "links": found.links}


PAGES = {
    "shopfront.listing_page": (shopfront.listing_page, True),
    "shopfront.results_page": (shopfront.results_page, False),
    "shopfront.seller_page": (shopfront.seller_page, True),
    "taoshop.listing_page": (taoshop.listing_page, True),
    "taoshop.results_page": (taoshop.results_page, False),
    "taoshop.shop_page": (taoshop.shop_page, True),
    "jsmall.listing_page": (jsmall.listing_page, True),
    "jsmall.grid_page": (jsmall.grid_page, False),
    "partnerapi.listings_page": (partnerapi.listings_page, True),
    "schemaorg.listing": (_schemaorg_listing, True),
    "schemaorg.page": (_schemaorg_page, True),
}


def _plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(obj).items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    return obj


def extract(case: Path) -> Any:
    meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
    func, needs_platform = PAGES[meta["page"]]
    body = (case / meta["body"]).read_bytes()
    doc: bytes | str = body if meta["body"].endswith(".json") else decode_html(body, meta["content_type"]).text
    kwargs = {"platform": meta["page"].split(".")[0]} if needs_platform else {}
    return _plain(func(meta["url"], doc, **kwargs))


@pytest.mark.parametrize("case", sorted(p for p in CASES.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_page_object_matches_golden_output(case):
    got = extract(case)
    golden = case / "output.json"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert got == json.loads(golden.read_text(encoding="utf-8"))


def shop_cases() -> list[Path]:
    """The real-shop corpus: every ``schemaorg.page`` case (also crawled by tests/test_crawl_shops.py)."""
    return sorted(p for p in CASES.iterdir() if p.is_dir()
                  and json.loads((p / "meta.json").read_text(encoding="utf-8"))["page"] == "schemaorg.page")


@pytest.mark.parametrize("case", shop_cases(), ids=lambda p: p.name)
def test_shop_page_main_product_is_the_one_written_down(case):
    """The hand-written expectation in meta.json (title, price, currency of the main product, one entry
    per seller) against the page object, independent of output.json."""
    meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
    got = extract(case)
    main = [x for x in got["listings"] if x["listing_id"] in got["main"]]
    got_main = [{"title": x["title"], "price": x["price"], "currency": x["currency"]} for x in main]
    assert got_main == (meta["expect"] or [])
