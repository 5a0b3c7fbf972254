"""Whole-program measures: crawl vs a bare Scrapy spider, 20,000 listings end to end, 2 workers vs 1.

crawl:   ``bench_crawl.py``'s two crawls of the bundled shopfront (full: store + image hashing +
         matching; bare: the same spider and pages under plain Scrapy, no pipeline), each in its own
         process, after one uncounted warm-up (the fixture server renders images on first request).
e2e:     a generated 20,000-listing feed through the CLI, one process per stage as a user runs it:
         catalog import, listings import (parse, match, store), rematch, leads export, HTML report.
         Time and peak RSS per stage (VmHWM of each stage's process); the generator is not ours to time.
         The feed's image references are dropped (generating 20,000 listings' images alone takes
         longer than the whole budget): image hashing is measured on its own.
workers: two ``brandsweep worker`` processes against one, on the same seeded shopfront crawl (Redis
         frontier, SQLite store); skipped with the reason when the worker is not in this tree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import ROOT, Row, alternate, fill
from tests.conftest import SAMPLE_CATALOG, start_marketplaces

CRAWL_TARGET = 0.9
E2E_LISTINGS = 20_000
E2E_SECONDS = 300
E2E_MIB = 1024
CLI = [sys.executable, "-m", "brandsweep.cli"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def crawl_row(rounds: int, size: int) -> Row:
    from bench.bench_crawl import run as crawl_once

    row = Row("crawl", f"shopfront crawl with store+matching ({size:,}-listing fixture)", unit="pages/s",
              baseline="bare Scrapy spider, same pages")
    with tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp_s:
        tmp = Path(tmp_s)
        proc, m = start_marketplaces(tmp, "--size", str(size), "--seed", "7")
        try:
            url = m.urls["shopfront"]
            template = tmp / "template.db"
            subprocess.run([*CLI, "--db", str(template), "--quiet", "catalog", "import", str(SAMPLE_CATALOG)],
                           check=True, cwd=ROOT, stdout=subprocess.DEVNULL, env=ENV)
            warm = crawl_once("bare", tmp / "warm.db", url)
            n = iter(range(1000))

            def side(mode: str) -> float:
                db = tmp / f"{mode}-{next(n)}.db"
                shutil.copy(template, db)
                out = crawl_once(mode, db, url)
                if mode == "full":
                    row.notes.setdefault("listings_stored", []).append(out["listings"])
                return out["pages"] / out["elapsed"]

            fill(row, alternate(rounds, lambda: side("full"), lambda: side("bare")), CRAWL_TARGET)
            row.notes["pages"] = warm["pages"]
            if not row.met:
                row.notes["why"] = ("both crawls run at the marketplace's configured concurrency and delay; "
                                    "see profile of the full crawl's process")
                row.profile = _profile_crawl(tmp, template, url)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return row


def _profile_crawl(tmp: Path, template: Path, url: str) -> list[str]:
    db = tmp / "profiled.db"
    shutil.copy(template, db)
    out = tmp / "crawl.prof"
    code = ("import cProfile\nfrom brandsweep.crawl import run_crawl\n"
            "prof = cProfile.Profile()\nprof.enable()\n"
            f"run_crawl({str(db)!r}, 'shopfront', base_url={url!r}, queries=['gucci'])\n"
            f"prof.disable()\nprof.dump_stats({str(out)!r})\n")
    script = tmp / "profile_child.py"  # from a file, not -c: Scrapy reads callbacks' source
    script.write_text(code, encoding="utf-8")
    res = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=ENV, capture_output=True, text=True,
                         timeout=600, check=False)
    if not out.exists():
        return [f"profile failed: {res.stderr.strip()[-300:]}"]
    import pstats

    stats = pstats.Stats(str(out))
    total = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
    entries = sorted(((ct, f, ln, fn) for (f, ln, fn), (_c, _n, _t, ct, _x) in stats.stats.items()  # type: ignore[attr-defined]
                      if "brandsweep" in f or "/work/" in f), reverse=True)
    return [f"{100 * ct / total:5.1f}% {ct:7.2f}s {fn} ({f.split('/')[-1]}:{ln})" for ct, f, ln, fn in entries[:8]]


# Runs the CLI in-process and, at exit, writes its peak RSS (VmHWM of its own memory map: getrusage's
# ru_maxrss would include the bench runner's peak, which Linux carries across fork and exec).
_LAUNCH = ("import atexit, runpy, sys\n"
           "out = sys.argv[1]\n"
           "def peak():\n"
           "    for line in open('/proc/self/status'):\n"
           "        if line.startswith('VmHWM:'):\n"
           "            open(out, 'w').write(line.split()[1])\n"
           "atexit.register(peak)\n"
           "sys.argv = ['brandsweep', *sys.argv[2:]]\n"
           "runpy.run_module('brandsweep.cli', run_name='__main__')\n")


def _stage(args: list[str], db: str | Path, tmp: Path) -> tuple[float, float, int]:
    """Run one CLI command; (seconds, peak RSS MiB of that process, exit code)."""
    peak = tmp / "peak.kib"
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _LAUNCH, str(peak), "--db", str(db), "--quiet", *args], cwd=ROOT,
                          env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    dt = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr.decode()[-800:]}")
    return dt, int(peak.read_text()) / 1024, proc.returncode


def e2e_rows(listings: int = E2E_LISTINGS) -> list[Row]:
    from bench.suite_store import make_feed

    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp_s:
        tmp = Path(tmp_s)
        feed = make_feed(tmp, listings, seed=5)
        db = tmp / "e2e.db"
        stages = [("catalog import", ["catalog", "import", str(SAMPLE_CATALOG)]),
                  ("listings import (match + store)", ["listings", "import", str(feed)]),
                  ("rematch", ["rematch"]),
                  ("leads export", ["leads", "export", "-o", str(tmp / "leads.csv")]),
                  ("HTML report", ["report", "-o", str(tmp / "report.html")])]
        times: dict[str, float] = {}
        peaks: dict[str, float] = {}
        for name, args in stages:
            times[name], peaks[name], _ = _stage(args, db, tmp)
        total = sum(times.values())
        peak = max(peaks.values())
        leads = sum(1 for _ in (tmp / "leads.csv").open(encoding="utf-8-sig")) - 1
    t = Row("e2e", f"{listings:,} listings end to end (time)", unit="s", baseline="target 300 s")
    t.ours, t.base, t.ratio = total, float(E2E_SECONDS), total / E2E_SECONDS
    t.target, t.met = "<= 1 (of 300 s)", total <= E2E_SECONDS
    t.notes = {"share_per_stage": {k: f"{100 * v / total:.0f}% ({v:.1f} s)" for k, v in times.items()},
               "leads": leads, "images": "feed image references dropped"}
    m = Row("e2e", f"{listings:,} listings end to end (peak RSS)", unit="MiB", baseline="target 1024 MiB")
    m.ours, m.base, m.ratio = peak, float(E2E_MIB), peak / E2E_MIB
    m.target, m.met = "<= 1 (of 1 GiB)", peak <= E2E_MIB
    m.notes = {"peak_rss_per_stage_mib": {k: round(v) for k, v in peaks.items()}}
    return [t, m]


def workers_row(rounds: int, size: int) -> Row:
    row = Row("workers", "2 workers vs 1 (distributed crawl)", unit="listings/s", baseline="1 worker")
    has_worker = subprocess.run([*CLI, "worker", "--help"], cwd=ROOT, env=ENV, capture_output=True).returncode == 0
    if not has_worker or not (ROOT / "tests" / "redisserver.py").exists():
        row.skipped = "`brandsweep worker` is not in this tree (distributed crawling, branch i14b, not merged)"
        return row
    from tests.redisserver import RedisServer, redis_binary  # type: ignore[import-not-found]

    binary = redis_binary()
    if binary is None:
        row.skipped = "redis-server not found (Debian package redis-server)"
        return row
    server = RedisServer(binary).start()
    with tempfile.TemporaryDirectory(prefix="bench-workers-") as tmp_s:
        tmp = Path(tmp_s)
        proc, m = start_marketplaces(tmp, "--size", str(size), "--seed", "7")
        try:
            url = m.urls["shopfront"]
            template = tmp / "template.db"
            subprocess.run([*CLI, "--db", str(template), "--quiet", "catalog", "import", str(SAMPLE_CATALOG)],
                           check=True, cwd=ROOT, stdout=subprocess.DEVNULL, env=ENV)
            n = iter(range(1000))

            def crawl(workers: int) -> float:
                server.flush()
                db = tmp / f"w{workers}-{next(n)}.db"
                shutil.copy(template, db)
                subprocess.run([*CLI, "--db", str(db), "--quiet", "crawl", "shopfront", "--base-url", url,
                                "--distributed", "--redis", server.url], check=True, cwd=ROOT, env=ENV,
                               capture_output=True)
                t0 = time.perf_counter()
                procs = [subprocess.Popen([*CLI, "--db", str(db), "--json", "worker", "--redis", server.url],
                                          cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
                         for _ in range(workers)]
                for p in procs:
                    p.communicate(timeout=900)
                dt = time.perf_counter() - t0
                import sqlite3

                con = sqlite3.connect(db)
                stored = con.execute("SELECT COUNT(*) FROM listings").fetchone()[0]
                con.close()
                return stored / dt

            crawl(1)  # warm-up: the fixture server renders images on first request
            fill(row, alternate(rounds, lambda: crawl(2), lambda: crawl(1)))
            row.notes["note"] = "both workers share this 2-core machine and one fixture server"
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            server.stop()
    return row


def dumps(rows: list[Row]) -> str:
    return json.dumps([r.as_dict() for r in rows])
