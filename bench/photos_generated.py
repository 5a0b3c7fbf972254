"""``bench_photos.py --generated``: the photo engines on the generated marketplace's photo listings.

Reads the images of every ``counterfeit_photo`` listing (families photo_logo, photo_text) and every
lawful ``photo_shapes`` look-alike as the fixture servers render them, then as the wired pipeline
(issue 15) would: logos by a :class:`LogoIndex` over the catalog's logo images, text by OCR through
the catalog Matcher's normaliser and text index (terms that are ordinary words or weak forms left
out, as a title needs context for them).
"""

from __future__ import annotations

import collections
import statistics
import time

import numpy as np

from bench.quality import load_catalog
from brandsweep.marketplace_fixtures import generate
from brandsweep.marketplace_fixtures.images import ImageMaker
from brandsweep.matchers import MatchConfig, Matcher
from brandsweep.matchers.logos import LogoIndex
from brandsweep.matchers.photo_text import joined_text, read_text

FAMILIES = ("photo_logo", "photo_text", "photo_shapes")


def text_brands(matcher: Matcher, text: str) -> set[str]:
    """Catalog brands named in OCR text, by the same normaliser and index as titles."""
    if not text:
        return set()
    hits = matcher.text.find(matcher.normalizer.analyze(text))
    return {matcher.brands[h.term.brand].brand_id for h in hits if not h.term.ambiguous and not h.is_weak}


def run_generated(size: int, seed: int) -> None:
    g = generate(None, size, seed)
    maker = ImageMaker(g.catalog)
    t = time.perf_counter()
    index = LogoIndex.build((b, path.name, path.read_bytes()) for b, path in sorted(g.catalog.logos.items()))
    print(f"generated marketplace: size {size}, seed {seed}; logo index of {len(index)} catalog logos "
          f"in {time.perf_counter() - t:.2f} s")
    brands, _images = load_catalog(g.catalog.path)
    matcher = Matcher(brands, [], MatchConfig())
    rows = [x for x in g.listings() if x["label"]["family"] in FAMILIES]
    stats: dict[str, collections.Counter[str]] = {f: collections.Counter() for f in FAMILIES}
    ocr_s: list[float] = []
    logo_s: list[float] = []
    misses: list[str] = []
    for x in rows:
        fam, want = x["label"]["family"], x["label"]["expected_brand"]
        logos: set[str] = set()
        texts: set[str] = set()
        for ref in x["images"]:
            data = maker.render(ref)
            t = time.perf_counter()
            logos |= {h.brand for h in index.match(data)}
            logo_s.append(time.perf_counter() - t)
            t = time.perf_counter()
            texts |= text_brands(matcher, joined_text(read_text(data)))
            ocr_s.append(time.perf_counter() - t)
        c = stats[fam]
        c["listings"] += 1
        if want is None:  # lawful: any brand is false
            c["false_logo"] += bool(logos)
            c["false_text"] += bool(texts)
            if logos or texts:
                misses.append(f"  {fam} {x['platform']}/{x['listing_id']} {x['images'][0]}: logos {sorted(logos)} "
                              f"text {sorted(texts)}")
            continue
        c["logo"] += want in logos
        c["text"] += want in texts
        c["either"] += want in logos | texts
        c["wrong"] += bool((logos | texts) - {want})
        if want not in logos | texts:
            misses.append(f"  {fam} {x['platform']}/{x['listing_id']} {x['images'][0]}: logos {sorted(logos)} "
                          f"text {sorted(texts)}")
    print("\n| family | listings | by logo | by text | by either (recall) | another brand too |")
    print("|---|---|---|---|---|---|")
    for fam in ("photo_logo", "photo_text"):
        c = stats[fam]
        n = max(c["listings"], 1)
        print(f"| {fam} | {c['listings']} | {c['logo']} | {c['text']} | {c['either']} = {c['either'] / n:.3f} "
              f"| {c['wrong']} |")
    c = stats["photo_shapes"]
    n = max(c["listings"], 1)
    print(f"\nphoto_shapes (lawful): {c['listings']} listings; false logo matches {c['false_logo']} "
          f"= {c['false_logo'] / n:.3%}; false brand text {c['false_text']} = {c['false_text'] / n:.3%}")
    if logo_s:
        print(f"per image (one core, this process): logos {statistics.mean(logo_s) * 1e3:.0f} ms "
              f"(p95 {np.percentile(logo_s, 95) * 1e3:.0f}), OCR {statistics.mean(ocr_s) * 1e3:.0f} ms "
              f"(p95 {np.percentile(ocr_s, 95) * 1e3:.0f})")
    if misses:
        print("misses and false matches:")
        print("\n".join(misses))
