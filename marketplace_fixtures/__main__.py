"""Command line: ``python -m brandsweep.marketplace_fixtures serve|generate ...`` (see the package docstring)."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path

from brandsweep.marketplace_fixtures.export import write_all
from brandsweep.marketplace_fixtures.generator import generate
from brandsweep.marketplace_fixtures.images import ImageMaker
from brandsweep.marketplace_fixtures.jsmall import JSMall
from brandsweep.marketplace_fixtures.partnerapi import PartnerAPI
from brandsweep.marketplace_fixtures.server import Options, start, stop_all
from brandsweep.marketplace_fixtures.shopfront import Shopfront
from brandsweep.marketplace_fixtures.taoshop import Taoshop


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--size", type=int, default=200, help="number of listings (10 to 200,000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--catalog", default=None, help="catalog JSON (default: the bundled sample catalog)")
    p.add_argument("--epoch", type=int, default=0, help="K > 0: some listings change price/title or vanish")


def serve(args: argparse.Namespace) -> int:
    gen = generate(args.catalog, args.size, args.seed, args.epoch)
    if args.labels:
        with open(args.labels, "w", encoding="utf-8") as f:
            for label in gen.labels():
                f.write(json.dumps(label, ensure_ascii=False) + "\n")
    opts = Options(faults=args.faults, api_key=args.api_key, api_rate=args.api_rate, canary=args.canary,
                   slow_seconds=args.slow_seconds)
    images = ImageMaker(gen.catalog)
    sites = [cls(gen, images, opts) for cls in (Shopfront, Taoshop, JSMall, PartnerAPI)]
    running = start(sites, args.host)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    for site in sites:
        print(f"{site.name} {site.base_url}", flush=True)
    done.wait()
    stop_all(running)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m brandsweep.marketplace_fixtures",
                                 description="Test marketplaces with ground truth. Example: "
                                             "python -m brandsweep.marketplace_fixtures serve --size 200 --seed 7 "
                                             "--faults")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve", help="serve the four marketplaces on 127.0.0.1, port 0 each; prints 'NAME URL'")
    _common(s)
    s.add_argument("--faults", action="store_true", help="switch on the fault endpoints (see README)")
    s.add_argument("--labels", default=None, help="write ground-truth labels JSONL here before serving")
    s.add_argument("--api-key", default=os.environ.get("MARKETPLACE_FIXTURES_API_KEY", "fixtures-api-key"))
    s.add_argument("--api-rate", type=float, default=10.0, help="partnerapi requests/second per key")
    s.add_argument("--canary", default=None, help="where the SSRF-bait redirect points")
    s.add_argument("--slow-seconds", type=float, default=10.0, help="delay of the slow fault page")
    s.add_argument("--host", default="127.0.0.1")
    g = sub.add_parser("generate", help="write labels.jsonl, feed.jsonl, listings, sellers and images to --out")
    _common(g)
    g.add_argument("--out", required=True, type=Path)
    g.add_argument("--no-images", action="store_true", help="skip writing image files (paths still listed)")
    args = ap.parse_args(argv)
    if args.cmd == "serve":
        return serve(args)
    counts = write_all(generate(args.catalog, args.size, args.seed, args.epoch), args.out, images=not args.no_images)
    print(f"wrote {counts['listings']} listings, {counts['images']} images to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
