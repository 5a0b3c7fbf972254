"""Inserts: a feed import with matching against raw inserts of the same listing rows (issue 16).

- SQLite: ``import_feed`` (parse, match against the sample catalog in one worker process per core,
  store listings, versions, run changes, sellers and verdicts, in batched transactions) into a fresh
  store, against a raw ``sqlite3`` ``executemany`` of the same feed's rows into the same ``listings``
  table of a fresh store, in one transaction. Both parse the same JSON lines. The same rounds also
  run the import matching in its own process (``workers=1``), reported in the notes.
- PostgreSQL (when a throwaway server can be started, as tests/pgserver.py does): the same import
  against ``COPY`` of the same rows into ``listings``.

The feed is a generated marketplace feed (sample catalog, image references dropped: image hashing
is measured on its own).
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.harness import ROOT, Row, alternate, fill, profile_top, profiled
from brandsweep.feed import import_feed
from brandsweep.matchers.types import MatchResult
from brandsweep.rightsholder_catalog import build_matcher
from brandsweep.rightsholder_catalog.importer import import_catalog
from brandsweep.store import open_db
from brandsweep.store.matchpool import default_workers

SAMPLE = ROOT / "rightsholder_catalog" / "sample" / "catalog.json"
COLUMNS = ("platform", "listing_id", "url", "title", "description", "price", "currency", "seller_id", "seller_name",
           "seller_location", "sales_count", "image_urls", "captured_at", "first_seen", "last_seen",
           "content_hash", "version")
TARGET = 0.3


def make_feed(tmp: Path, size: int, seed: int = 11) -> Path:
    out = tmp / f"fx{size}"
    subprocess.run([sys.executable, "-m", "brandsweep.marketplace_fixtures", "generate", "--size", str(size),
                    "--seed", str(seed), "--out", str(out), "--no-images"], check=True, cwd=ROOT,
                   capture_output=True)
    feed = out / "feed.jsonl"
    lines = [json.loads(x) for x in feed.read_text(encoding="utf-8").splitlines() if x.strip()]
    for x in lines:
        x["image_urls"] = []
    feed.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    return feed


def raw_rows(feed: Path) -> list[tuple]:
    """The feed's rows as a plain loader would write them (parse each line, no checks, no matching)."""
    now = "2026-12-01T00:00:00+00:00"
    rows = []
    with feed.open(encoding="utf-8") as fh:
        for line in fh:
            o = json.loads(line)
            rows.append((o["platform"], o["listing_id"], o["url"], o["title"], o.get("description"), o.get("price"),
                         o.get("currency"), o.get("seller_id"), o.get("seller_name"), o.get("seller_location"),
                         o.get("sales_count"), json.dumps(o.get("image_urls") or []), o.get("captured_at"), now, now,
                         "", 1))
    return rows


def fresh_store(target: str) -> str:
    db = open_db(target)
    import_catalog(db, SAMPLE)
    db.close()
    return target


class NoMatch:
    """A matcher that finds nothing: what the import costs without matching (for the profile note)."""

    def match(self, view: object) -> MatchResult:
        return MatchResult()


def ours_once(target: str, feed: Path, *, matching: bool = True, workers: int = 1) -> float:
    """Listings/s of one import; the clock includes starting and stopping the worker processes."""
    db = open_db(target)
    try:
        matcher = build_matcher(db) if matching else NoMatch()
        t0 = time.perf_counter()
        res = import_feed(db, feed, matcher, workers=workers)  # type: ignore[arg-type]
        dt = time.perf_counter() - t0
    finally:
        db.close()
    return res.imported / dt


def alternate_sides(rounds: int, sides: dict[str, Callable[[], float]]) -> list[dict[str, float]]:
    """Every side once per round, the order reversed every other round (like harness.alternate)."""
    out = []
    for r in range(rounds):
        names = list(sides) if r % 2 == 0 else list(reversed(sides))
        out.append({name: sides[name]() for name in names})
    return out


def matching_share(fn: Callable[[], object]) -> float:
    """The share of ``fn``'s profiled time spent in ``Matcher.match`` (cumulative)."""
    entries, total = profiled(fn)
    match = sum(ct for ct, file, _line, func in entries if func == "match" and file.endswith("matchers/score.py"))
    return match / total


