"""The benchmark runner (``make bench``): every measure of issues 14 and 16 against its baseline, in one run.

    .venv/bin/python -m bench.run [--only text,image,...] [--rounds 3] [--out bench/results/latest.json]

Each measure alternates ours and the baseline for ``--rounds`` rounds (median and spread of the
round ratios; see bench/harness.py). Sections, in order:

- ``inserts``  feed import with matching vs raw sqlite3 ``executemany`` / PostgreSQL ``COPY`` (suite_store)
- ``text``     titles/s at 100 / 1k / 10k / 100k brands vs an extractOne loop and an Aho-Corasick scan,
               recall vs exhaustive cdist (suite_matchers)
- ``image``    hashing vs imagehash.phash; index query at 1e5 / 1e6 / 1e7 vs numpy and faiss (suite_matchers)
- ``e2e``      20,000 listings end to end: time, peak RSS, share per stage (suite_crawl)
- ``crawl``    crawl with store + matching vs a bare Scrapy spider (suite_crawl)
- ``workers``  2 workers vs 1, skipped when ``brandsweep worker`` is absent (suite_crawl)
- ``photo``    a ~2,000-listing crawl with the photo engines (OCR, logos) vs without (bench_photo_crawl);
               one round by default (``--photo-rounds``): each round is two crawls of several minutes

A section that fails is recorded with its error and the others still run. Results go to
``bench/results/latest.json`` (written whole or not at all) and are printed as a Markdown table;
where a target is missed the row carries the top cumulative functions of a profile.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import Row, machine, table, write_results  # noqa: E402

SECTIONS = ("inserts", "text", "image", "e2e", "crawl", "workers", "photo")


def sections(args: argparse.Namespace) -> dict[str, Callable[[], list[Row]]]:
    from bench import bench_photo_crawl, suite_crawl, suite_matchers, suite_store

    r = args.rounds
    return {
        "inserts": lambda: suite_store.run(r, args.feed_size, suite_store.start_pg),
        "text": lambda: suite_matchers.text_rows(r, tuple(args.terms), args.titles, args.naive_budget,
                                                 args.recall_titles),
        "image": lambda: [suite_matchers.hashing_row(r),
                          *suite_matchers.index_rows(r, tuple(args.hashes), args.query_budget)],
        "e2e": lambda: suite_crawl.e2e_rows(args.e2e_listings),
        "crawl": lambda: [suite_crawl.crawl_row(r, args.crawl_size)],
        "workers": lambda: [suite_crawl.workers_row(r, args.crawl_size)],
        "photo": lambda: [bench_photo_crawl.photo_crawl_row(args.photo_rounds, args.photo_listings)],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections of {', '.join(SECTIONS)}")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    ap.add_argument("--feed-size", type=int, default=5000, help="listings in the insert benchmark's feed")
    ap.add_argument("--terms", type=int, nargs="+", default=[100, 1000, 10_000, 100_000])
    ap.add_argument("--titles", type=int, default=2000, help="real titles matched per round")
    ap.add_argument("--naive-budget", type=float, default=2.0, help="seconds of extractOne per round")
    ap.add_argument("--recall-titles", type=int, default=1000)
    ap.add_argument("--hashes", type=float, nargs="+", default=[1e5, 1e6, 1e7])
    ap.add_argument("--query-budget", type=float, default=1.5, help="seconds of index queries per side and round")
    ap.add_argument("--e2e-listings", type=int, default=20_000)
    ap.add_argument("--crawl-size", type=int, default=500, help="listings of the crawled fixture marketplaces")
    ap.add_argument("--photo-listings", type=int, default=2000, help="shopfront listings of the photo crawl")
    ap.add_argument("--photo-rounds", type=int, default=1, help="rounds of the photo crawl (two crawls each)")
    args = ap.parse_args(argv)
    args.hashes = [int(h) for h in args.hashes]
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(chosen) - set(SECTIONS)
    if unknown:
        ap.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    meta = {"started": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine(),
            "rounds": args.rounds, "argv": sys.argv[1:] if argv is None else argv, "seconds": {}}
    rows: list[Row] = []
    todo = sections(args)
    t_all = time.perf_counter()
    for name in chosen:
        t0 = time.perf_counter()
        print(f"== {name} ...", flush=True)
        try:
            got = todo[name]()
        except Exception as exc:
            got = [Row(name, "(section failed)", skipped=f"error: {type(exc).__name__}: {exc}",
                       notes={"traceback": traceback.format_exc()[-2000:]})]
        rows += got
        meta["seconds"][name] = round(time.perf_counter() - t0, 1)
        print(table(got), flush=True)
        for r in got:
            for line in r.profile:
                print(f"   profile {r.name}: {line}")
        write_results(args.out, rows, meta)  # after every section: a cut-short run keeps what it measured
    meta["seconds"]["total"] = round(time.perf_counter() - t_all, 1)
    meta["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    meta["machine"]["load_average_at_end"] = [round(x, 2) for x in __import__("os").getloadavg()]
    write_results(args.out, rows, meta)
    print(f"\n== all ({meta['seconds']['total']} s; load average at start "
          f"{meta['machine']['load_average_at_start']}, at end {meta['machine']['load_average_at_end']})")
    print(table(rows))
    print(f"results: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
