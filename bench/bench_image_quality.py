"""Image matching on the real photos: recall per transform, false-match rate, and hashing speed
against naive ``imagehash.phash(Image.open(f))`` in the same run.

    python bench/bench_image_quality.py                 # quality + speed (3 rounds)
    python bench/bench_image_quality.py --rounds 5
    python bench/bench_image_quality.py --no-speed

Quality: every photo of ``../shared/data/real/photos`` is a catalog photo; each transformed copy is
hashed as a listing photo and queried against the index of all of them, the way the matcher does
(:meth:`ImageIndex.query`). A copy is *found* when the nearest catalog photo is its own (or a
byte-identical twin) within ``image_max_distance`` bits; *verified* when it also passes the rule
that lets a photo alone make a lead (within ``image_lead_distance`` and ``image_min_agreement``
chunks agreeing). False-match rate: every untransformed photo's listing hash against every *other*
catalog photo, one pair at a time; a pair within ``image_max_distance`` is a false match.

Speed: both hash every photo file from bytes in memory, alternating ours and the baseline each
round; the median (and spread) of the rounds is printed with the ratio.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import imagehash
from PIL import Image, ImageEnhance, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.quality import jpeg as _jpeg
from bench.quality import watermark as _watermark
from brandsweep.matchers import MatchConfig, hash_image
from brandsweep.matchers.image import ImageIndex, ImageRefused

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "real"


def _crop(img: Image.Image, left: float, top: float, right: float, bottom: float) -> Image.Image:
    w, h = img.size
    return img.crop((round(w * left), round(h * top), round(w * (1 - right)), round(h * (1 - bottom))))


TRANSFORMS: dict[str, Callable[[Image.Image], bytes]] = {
    "resize_half": lambda im: _jpeg(im.resize((max(8, im.width // 2), max(8, im.height // 2)),
                                              Image.Resampling.BILINEAR)),
    "jpeg_q35": lambda im: _jpeg(im, 35),
    "mirror": lambda im: _jpeg(ImageOps.mirror(im)),
    "border": lambda im: _jpeg(ImageOps.expand(im.convert("RGB"), border=max(im.size) // 12, fill=(30, 30, 30))),
    "watermark": lambda im: _jpeg(_watermark(im)),
    "brighten_1.3": lambda im: _jpeg(ImageEnhance.Brightness(im.convert("RGB")).enhance(1.3)),
    "brighten_1.5": lambda im: _jpeg(ImageEnhance.Brightness(im.convert("RGB")).enhance(1.5)),
    "contrast_0.7": lambda im: _jpeg(ImageEnhance.Contrast(im.convert("RGB")).enhance(0.7)),
    "crop10_corner": lambda im: _jpeg(_crop(im, 0.10, 0.10, 0, 0)),
    "crop10_all_sides": lambda im: _jpeg(_crop(im, 0.10, 0.10, 0.10, 0.10)),
    "crop10_all_mirror": lambda im: _jpeg(ImageOps.mirror(_crop(im, 0.10, 0.10, 0.10, 0.10))),
    "crop15_uneven": lambda im: _jpeg(_crop(im, 0.15, 0.05, 0.0, 0.12)),
    "crop10_watermark": lambda im: _jpeg(_watermark(_crop(im, 0.10, 0.10, 0.10, 0.10))),
    "rotate3": lambda im: _jpeg(im.convert("RGB").rotate(3, resample=Image.Resampling.BICUBIC,
                                                         fillcolor=(255, 255, 255))),
}


def load(real: Path) -> tuple[list[bytes], list[str]]:
    meta = json.loads((real / "photos.json").read_text("utf-8"))
    return [(real / m["file"]).read_bytes() for m in meta], [m.get("source_sha256", "") for m in meta]


def quality(bodies: list[bytes], shas: list[str], config: MatchConfig) -> None:
    hashes: list[str] = []
    kept: list[int] = []
    for i, data in enumerate(bodies):
        try:
            hashes.append(hash_image(data))
            kept.append(i)
        except ImageRefused as exc:
            print(f"  photo {i} refused: {exc.reason}")
    index = ImageIndex(hashes)
    limit, lead, agree = config.image_max_distance, config.image_lead_distance, config.image_min_agreement
    print(f"quality: {len(hashes)} catalog photos, {len(hashes[0]) // 16} chunks a hash; found = own photo "
          f"nearest within {limit} bits; verified = within {lead} bits and >= {agree} chunks agreeing")
    print(f"  {'transform':18s} {'found':>6s} {'verified':>9s}")
    for name, transform in TRANSFORMS.items():
        found = verified = 0
        for pos, i in enumerate(kept):
            img = Image.open(io.BytesIO(bodies[i]))
            img.load()
            try:
                h = hash_image(transform(img))
            except ImageRefused:
                continue
            hit = index.query(h)
            if hit is None or hit.distance > limit:
                continue
            own = hit.index == pos or (shas[kept[hit.index]] and shas[kept[hit.index]] == shas[i])
            if not own:
                continue
            found += 1
            verified += hit.distance <= lead and index.agreement(h, hit.index) >= agree
        print(f"  {name:18s} {found / len(kept):6.3f} {verified / len(kept):9.3f}")
    singles = [ImageIndex([h]) for h in hashes]
    false = pairs = false_verified = 0
    for a, h in enumerate(hashes):
        for b, single in enumerate(singles):
            if a == b or (shas[kept[a]] and shas[kept[a]] == shas[kept[b]]):
                continue
            pairs += 1
            hit = single.query(h)
            if hit is not None and hit.distance <= limit:
                false += 1
                false_verified += hit.distance <= lead and single.agreement(h, 0) >= agree
    print(f"  false-match rate {false / pairs:.3%} ({false} of {pairs} pairs within {limit} bits; target <= 0.5%); "
          f"verified false matches {false_verified}")


def speed(bodies: list[bytes], rounds: int) -> None:
    def ours() -> float:
        t0 = time.perf_counter()
        for data in bodies:
            hash_image(data)
        return len(bodies) / (time.perf_counter() - t0)

    def naive() -> float:
        t0 = time.perf_counter()
        for data in bodies:
            imagehash.phash(Image.open(io.BytesIO(data)))
        return len(bodies) / (time.perf_counter() - t0)

    ours(), naive()  # warm up (imports, caches)
    mine: list[float] = []
    base: list[float] = []
    for _ in range(rounds):
        mine.append(ours())
        base.append(naive())
    ratios = [m / b for m, b in zip(mine, base, strict=True)]
    print(f"speed ({len(bodies)} photos, {rounds} rounds alternating, median [min-max]):")
    print(f"  hash_image            {statistics.median(mine):8.0f} images/s  [{min(mine):.0f}-{max(mine):.0f}]")
    print(f"  imagehash.phash(open) {statistics.median(base):8.0f} images/s  [{min(base):.0f}-{max(base):.0f}]")
    print(f"  ratio {statistics.median(ratios):.2f}  [{min(ratios):.2f}-{max(ratios):.2f}]")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--real", type=Path, default=REAL)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--no-quality", action="store_true")
    args = ap.parse_args()
    if not (args.real / "photos.json").exists():
        raise SystemExit(f"skipped: {args.real / 'photos.json'} not found (the real photos are not in the repo)")
    bodies, shas = load(args.real)
    if not args.no_quality:
        quality(bodies, shas, MatchConfig())
    if not args.no_speed:
        speed(bodies, args.rounds)


if __name__ == "__main__":
    main()
