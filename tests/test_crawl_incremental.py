"""Runs over time: versions kept, new/changed/gone per run, partial runs mark nothing gone,
and a crawl killed with SIGKILL then rerun leaves the store complete and consistent."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

from brandsweep.store import open_db
from brandsweep.store.runs import run_changes, run_listing_ids
from tests.conftest import ROOT, SAMPLE_CATALOG, run_cli, start_marketplaces

ARGS = ("--size", "150", "--seed", "4")


def _labels(path):
    return {r["listing_id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())
            if r["platform"] == "shopfront"}


def _serve(tmp, *extra):
    proc, m = start_marketplaces(tmp, *ARGS, *extra)
    return proc, m


def _stop(proc):
    proc.terminate()
    proc.wait(timeout=10)
    if proc.stdout is not None:
        proc.stdout.close()


def _crawl(db_path, url, *args):
    res = run_cli("crawl", "shopfront", "--base-url", url, "-q", "gucci", *args, db_path=db_path)
    assert res.returncode == 0, res.stderr
    db = open_db(db_path)
    run_id = db.execute("SELECT MAX(id) FROM crawl_runs").fetchone()[0]
    db.close()
    return run_id


def test_changes_between_runs_are_versioned_and_queryable(tmp_path):
    db_path = tmp_path / "inc.db"
    assert run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db_path).returncode == 0
    (tmp_path / "e0").mkdir()
    proc, m0 = _serve(tmp_path / "e0")
    try:
        first = _crawl(db_path, m0.urls["shopfront"])
    finally:
        _stop(proc)
    (tmp_path / "e1").mkdir()
    proc, m1 = _serve(tmp_path / "e1", "--epoch", "1")
    try:
        partial_db = tmp_path / "partial.db"
        shutil.copy(db_path, partial_db)
        partial = _crawl(partial_db, m1.urls["shopfront"], "--no-browse")
        second = _crawl(db_path, m1.urls["shopfront"])
    finally:
        _stop(proc)
    labels = _labels(m1.labels)
    removed = {k for k, v in labels.items() if v["epoch_state"] == "removed"}
    changed = {k for k, v in labels.items() if v["epoch_state"] in ("price_changed", "title_changed")}
    assert removed and changed
    db = open_db(db_path)
    assert run_changes(db, first)["new"] == len(labels)
    got = run_changes(db, second)
    assert {lid for _, lid in run_listing_ids(db, second, "gone")} == removed
    assert {lid for _, lid in run_listing_ids(db, second, "changed")} == changed
    assert got["new"] == 0 and got["unchanged"] == len(labels) - len(removed) - len(changed)
    lid = sorted(changed)[0]
    versions = db.execute("SELECT version, title, price FROM listing_versions WHERE listing_id = ? ORDER BY version",
                          (lid,)).fetchall()
    assert len(versions) == 2 and versions[0][1:] != versions[1][1:], "the old title/price is kept as history"
    gone_now = db.execute("SELECT COUNT(*) FROM listings WHERE gone_run_id = ?", (second,)).fetchone()[0]
    assert gone_now == len(removed)
    db.close()
    pdb = open_db(partial_db)
    assert pdb.execute("SELECT scope FROM crawl_runs WHERE id = ?", (partial,)).fetchone()[0] == "partial"
    assert pdb.execute("SELECT COUNT(*) FROM listings WHERE gone_run_id IS NOT NULL").fetchone()[0] == 0, \
        "a run that searched only one term marks nothing gone"
    pdb.close()


def test_kill_9_then_rerun_loses_nothing(tmp_path):
    db_path = tmp_path / "k.db"
    assert run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db_path).returncode == 0
    proc, m = _serve(tmp_path)
    try:
        cmd = [sys.executable, "-m", "brandsweep.cli", "--db", str(db_path), "--quiet", "crawl", "shopfront",
               "--base-url", m.urls["shopfront"], "-q", "gucci"]
        child = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # kill it once some listings are in
            time.sleep(0.2)
            db = open_db(db_path)
            n = db.execute("SELECT COUNT(*) FROM listings").fetchone()[0]
            db.close()
            if n >= 10:
                break
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        _crawl(db_path, m.urls["shopfront"])
    finally:
        _stop(proc)
    db = open_db(db_path)
    runs = db.execute("SELECT status, scope FROM crawl_runs ORDER BY id").fetchall()
    stats = json.loads(db.execute("SELECT stats FROM crawl_runs ORDER BY id DESC").fetchone()[0])
    killed_stored = db.execute("SELECT COUNT(*) FROM run_listings WHERE run_id = 1").fetchone()[0]
    ids = [r[0] for r in db.execute("SELECT listing_id FROM listings")]
    leads = [r[0] for r in db.execute("SELECT listing_id FROM leads")]
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    db.close()
    assert runs == [("interrupted", "partial"), ("ok", "full")]
    assert sorted(ids) == sorted(_labels(m.labels)) and len(leads) == len(set(leads))
    assert integrity == "ok"
    # the rerun resumed: what the killed run stored counts as seen and its pages were not fetched again
    assert stats["brandsweep/resume/carried_over"] == killed_stored >= 10
    assert stats["brandsweep/resume/skipped"] >= 1
