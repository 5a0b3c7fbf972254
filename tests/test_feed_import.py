"""Platform feeds (formats.md §2): bad lines reported and skipped, good ones kept, no duplicates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from brandsweep.feed import BadLine, parse_line
from tests.conftest import SAMPLE_CATALOG, run_cli

pytestmark = pytest.mark.store


def _line(**fields) -> str:
    base = {"platform": "shopfront", "listing_id": "1", "url": "http://shop.example/item/1", "title": "x"}
    return json.dumps({**base, **fields}, ensure_ascii=False)


def _feed(tmp_path: Path) -> Path:
    shutil.copy(SAMPLE_CATALOG.parent / "products" / "nike-af1-07.jpg", tmp_path / "af1.jpg")
    lines = [
        _line(listing_id="100", title="Nike Air Force 1 07 复刻 1:1 AAA sneakers replica", price=129.0,
              currency="CNY", seller_id="s-1", seller_name="Putian Good Shoes", seller_location="福建省莆田市",
              sales_count=1520, image_urls=["af1.jpg"], captured_at="2026-11-28T10:00:00Z"),
        _line(listing_id="101", title="Fresh red apples 5kg orchard box", price=59.0, currency="CNY"),
        '{"platform": "shopfront", "listing_id": "102", "title": "no url here"}',
        "this is not json",
        _line(listing_id="103", title="Stainless steel water bottle 750ml", price=39.0, currency="CNY"),
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return feed


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"platform": "p", "listing_id": "1", "url": "http://x/1"}', "missing required key 'title'"),
        (_line(price="cheap"), "'price' must be a non-negative number"),
        (_line(sales_count=1.5), "'sales_count' must be a non-negative integer"),
        (_line(image_urls="a.jpg"), "'image_urls' must be a list"),
        (_line(listing_id=5), "'listing_id' must be a non-empty string"),
        (_line(url="ftp://x/1"), "'url' must be an http(s) URL"),
        (_line(captured_at="yesterday"), "'captured_at' is not an ISO 8601 time"),
        (_line(title="x").replace('"title": "x"', '"price": NaN, "title": "x"'), "NaN is not a number"),
        (_line(title="x").replace('"title": "x"', '"price": Infinity, "title": "x"'), "Infinity is not a number"),
        (_line(title="x").replace('"title": "x"', '"price": -Infinity, "title": "x"'), "-Infinity is not a number"),
        (_line(title="x").replace('"title": "x"', '"price": 1e999, "title": "x"'), "'price' must be a finite number"),
    ],
)
def test_bad_line_says_what_is_wrong(text, problem):
    with pytest.raises(BadLine, match=problem.replace("(", r"\(").replace(")", r"\)")):
        parse_line(text)


def test_feed_with_bad_lines_keeps_good_ones_and_exits_1(tmp_path, new_store):
    db_path = new_store("feed")
    assert run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db_path).returncode == 0
    feed = _feed(tmp_path)
    res = run_cli("listings", "import", str(feed), db_path=db_path)
    assert res.returncode == 1
    assert f"{feed}:3: refused: missing required key 'url'" in res.stderr
    assert f"{feed}:4: refused: not JSON" in res.stderr
    assert "Traceback" not in res.stderr
    from brandsweep.store import open_db

    db = open_db(db_path)
    ids = {r[0] for r in db.execute("SELECT listing_id FROM listings")}
    assert ids == {"100", "101", "103"}
    row = db.execute("SELECT seller_location, sales_count FROM listings WHERE listing_id = '100'").fetchone()
    assert row == ("福建省莆田市", 1520)
    hashed = db.execute("SELECT COUNT(*) FROM listing_images WHERE sha256 IS NOT NULL").fetchone()[0]
    assert hashed == 1
    db.close()


def test_importing_same_feed_twice_creates_no_duplicates(tmp_path, new_store):
    db_path = new_store("feed")
    assert run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db_path).returncode == 0
    feed = _feed(tmp_path)
    run_cli("listings", "import", str(feed), db_path=db_path)
    from brandsweep.store import open_db

    db = open_db(db_path)
    first = [db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("listings", "leads", "listing_versions")]
    db.close()
    assert first[0] == 3
    assert first[1] >= 1, "the replica listing should be a lead"
    run_cli("listings", "import", str(feed), db_path=db_path)
    db = open_db(db_path)
    second = [db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("listings", "leads", "listing_versions")]
    db.close()
    assert second == first
