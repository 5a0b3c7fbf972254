"""Matcher quality on real and generated data (issue 4 §9).

    python bench/quality.py [--real DIR] [--flipkart] [--photos] [--generated --size N --seed S ...] [--json F]

Parts (each skipped with a message when its data is absent):

- flipkart: brand detection on the Flipkart titles against a catalog of their 200 most frequent
  brands. Label: the brand column, for titles that contain the brand (case-insensitive, at word
  boundaries); every other title is labelled "no catalog brand". A detection is the result's brand
  unless the result says the mention is a compatibility or ordinary-word use.
- photos: each real photo is the catalog; transformed copies are the queries. Recall per transform
  (best match is the right photo within ``image_max_distance``), and false-match rate: the share
  of (photo, other photo) pairs whose distance is within the threshold, excluding byte-identical
  or pixel-duplicate sources.
- generated: leads and brand detection on a generated marketplace (``python -m
  marketplace_fixtures generate``; default seed 4242, which no test uses, size 5000): lead
  precision/recall and brand F1 overall, lead recall per lead family (the label's ``family``: a case
  kind, or one of issue 10's disguise families) and false leads per lawful family. ``--json FILE``
  writes every figure; ``--config FILE`` scores with that file's ``[matchers]`` section; ``--misses FILE``
  writes every missed or false lead and every wrong or missed brand as JSON lines (seed, family, title,
  expected and got, score, reasons), to look at the misses rather than the totals.
  The listings' photos are read by the photo engines (OCR and the catalog's logos, issue 15) as a
  crawl reads them (``photo_max_images`` per listing, in ``--photo-workers`` processes) unless
  ``--no-photos`` or the configuration turns them off; "false logo matches on lawful listings" is
  the share of listings labelled lawful (not ``expected_lead``) whose result has a ``logo:`` reason.
"""

from __future__ import annotations

import argparse
import collections
import csv
import dataclasses
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageEnhance, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from brandsweep.matchers import MatchConfig, Matcher, hash_image
from brandsweep.matchers.image import ImageIndex, ImageRefused
from brandsweep.matchers.logos import LogoIndex
from brandsweep.matchers.photo_reader import PhotoReader, photo_fields, settings_from
from brandsweep.matchers.types import AuthorizedSeller, Brand, CatalogImage, ListingView, Mark, MatchResult, Product

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "real"
NOT_BRAND = frozenset({"compatibility", "ordinary_word"})


def detected(res: MatchResult) -> str | None:
    if res.brand_id is None or any(r.code in NOT_BRAND for r in res.reasons):
        return None
    return res.brand_id


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


# ---------------------------------------------------------------- Flipkart
def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or name


def flipkart(real: Path, top_n: int = 200, show_errors: int = 0) -> dict[str, float] | None:
    path = real / "flipkart_20k.csv"
    if not path.exists():
        print(f"flipkart: skipped, {path} not found")
        return None
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # brands that differ only in letter case are one brand, shown in its most frequent spelling
    spelled = collections.Counter(r["brand"].strip() for r in rows if r["brand"].strip())
    counts = collections.Counter[str]()
    display: dict[str, str] = {}
    for name, n in spelled.most_common():
        counts[name.casefold()] += n
        display.setdefault(name.casefold(), name)
    top = [display[k] for k, _ in counts.most_common(top_n)]
    brands = [Brand(slug(b), b, b) for b in top]
    by_name = {b.casefold(): slug(b) for b in top}
    t0 = time.perf_counter()
    matcher = Matcher(brands, [], MatchConfig())
    build = time.perf_counter() - t0
    tp = fp = fn = 0
    errors: list[str] = []
    unlabelled = 0
    t0 = time.perf_counter()
    for r in rows:
        title, brand = r["product_name"], r["brand"].strip()
        if not brand:  # no brand column: nothing to score a detection against
            unlabelled += 1
            continue
        label = None
        if brand.casefold() in by_name and re.search(rf"(?<!\w){re.escape(brand)}(?!\w)", title, re.IGNORECASE):
            label = by_name[brand.casefold()]
        pred = detected(matcher.match(ListingView("flipkart", r["uniq_id"], title)))
        if pred is not None and pred == label:
            tp += 1
        else:
            if pred is not None:
                fp += 1
            if label is not None:
                fn += 1
            if len(errors) < show_errors and (pred or label):
                errors.append(f"  label={label} pred={pred} | {title}")
    elapsed = time.perf_counter() - t0
    p, rc, f = prf(tp, fp, fn)
    print(f"flipkart: {len(rows) - unlabelled} titles with a brand column ({unlabelled} without, not scored), "
          f"catalog of {len(brands)} brands ({len(matcher.text)} terms, built in {build:.2f}s), positives {tp + fn}")
    print(f"  brand detection precision {p:.4f} recall {rc:.4f} F1 {f:.4f}  (tp {tp} fp {fp} fn {fn}; "
          f"{(len(rows) - unlabelled) / elapsed:,.0f} titles/s)")
    for e in errors:
        print(e)
    return {"precision": p, "recall": rc, "f1": f}


