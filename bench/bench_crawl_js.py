"""Memory of a long JavaScript crawl (issue 5): ~2,000 listing pages rendered in Chromium must not
make the crawler's memory grow without bound; and a browser killed mid-crawl is restarted.

    python bench/bench_crawl_js.py [--listings 2000] [--crash-at 500]

Serves the bundled marketplaces sized so jsmall has about ``--listings`` listings and crawls it with
``brandsweep crawl jsmall --no-search`` (every listing page and store rendered). Every 2 s it samples
the resident memory (RSS) of the crawl process and of all its Chromium processes, with the number
of listings stored so far. With ``--crash-at N`` it SIGKILLs the browser's main process once N
listings are stored. Prints the samples at each tenth of the crawl and the result.
"""

from __future__ import annotations

import argparse
import os
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

JSMALL_SHARE = 0.145


def children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append(int(entry))
    return out


def tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(children(p))
    return seen


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def stored(db: Path) -> int:
    try:
        conn = sqlite3.connect(db, timeout=5)
        try:
            return conn.execute("SELECT COUNT(*) FROM listings WHERE platform = 'jsmall'").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return -1


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--listings", type=int, default=2000)
    ap.add_argument("--crash-at", type=int, default=0, help="kill the browser once this many listings are stored")
    args = ap.parse_args()
    size = int(args.listings / JSMALL_SHARE)
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        server, m = start_marketplaces(tmp, "--size", str(size), "--seed", "7")
        try:
            n_truth = sum(1 for line in m.labels.read_text(encoding="utf-8").splitlines() if '"jsmall"' in line)
            db = tmp / "js.db"
            subprocess.run([sys.executable, "-m", "brandsweep.cli", "--db", str(db), "--quiet", "catalog", "import",
                            str(SAMPLE_CATALOG)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
            t0 = time.monotonic()
            crawl = subprocess.Popen([sys.executable, "-m", "brandsweep.cli", "--db", str(db), "--quiet", "crawl",
                                      "jsmall", "--base-url", m.urls["jsmall"], "--no-search"], cwd=ROOT,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            samples: list[tuple[float, int, float, float]] = []
            crashed = False
            while crawl.poll() is None:
                time.sleep(2)
                pids = tree(crawl.pid)
                browser = [p for p in pids if "chrom" in cmdline(p)]
                n = stored(db)
                samples.append((time.monotonic() - t0, n, rss_mib(crawl.pid), sum(rss_mib(p) for p in browser)))
                if len(samples) % 15 == 1:
                    t, k, a, b = samples[-1]
                    print(f"  {t:6.0f} s: {k} listings stored, crawler {a:.0f} MiB, browser {b:.0f} MiB "
                          f"({len(browser)} processes)", flush=True)
                if args.crash_at and not crashed and n >= args.crash_at and browser:
                    main_browser = min(browser)
                    os.kill(main_browser, signal.SIGKILL)
                    crashed = True
                    print(f"killed the browser (pid {main_browser}) at {n} listings stored")
            out, err = crawl.communicate()
            took = time.monotonic() - t0
            final = stored(db)
            print(f"jsmall has {n_truth} listings; stored {final} in {took:.0f} s; exit {crawl.returncode}")
            print(out.strip())
            if crawl.returncode:
                print(err[-2000:])
            print(f"{'time s':>7} {'stored':>7} {'crawler RSS MiB':>16} {'browser RSS MiB':>16}")
            step = max(1, len(samples) // 10)
            for s in samples[::step] + samples[-1:]:
                print(f"{s[0]:7.0f} {s[1]:7d} {s[2]:16.0f} {s[3]:16.0f}")
            if len(samples) >= 8:
                q = len(samples) // 4
                first = max(s[2] + s[3] for s in samples[q:2 * q])
                last = max(s[2] + s[3] for s in samples[3 * q:])
                print(f"peak total RSS, 2nd quarter {first:.0f} MiB vs last quarter {last:.0f} MiB "
                      f"(growth {100 * (last - first) / first:+.0f} %)")
            return 0 if final == n_truth and crawl.returncode == 0 else 1
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
