"""The HTML report opened in real Chromium: hostile titles are text, no script runs, images load."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE_CATALOG, run_cli

pytestmark = pytest.mark.browser
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    fx = tmp / "fx"
    subprocess.run([sys.executable, "-m", "brandsweep.marketplace_fixtures", "generate", "--size", "200", "--seed", "7",
                    "--out", str(fx)], check=True, cwd=ROOT, capture_output=True)
    feed = (fx / "feed.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(feed[0])
    hostile = {**first, "listing_id": "xss-1", "title": f"{XSS} Gucci 古驰 高仿 1:1 <script>alert(2)</script>",
               "seller_name": "<b onmouseover=alert(3)>shop</b>", "url": "https://shopfront.example/item/xss-1"}
    (fx / "feed.jsonl").write_text("\n".join([*feed, json.dumps(hostile, ensure_ascii=False)]) + "\n",
                                   encoding="utf-8")
    db_path = tmp / "store.db"
    assert run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db_path).returncode == 0
    assert run_cli("listings", "import", str(fx / "feed.jsonl"), db_path=db_path).returncode == 0
    out = tmp / "report.html"
    r = run_cli("report", "-o", str(out), db_path=db_path)
    assert r.returncode == 0, r.stderr
    return out


def test_report_in_chromium_shows_hostile_title_as_text_and_loads_images(report: Path, tmp_path):
    from playwright.sync_api import sync_playwright

    from brandsweep.reports.evidence import CHROMIUM_ARGS

    dialogs: list[str] = []
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=list(CHROMIUM_ARGS))
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda req: requests.append(req.url))
            page.goto(report.as_uri(), wait_until="load")
            page.wait_for_timeout(500)
            titles = page.locator("h3.title").all_inner_texts()
            hostile = [t for t in titles if XSS in t]
            assert hostile, "the hostile title should be shown as text"
            assert "<script>alert(2)</script>" in hostile[0]
            assert page.locator("h3.title img").count() == 0 and page.locator("h3.title script").count() == 0
            assert page.get_by_text("<b onmouseover=alert(3)>shop</b>").count() >= 1
            widths = page.eval_on_selector_all("img", "els => els.map(e => [e.getAttribute('class'), e.naturalWidth])")
            assert len(widths) > 20
            assert all(w > 0 for _, w in widths), [x for x in widths if x[1] == 0]
            assert {"listing", "catalog", "chart"} <= {c for c, _ in widths}
            page.locator("h3.title", has_text=XSS).first.scroll_into_view_if_needed()
            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot), full_page=False)
        finally:
            browser.close()
    print(f"report screenshot: {shot}")
    assert shot.stat().st_size > 10_000
    assert dialogs == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
