"""The JavaScript marketplace in a real browser: listings appear only once its script runs."""

from __future__ import annotations

import json
import shutil
import urllib.request

import pytest

from tests.conftest import Marketplaces

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


# Check the button and press it in one step inside the page. Asking Playwright is_visible() and then
# click() raced: a load started by scrolling could finish in between and hide the button for good,
# and click() then waited its whole timeout for a button that never came back.
PRESS_IF_SHOWN = """() => {
  const b = document.getElementById('load-more');
  if (!b || b.hidden) return -1;
  const n = document.querySelectorAll('a.card').length;
  b.click();
  return n;
}"""


def load_more(page) -> bool:
    """Press "Load more" if it is shown and wait for the grid to grow; False when it is hidden."""
    before = page.evaluate(PRESS_IF_SHOWN)
    if before < 0:
        return False
    page.wait_for_function(f"document.querySelectorAll('a.card').length > {before}", timeout=10000)
    return True


def _api_total(base: str) -> int:
    with urllib.request.urlopen(base + "/api/search?offset=0&limit=1", timeout=10) as r:
        return int(json.loads(r.read())["total"])


def test_script_renders_cards_and_load_more_adds_them(browser, marketplaces: Marketplaces):
    base = marketplaces.urls["jsmall"]
    page = browser.new_page()
    try:
        page.goto(base + "/", wait_until="domcontentloaded")
        page.wait_for_selector("a.card")
        first = page.locator("a.card").count()
        total = _api_total(base)
        assert 0 < first < total, "the first batch is shown, not everything"
        while page.locator("a.card").count() < total:
            assert load_more(page), "the button is hidden before every card is shown"
        ids = page.eval_on_selector_all("a.card", "els => els.map(e => e.dataset.id)")
        assert len(ids) == len(set(ids)) == total
        title = page.locator("a.card .card-title").first.text_content()
        assert title and title.strip()
    finally:
        page.close()


def test_listing_page_renders_item_from_api(browser, marketplaces: Marketplaces):
    base = marketplaces.urls["jsmall"]
    with urllib.request.urlopen(base + "/api/search?offset=0&limit=1", timeout=10) as r:
        item = json.loads(r.read())["items"][0]
    page = browser.new_page()
    try:
        page.goto(f"{base}/p/{item['id']}", wait_until="domcontentloaded")
        page.wait_for_selector(".item-title")
        assert page.locator(".item-title").text_content() == item["title"]
    finally:
        page.close()


def test_store_page_pages_through_all_its_items(browser, marketplaces: Marketplaces):
    base = marketplaces.urls["jsmall"]
    with urllib.request.urlopen(base + "/api/search?offset=0&limit=100", timeout=10) as r:
        sellers = {it["seller"]["id"] for it in json.loads(r.read())["items"]}
    counts = {}
    for sid in sellers:
        ids, offset = [], 0
        while offset is not None:
            with urllib.request.urlopen(f"{base}/api/stores/{sid}?offset={offset}", timeout=10) as r:
                d = json.loads(r.read())
            ids += [it["id"] for it in d["items"]]
            offset = d["next_offset"]
        counts[sid] = ids
    sid = max(counts, key=lambda k: len(counts[k]))
    page = browser.new_page()
    try:
        page.goto(f"{base}/store/{sid}", wait_until="domcontentloaded")
        page.wait_for_selector(".store-name")
        page.wait_for_selector("a.card")
        while load_more(page):
            pass
        shown = page.eval_on_selector_all("a.card", "els => els.map(e => e.dataset.id)")
        assert shown == counts[sid]
    finally:
        page.close()
