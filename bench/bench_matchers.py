"""Matcher throughput on one core, each figure next to its naive baseline measured in the same run.

    python bench/bench_matchers.py [--real DIR] [--terms 10000] [--titles 20000] [--hashes 1000000]

text:  Matcher.match over real Flipkart titles against a catalog of ~10,000 brand terms (every
       Flipkart brand, topped up with brand-like names made of title words). Baseline: a rapidfuzz
       ``process.extractOne`` over all terms per title; it is measured on a sample of titles and
       extrapolated per title (said so in the output).
image: ImageIndex.query over N catalog hash entries (64-bit chunks; a catalog image contributes up
       to 15). Baseline: a Python loop of imagehash subtraction, measured on a sample of entries and
       extrapolated to N.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import statistics
import sys
import time
from pathlib import Path

import imagehash
import numpy as np
from rapidfuzz import fuzz, process, utils

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from brandsweep.matchers import MatchConfig, Matcher
from brandsweep.matchers.image import ImageIndex
from brandsweep.matchers.types import Brand, ListingView

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "real"


def catalog(titles: list[str], brands_seen: list[str], n_terms: int, rng: random.Random) -> list[Brand]:
    names = list(dict.fromkeys(b for b in brands_seen if b))
    words = sorted({w for t in titles for w in re.findall(r"[A-Za-z]{4,}", t)})
    out = [Brand(f"b{i}", name, "bench") for i, name in enumerate(names)]
    seen = {n.casefold() for n in names}
    while len(out) < n_terms:
        name = rng.choice(words).capitalize() + rng.choice(words).lower()
        if name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(Brand(f"b{len(out)}", name, "bench"))
    return out


def bench_text(real: Path, n_terms: int, n_titles: int, baseline_sample: int) -> None:
    path = real / "flipkart_20k.csv"
    if not path.exists():
        print(f"text: skipped, {path} not found")
        return
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    titles = [r["product_name"] for r in rows][:n_titles]
    rng = random.Random(4)
    brands = catalog(titles, [r["brand"].strip() for r in rows], n_terms, rng)
    t0 = time.perf_counter()
    matcher = Matcher(brands, [], MatchConfig())
    build = time.perf_counter() - t0
    terms = [t.text for t in matcher.text.terms]
    views = [ListingView("flipkart", str(i), t) for i, t in enumerate(titles)]
    t0 = time.process_time()
    for v in views:  # the first pass fills the per-token memos
        matcher.match(v)
    cold = len(views) / (time.process_time() - t0)
    # CPU time of this process: a rate per core that other jobs on the machine do not dilute
    t0 = time.process_time()
    for v in views:
        matcher.match(v)
    elapsed = time.process_time() - t0
    rate = len(views) / elapsed
    analyzed = [matcher.normalizer.analyze(t) for t in titles]
    t0 = time.process_time()
    for a in analyzed:
        matcher.text.find(a)
    find_rate = len(analyzed) / (time.process_time() - t0)
    print(f"text: {len(brands):,} brands -> {len(terms):,} indexed terms (built in {build:.1f}s); "
          f"{len(views):,} real titles")
    print(f"  Matcher.match            {rate:10,.0f} titles/s per core ({elapsed / len(views) * 1e6:,.0f} us/title; "
          f"first pass {cold:,.0f}/s; target >= 20,000/s)")
    print(f"  TextIndex.find alone     {find_rate:10,.0f} titles/s per core (target >= 20,000/s)")
    sample = titles[:baseline_sample]
    names = [b.name for b in brands]
    t0 = time.process_time()
    for t in sample:
        process.extractOne(t, names, scorer=fuzz.WRatio, processor=utils.default_process)
    per = (time.process_time() - t0) / len(sample)
    print(f"  naive extractOne(WRatio) {1 / per:10,.1f} titles/s  (measured on {len(sample)} titles, "
          f"extrapolated per title)")
    print(f"  ratio                    {rate * per:10,.0f}x faster than the naive baseline")


def bench_image(n_hashes: int, baseline_sample: int, queries: int) -> None:
    rng = np.random.default_rng(7)
    values = rng.integers(0, 2**63, size=n_hashes, dtype=np.uint64) * np.uint64(2) + rng.integers(
        0, 2, size=n_hashes, dtype=np.uint64)
    index = ImageIndex([])
    index._hashes = values
    index._owners = np.arange(n_hashes, dtype=np.int64)
    query_text = [f"{int(v):016x}" for v in rng.integers(0, 2**63, size=queries, dtype=np.uint64)]
    index.query(query_text[0])
    times = []
    for q in query_text:
        t0 = time.perf_counter()
        index.query(q)
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print(f"image: ImageIndex over {n_hashes:,} 64-bit hash entries, both orientations, {queries} queries")
    print(f"  vectorised XOR+popcount  {med * 1000:10.2f} ms/query (median; target <= 20 ms)")
    sample = [imagehash.hex_to_hash(f"{int(v):016x}") for v in values[:baseline_sample]]
    q = imagehash.hex_to_hash(query_text[0])
    t0 = time.perf_counter()
    best = min(q - h for h in sample)
    per = (time.perf_counter() - t0) / len(sample)
    del best
    naive = per * n_hashes
    print(f"  naive imagehash loop     {naive * 1000:10.0f} ms/query (one orientation; measured on "
          f"{len(sample):,} hashes, extrapolated to {n_hashes:,})")
    print(f"  ratio                    {naive / med:10,.0f}x faster than the naive baseline")
    per_image = 15
    print(f"  note: a catalog image stores up to {per_image} chunks, so {n_hashes:,} entries = "
          f"{n_hashes // per_image:,} catalog images; query time grows linearly with entries")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--real", type=Path, default=REAL)
    ap.add_argument("--terms", type=int, default=10_000, help="brands in the synthetic catalog")
    ap.add_argument("--titles", type=int, default=20_000)
    ap.add_argument("--text-baseline-sample", type=int, default=100)
    ap.add_argument("--hashes", type=int, default=1_000_000)
    ap.add_argument("--image-baseline-sample", type=int, default=20_000)
    ap.add_argument("--queries", type=int, default=50)
    args = ap.parse_args(argv)
    bench_text(args.real, args.terms, args.titles, args.text_baseline_sample)
    bench_image(args.hashes, args.image_baseline_sample, args.queries)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