def sqlite_raw_once(path: str, feed: Path) -> float:
    t0 = time.perf_counter()
    rows = raw_rows(feed)
    con = sqlite3.connect(path)
    with con:
        con.executemany(f"INSERT INTO listings ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                        rows)
    con.close()
    return len(rows) / (time.perf_counter() - t0)


def pg_copy_once(url: str, feed: Path) -> float:
    import psycopg

    t0 = time.perf_counter()
    rows = raw_rows(feed)
    with psycopg.connect(url) as con, con.cursor() as cur:
        with cur.copy(f"COPY listings ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    return len(rows) / (time.perf_counter() - t0)


def run(rounds: int, size: int, pg_server_factory: Callable[[], object | None]) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp_s:
        tmp = Path(tmp_s)
        feed = make_feed(tmp, size)
        n = iter(range(10_000))
        template = fresh_store(str(tmp / "template.db"))

        def sqlite_target() -> str:
            path = tmp / f"s{next(n)}.db"
            path.write_bytes(Path(template).read_bytes())
            return str(path)

        workers = default_workers()
        row = Row("inserts", f"feed import with matching, SQLite ({size:,} listings, {workers} matching "
                  "processes)", unit="listings/s", baseline="raw sqlite3 executemany")
        sides = alternate_sides(rounds, {
            "base": lambda: sqlite_raw_once(sqlite_target(), feed),
            "ours": lambda: ours_once(sqlite_target(), feed, workers=workers),
            "one": lambda: ours_once(sqlite_target(), feed, workers=1)})
        for r in sides:
            r["ratio"] = r["ours"] / r["base"]
            r["ratio_one_process"] = r["one"] / r["base"]
        fill(row, sides, TARGET)
        one = sorted(r["ratio_one_process"] for r in sides)
        one_rate = statistics.median(r["one"] for r in sides)
        row.notes["one_process"] = (f"matching in the importing process: {one_rate:,.0f} listings/s = "
                                    f"{statistics.median(one):.3f}x executemany "
                                    f"({one[0]:.3f}-{one[-1]:.3f}), same rounds")
        row.notes["load_average"] = [round(x, 1) for x in os.getloadavg()]
        if not row.met:
            target = sqlite_target()
            db = open_db(target)
            matcher = build_matcher(db)
            # the profile of the one-process import: with workers, this process only waits for them
            row.profile = profile_top(lambda: import_feed(db, feed, matcher))
            share = matching_share(lambda: import_feed(db, feed, matcher))
            db.close()
            bare = ours_once(sqlite_target(), feed, matching=False)
            row.notes["matching_share"] = f"{share:.0%} of the one-process import's profiled time is Matcher.match"
            row.notes["without_matching"] = (f"{bare:,.0f} listings/s = {bare / row.base:.2f}x executemany "
                                             "(one round): storing alone")
        rows.append(row)

        pg_row = Row("inserts", f"feed import with matching, PostgreSQL ({size:,} listings, {workers} matching "
                     "processes)", unit="listings/s",
                     baseline="COPY")
        server = None
        try:
            server = pg_server_factory()
        except Exception as exc:  # no binaries, no postgres account, did not start
            pg_row.skipped = f"PostgreSQL server could not be started: {exc}"
        if server is None and not pg_row.skipped:
            pg_row.skipped = "PostgreSQL binaries not found (Debian package postgresql)"
        if server is not None:
            try:
                def pg_target() -> str:
                    return fresh_store(server.new_database(f"b{next(n)}"))  # type: ignore[attr-defined]

                fill(pg_row, alternate(rounds, lambda: ours_once(pg_target(), feed, workers=workers),
                                       lambda: pg_copy_once(pg_target(), feed)))
                pg_row.notes["target"] = "none set by the issue for COPY; shown for scale"
            finally:
                server.stop()  # type: ignore[attr-defined]
        rows.append(pg_row)
    return rows


def start_pg() -> object | None:
    from tests.pgserver import PostgresServer, pg_bin

    bindir = pg_bin()
    if bindir is None:
        return None
    return PostgresServer(bindir).start()
