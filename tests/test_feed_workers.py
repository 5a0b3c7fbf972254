"""A feed import that matches in worker processes (issue 16) stores exactly what one process stores:
the same listings, versions, run changes, verdicts and leads, in file order, with the configured
``[matchers]`` reaching the workers. Real matcher, real worker processes, real store."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from brandsweep.feed import import_feed
from brandsweep.matchers.config import MatchConfig
from brandsweep.rightsholder_catalog import build_matcher
from brandsweep.rightsholder_catalog.importer import import_catalog
from brandsweep.store import open_db
from brandsweep.store.matchpool import MatcherSpec
from tests.conftest import ROOT, SAMPLE_CATALOG

pytestmark = pytest.mark.store

BATCH = 7  # small, so a feed of a few dozen lines is many batches in flight at once


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated marketplace feed (counterfeits, disguises, lookalikes, lawful goods), with one
    listing repeated after a change so a batch holds the same key twice."""
    out = tmp_path_factory.mktemp("fx")
    subprocess.run([sys.executable, "-m", "brandsweep.marketplace_fixtures", "generate", "--size", "90",
                    "--seed", "5", "--out", str(out), "--no-images"], check=True, cwd=ROOT, capture_output=True)
    lines = [json.loads(x) for x in (out / "feed.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    for x in lines:
        x["image_urls"] = []
    lines.insert(12, {**lines[10], "price": 1.0})
    path = out / "feed.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    return path


def _import(target: str, feed: Path, workers: int, config: MatchConfig | None = None) -> dict[str, int]:
    db = open_db(target)
    try:
        import_catalog(db, SAMPLE_CATALOG)
        result = import_feed(db, feed, build_matcher(db, config), batch=BATCH, workers=workers)
        assert not result.errors
        return result.counts
    finally:
        db.close()


def _stored(target: str) -> dict[str, list[Any]]:
    db = open_db(target)
    try:
        return {
            "listings": list(db.execute("SELECT platform, listing_id, title, price, version, content_hash "
                                        "FROM listings ORDER BY platform, listing_id")),
            "versions": list(db.execute("SELECT platform, listing_id, version, price FROM listing_versions "
                                        "ORDER BY platform, listing_id, version")),
            "run_listings": list(db.execute('SELECT platform, listing_id, "change" FROM run_listings '
                                            "ORDER BY platform, listing_id")),
            "matches": list(db.execute("SELECT platform, listing_id, brand_id, product_id, mark_reg_no, score, "
                                       "is_lead, reasons FROM matches ORDER BY platform, listing_id")),
            "leads": list(db.execute("SELECT platform, listing_id, brand_id, score, active FROM leads "
                                     "ORDER BY platform, listing_id")),
        }
    finally:
        db.close()


def test_workers_store_what_one_process_stores(feed, new_store):
    one, two = str(new_store("one")), str(new_store("two"))
    counts_one = _import(one, feed, workers=1)
    counts_two = _import(two, feed, workers=2)
    assert counts_one["matching/processes"] == 1
    assert counts_two["matching/processes"] == 2, "the import matched in two worker processes"
    in_process, pooled = _stored(one), _stored(two)
    assert pooled == in_process
    assert in_process["leads"], "the generated feed holds counterfeits: some listings are leads"
    assert {k: v for k, v in counts_two.items() if k != "matching/processes"} == \
        {k: v for k, v in counts_one.items() if k != "matching/processes"}


def test_workers_score_with_the_configured_matchers(feed, new_store, tmp_path):
    # the strict threshold is derived from the default import's own lead scores (nothing hard-coded)
    plain = str(new_store("plain"))
    _import(plain, feed, workers=1)
    scores = sorted({float(r[3]) for r in _stored(plain)["leads"]})
    strict = MatchConfig(lead_threshold=scores[len(scores) // 2], extra_indicators={"mirror": 0.0})
    one, two = str(new_store("strict1")), str(new_store("strict2"))
    _import(one, feed, workers=1, config=strict)
    _import(two, feed, workers=2, config=strict)
    assert _stored(two) == _stored(one)
    assert len(_stored(two)["leads"]) < len(_stored(plain)["leads"]), "the configuration changed the outcome"


def test_a_spec_pickles_and_builds_an_equal_matcher():
    from brandsweep.matchers import Matcher
    from brandsweep.matchers.types import Brand

    brand = Brand(brand_id="acme", name="Acme", rightsholder="Acme Inc.")
    config = MatchConfig(lead_threshold=71.0, extra_indicators={"knockoff": 20.0}, ordinary_words=("acme",))
    rebuilt = pickle.loads(pickle.dumps(MatcherSpec.of(Matcher([brand], (), config)))).build()
    assert rebuilt.config == config
    assert rebuilt.brands == [brand]


def test_workers_below_one_are_refused(feed, new_store):
    from brandsweep.core.errors import FeedError

    db = open_db(str(new_store("zero")))
    try:
        with pytest.raises(FeedError, match="workers must be at least 1"):
            import_feed(db, feed, build_matcher(db), workers=0)
    finally:
        db.close()
