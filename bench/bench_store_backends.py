"""Feed import throughput on SQLite and PostgreSQL, and rematch over the stored listings.

A generated feed (no images) is imported into a fresh store of each backend, alternating
backends each round so machine load hits both alike; then ``rematch`` re-scores the stored
listings. Prints listings/s per round and the median per backend, and the PostgreSQL/SQLite
ratio. The PostgreSQL server is a throwaway one started like the tests' (tests/pgserver.py).

    .venv/bin/python bench/bench_store_backends.py --size 5000 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from brandsweep.feed import import_feed  # noqa: E402
from brandsweep.rightsholder_catalog import build_matcher  # noqa: E402
from brandsweep.rightsholder_catalog.importer import import_catalog  # noqa: E402
from brandsweep.store import open_db  # noqa: E402
from brandsweep.store.ingest import rematch  # noqa: E402
from tests.pgserver import PostgresServer, pg_bin  # noqa: E402

SAMPLE = ROOT / "rightsholder_catalog" / "sample" / "catalog.json"


def make_feed(tmp: Path, size: int) -> Path:
    out = tmp / "fx"
    subprocess.run([sys.executable, "-m", "brandsweep.marketplace_fixtures", "generate", "--size", str(size),
                    "--seed", "11", "--out", str(out), "--no-images"], check=True, cwd=ROOT, capture_output=True)
    feed = out / "feed.jsonl"
    lines = [json.loads(x) for x in feed.read_text(encoding="utf-8").splitlines() if x.strip()]
    for x in lines:
        x["image_urls"] = []
    feed.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    return feed


def one_round(target: str, feed: Path) -> tuple[float, float, int]:
    db = open_db(target)
    try:
        import_catalog(db, SAMPLE)
        matcher = build_matcher(db)
        t0 = time.perf_counter()
        result = import_feed(db, feed, matcher)
        t1 = time.perf_counter()
        counts = rematch(db, matcher)
        t2 = time.perf_counter()
    finally:
        db.close()
    assert counts["listings"] == result.imported
    return result.imported / (t1 - t0), counts["listings"] / (t2 - t1), result.imported


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    bindir = pg_bin()
    if bindir is None:
        raise SystemExit("PostgreSQL binaries not found: install the Debian package postgresql")
    server = PostgresServer(bindir).start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            feed = make_feed(Path(tmp), args.size)
            res: dict[str, list[tuple[float, float]]] = {"sqlite": [], "postgresql": []}
            for r in range(args.rounds):
                order = ("sqlite", "postgresql") if r % 2 == 0 else ("postgresql", "sqlite")
                for backend in order:
                    target = str(Path(tmp) / f"r{r}.db") if backend == "sqlite" else server.new_database(f"r{r}")
                    imp, rem, n = one_round(target, feed)
                    res[backend].append((imp, rem))
                    print(f"round {r + 1} {backend:10s}: import {imp:7.0f} listings/s, rematch {rem:7.0f} listings/s"
                          f" ({n} listings)", flush=True)
            med = {b: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v)) for b, v in res.items()}
            for b, (imp, rem) in med.items():
                print(f"median {b:10s}: import {imp:7.0f} listings/s, rematch {rem:7.0f} listings/s")
            print(f"postgresql / sqlite: import {med['postgresql'][0] / med['sqlite'][0]:.2f}x, "
                  f"rematch {med['postgresql'][1] / med['sqlite'][1]:.2f}x")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
