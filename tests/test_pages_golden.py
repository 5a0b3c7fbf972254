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
}


def _plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(obj).items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
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
