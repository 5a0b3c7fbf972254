"""Generation time and peak memory of the fixture generator (issue 3: 100,000 listings, <= 60 s, <= 1 GiB).

    python bench/bench_fixtures.py [--size 100000] [--images 200]

Measures: planning + building every listing with its label (what `generate` and the matcher
benchmark do), the search index of the largest marketplace (what `serve` builds on the first query),
and image rendering for a sample (images are rendered on demand, one per request).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from brandsweep.marketplace_fixtures import ImageMaker, generate
from brandsweep.marketplace_fixtures.search import SearchIndex


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--images", type=int, default=200)
    args = ap.parse_args()
    t0 = time.perf_counter()
    gen = generate(None, args.size, 1)
    t_plan = time.perf_counter() - t0
    n = 0
    for listing in gen.listings():
        n += bool(listing["label"]["case_kind"])
    t_all = time.perf_counter() - t0
    print(f"listings: {n:,}  plan: {t_plan:.2f} s  plan+build all listings and labels: {t_all:.2f} s  "
          f"peak RSS: {peak_mib():.0f} MiB")
    t1 = time.perf_counter()
    idx = SearchIndex(gen, "shopfront")
    hits = len(idx.search("nike"))
    print(f"shopfront search index ({len(gen.by_platform['shopfront']):,} listings): "
          f"{time.perf_counter() - t1:.2f} s, 'nike' -> {hits} hits, peak RSS: {peak_mib():.0f} MiB")
    maker = ImageMaker(gen.catalog)
    t2 = time.perf_counter()
    k = 0
    for i in range(args.images):
        for ref in gen.listing(i)["images"]:
            maker.render(ref)
            k += 1
    dt = time.perf_counter() - t2
    print(f"images: {k} rendered in {dt:.2f} s ({1000 * dt / max(k, 1):.1f} ms each), peak RSS: {peak_mib():.0f} MiB")
    ok = t_all <= 60 and peak_mib() <= 1024
    print("target (<= 60 s, <= 1 GiB):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
