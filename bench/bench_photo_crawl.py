"""End-to-end cost of the photo engines in a crawl (issue 15): the same crawl with OCR and logos on
and off, alternating rounds in one run.

    python bench/bench_photo_crawl.py [--listings 2000] [--rounds 2] [--workers 1]

Serves the bundled marketplaces and crawls shopfront (all categories) into a fresh copy of a store
holding the sample catalog, each crawl in its own process (one reactor per process), once with the
``[matchers]`` photo keys at their defaults (``photo_max_images`` photos per listing read by
``photo_workers`` processes; ``--workers`` overrides) and once with ``photo_ocr = false`` and
``photo_logos = false``. The fixture marketplaces are generated with enough listings that shopfront
holds about ``--listings`` of them. Reported: listings stored per second of the crawl's elapsed
time, and the slowdown (seconds with engines / seconds without), per round and as the median;
photos read per crawl and the engines' share of them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import Row, alternate, fill  # noqa: E402
from tests.conftest import SAMPLE_CATALOG, start_marketplaces  # noqa: E402

CLI = [sys.executable, "-m", "brandsweep.cli"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
SHOPFRONT_SHARE = 0.33  # share of the generated listings that land on shopfront (measured: about a third)

CHILD = r"""
import json, sys
from brandsweep.crawl import run_crawl
from brandsweep.matchers import MatchConfig
db, url, matchers = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
s = run_crawl(db, "shopfront", base_url=url, matchers=MatchConfig.from_mapping(matchers))
st = s.stats
print(json.dumps({"elapsed": st.get("elapsed_time_seconds"), "listings": st.get("brandsweep/listings_stored", 0),
                  "images": st.get("brandsweep/images/hashed", 0), "read": st.get("brandsweep/photos/read", 0),
                  "text": st.get("brandsweep/photos/text_found", 0),
                  "logos": st.get("brandsweep/photos/logos_found", 0),
                  "timeout": st.get("brandsweep/photos/timeout", 0)}))
"""


def crawl(db: Path, url: str, matchers: dict[str, object]) -> dict[str, float]:
    script = db.with_name("photo_crawl_child.py")  # a file, not -c: Scrapy reads callbacks' source
    script.write_text(CHILD, encoding="utf-8")
    res = subprocess.run([sys.executable, str(script), str(db), url, json.dumps(matchers)], capture_output=True,
                         text=True, cwd=ROOT, check=True, env=ENV)
    return json.loads(res.stdout.strip().splitlines()[-1])


def copy_store(src: Path, dst: Path) -> None:
    """A copy of a SQLite store with its blob folder (the catalog's logo images live there: without
    them the crawl has no logo index and reads text only)."""
    shutil.copy(src, dst)
    blobs = src.with_name(src.name + ".blobs")
    if blobs.is_dir():
        shutil.copytree(blobs, dst.with_name(dst.name + ".blobs"))


def photo_crawl_row(rounds: int, listings: int, workers: int | None = None) -> Row:
    on: dict[str, object] = {} if workers is None else {"photo_workers": workers}
    off = {"photo_ocr": False, "photo_logos": False}
    row = Row("photo", f"shopfront crawl (~{listings:,} listings) with photo engines vs without", unit="listings/s",
              baseline="same crawl, photo_ocr and photo_logos off")
    with tempfile.TemporaryDirectory(prefix="bench-photo-crawl-") as tmp_s:
        tmp = Path(tmp_s)
        proc, m = start_marketplaces(tmp, "--size", str(round(listings / SHOPFRONT_SHARE)), "--seed", "7")
        try:
            url = m.urls["shopfront"]
            template = tmp / "template.db"
            subprocess.run([*CLI, "--db", str(template), "--quiet", "catalog", "import", str(SAMPLE_CATALOG)],
                           check=True, cwd=ROOT, stdout=subprocess.DEVNULL, env=ENV)
            copy_store(template, tmp / "warm.db")
            crawl(tmp / "warm.db", url, off)  # warm-up: the fixture server renders images on first request
            n = iter(range(1000))
            seen: dict[str, list[dict[str, float]]] = {"on": [], "off": []}

            def side(mode: str) -> float:
                db = tmp / f"{mode}-{next(n)}.db"
                copy_store(template, db)
                out = crawl(db, url, on if mode == "on" else off)
                print(f"photo crawl, engines {mode}: {json.dumps(out)}", file=sys.stderr, flush=True)  # kept if stopped
                seen[mode].append(out)
                return out["listings"] / out["elapsed"]

            fill(row, alternate(rounds, lambda: side("on"), lambda: side("off")))
            slow = sorted(a["elapsed"] / b["elapsed"] for a, b in zip(seen["on"], seen["off"], strict=True))
            row.notes = {"slowdown_x": [round(x, 2) for x in slow], "listings": [o["listings"] for o in seen["on"]],
                         "photos_read": [o["read"] for o in seen["on"]], "images": [o["images"] for o in seen["on"]],
                         "with_text": [o["text"] for o in seen["on"]], "with_logo": [o["logos"] for o in seen["on"]],
                         "timeouts": [o["timeout"] for o in seen["on"]],
                         "seconds_on": [round(o["elapsed"], 1) for o in seen["on"]],
                         "seconds_off": [round(o["elapsed"], 1) for o in seen["off"]],
                         "photo_workers": workers or "default"}
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--listings", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--workers", type=int, default=None, help="photo_workers (default: the [matchers] default)")
    args = ap.parse_args()
    row = photo_crawl_row(args.rounds, args.listings, args.workers)
    print(json.dumps(row.as_dict(), indent=2))


if __name__ == "__main__":
    main()
