"""kill -9 at random moments during a crawl, each followed by a rerun; the store must end equal to a
clean run's (issue 5): 0 lost, 0 duplicate listings or leads, ``PRAGMA integrity_check`` ok.

    python bench/kill_test.py [--listings 2000] [--kills 10] [--seed 1]

Starts the bundled marketplaces sized so shopfront has about ``--listings`` listings, crawls it once
cleanly into one store, then into a second store runs ``--kills`` cycles of: start the crawl,
SIGKILL it after a random delay (uniform over the clean crawl's duration), rerun it to the end and
compare with the clean store. By default the cycles share the second store (each kill hits a store
the previous cycles filled); ``--fresh`` empties it before every cycle. Prints one line per cycle and the totals.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import SAMPLE_CATALOG, start_marketplaces  # noqa: E402

SHOPFRONT_SHARE = 0.32  # of the generator's listings


def cli(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "brandsweep.cli", "--db", str(db), "--quiet", *args]


def crawl_cmd(db: Path, url: str) -> list[str]:
    return cli(db, "crawl", "shopfront", "--base-url", url, "-q", "gucci")


def fresh_store(template: Path, db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(db.with_name(db.name + ".blobs"), ignore_errors=True)
    shutil.copy(template, db)


def snapshot(db: Path) -> dict[str, object]:
    conn = sqlite3.connect(db)
    try:
        listings = conn.execute("SELECT platform, listing_id, content_hash FROM listings").fetchall()
        leads = conn.execute("SELECT lead_id, platform, listing_id, brand_id, active FROM leads").fetchall()
        matches = conn.execute("SELECT platform, listing_id, brand_id, is_lead FROM matches").fetchall()
        images = conn.execute("SELECT platform, listing_id, position, sha256 FROM listing_images").fetchall()
        missing_blobs = sum(1 for (_, _, _, sha) in images
                            if sha and not (db.with_name(db.name + ".blobs") / sha[:2] / sha).exists())
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    return {"listings": listings, "leads": leads, "matches": matches, "images": images,
            "missing_blobs": missing_blobs, "integrity": integrity}


def compare(clean: dict, got: dict) -> dict[str, int | str]:
    def keys(rows: list, n: int) -> list:
        return [r[:n] for r in rows]
    cl, gl = set(keys(clean["listings"], 2)), keys(got["listings"], 2)
    ce, ge = set(keys(clean["leads"], 3)), keys(got["leads"], 3)
    return {
        "lost_listings": len(cl - set(gl)),
        "extra_listings": len(set(gl) - cl),
        "dup_listings": len(gl) - len(set(gl)),
        "content_differs": len(set(clean["listings"]) ^ set(got["listings"])),
        "lost_leads": len(ce - set(ge)),
        "extra_leads": len(set(ge) - ce),
        "dup_leads": len(ge) - len(set(ge)) + (len(got["leads"]) - len({r[1:3] for r in got["leads"]})),
        "match_differs": len(set(clean["matches"]) ^ set(got["matches"])),
        "missing_blobs": int(got["missing_blobs"]),
        "integrity": str(got["integrity"]),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--listings", type=int, default=2000)
    ap.add_argument("--kills", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fresh", action="store_true",
                    help="start every cycle from an empty store (catalog only), so every kill can lose listings")
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    size = int(args.listings / SHOPFRONT_SHARE)
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        proc, m = start_marketplaces(tmp, "--size", str(size), "--seed", "7")
        try:
            url = m.urls["shopfront"]
            n_truth = sum(1 for line in m.labels.read_text(encoding="utf-8").splitlines() if '"shopfront"' in line)
            clean_db, kill_db = tmp / "clean.db", tmp / "killed.db"
            template = tmp / "template.db"
            subprocess.run(cli(template, "catalog", "import", str(SAMPLE_CATALOG)), check=True, cwd=ROOT,
                           stdout=subprocess.DEVNULL)
            for db in (clean_db, kill_db):
                fresh_store(template, db)
            t0 = time.monotonic()
            subprocess.run(crawl_cmd(clean_db, url), check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
            clean_s = time.monotonic() - t0
            clean = snapshot(clean_db)
            print(f"clean run: {len(clean['listings'])} listings (marketplace has {n_truth}), "
                  f"{len(clean['leads'])} leads, {clean_s:.1f} s")
            totals: dict[str, int] = {}
            bad_integrity = 0
            missed = 0
            for k in range(1, args.kills + 1):
                if args.fresh:
                    fresh_store(template, kill_db)
                delay = rnd.uniform(0.0, clean_s)
                while True:  # the kill must land while the crawl runs; a crawl that already ended is redone
                    started = time.monotonic()
                    child = subprocess.Popen(crawl_cmd(kill_db, url), cwd=ROOT, stdout=subprocess.DEVNULL,
                                             stderr=subprocess.DEVNULL)
                    while child.poll() is None and time.monotonic() - started < delay:
                        time.sleep(0.05)
                    if child.poll() is None:
                        os.kill(child.pid, signal.SIGKILL)
                        child.wait()
                        break
                    missed += 1
                    delay = rnd.uniform(0.0, time.monotonic() - started)
                    if args.fresh:
                        fresh_store(template, kill_db)
                before = len(snapshot(kill_db)["listings"])
                subprocess.run(crawl_cmd(kill_db, url), check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
                figures = compare(clean, snapshot(kill_db))
                for key, value in figures.items():
                    if key != "integrity":
                        totals[key] = totals.get(key, 0) + int(value)
                bad_integrity += figures["integrity"] != "ok"
                print(f"kill {k:2d} after {delay:5.1f} s ({before} listings stored when killed) -> rerun: "
                      + ", ".join(f"{key}={value}" for key, value in figures.items()))
            conn = sqlite3.connect(kill_db)
            statuses = conn.execute("SELECT status, COUNT(*) FROM crawl_runs GROUP BY status").fetchall()
            conn.close()
            print(f"runs in the killed store: {dict(statuses)}; kills that came after the crawl had ended and "
                  f"were redone with a shorter delay: {missed}")
            print("TOTAL " + ", ".join(f"{key}={value}" for key, value in totals.items())
                  + f", integrity_check_failures={bad_integrity}")
            ok = bad_integrity == 0 and all(v == 0 for v in totals.values())
            print("RESULT: " + ("store equals the clean run after every kill" if ok else "MISMATCH"))
            return 0 if ok else 1
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
