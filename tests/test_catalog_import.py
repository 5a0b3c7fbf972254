"""Catalog import (formats.md §1): idempotent, all-or-nothing, precise errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brandsweep.core.errors import CatalogError
from brandsweep.rightsholder_catalog import import_catalog, matcher_catalog
from tests.conftest import SAMPLE_CATALOG, dump, run_cli

pytestmark = pytest.mark.store


def test_sample_catalog_imports_every_brand(db):
    summary = import_catalog(db, SAMPLE_CATALOG)
    doc = json.loads(SAMPLE_CATALOG.read_text(encoding="utf-8"))
    expected_brands = {b["id"] for rh in doc["rightsholders"] for b in rh["brands"]}
    brands, images = matcher_catalog(db)
    assert {b.brand_id for b in brands} == expected_brands
    assert summary.brands == len(expected_brands) >= 15
    expected_images = sum(
        len(p.get("images", [])) for rh in doc["rightsholders"] for b in rh["brands"] for p in b.get("products", [])
    ) + sum(1 for rh in doc["rightsholders"] for b in rh["brands"] for m in b.get("marks", []) if m.get("image"))
    assert len(images) == expected_images
    assert all(len(img.phash) >= 16 and len(img.phash) % 16 == 0 for img in images)


def test_importing_twice_changes_nothing(db):
    import_catalog(db, SAMPLE_CATALOG)
    before = dump(db)
    summary = import_catalog(db, SAMPLE_CATALOG)
    assert dump(db) == before
    assert summary.inserted == 0 and summary.updated == 0


def test_newer_version_updates_in_place_and_keeps_removed_brand(db, catalog_copy: Path):
    import_catalog(db, catalog_copy)
    doc = json.loads(catalog_copy.read_text(encoding="utf-8"))
    rh = doc["rightsholders"][0]
    removed = rh["brands"].pop()["id"] if len(rh["brands"]) > 1 else None
    rh["name"] = rh["name"] + " (renamed)"
    catalog_copy.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    summary = import_catalog(db, catalog_copy)
    assert summary.updated >= 1
    row = db.execute("SELECT name FROM rightsholders WHERE id = ?", [rh["id"]]).fetchone()
    assert row[0].endswith("(renamed)")
    if removed:
        assert db.execute("SELECT in_catalog FROM brands WHERE id = ?", [removed]).fetchone()[0] == 0
        assert removed not in {b.brand_id for b in matcher_catalog(db)[0]}


def _break(catalog: Path, mutate) -> None:
    doc = json.loads(catalog.read_text(encoding="utf-8"))
    mutate(doc)
    catalog.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")


def _drop_brand_id(doc: dict) -> None:
    del doc["rightsholders"][0]["brands"][0]["id"]


def _image_outside(doc: dict) -> None:
    doc["rightsholders"][0]["brands"][0]["products"][0]["images"] = ["../../etc/passwd"]


def _duplicate_brand(doc: dict) -> None:
    doc["rightsholders"][1]["brands"][0]["id"] = doc["rightsholders"][0]["brands"][0]["id"]


def _missing_image(doc: dict) -> None:
    doc["rightsholders"][0]["brands"][0]["products"][0]["images"] = ["products/no-such-photo.jpg"]


@pytest.mark.parametrize(
    ("mutate", "where", "why"),
    [
        (_drop_brand_id, "$.rightsholders[0].brands[0].id", "required key is missing"),
        (_image_outside, "$.rightsholders[0].brands[0].products[0].images[0]", "outside the catalog's folder"),
        (_duplicate_brand, "$.rightsholders[1].brands[0].id", "duplicate brand id"),
        (_missing_image, "$.rightsholders[0].brands[0].products[0].images[0]", "no such file"),
    ],
)
def test_bad_catalog_is_refused_whole_with_path_and_reason(db, catalog_copy, mutate, where, why):
    import_catalog(db, SAMPLE_CATALOG)
    before = dump(db)
    _break(catalog_copy, mutate)
    with pytest.raises(CatalogError) as err:
        import_catalog(db, catalog_copy)
    message = str(err.value)
    assert str(catalog_copy) in message and where in message and why in message
    assert dump(db) == before


def test_malformed_json_names_line_and_column(db, catalog_copy):
    text = catalog_copy.read_text(encoding="utf-8")
    catalog_copy.write_text(text.replace('"brands": [', '"brands": [,', 1), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"malformed JSON at line \d+ column \d+"):
        import_catalog(db, catalog_copy)
    assert db.execute("SELECT COUNT(*) FROM brands").fetchone()[0] == 0


def test_cli_refuses_bad_catalog_with_one_line_and_exit_1(tmp_path, catalog_copy, new_store):
    db_path = new_store("cli")
    ok = run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db_path)
    assert ok.returncode == 0, ok.stderr
    from brandsweep.store import open_db

    conn = open_db(db_path)
    before = dump(conn)
    conn.close()
    _break(catalog_copy, _drop_brand_id)
    bad = run_cli("catalog", "import", str(catalog_copy), db_path=db_path)
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1 and "$.rightsholders[0].brands[0].id" in lines[0] and str(catalog_copy) in lines[0]
    conn = open_db(db_path)
    assert dump(conn) == before
    conn.close()
