"""A store whose image hashes have an older format (15 chunks) is brought to the current one from
the kept image bytes: catalog photos whenever a matcher is built, every image on ``rematch``."""

from __future__ import annotations

import re

import pytest

from brandsweep.matchers.image import HASH_CHUNKS
from brandsweep.rightsholder_catalog import build_matcher, import_catalog
from brandsweep.store import open_db
from brandsweep.store.listings import rehash_stale_images
from tests.conftest import SAMPLE_CATALOG, run_cli

pytestmark = pytest.mark.store


def _age_hashes(db) -> dict[str, str]:
    """Cut every stored hash to the old 15-chunk format; return the current ones by sha256."""
    current = {r[0]: r[1] for r in db.execute("SELECT sha256, phash FROM images WHERE phash IS NOT NULL")}
    with db.transaction():
        db.executemany("UPDATE images SET phash = ? WHERE sha256 = ?", [(h[: 16 * 15], s) for s, h in current.items()])
    return current


def _hashes(db) -> dict[str, str]:
    return {r[0]: r[1] for r in db.execute("SELECT sha256, phash FROM images WHERE phash IS NOT NULL")}


def test_building_a_matcher_rehashes_old_catalog_hashes(db):
    import_catalog(db, SAMPLE_CATALOG)
    current = _age_hashes(db)
    assert current and all(len(h) == 16 * 15 for h in _hashes(db).values())
    matcher = build_matcher(db)
    assert _hashes(db) == current
    assert all(len(im.phash) == 16 * HASH_CHUNKS for im in matcher.images)
    assert rehash_stale_images(db) == (0, 0)  # nothing left to do


def test_stale_image_without_bytes_is_counted_and_kept(db):
    import_catalog(db, SAMPLE_CATALOG)
    current = _age_hashes(db)
    gone = sorted(current)[0]
    if hasattr(db.blobs, "path"):  # SQLite: a file per blob
        db.blobs.path(gone).unlink()
    else:  # PostgreSQL: a row of the blobs table (deleted by hand, or lost with a partial restore)
        with db.transaction():
            db.execute("DELETE FROM blobs WHERE sha256 = ?", (gone,))
    assert db.blobs.read(gone) is None
    rehashed, left = rehash_stale_images(db)
    assert (rehashed, left) == (len(current) - 1, 1)
    assert _hashes(db)[gone] == current[gone][: 16 * 15]  # the old hash stays usable


def test_rematch_rehashes_and_says_so(db_path):
    assert run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db_path).returncode == 0
    db = open_db(db_path)
    try:
        current = _age_hashes(db)
    finally:
        db.close()
    r = run_cli("rematch", db_path=db_path)
    assert r.returncode == 0, r.stderr
    m = re.search(r"re-hashed (\d+) images stored in an older hash format", r.stdout)
    assert m and int(m.group(1)) == len(current)
    db = open_db(db_path)
    try:
        assert _hashes(db) == current
    finally:
        db.close()
