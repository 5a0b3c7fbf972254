"""Listing images: catalog photos re-used after transforms, or the listing's own drawn photo.

An image is named by a *ref* string stored in the listing:

- ``cat|<product id>|<transforms>|<variant>``: the catalog photo of the product after the
  ``+``-joined transforms (``resize``, ``crop10``, ``jpeg``, ``watermark``, ``mirror``, ``border``,
  ``rotate``); the variant seeds the transform parameters, so shops of one seller network that share
  a variant serve byte-identical photos;
- ``draw|<object kind>|<seed>``: a photo drawn for this listing, redrawn until its pHash is at least
  ``MIN_OWN_DISTANCE`` bits from every catalog photo, so own photos never look like catalog ones;
- ``print|<object kind>|<mark>|<seed>``: that own photo with a mark printed on it: a catalog logo, the
  brand's name, or a lawful look-alike mark (``photo_kinds.py``, issue 15).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field

import imagehash
from PIL import Image, ImageDraw, ImageOps

from brandsweep.marketplace_fixtures.catalog import Catalog
from brandsweep.marketplace_fixtures.drawing import font, product_photo
from brandsweep.marketplace_fixtures.photo_kinds import print_mark

MIN_OWN_DISTANCE = 18
WATERMARKS = ("REAL SHOT", "@toptrade88", "QUALITY GUARANTEED", "WhatsApp +86 138", "FACTORY PHOTO", "IN STOCK",
              "shop-2024", "VIP", "Original Photo")


@dataclass
class ImageMaker:
    """Renders image refs to JPEG bytes; caches catalog photos and their hashes (per instance)."""

    catalog: Catalog
    photos: dict[str, Image.Image] = field(default_factory=dict)
    hashes: list[imagehash.ImageHash] = field(default_factory=list)

    def catalog_photo(self, product_id: str) -> Image.Image:
        img = self.photos.get(product_id)
        if img is None:
            for b in self.catalog.brands:
                for p in b.products:
                    if p.id == product_id and p.image is not None:
                        with Image.open(p.image) as im:
                            img = im.convert("RGB")
            if img is None:
                raise KeyError(product_id)
            self.photos[product_id] = img
        return img

    def catalog_hashes(self) -> list[imagehash.ImageHash]:
        if not self.hashes:
            for b in self.catalog.brands:
                for p in b.products:
                    if p.image is not None:
                        self.hashes.append(imagehash.phash(self.catalog_photo(p.id)))
        return self.hashes

    def render(self, ref: str) -> bytes:
        """JPEG bytes for ``ref``; raises KeyError for an unknown ref."""
        kind, a, b, c, *_ = [*ref.split("|"), "", "", ""]
        if kind == "print":  # issue 15: a mark printed on the listing's own photo
            img, quality = print_mark(self.own_photo(a, c), b, self.catalog, c), 86
        elif kind == "cat":
            img, quality = transform(self.catalog_photo(a), [t for t in b.split("+") if t], f"{ref}")
        elif kind == "draw":
            img, quality = self.own_photo(a, b), 86
        else:
            raise KeyError(ref)
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=quality)
        return buf.getvalue()

    def own_photo(self, kind: str, seed: str) -> Image.Image:
        hashes = self.catalog_hashes()
        attempt = 0
        while True:
            img = product_photo(kind, f"{seed}:{attempt}" if attempt else seed, size=(440, 440))
            h = imagehash.phash(img)
            if all(h - c >= MIN_OWN_DISTANCE for c in hashes) or attempt > 20:
                return img
            attempt += 1


def transform(img: Image.Image, transforms: list[str], seed: str) -> tuple[Image.Image, int]:
    """Apply the named transforms in order; returns the image and the JPEG quality to save with."""
    rng = random.Random(f"tf:{seed}")
    quality = 88
    out = img
    for t in transforms:
        if t == "resize":
            s = rng.uniform(0.55, 0.9)
            out = out.resize((int(out.width * s), int(out.height * s)), Image.Resampling.LANCZOS)
        elif t == "crop10":
            total = rng.uniform(0.08, 0.12)
            left, top = rng.uniform(0, total), rng.uniform(0, total)
            w, h = out.size
            out = out.crop((int(w * left), int(h * top), int(w * (1 - total + left)), int(h * (1 - total + top))))
        elif t == "jpeg":
            quality = rng.randint(22, 45)
        elif t == "watermark":
            out = watermark(out, rng.choice(WATERMARKS), rng)
        elif t == "mirror":
            out = ImageOps.mirror(out)
        elif t == "border":
            colour = rng.choice(((255, 255, 255), (0, 0, 0), (230, 30, 40), (250, 220, 60)))
            out = ImageOps.expand(out, border=rng.randint(12, 36), fill=colour)
        elif t == "rotate":
            angle = rng.choice((-1, 1)) * rng.uniform(0.8, 3.0)
            out = out.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=(255, 255, 255))
        else:
            raise KeyError(t)
    return out, quality


def watermark(img: Image.Image, text: str, rng: random.Random) -> Image.Image:
    """Semi-transparent text over the photo, in a corner or across the middle."""
    base = img.convert("RGBA")
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    f = font(max(14, base.width // 14))
    bbox = d.textbbox((0, 0), text, font=f)
    tw, th = bbox[2] - bbox[0], bbox[3] - bbox[1]
    if rng.random() < 0.5:
        pos = (base.width - tw - 12, base.height - th - 16)
    else:
        pos = ((base.width - tw) // 2, (base.height - th) // 2)
    d.text(pos, text, font=f, fill=(255, 255, 255, rng.randint(110, 170)), stroke_width=1,
           stroke_fill=(0, 0, 0, 90))
    return Image.alpha_composite(base, layer).convert("RGB")
