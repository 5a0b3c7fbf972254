"""Evidence capture obeys the same host policy as the crawler, hop by hop, in real Chromium.

The policy comes from the operator (the configuration's ``[marketplaces.NAME]`` tables, and the
addresses the bundled test marketplaces were crawled at), never from the platform name a feed
line carries; every redirect hop and every request the page makes is checked before it is sent.
A canary server on another loopback address records any request that got through.
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler

import pytest

from brandsweep.store import open_db
from brandsweep.store.leads import lead_id_for
from brandsweep.store.runs import start_run
from tests.conftest import SAMPLE_CATALOG, run_cli
from tests.test_crawl_support import canary, reply, serving

pytestmark = pytest.mark.browser
TITLE = "Nike Air Force 1 07 复刻 1:1 AAA replica sneakers"


def _site(bait: str):
    """The marketplace on 127.0.0.1: a listing page whose image, script and second image reach for the
    canary (directly and by redirect), a listing that redirects to it, and a 404 without a reason phrase."""
    picture = (SAMPLE_CATALOG.parent / "products" / "nike-af1-07.jpg").read_bytes()
    page = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>'
            f'<h1 class="product-title">{TITLE}</h1><img src="/img/a.jpg"><img src="/go-away/img.jpg">'
            f'<img src="{bait}/internal/direct-img.jpg">'
            f'<script>fetch("{bait}/internal/script").catch(function(){{}});</script></body></html>').encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            if self.path == "/item/ok":
                reply(self, 200, page, "text/html; charset=utf-8")
            elif self.path == "/img/a.jpg":
                reply(self, 200, picture, "image/jpeg")
            elif self.path == "/go-away/img.jpg":
                reply(self, 302, headers={"Location": f"{bait}/internal/redirected-img.jpg"})
            elif self.path == "/item/redirect":
                reply(self, 302, headers={"Location": f"{bait}/internal/redirect"})
            elif self.path == "/item/gone":
                reply(self, 404, b"<html><body>This listing was removed</body></html>", reason="")
            else:
                reply(self, 404, b"no")

        def log_message(self, *a: object) -> None:
            return

    return Handler


@pytest.fixture(scope="module")
def captured(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("evidence-policy")
    with canary() as (bait, hits), serving(_site(bait)) as base:
        lines = [
            ("intranet", "ok", f"{base}/item/ok"),  # a configured private marketplace
            ("intranet", "redirect", f"{base}/item/redirect"),  # redirects to the canary
            ("intranet", "gone", f"{base}/item/gone"),  # 404 with an empty reason phrase
            ("shopfront", "spoof", f"{bait}/internal/spoof"),  # a feed line naming a bundled marketplace
            ("shopfront", "bundled", f"{base}/item/ok"),  # shopfront where it was crawled
            ("taoshop", "elsewhere", f"{base}/item/ok"),  # taoshop, crawled at another address
        ]
        feed = tmp / "feed.jsonl"
        feed.write_text("\n".join(json.dumps({"platform": p, "listing_id": i, "url": u, "title": TITLE,
                                              "price": 99.0, "currency": "CNY"}, ensure_ascii=False)
                                  for p, i, u in lines) + "\n", encoding="utf-8")
        db_path = tmp / "store.db"
        assert run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db_path).returncode == 0
        assert run_cli("listings", "import", str(feed), db_path=db_path).returncode == 0
        db = open_db(db_path)
        start_run(db, "crawl", marketplace="shopfront", source=base + "/")  # what `crawl shopfront` records
        start_run(db, "crawl", marketplace="taoshop", source="http://127.0.0.1:9/")
        db.close()
        config = tmp / "brandsweep.toml"
        config.write_text(f'[marketplaces.intranet]\nspider = "schemaorg"\nbase_url = "{base}/"\n'
                          "allow_private_addresses = true\n", encoding="utf-8")
        ids = {i: lead_id_for(p, i) for p, i, _ in lines}
        r = run_cli("--config", str(config), "evidence", "capture", *ids.values(), db_path=db_path)
        yield db_path, ids, r, list(hits)


def _bundle(db_path, lead_id):
    root = db_path.with_name(db_path.name + ".evidence")
    found = [d for d in root.iterdir() if d.is_dir() and d.name.endswith(lead_id)] if root.is_dir() else []
    return found[0] if found else None


def test_no_request_reaches_an_address_the_policy_refuses(captured):
    _, _, r, hits = captured
    assert hits == [], f"requests got through to the canary: {hits}\n{r.stderr}"


def test_configured_private_marketplace_is_captured_with_refused_requests_listed(captured):
    db_path, ids, r, _ = captured
    folder = _bundle(db_path, ids["ok"])
    assert folder is not None, r.stderr
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["http_status"] == 200
    refused = {(r["url"].split("/", 3)[3], r["reason"]) for r in manifest["refused_requests"]}
    # the image's redirect hop, the image and the script on the canary: refused before they were sent
    assert refused == {(path, "host_not_allowed") for path in (
        "internal/redirected-img.jpg", "internal/direct-img.jpg", "internal/script")}, manifest["refused_requests"]
    assert any(name.startswith("page.warc") for name in manifest["files"])


def test_redirect_to_another_address_fails_the_capture_at_the_hop(captured):
    db_path, ids, r, _ = captured
    assert _bundle(db_path, ids["redirect"]) is None
    assert r.returncode == 1
    line = next(x for x in r.stderr.splitlines() if ids["redirect"] in x)
    assert "/internal/redirect" in line and "host_not_allowed" in line, line


def test_platform_name_in_the_data_grants_nothing(captured):
    db_path, ids, r, _ = captured
    assert _bundle(db_path, ids["spoof"]) is None
    line = next(x for x in r.stderr.splitlines() if ids["spoof"] in x)
    assert "private_address" in line or "host_not_allowed" in line, line


def test_bundled_marketplace_only_where_it_was_crawled(captured):
    db_path, ids, r, _ = captured
    assert _bundle(db_path, ids["bundled"]) is not None, r.stderr
    assert _bundle(db_path, ids["elsewhere"]) is None
    line = next(x for x in r.stderr.splitlines() if ids["elsewhere"] in x)
    assert "host_not_allowed" in line, line


def test_warc_status_line_without_reason_phrase(captured):
    from warcio.archiveiterator import ArchiveIterator

    db_path, ids, r, _ = captured
    folder = _bundle(db_path, ids["gone"])
    assert folder is not None, r.stderr
    with (folder / "page.warc.gz").open("rb") as fh:
        response = next(rec for rec in ArchiveIterator(fh) if rec.rec_type == "response")
        assert response.http_headers.statusline == "404 Not Found"
        assert b"This listing was removed" in response.content_stream().read()
