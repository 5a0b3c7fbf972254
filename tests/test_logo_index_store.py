"""The catalog's logo index when logo images are missing from the blob store (issue 15)."""

from __future__ import annotations

import logging

from brandsweep.store.db import open_db
from brandsweep.store.photos import catalog_logos, load_logo_index, logo_index_for
from tests.conftest import SAMPLE_CATALOG, run_cli


def test_missing_logo_images_are_named_and_never_stored_as_the_whole_catalog(tmp_path, caplog) -> None:
    db_path = tmp_path / "s.db"
    r = run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db_path)
    assert r.returncode == 0, r.stderr
    db = open_db(str(db_path))
    try:
        logos = catalog_logos(db)
        full, full_digest, _ = load_logo_index(db)
        assert full is not None and len(full) == len(logos) > 1
        gone_ref, gone_sha = logos[0][1], logos[0][2]
        db.blobs.path(gone_sha).unlink()  # a store copied without its blob folder, or a lost file
        with caplog.at_level(logging.WARNING, logger="brandsweep.store.photos"):
            part, part_digest, stored = load_logo_index(db)
        assert part is not None and len(part) == len(logos) - 1 and not stored
        assert part_digest != full_digest, "an index without a logo must not pass for the whole catalog's"
        assert gone_ref in caplog.text and f"1 of {len(logos)}" in caplog.text
        logo_index_for(db)  # stores the partial index under its own digest
        again, again_digest, stored = load_logo_index(db)
        assert stored and again_digest == part_digest and again is not None and len(again) == len(logos) - 1
    finally:
        db.close()
