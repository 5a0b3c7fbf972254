"""``brandsweep demo``: the whole job on the bundled test marketplaces and the sample catalog.

Starts the four test marketplaces (real HTTP servers on free loopback ports, in a child process),
imports the sample catalog, crawls all four at once (one ``brandsweep crawl`` child process each:
a Scrapy reactor runs once per process; the JavaScript one in Chromium, the API one with its key
from the environment), matches (with the configuration file's ``[matchers]`` weights, when one
is given), writes ``out/leads.csv``, and scores the leads against the marketplaces' ground truth.
The server is stopped however the demo ends.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from brandsweep.fixtures_server import BUNDLED, bundled_marketplaces
from brandsweep.reports.export import export
from brandsweep.rightsholder_catalog import import_catalog
from brandsweep.store import open_db

SAMPLE_CATALOG = Path(__file__).resolve().parent.parent / "rightsholder_catalog" / "sample" / "catalog.json"
DEMO_MARKETPLACES = BUNDLED
# How each is crawled in the demo: the JS marketplace walks its full grid instead of rendering one
# grid per catalog term in the browser (the same listings, a fraction of the time).
CRAWL_ARGS = MappingProxyType({"jsmall": ("--no-search",)})
CRAWL_TIMEOUT_S = 1200.0  # all four crawls together (reading photos, issue 15, makes them slower); then reported
DEMO_API_KEY = "fixtures-api-key"  # the bundled partner API's key


@dataclass(frozen=True, slots=True)
class Quality:
    listings_total: int
    listings_seen: int
    true_pos: int
    false_pos: int
    false_neg: int
    brand_right: int

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_pos + self.false_neg
        return self.true_pos / expected if expected else 1.0


def score_against_labels(db: Any, labels_path: Path, platform: str) -> Quality:
    """Compare the store's leads with the ground truth; unseen expected leads count as missed."""
    labels = [json.loads(line) for line in labels_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    labels = [lb for lb in labels if lb["platform"] == platform]
    stored = {r["listing_id"] for r in db.query("SELECT listing_id FROM listings WHERE platform = ?", [platform])}
    leads = {
        r["listing_id"]: r["brand_id"]
        for r in db.query("SELECT listing_id, brand_id FROM leads WHERE platform = ? AND active = 1", [platform])
    }
    tp = fp = fn = brand_right = 0
    for lb in labels:
        lid = str(lb["listing_id"])
        if lb["expected_lead"]:
            if lid in leads:
                tp += 1
                brand_right += int(leads[lid] == lb["expected_brand"])
            else:
                fn += 1
        elif lid in leads:
            fp += 1
    return Quality(len(labels), len(stored & {str(lb["listing_id"]) for lb in labels}), tp, fp, fn, brand_right)


def crawl_all(db_path: str, urls: dict[str, str], log_dir: Path,
              config_path: str | None = None) -> dict[str, dict[str, Any]]:
    """Crawl every demo marketplace in its own child process, all at once; their runs from the store.
    ``config_path``: the configuration file the crawls read (its ``[matchers]`` weights score them)."""
    env = {**os.environ, "BRANDSWEEP_PARTNERAPI_KEY": os.environ.get("BRANDSWEEP_PARTNERAPI_KEY", DEMO_API_KEY)}
    procs = []
    conf = ["--config", os.path.abspath(config_path)] if config_path else []
    for name in DEMO_MARKETPLACES:
        cmd = [sys.executable, "-m", "brandsweep.cli", "--db", db_path, *conf, "--quiet", "crawl", name,
               "--base-url", urls[name], *CRAWL_ARGS.get(name, ())]
        log = (log_dir / f"demo-crawl-{name}.log").open("wb")
        procs.append((name, subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env), log))
    deadline = time.monotonic() + CRAWL_TIMEOUT_S
    try:
        for _name, proc, _log in procs:
            with contextlib.suppress(subprocess.TimeoutExpired):  # reported below as not finished
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
    finally:
        for _name, proc, log in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            log.close()
    db = open_db(db_path)
    try:
        runs = {}
        for name in DEMO_MARKETPLACES:
            row = db.execute("SELECT status, stats FROM crawl_runs WHERE marketplace = ? ORDER BY id DESC LIMIT 1",
                             (name,)).fetchone()
            runs[name] = {"status": row[0] if row else "not started", "stats": json.loads(row[1]) if row else {}}
    finally:
        db.close()
    return runs


