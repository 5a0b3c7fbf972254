"""A feed import commits many listings per transaction (issue 16): a process killed in the middle of a
batch's transaction leaves whole batches only, and importing the feed again completes it without
duplicates. Both backends; the kill is a real SIGKILL of the importing process."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE_CATALOG

pytestmark = pytest.mark.store

BATCH = 4
# Good lines in feed order; line 6 of the file is bad (see _feed).
TITLES = [
    "Nike Air Force 1 07 replica AAA 1:1 sneakers",
    "Fresh red apples 5kg orchard box",
    "Gucci Marmont bag mirror quality 1:1",
    "Stainless steel water bottle 750ml",
    "Nike Dunk low top quality copy",
    "Wooden chopping board bamboo",
    "Rolex Submariner AAA replica watch",
    "Cotton socks pack of 6",
    "Louis Vuitton Neverfull 1:1 mirror replica",
    "Gucci belt replica AAA",
    "Ceramic mug 350ml",
    "Nike Air Max 90 replica",
    "LED desk lamp",
]


def _feed(tmp_path: Path) -> Path:
    lines = [json.dumps({"platform": "shopfront", "listing_id": f"L{n:02d}", "url": f"http://shop.example/i/{n}",
                         "title": t, "price": 20.0, "currency": "USD", "seller_id": f"s{n % 3}"})
             for n, t in enumerate(TITLES)]
    lines.insert(5, '{"platform": "shopfront", "title": "no id, no url"}')
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return feed


# Imports the feed in batches of BATCH, matching in WORKERS processes; with "kill", SIGKILLs itself inside
# the third batch's transaction, after that batch's listings, images and verdicts were written but before
# its commit (with worker processes, later batches are being matched meanwhile).
CHILD = textwrap.dedent("""
    import os, signal, sys
    import brandsweep.store.ingest as ingest
    from brandsweep.feed import import_feed
    from brandsweep.rightsholder_catalog import build_matcher
    from brandsweep.store import open_db

    target, feed, kill = sys.argv[1], sys.argv[2], sys.argv[3] == "kill"
    calls = [0]
    original = ingest.save_matches

    def save_matches(db, *args, **kwargs):
        out = original(db, *args, **kwargs)
        calls[0] += 1
        if kill and calls[0] == 3:
            assert db.in_transaction()
            os.kill(os.getpid(), signal.SIGKILL)
        return out

    ingest.save_matches = save_matches
    db = open_db(target)
    result = import_feed(db, feed, build_matcher(db), batch=int(sys.argv[4]), workers=int(sys.argv[5]))
    for lineno, problem in result.errors:
        print(f"line {lineno}: {problem}")
    print("imported", result.imported)
""")


def _import(target: str, feed: Path, kill: bool, workers: int) -> subprocess.CompletedProcess[str]:
    # the pipes close only once every process holding them (worker processes too) has exited
    return subprocess.run([sys.executable, "-c", CHILD, target, str(feed), "kill" if kill else "run", str(BATCH),
                           str(workers)], capture_output=True, text=True, cwd=ROOT, timeout=300)


def _state(target: str) -> dict[str, list]:
    from brandsweep.store import open_db

    db = open_db(target)
    try:
        return {
            "listings": sorted(r[0] for r in db.execute("SELECT listing_id FROM listings")),
            "versions": sorted(r[0] for r in db.execute("SELECT listing_id FROM listing_versions")),
            "run_listings": sorted(r[0] for r in db.execute("SELECT listing_id FROM run_listings")),
            "leads": sorted(r[0] for r in db.execute("SELECT listing_id FROM leads")),
            "matches": sorted(r[0] for r in db.execute("SELECT DISTINCT listing_id FROM matches")),
        }
    finally:
        db.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_kill_mid_batch_leaves_whole_batches_and_rerun_completes(tmp_path, new_store, workers):
    from brandsweep.rightsholder_catalog.importer import import_catalog
    from brandsweep.store import open_db

    target = str(new_store("feedkill"))
    db = open_db(target)
    import_catalog(db, SAMPLE_CATALOG)
    db.close()
    feed = _feed(tmp_path)
    ids = [f"L{n:02d}" for n in range(len(TITLES))]

    killed = _import(target, feed, kill=True, workers=workers)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    after_kill = _state(target)
    whole = ids[:2 * BATCH]  # batches 1 and 2 committed; batch 3 was being written when the process died
    assert after_kill["listings"] == whole
    assert after_kill["versions"] == whole
    assert after_kill["run_listings"] == whole
    assert after_kill["matches"] == whole, "every stored listing has its verdict, and no verdict lacks its listing"
    assert set(after_kill["leads"]) <= set(whole)
    assert after_kill["leads"], "the replica listings among the first batches should be leads"

    done = _import(target, feed, kill=False, workers=workers)
    assert done.returncode == 0, done.stderr
    assert "line 6: missing required key 'listing_id'" in done.stdout
    assert f"imported {len(ids)}" in done.stdout
    final = _state(target)
    assert final["listings"] == ids
    assert final["versions"] == ids, "a listing imported twice has one version"
    assert final["matches"] == ids
    assert len(final["leads"]) == len(set(final["leads"]))
    assert set(after_kill["leads"]) <= set(final["leads"])
    assert len(final["leads"]) > len(after_kill["leads"]), "the listings after the kill were matched too"
    assert sorted(set(final["run_listings"])) == ids