# ---------------------------------------------------------------- photos
def jpeg(img: Image.Image, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def watermark(img: Image.Image) -> Image.Image:
    out = img.convert("RGB")
    draw = ImageDraw.Draw(out)
    w, h = out.size
    step = max(12, h // 6)
    for y in range(step // 2, h, step):
        draw.text((w // 10, y), "shop-9921  sample watermark", fill=(235, 235, 235))
    draw.rectangle((w - w // 5, h - h // 10, w - 2, h - 2), fill=(250, 250, 250))
    draw.text((w - w // 5 + 2, h - h // 10 + 2), "STORE", fill=(120, 120, 120))
    return out


TRANSFORMS: dict[str, Callable[[Image.Image], bytes]] = {
    "resize": lambda im: jpeg(im.resize((max(8, im.width // 2), max(8, im.height // 2)), Image.Resampling.BILINEAR)),
    "jpeg": lambda im: jpeg(im, 35),
    "watermark": lambda im: jpeg(watermark(im)),
    "mirror": lambda im: jpeg(ImageOps.mirror(im)),
    "border": lambda im: jpeg(ImageOps.expand(im.convert("RGB"), border=max(im.size) // 12, fill=(30, 30, 30))),
    "crop10": lambda im: jpeg(im.crop((im.width // 10, im.height // 10, im.width, im.height))),
    "crop10_centre": lambda im: jpeg(im.crop((im.width // 20, im.height // 20, im.width - im.width // 20,
                                               im.height - im.height // 20))),
    "rotate3": lambda im: jpeg(im.convert("RGB").rotate(3, resample=Image.Resampling.BICUBIC,
                                                         fillcolor=(255, 255, 255))),
    "rotate3_black_fill": lambda im: jpeg(im.convert("RGB").rotate(-3, resample=Image.Resampling.BICUBIC)),
    "brighten1.3": lambda im: jpeg(ImageEnhance.Brightness(im.convert("RGB")).enhance(1.3)),
    "brighten1.5": lambda im: jpeg(ImageEnhance.Brightness(im.convert("RGB")).enhance(1.5)),
}
TARGETS: dict[str, float] = {}  # issue 10: every transform >= 0.95


def photos(real: Path, config: MatchConfig) -> dict[str, float] | None:
    meta_path = real / "photos.json"
    if not meta_path.exists():
        print(f"photos: skipped, {meta_path} not found")
        return None
    meta = json.loads(meta_path.read_text("utf-8"))
    images: list[Image.Image] = []
    hashes: list[str] = []
    shas: list[str] = []
    refused = collections.Counter[str]()
    t0 = time.perf_counter()
    for m in meta:
        data = (real / m["file"]).read_bytes()
        try:
            hashes.append(hash_image(data))
        except ImageRefused as exc:
            refused[exc.reason] += 1
            continue
        images.append(Image.open(io.BytesIO(data)))
        images[-1].load()
        shas.append(m.get("source_sha256", ""))
    per_image_ms = (time.perf_counter() - t0) / max(1, len(meta)) * 1000
    index = ImageIndex(hashes)
    limit = config.image_max_distance
    print(f"photos: {len(images)} catalog photos ({dict(refused) or 'none'} refused), "
          f"hash {per_image_ms:.1f} ms/photo, threshold {limit} bits")
    out: dict[str, float] = {}
    for name, transform in TRANSFORMS.items():
        ok = 0
        for i, img in enumerate(images):
            try:
                hit = index.query(hash_image(transform(img)))
            except ImageRefused:
                continue
            ok += hit is not None and hit.distance <= limit and (hit.index == i or shas[hit.index] == shas[i])
        out[name] = ok / len(images)
        print(f"  recall {name:14s} {out[name]:.3f}  (target {TARGETS.get(name, 0.95):.2f})")
    # false matches: each photo's query hash against every other photo's catalog hashes
    false = pairs = 0
    dupes = 0
    queries_false = 0
    for i, h in enumerate(hashes):
        others = [hashes[j] for j in range(len(hashes)) if j != i]
        owners = [j for j in range(len(hashes)) if j != i]
        sub = ImageIndex(others)
        hit = sub.query(h)
        pairs += len(others)
        if hit is None:
            continue
        j = owners[hit.index]
        if shas[j] and shas[j] == shas[i]:
            dupes += 1
            continue
        # count every other photo within the threshold, not only the nearest
        within = 0
        for k, other in zip(owners, others, strict=True):
            single = ImageIndex([other]).query(h)
            if single is not None and single.distance <= limit and shas[k] != shas[i]:
                within += 1
        false += within
        queries_false += within > 0
    out["false_match_rate"] = false / pairs if pairs else 0.0
    print(f"  false-match rate {out['false_match_rate']:.4%} ({false} of {pairs} pairs; target <= 0.5%)"
          + (f"; {dupes} photos have a byte-identical twin, not counted" if dupes else ""))
    out["false_query_rate"] = queries_false / len(hashes) if hashes else 0.0
    print(f"  photos whose query matches some other photo: {queries_false} of {len(hashes)} "
          f"({out['false_query_rate']:.1%})")
    return out


# ---------------------------------------------------------------- generated marketplaces


def load_catalog(path: Path) -> tuple[list[Brand], list[CatalogImage]]:
    """formats.md §1 catalog -> matcher types; catalog images hashed from files next to it."""
    doc = json.loads(path.read_text("utf-8"))
    brands: list[Brand] = []
    images: list[CatalogImage] = []
    for rh in doc["rightsholders"]:
        for b in rh.get("brands", []):
            marks = tuple(Mark(m["reg_no"], m.get("word"), m.get("office"), tuple(m.get("nice_classes", ())))
                          for m in b.get("marks", []))
            products = tuple(Product(p["id"], p["name"], p.get("msrp"), p.get("currency"))
                             for p in b.get("products", []))
            sellers = tuple(AuthorizedSeller(s["platform"], s["seller_id"], s.get("name"))
                            for s in b.get("authorized_sellers", []))
            brands.append(Brand(b["id"], b["name"], rh["name"], tuple(b.get("aliases", ())), marks, products,
                                sellers))
            refs: list[tuple[str, str | None, str | None]] = []
            refs += [(m["image"], None, m["reg_no"]) for m in b.get("marks", []) if m.get("image")]
            refs += [(img, p["id"], None) for p in b.get("products", []) for img in p.get("images", [])]
            for rel, product_id, reg_no in refs:
                if rel.startswith(("http://", "https://")):
                    continue
                try:
                    phash = hash_image((path.parent / rel).read_bytes())
                except (OSError, ImageRefused):
                    continue
                images.append(CatalogImage(f"{b['id']}/{rel}", b["id"], phash, product_id, reg_no))
    return brands, images


def catalog_logos(path: Path) -> LogoIndex:
    """The logo index of the catalog's mark images, as a crawl builds it (store/photos.py)."""
    doc = json.loads(path.read_text("utf-8"))
    entries = [(b["id"], m["image"].rsplit("/", 1)[-1], (path.parent / m["image"]).read_bytes())
               for rh in doc["rightsholders"] for b in rh.get("brands", []) for m in b.get("marks", [])
               if m.get("image") and not m["image"].startswith(("http://", "https://"))]
    return LogoIndex.build(entries)


def read_feed(folder: Path, reader: PhotoReader | None = None, max_images: int = 2) -> list[ListingView]:
    """The feed's listings; with ``reader``, their first ``max_images`` usable photos read by the
    photo engines (all photos are queued at once, so every worker stays busy)."""
    rows: list[tuple[dict[str, Any], list[str], list[Any]]] = []
    with (folder / "feed.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            hashes: list[str] = []
            readings: list[Any] = []
            for url in d.get("image_urls") or []:
                if url.startswith(("http://", "https://")):
                    continue
                try:
                    data = (folder / url).read_bytes()
                    hashes.append(hash_image(data))
                except (OSError, ImageRefused):
                    continue
                if reader is not None and len(readings) < max_images:
                    readings.append(reader.submit(data))
            rows.append((d, hashes, readings))
    views: list[ListingView] = []
    for d, hashes, futures in rows:
        text, logos = photo_fields([f.result() for f in futures])
        views.append(ListingView(d["platform"], str(d["listing_id"]), d["title"], d.get("description") or "",
                                 d.get("price"), d.get("currency"), d.get("seller_id"), d.get("seller_name"),
                                 tuple(hashes), photo_text=text, photo_logos=logos))
    return views


def _generate(root: Path, folder: Path, size: int, seed: int) -> None:
    if not (folder / "feed.jsonl").exists():
        subprocess.run([sys.executable, "-m", "brandsweep.marketplace_fixtures", "generate", "--size", str(size),
                        "--seed", str(seed), "--out", str(folder)], check=True, cwd=root, stdout=subprocess.DEVNULL)


def miss_record(seed: int, family: str, lb: dict[str, Any], view: ListingView, res: MatchResult) -> dict[str, Any]:
    """One misclassified listing, as ``--misses`` writes it."""
    return {"seed": seed, "family": family, "listing_id": view.listing_id, "title": view.title,
            "transform": lb.get("transform"), "lead_expected": bool(lb["expected_lead"]), "lead_got": res.is_lead,
            "brand_expected": lb.get("expected_brand"), "brand_got": detected(res), "score": res.score,
            "reasons": res.reasons_text()}


def tally(labels: list[dict[str, Any]], views: list[ListingView], results: list[MatchResult],
          show_errors: int = 0, seed: int = 0, misses: list[dict[str, Any]] | None = None,
          ) -> tuple[dict[str, collections.Counter[str]], list[str]]:
    """Counters per family (``family`` label, else the case kind): lead and brand tp/fp/fn; with
    ``misses`` every misclassified listing is appended to it (:func:`miss_record`)."""
    by_key = {(lb["platform"], str(lb["listing_id"])): lb for lb in labels}
    per_family: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    errors: list[str] = []
    for view, res in zip(views, results, strict=True):
        lb = by_key[(view.platform, view.listing_id)]
        family = lb.get("family") or lb["case_kind"]
        expected, got = bool(lb["expected_lead"]), res.is_lead
        c = per_family[family]
        c["n"] += 1
        c["leads_expected"] += expected
        c["lead_tp"] += expected and got
        c["lead_fp"] += got and not expected
        c["lead_fn"] += expected and not got
        c["lawful"] += not expected
        c["logo_fp"] += not expected and any(r.code == "logo" for r in res.reasons)
        brand_exp, brand_got = lb.get("expected_brand"), detected(res)
        c["brand_tp"] += brand_got is not None and brand_got == brand_exp
        c["brand_fp"] += brand_got is not None and brand_got != brand_exp
        c["brand_fn"] += brand_exp is not None and brand_got != brand_exp
        if misses is not None and (expected != got or brand_got != brand_exp):
            misses.append(miss_record(seed, family, lb, view, res))
        if len(errors) < show_errors and (expected != got or brand_got != brand_exp):
            errors.append(f"  {family} seed={seed} lead expected={expected} got={got} score={res.score} "
                          f"brand expected={brand_exp} got={brand_got} [{lb.get('transform')}] "
                          f"{view.title[:80]!r} {res.reasons_text()}")
    return per_family, errors


PHOTO_ONLY = frozenset({"photo_logo", "photo_text"})  # brand only in the photos (issue 15's generator kinds)


def summarize(per_family: dict[str, collections.Counter[str]]) -> dict[str, Any]:
    """Overall lead/brand precision, recall, F1 and one row per family (recall or false leads)."""
    totals = collections.Counter[str]()
    for c in per_family.values():
        totals.update(c)
    lp, lr, lf = prf(totals["lead_tp"], totals["lead_fp"], totals["lead_fn"])
    bp, br, bf = prf(totals["brand_tp"], totals["brand_fp"], totals["brand_fn"])
    families: dict[str, dict[str, Any]] = {}
    for fam in sorted(per_family):
        c = per_family[fam]
        lead = c["leads_expected"] > 0
        fp_, fr, ff = prf(c["brand_tp"], c["brand_fp"], c["brand_fn"])
        families[fam] = {"n": c["n"], "lead_family": lead,
                         "lead_recall": c["lead_tp"] / c["leads_expected"] if lead else None,
                         "false_leads": c["lead_fp"], "false_lead_rate": c["lead_fp"] / c["n"] if c["n"] else 0.0,
                         "brand_precision": fp_, "brand_recall": fr, "brand_f1": ff, "brand_fp": c["brand_fp"]}
    return {"lead_precision": lp, "lead_recall": lr, "lead_f1": lf, "brand_precision": bp, "brand_recall": br,
            "brand_f1": bf, "listings": totals["n"], "families": families,
            "lawful_listings": totals["lawful"], "false_logo_matches": totals["logo_fp"],
            "false_logo_rate": totals["logo_fp"] / totals["lawful"] if totals["lawful"] else 0.0}


def print_summary(summary: dict[str, Any]) -> None:
    fams = summary["families"]
    print(f"  leads  precision {summary['lead_precision']:.4f} recall {summary['lead_recall']:.4f} "
          f"F1 {summary['lead_f1']:.4f}  (target P>=0.97 R>=0.95)")
    print(f"  brands precision {summary['brand_precision']:.4f} recall {summary['brand_recall']:.4f} "
          f"F1 {summary['brand_f1']:.4f}  (target F1>=0.97)")
    print(f"  false logo matches on lawful listings {summary['false_logo_matches']} of {summary['lawful_listings']}"
          f" = {summary['false_logo_rate']:.4f}  (target <= 0.01)")
    print(f"  {'lead family':24s} {'n':>5s} {'lead recall':>11s} {'brand P':>8s} {'brand R':>8s}"
          "  (target recall >= 0.90)")
    for fam, row in fams.items():
        if row["lead_family"]:
            flag = " <" if row["lead_recall"] < 0.90 else ""
            print(f"  {fam:24s} {row['n']:5d} {row['lead_recall']:11.3f} {row['brand_precision']:8.3f} "
                  f"{row['brand_recall']:8.3f}{flag}")
    print(f"  {'lawful family':24s} {'n':>5s} {'false leads':>11s} {'wrong brand':>11s}"
          "  (target 0; wrong brand: a brand other than the expected one)")
    for fam, row in fams.items():
        if not row["lead_family"]:
            flag = " <" if row["false_leads"] else ""
            print(f"  {fam:24s} {row['n']:5d} {row['false_leads']:11d} {row['brand_fp']:11d}{flag}")


def generated(size: int, seeds: list[int], config: MatchConfig, keep: Path | None = None,
              show_errors: int = 0, photo_workers: int = 0,
              misses: list[dict[str, Any]] | None = None) -> dict[str, Any] | None:
    """Leads and brands on generated marketplaces (one per seed), overall and per family."""
    root = Path(__file__).resolve().parent.parent
    catalog_path = root / "rightsholder_catalog" / "sample" / "catalog.json"
    if not catalog_path.exists() or not (root / "marketplace_fixtures").exists():
        print("generated: skipped, marketplace_fixtures or the sample catalog is missing")
        return None
    brands, images = load_catalog(catalog_path)
    matcher = Matcher(brands, images, config)
    per_family: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    errors: list[str] = []
    settings = settings_from(config)
    if photo_workers:
        settings = dataclasses.replace(settings, workers=photo_workers)
    index = catalog_logos(catalog_path) if config.photos_on and config.photo_logos else None
    reader = PhotoReader(settings, index) if config.photos_on else None
    for seed in seeds:
        with tempfile.TemporaryDirectory() as tmp:
            folder = keep / f"seed{seed}-size{size}" if keep else Path(tmp)
            _generate(root, folder, size, seed)
            t_read = time.perf_counter()
            views = read_feed(folder, reader, config.photo_max_images)
            t_read = time.perf_counter() - t_read
            labels = [json.loads(line) for line in (folder / "labels.jsonl").read_text("utf-8").splitlines()]
        t0 = time.perf_counter()
        results = matcher.match_many(views)
        elapsed = time.perf_counter() - t0
        counts, errs = tally(labels, views, results, show_errors - len(errors), seed, misses)
        for fam, c in counts.items():
            per_family[fam].update(c)
        errors += errs
        print(f"generated seed {seed}: {len(views)} listings, {len(images)} catalog images, "
              f"{len(views) / elapsed:,.0f} listings/s (matching only); reading and hashing photos took "
              f"{t_read:.0f} s" + (f" ({settings.workers} photo workers)" if reader is not None else " (engines off)"))
    if reader is not None:
        reader.close()
    summary = summarize(per_family)
    summary.update(seeds=seeds, size=size, photo_engines=reader is not None)
    print_summary(summary)
    if reader is None and PHOTO_ONLY & per_family.keys():
        # with the engines off the photo-only listings cannot be found: the rest, on its own
        rest = summarize({f: c for f, c in per_family.items() if f not in PHOTO_ONLY})
        summary["without_photo_only"] = {k: rest[k] for k in ("lead_precision", "lead_recall", "brand_f1")}
        print(f"  without the photo-only families ({', '.join(sorted(PHOTO_ONLY))}; engines off): lead precision "
              f"{rest['lead_precision']:.4f} recall {rest['lead_recall']:.4f}, brand F1 {rest['brand_f1']:.4f}")
    for e in errors:
        print(e)
    return summary


# ---------------------------------------------------------------- main
def load_config(path: Path | None) -> MatchConfig:
    """The ``[matchers]`` section of a brandsweep TOML file (defaults without one)."""
    if path is None:
        return MatchConfig()
    with path.open("rb") as fh:
        return MatchConfig.from_mapping(tomllib.load(fh).get("matchers", {}))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--real", type=Path, default=REAL)
    ap.add_argument("--flipkart", action="store_true")
    ap.add_argument("--photos", action="store_true")
    ap.add_argument("--generated", action="store_true")
    ap.add_argument("--size", type=int, default=5000)
    ap.add_argument("--seed", type=int, action="append",
                    help="generated-marketplace seed (repeatable; default 4242, a seed no test uses)")
    ap.add_argument("--config", type=Path, help="brandsweep TOML whose [matchers] section to score with")
    ap.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    ap.add_argument("--misses", type=Path, help="write every misclassified generated listing to this JSON-lines file")
    ap.add_argument("--errors", type=int, default=0, help="print this many misclassified items per part")
    ap.add_argument("--no-photos", action="store_true", help="do not read the generated listings' photos")
    ap.add_argument("--photo-workers", type=int, default=os.cpu_count() or 1,
                    help="photo-reading processes (default: one per core)")
    ap.add_argument("--keep", type=Path, help="generate into (or reuse) DIR/seed<S>-size<N> instead of a temp folder")
    args = ap.parse_args(argv)
    everything = not (args.flipkart or args.photos or args.generated)
    config = load_config(args.config)
    if args.no_photos:
        config = dataclasses.replace(config, photo_ocr=False, photo_logos=False)
    out: dict[str, Any] = {}
    if args.flipkart or everything:
        out["flipkart"] = flipkart(args.real, show_errors=args.errors)
    if args.photos or everything:
        out["photos"] = photos(args.real, config)
    if args.generated or everything:
        misses: list[dict[str, Any]] | None = [] if args.misses else None
        out["generated"] = generated(args.size, args.seed or [4242], config, args.keep, args.errors,
                                     args.photo_workers, misses)
        if args.misses and misses is not None:
            args.misses.write_text("".join(json.dumps(m, ensure_ascii=False) + "\n" for m in misses), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
