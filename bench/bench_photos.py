"""Photo engines (issue 15): cost per image and quality of OCR and logo matching.

    python bench/bench_photos.py [--real DIR] [--per-logo 6] [--lawful 200] [--workers 2]

cost:    seconds per image, in this process on one core, of the perceptual hash every run already
         computes (the baseline), of OCR and of logo matching; on the real photos
         (``../shared/data/real/photos``, skipped with the reason when absent) and on generated ones.
         Then the throughput of a PhotoReader pool (spawned workers) on the same images.
logos:   an index of the 15 sample catalog logos plus generated ones; each logo placed on textured
         backgrounds at random scale (20-60% of the width), rotation (±40°, a few upside down),
         perspective and crop -> recall (the right brand found) and wrong-brand hits; lawful
         generated photos with the same kinds of shapes and real photos (none shows a catalog
         logo) -> false logo matches (target <= 1%).
ocr:     brand words and "AAA 1:1" stamps rendered on textured backgrounds -> share read exactly.

    python bench/bench_photos.py --generated [--size 2000] [--seed 4242]

generated: the generated marketplace's photo-only listings (case kind counterfeit_photo, families
         photo_logo and photo_text) and lawful look-alike photos (lookalike / photo_shapes), their images
         rendered as the fixture servers serve them, read as the wired pipeline would: a LogoIndex over
         the catalog's logos, and OCR (photo_text) through the normaliser and the text index of a
         Matcher built on the catalog -> recall per family (the expected brand found by a logo, by
         text, by either) and, on photo_shapes, false logo and false brand-text matches.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from brandsweep.matchers.image import hash_image
from brandsweep.matchers.logos import LogoIndex
from brandsweep.matchers.photo_reader import PhotoReader, PhotoSettings
from brandsweep.matchers.photo_text import read_text
from tests import photo_images as pi

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "data" / "real" / "photos"
SAMPLE_LOGOS = ROOT / "rightsholder_catalog" / "sample" / "logos"
GEN_WORDS = ("VELTRO", "KORRAX", "MIZUNA", "TALBEN", "BRISKO", "NOVADE", "QUENTA", "ZARVIK", "LUMOSA", "PEXTON")
LAWFUL_WORDS = ("GARDEN", "HOMELY", "RIVETS", "SUNDAY", "PLANTS", "COTTON", "KITCHEN", "TRAVEL")
STAMPS = ("AAA 1:1 LUXE", "1:1 REPLICA", "TOP QUALITY", "VELTRO", "KORRAX ORIGINAL", "MIZUNA 2024")


def timed(fn, items: list[bytes]) -> tuple[list, float, float]:
    out, secs = [], []
    for data in items:
        t = time.perf_counter()
        out.append(fn(data))
        secs.append(time.perf_counter() - t)
    return out, statistics.mean(secs), float(np.percentile(secs, 95))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--real", type=Path, default=REAL)
    ap.add_argument("--per-logo", type=int, default=6)
    ap.add_argument("--lawful", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--logos-only", action="store_true", help="only the logo quality figures")
    ap.add_argument("--generated", action="store_true", help="the generated marketplace's photo listings")
    ap.add_argument("--size", type=int, default=2000, help="generated marketplace size (--generated)")
    args = ap.parse_args()
    if args.generated:
        from bench.photos_generated import run_generated

        run_generated(args.size, args.seed if args.seed != 15 else 4242)
        return
    rng = np.random.default_rng(args.seed)

    logos: dict[str, Image.Image] = {p.stem: Image.open(p) for p in sorted(SAMPLE_LOGOS.glob("*.png"))}
    for w in GEN_WORDS:
        logos[w.lower()] = pi.logo(w, rng)
    t = time.perf_counter()
    index = LogoIndex.build((b, b, pi.to_bytes(img, "PNG")) for b, img in logos.items())
    print(
        f"logo index: {len(index)} logos ({index.algorithm}) built in {time.perf_counter() - t:.2f} s, "
        f"{len(index.to_bytes()) / 1024:.0f} KiB stored"
    )

    positives: list[tuple[str, bytes]] = []
    for brand, img in logos.items():
        for _ in range(args.per_logo):
            view = {
                "width": float(rng.uniform(0.2, 0.6)),
                "angle": float(rng.choice([rng.uniform(-40, 40), 180.0], p=[0.85, 0.15])),
                "tilt": float(rng.uniform(0, 0.3)),
                "centre": (float(rng.uniform(0.35, 0.65)), float(rng.uniform(0.35, 0.65))),
            }
            positives.append((brand, pi.to_bytes(pi.place(pi.background(rng), img, **view))))
    lawful = [pi.to_bytes(pi.lawful_photo(rng, LAWFUL_WORDS[i % len(LAWFUL_WORDS)])) for i in range(args.lawful)]
    stamps = [
        (s, pi.to_bytes(pi.text_photo(s, rng, size=int(rng.integers(24, 48)), angle=float(rng.uniform(-8, 8)))))
        for s in STAMPS * 5
    ]
    real = sorted(args.real.glob("*.jpg")) if args.real.is_dir() else []
    real_bytes = [p.read_bytes() for p in real]

    if args.logos_only:
        logo_quality(index, positives, lawful, real, real_bytes, [index.match(d) for d in real_bytes])
        return
    print("\n## cost per image (one core, this process; loaded shared machine)")
    print("| images | n | pHash ms | OCR ms (p95) | logos ms (p95) | OCR / pHash | logos / pHash |")
    print("|---|---|---|---|---|---|---|")
    sets = [("generated logo photos 640x480", [d for _, d in positives][:60])]
    if real_bytes:
        sets.insert(0, (f"real photos ({args.real})", real_bytes))
    else:
        print(f"(real photos skipped: {args.real} is absent)")
    real_hits: list = []
    for name, items in sets:
        _, ph, _ = timed(hash_image, items)
        _, ocr, ocr95 = timed(read_text, items)
        hits, lg, lg95 = timed(index.match, items)
        if items is real_bytes:
            real_hits = hits
        print(
            f"| {name} | {len(items)} | {ph * 1e3:.1f} | {ocr * 1e3:.0f} ({ocr95 * 1e3:.0f}) | "
            f"{lg * 1e3:.0f} ({lg95 * 1e3:.0f}) | {ocr / ph:.0f}x | {lg / ph:.0f}x |"
        )

    logo_quality(index, positives, lawful, real, real_bytes, real_hits)
    ocr_and_pool(args, stamps, real_bytes, positives, index)


def logo_quality(index, positives, lawful, real, real_bytes, real_hits) -> None:
    print("\n## logos")
    found = wrong = 0
    for brand, data in positives:
        got = [h.brand for h in index.match(data)]
        found += brand in got
        wrong += any(b != brand for b in got)
    print(
        f"recall: {found}/{len(positives)} = {found / len(positives):.3f} "
        f"(photos where another brand was also reported: {wrong})"
    )
    false_lawful = sum(bool(index.match(d)) for d in lawful)
    print(
        f"false logo matches on lawful generated photos: {false_lawful}/{len(lawful)} "
        f"= {false_lawful / len(lawful):.3%}"
    )
    if real_bytes:
        n = sum(bool(h) for h in real_hits)
        detail = [(real[i].name, [(x.brand, x.inliers) for x in h]) for i, h in enumerate(real_hits) if h]
        print(f"false logo matches on real photos: {n}/{len(real_bytes)} = {n / len(real_bytes):.3%} {detail}")


def ocr_and_pool(args, stamps, real_bytes, positives, index) -> None:
    print("\n## OCR")
    ok = sum(squash(s) in squash(" ".join(ln.text for ln in read_text(d))) for s, d in stamps)
    print(f"stamps and brand words read exactly: {ok}/{len(stamps)}")
    if real_bytes:
        with_text = sum(bool(read_text(d)) for d in real_bytes[:40])
        print(f"real photos with any text line (first 40): {with_text}/40")

    print(f"\n## PhotoReader pool ({args.workers} spawned workers, OCR + logos)")
    items = (real_bytes or [d for _, d in positives])[:60]
    t = time.perf_counter()
    with PhotoReader(PhotoSettings(workers=args.workers), index) as reader:
        start = time.perf_counter()
        readings = reader.read_many(items)
        run = time.perf_counter() - start
    total = time.perf_counter() - t
    statuses = {s: sum(r.status == s for r in readings) for s in {r.status for r in readings}}
    print(
        f"{len(items)} images in {run:.1f} s = {len(items) / run:.1f} images/s "
        f"(+ {total - run:.1f} s start/stop); statuses {statuses}"
    )


if __name__ == "__main__":
    main()
