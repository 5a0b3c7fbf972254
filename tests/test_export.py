"""Exports (formats.md §3): exact columns, BOM, formula injection defused, atomic writes."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from brandsweep.feed import import_feed
from brandsweep.reports.export import COLUMNS, export, write_atomic
from brandsweep.rightsholder_catalog import build_matcher, import_catalog
from tests.conftest import ROOT, SAMPLE_CATALOG

HOSTILE = ["=HYPERLINK(\"http://evil\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\tTab", "\rCR"]

pytestmark = pytest.mark.store


def spec_columns() -> list[str]:
    """The column names in the order the project's own docs/formats.md §3 lists them."""
    section = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8").split("## 3.")[1].split("\n## ")[0]
    m = re.search(r"Columns, in this order: `([^`]*)`", section)
    assert m, "docs/formats.md §3 no longer says 'Columns, in this order: `...`'"
    return [name.strip() for name in m.group(1).split(",")]


def test_columns_are_exactly_the_spec():
    assert list(COLUMNS[: len(spec_columns())]) == spec_columns()


@pytest.fixture
def filled(db, tmp_path):
    import_catalog(db, SAMPLE_CATALOG)
    lines = [
        {"platform": "shopfront", "listing_id": str(i), "url": f"http://shop.example/item/{i}",
         "title": f"{t} Gucci 古驰 高仿 1:1 replica bag", "price": 99.5, "currency": "CNY",
         "seller_name": "莆田 工厂店", "sales_count": 10 + i}
        for i, t in enumerate(HOSTILE)
    ]
    lines.append({"platform": "shopfront", "listing_id": "plain", "url": "http://shop.example/item/plain",
                  "title": "Fresh apples 5kg", "price": 30})
    feed = tmp_path / "f.jsonl"
    feed.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    import_feed(db, feed, build_matcher(db))
    return db


def test_csv_has_bom_header_and_defused_formulas(filled, tmp_path):
    out = tmp_path / "listings.csv"
    n = export(filled, out, leads_only=False).rows
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert n == len(rows) == len(HOSTILE) + 1
    assert list(rows[0].keys()) == list(COLUMNS)
    for row in rows:
        for col in ("title", "seller_name", "reasons", "listing_url"):
            assert not row[col].startswith(("=", "+", "-", "@", "\t", "\r")), (col, row[col])
    titles = {r["listing_id"]: r["title"] for r in rows}
    assert titles["0"] == "'" + HOSTILE[0] + " Gucci 古驰 高仿 1:1 replica bag"
    assert all(r["price"] in ("99.5", "30.0", "30") for r in rows)
    assert {r["sales_count"] for r in rows if r["listing_id"] != "plain"} == {str(10 + i) for i in range(len(HOSTILE))}


def test_leads_export_holds_only_leads_with_ids(filled, tmp_path):
    out = tmp_path / "leads.csv"
    export(filled, out, leads_only=True)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows, "the replica listings should be leads"
    assert all(r["is_lead"] == "1" and r["lead_id"].startswith("L-") and r["brand_id"] == "gucci" for r in rows)
    assert all(r["mark_reg_no"] for r in rows)
    assert "plain" not in {r["listing_id"] for r in rows}


def test_jsonl_has_same_fields(filled, tmp_path):
    out = tmp_path / "listings.jsonl"
    export(filled, out, leads_only=False, fmt="jsonl")
    objs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert list(objs[0].keys()) == list(COLUMNS)
    assert any(o["title"].startswith("=HYPERLINK") for o in objs), "JSON keeps the text as captured"


def test_failed_write_leaves_previous_file_intact(tmp_path):
    target = tmp_path / "leads.csv"
    target.write_bytes(b"previous export\n")

    def chunks():
        yield b"new header\n"
        raise RuntimeError("killed mid-write")

    with pytest.raises(RuntimeError):
        write_atomic(target, chunks())
    assert target.read_bytes() == b"previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["leads.csv"]


def test_export_to_missing_folder_is_a_clear_error(filled, tmp_path):
    from brandsweep.core.errors import ExportError

    with pytest.raises(ExportError, match="does not exist"):
        export(filled, tmp_path / "nope" / "x.csv", leads_only=True)


def test_export_file_gets_ordinary_permissions(tmp_path):
    import os

    old = os.umask(0o022)
    try:
        target = tmp_path / "perm.csv"
        write_atomic(target, [b"a,b\r\n"])
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644, "a case-system pickup running as another user can read it"


def test_listings_export_adds_image_urls_after_the_formats_columns(filled, db_path, tmp_path):
    from tests.conftest import run_cli

    filled.execute("UPDATE listings SET image_urls = ? WHERE listing_id = 'plain'",
                   [json.dumps(["https://cdn.example/a.jpg", "https://cdn.example/b.jpg"])])
    filled.conn.commit()
    out, jl = tmp_path / "l.csv", tmp_path / "l.jsonl"
    assert run_cli("listings", "export", "-o", str(out), db_path=db_path).returncode == 0
    assert run_cli("listings", "export", "-o", str(jl), "--format", "jsonl", db_path=db_path).returncode == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert list(rows[0].keys()) == [*COLUMNS, "image_urls"], "formats.md's order, then the extension column"
    by_id = {r["listing_id"]: r for r in rows}
    assert by_id["plain"]["image_urls"] == "https://cdn.example/a.jpg https://cdn.example/b.jpg"
    objs = {o["listing_id"]: o for o in map(json.loads, jl.read_text(encoding="utf-8").splitlines())}
    assert objs["plain"]["image_urls"] == ["https://cdn.example/a.jpg", "https://cdn.example/b.jpg"]
