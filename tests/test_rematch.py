"""``brandsweep rematch``: a catalog change re-scores stored listings without recrawling."""

from __future__ import annotations

import json
import re

import pytest

from brandsweep.store import open_db
from tests.conftest import SAMPLE_CATALOG, run_cli

pytestmark = pytest.mark.store


def _gucci_replica_feed(tmp_path):
    lines = [
        {"platform": "shopfront", "listing_id": f"g{i}", "url": f"http://shop.example/item/g{i}",
         "title": title, "price": 199.0, "currency": "CNY", "seller_id": "s-77", "seller_name": "Guangzhou Bags 88"}
        for i, title in enumerate([
            "Gucci GG Marmont shoulder bag 1:1 replica mirror quality",
            "古驰 高仿 马蒙 链条包 原单 女包",
            "G*cci Ace sneakers AAA top copy",
        ])
    ]
    lines.append({"platform": "shopfront", "listing_id": "n1", "url": "http://shop.example/item/n1",
                  "title": "Nike Air Force 1 07 replica 1:1 AAA sneakers", "price": 99.0, "currency": "CNY"})
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    return feed


def _leads(db_path) -> dict[str, tuple[str, int]]:
    db = open_db(db_path)
    try:
        return {r[0]: (r[1], r[2]) for r in db.execute("SELECT listing_id, brand_id, active FROM leads")}
    finally:
        db.close()


def test_catalog_change_then_rematch_finds_new_brand_and_keeps_history(tmp_path, catalog_copy, new_store):
    doc = json.loads(SAMPLE_CATALOG.read_text(encoding="utf-8"))
    without_gucci = json.loads(json.dumps(doc))
    for rh in without_gucci["rightsholders"]:
        rh["brands"] = [b for b in rh["brands"] if b["id"] != "gucci"]
    without_gucci["rightsholders"] = [rh for rh in without_gucci["rightsholders"] if rh["brands"]]
    small = catalog_copy.parent / "catalog-without-gucci.json"  # beside the images it names
    small.write_text(json.dumps(without_gucci, ensure_ascii=False), encoding="utf-8")
    db_path = new_store("r")
    assert run_cli("catalog", "import", str(small), db_path=db_path).returncode == 0
    run_cli("listings", "import", str(_gucci_replica_feed(tmp_path)), db_path=db_path)
    before = _leads(db_path)
    assert {lid for lid, (brand, _) in before.items() if brand == "gucci"} == set()
    assert before.get("n1", (None, 0))[0] == "nike"

    assert run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db_path).returncode == 0
    res = run_cli("rematch", db_path=db_path)
    assert res.returncode == 0, res.stderr
    m = re.search(r"re-scored (\d+) listings: (\d+) leads \((\d+) new", res.stdout)
    assert m and int(m.group(1)) == 4
    after = _leads(db_path)
    assert {lid for lid, (brand, active) in after.items() if brand == "gucci" and active} == {"g0", "g1", "g2"}
    assert int(m.group(3)) == 3
    assert after["n1"] == ("nike", 1), "existing leads keep their id and stay"
    db = open_db(db_path)
    assert db.execute("SELECT COUNT(*) FROM listings").fetchone()[0] == 4, "nothing was fetched or added"
    db.close()
