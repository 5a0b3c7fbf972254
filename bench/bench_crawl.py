"""Crawl throughput with storing + matching on, against a bare Scrapy spider, in the same run (issue 5).

    python bench/bench_crawl.py [--size 3000] [--rounds 2]

Serves the bundled marketplaces (``--size`` listings, about a third on shopfront) and crawls
shopfront (after one warm-up crawl) in rounds, alternating which goes first, with:

- **full**: ``brandsweep.crawl.run_crawl`` (host guard, retries, store pipeline, image fetch +
  pHash off the reactor thread, matching and batched writes on the store writer thread) into a fresh store;
- **bare**: the same spider and navigation under plain Scrapy with no item pipeline, fetching the
  same listing images (up to 4 per listing, as the pipeline does) and doing nothing with them.

Pages are all responses but robots.txt (HTML pages and images alike: both crawls fetch the same
URLs); pages/s uses Scrapy's elapsed time. The target is full/bare >= 0.7. Each crawl runs in its
own process (one reactor per process); both use the marketplace's configured concurrency.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import SAMPLE_CATALOG, start_marketplaces  # noqa: E402

CHILD = r"""
import json, sys
mode, db, url = sys.argv[1], sys.argv[2], sys.argv[3]
pages = [0]
def progress(c):
    pages[0] = c["pages"]
if mode == "full":
    from brandsweep.crawl import run_crawl
    from brandsweep.matchers import MatchConfig
    # photo engines off: this row measures storing + matching; bench_photo_crawl.py measures the engines
    s = run_crawl(db, "shopfront", base_url=url, queries=["gucci"], progress=progress,
                  matchers=MatchConfig(photo_ocr=False, photo_logos=False))
    stats = s.stats
    pages[0] = stats.get("downloader/response_count", 0) - stats.get("robotstxt/response_count", 0)
else:
    from scrapy.crawler import AsyncCrawlerProcess
    from brandsweep.crawl import crawl_settings, project_settings
    from brandsweep.core.marketplaces import marketplace_config
    import scrapy
    from brandsweep.crawler.spiders.shopfront import ShopfrontSpider

    class BareSpider(ShopfrontSpider):
        def parse_listing(self, response):
            for record in super().parse_listing(response):
                for image in list(dict.fromkeys(record.image_urls))[:4]:
                    yield scrapy.Request(image, callback=self.ignore, priority=10)

        def ignore(self, response):
            return None
    settings = {**crawl_settings(marketplace_config("shopfront", base_url=url)), "ITEM_PIPELINES": {},
                "LOG_LEVEL": "WARNING"}
    process = AsyncCrawlerProcess(project_settings(settings))
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, base_url=url, queries=["gucci"])
    process.start()
    stats = crawler.stats.get_stats()
    pages[0] = stats.get("downloader/response_count", 0) - stats.get("robotstxt/response_count", 0)
print(json.dumps({"pages": pages[0], "elapsed": stats.get("elapsed_time_seconds"),
                  "listings": stats.get("brandsweep/listings_stored", 0),
                  "images": stats.get("brandsweep/images/hashed", 0)}))
"""


def run(mode: str, db: Path, url: str) -> dict:
    # From a file, not -c: Scrapy reads callbacks' source (to warn about generators that return values).
    script = db.with_name("bench_child.py")
    script.write_text(CHILD, encoding="utf-8")
    res = subprocess.run([sys.executable, str(script), mode, str(db), url], capture_output=True, text=True,
                         cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=4)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        proc, m = start_marketplaces(tmp, "--size", str(args.size), "--seed", "7")
        try:
            url = m.urls["shopfront"]
            template = tmp / "template.db"
            subprocess.run([sys.executable, "-m", "brandsweep.cli", "--db", str(template), "--quiet", "catalog",
                            "import", str(SAMPLE_CATALOG)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
            rates: dict[str, list[float]] = {"bare": [], "full": []}
            warm = run("bare", tmp / "warm.db", url)  # the server renders images on first request: warm it
            print(f"warm-up bare: {warm['pages']} pages in {warm['elapsed']:.1f} s (not counted)")
            for r in range(args.rounds):
                for mode in (("bare", "full") if r % 2 == 0 else ("full", "bare")):
                    db = tmp / f"{mode}-{r}.db"
                    shutil.copy(template, db)
                    out = run(mode, db, url)
                    rate = out["pages"] / out["elapsed"]
                    rates[mode].append(rate)
                    print(f"round {r + 1} {mode:4s}: {out['pages']} pages in {out['elapsed']:.1f} s "
                          f"= {rate:.1f} pages/s"
                          + (f" ({out['listings']} listings stored, {out['images']} images hashed)"
                             if mode == "full" else ""))
            bare, full = statistics.median(rates["bare"]), statistics.median(rates["full"])
            ratio = full / bare
            print(f"median pages/s: bare {bare:.1f}, full {full:.1f}; ratio full/bare = {ratio:.2f} (target >= 0.7)")
            return 0 if ratio >= 0.7 else 1
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