def run_demo(db_path: str, *, size: int, seed: int, out_dir: Path, echo: Callable[[str], None],
             config_path: str | None = None) -> Quality:
    out_dir.mkdir(parents=True, exist_ok=True)
    labels = out_dir / "demo-labels.jsonl"
    db = open_db(db_path)
    summary = import_catalog(db, SAMPLE_CATALOG)
    echo(f"catalog: {summary.brands} brands, {summary.marks} marks, {summary.products} products, "
         f"{summary.images} images from {SAMPLE_CATALOG.name}")
    db.close()
    with bundled_marketplaces(out_dir / "demo-marketplace.log", size=size, seed=seed, labels=labels) as urls:
        echo(f"test marketplaces ({size} listings, seed {seed}): "
             + ", ".join(f"{m} at {urls[m]}" for m in DEMO_MARKETPLACES) + "; crawling all four ...")
        runs = crawl_all(db_path, urls, out_dir, config_path)
    failed = [f"{m} ({r['status']}, see {out_dir / f'demo-crawl-{m}.log'})" for m, r in runs.items()
              if r["status"] != "ok"]
    if failed:
        echo("crawls that did not finish cleanly: " + "; ".join(failed))
    db = open_db(db_path)
    leads_csv = out_dir / "leads.csv"
    n_leads = export(db, leads_csv, leads_only=True).rows
    per_market = {m: score_against_labels(db, labels, m) for m in DEMO_MARKETPLACES}
    quality = Quality(*(sum(getattr(q, f) for q in per_market.values()) for f in Quality.__dataclass_fields__))
    by_brand = Counter(
        r["brand"] or "(none)"
        for r in db.query(
            "SELECT b.name AS brand FROM leads l LEFT JOIN brands b ON b.id = l.brand_id WHERE l.active = 1")
    )
    db.close()
    totals = {key: sum(int(r["stats"].get(key, 0)) for r in runs.values())
              for key in ("downloader/response_count", "brandsweep/photos/read", "brandsweep/photos/text_found",
                          "brandsweep/photos/logos_found", "brandsweep/photos/timeout")}
    _print_summary(echo, totals, quality, by_brand, n_leads, leads_csv, per_market)
    return quality


def _print_summary(echo: Callable[[str], None], stats: dict[str, Any], q: Quality, by_brand: Counter[str],
                   n_leads: int, leads_csv: Path, per_market: dict[str, Quality]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    table = Table(title="brandsweep demo", show_header=True)
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("pages fetched", str(stats.get("downloader/response_count", 0)))
    table.add_row("listings seen", f"{q.listings_seen} of {q.listings_total}")
    photos = {k.rsplit("/", 1)[-1]: stats.get(k, 0) for k in stats if k.startswith("brandsweep/photos/")}
    table.add_row("photos read", f"{photos.get('read', 0)}  ({photos.get('text_found', 0)} with text, "
                  f"{photos.get('logos_found', 0)} with a logo, {photos.get('timeout', 0)} timed out)")
    table.add_row("leads", str(n_leads))
    table.add_row("lead precision", f"{q.precision:.3f}  ({q.true_pos} right, {q.false_pos} wrong)")
    table.add_row("lead recall", f"{q.recall:.3f}  ({q.true_pos} found, {q.false_neg} missed)")
    table.add_row("brand right on found leads", f"{q.brand_right} of {q.true_pos}")
    console.print(table)
    markets = Table(title="by marketplace", show_header=True)
    for col in ("marketplace", "listings seen", "precision", "recall"):
        markets.add_column(col, justify="left" if col == "marketplace" else "right")
    for name, mq in per_market.items():
        markets.add_row(name, f"{mq.listings_seen} of {mq.listings_total}", f"{mq.precision:.3f}", f"{mq.recall:.3f}")
    console.print(markets)
    brands = Table(title="leads by brand", show_header=True)
    brands.add_column("brand")
    brands.add_column("leads", justify="right")
    for brand, count in by_brand.most_common():
        brands.add_row(brand, str(count))
    console.print(brands)
    echo(f"lead file: {leads_csv}")
