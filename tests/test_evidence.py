"""Evidence bundles captured live from the test marketplace in real Chromium, then tampered with.

Flipping one byte of any file of a bundle, or deleting a bundle, makes ``brandsweep evidence
verify`` exit non-zero and name it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import ROOT, SAMPLE_CATALOG, run_cli

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def captured(marketplaces, tmp_path_factory):
    """A store of the shopfront listings (URLs on the live test marketplace) with two bundles captured."""
    tmp = tmp_path_factory.mktemp("evidence")
    fx = tmp / "fx"
    subprocess.run([sys.executable, "-m", "brandsweep.marketplace_fixtures", "generate", "--size", "200", "--seed", "7",
                    "--out", str(fx)], check=True, cwd=ROOT, capture_output=True)
    base = marketplaces.urls["shopfront"]
    lines = []
    for line in (fx / "feed.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["platform"] == "shopfront":
            rec["url"] = f"{base}/item/{rec['listing_id']}"
            lines.append(json.dumps(rec, ensure_ascii=False))
    (fx / "live.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    db_path = tmp / "store.db"
    assert run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db_path).returncode == 0
    assert run_cli("listings", "import", str(fx / "live.jsonl"), db_path=db_path).returncode == 0
    exported = tmp / "leads.jsonl"
    run_cli("leads", "export", "-o", str(exported), "--format", "jsonl", db_path=db_path)
    leads = [json.loads(x) for x in exported.read_text(encoding="utf-8").splitlines()]
    with_images = [x["lead_id"] for x in leads if x["image_ref"]][:2]
    assert len(with_images) == 2
    config = tmp / "brandsweep.toml"  # the test marketplace runs on loopback: say where, and allow it
    config.write_text(f'[marketplaces.shopfront]\nspider = "shopfront"\nbase_url = "{base}"\n'
                      "allow_private_addresses = true\n", encoding="utf-8")
    r = run_cli("--config", str(config), "evidence", "capture", *with_images, db_path=db_path)
    assert r.returncode == 0, r.stderr
    return db_path, with_images, base


def test_bundle_holds_warc_screenshot_images_fields_and_chained_manifests(captured):
    db_path, ids, base = captured
    root = db_path.with_name(db_path.name + ".evidence")
    folders = sorted(p for p in root.iterdir() if p.is_dir())
    assert [f.name.split("-", 1)[1] for f in folders] == ids
    first, second = (json.loads((f / "manifest.json").read_text(encoding="utf-8")) for f in folders)
    import hashlib

    assert first["previous_manifest_sha256"] is None
    assert second["previous_manifest_sha256"] == hashlib.sha256((folders[0] / "manifest.json").read_bytes()).hexdigest()
    assert first["captured_at"].endswith("Z") and first["tool"]["name"] == "brandsweep" and first["browser"]["version"]
    assert {"page.warc.gz", "screenshot.png", "fields.json"} <= set(first["files"])
    assert any(name.startswith("images/") for name in first["files"])
    with (folders[0] / "page.warc.gz").open("rb") as fh:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"),
                    r.http_headers.get_statuscode() if r.rec_type == "response" else None, r.content_stream().read())
                   for r in ArchiveIterator(fh)]
    assert [r[0] for r in records] == ["request", "response"]
    assert records[1][1].startswith(base) and records[1][2] == "200"
    assert b"product-title" in records[1][3]
    png = (folders[0] / "screenshot.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    # the export carries the digest of the lead's manifest
    out = db_path.with_name("after.jsonl")
    run_cli("leads", "export", "-o", str(out), "--format", "jsonl", db_path=db_path)
    rows = map(json.loads, out.read_text(encoding="utf-8").splitlines())
    digests = {x["lead_id"]: x["evidence_sha256"] for x in rows}
    assert digests[ids[0]] == hashlib.sha256((folders[0] / "manifest.json").read_bytes()).hexdigest()


def test_flipping_any_byte_or_deleting_a_bundle_is_named(captured):
    db_path, _ids, _ = captured
    root = db_path.with_name(db_path.name + ".evidence")
    ok = run_cli("evidence", "verify", db_path=db_path)
    assert ok.returncode == 0 and ok.stdout.startswith("OK"), ok.stdout + ok.stderr
    folder = sorted(p for p in root.iterdir() if p.is_dir())[0]
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    assert len(files) >= 5
    for f in files:
        data = f.read_bytes()
        pos = len(data) // 2
        f.write_bytes(data[:pos] + bytes([data[pos] ^ 0x01]) + data[pos + 1:])
        try:
            r = run_cli("evidence", "verify", db_path=db_path)
        finally:
            f.write_bytes(data)
        assert r.returncode == 1, f"flipping a byte of {f} went unnoticed"
        assert str(f.relative_to(folder)) in r.stdout, r.stdout
    assert run_cli("evidence", "verify", db_path=db_path).returncode == 0
    moved = root.parent / "moved-away"
    shutil.move(str(folder), moved)
    try:
        r = run_cli("evidence", "verify", db_path=db_path)
    finally:
        shutil.move(str(moved), folder)
    assert r.returncode == 1 and folder.name in r.stdout and "deleted" in r.stdout, r.stdout


def test_private_address_refused_unless_the_operator_allowed_it(captured):
    """Where a listing may be fetched from is the operator's choice, never the platform name's."""
    from brandsweep.core.marketplaces import MarketplaceConfig, listing_policy

    _, _, base = captured
    url = f"{base}/item/1"
    assert listing_policy("some-real-marketplace", url, configured={}).refusal(url) == "private_address"
    assert listing_policy("shopfront", url, configured={}).refusal(url) == "host_not_allowed"  # never crawled
    assert listing_policy("shopfront", url, configured={}, crawled_at=[base]).refusal(url) is None
    configured = {"intranet": MarketplaceConfig("intranet", "schemaorg", base_url=base, allow_private_addresses=True)}
    assert listing_policy("intranet", url, configured=configured).refusal(url) is None
    assert listing_policy("intranet", "http://127.0.0.2:9/", configured=configured).refusal(
        "http://127.0.0.2:9/") == "host_not_allowed"
