"""Photo-only listings (issue 15): the brand is in the photo, not in the title; and lawful look-alike photos.

Two families of ``counterfeit_photo`` (a lead) and one of ``lookalike`` (not a lead):

- ``photo_logo``: the brand's catalog logo printed on the product (30-55 % of the photo's width,
  turned up to ±30° or upside down, seen slightly in perspective, on a textured product shot; on a
  light tag half of the time; when the product under it is too dark or busy for the dark mark to
  be legible, printed light on it (its ink's grey levels turned over, a white logo on a black shoe)
  if that is legible, else on a tag);
- ``photo_text``: the brand's name written on the photo (a label or a stamp), sometimes with a
  counterfeit stamp line ("AAA 1:1", "1:1 REPLICA") under it;
- ``photo_shapes``: a lawful product whose own branding has the same kinds of marks as the
  catalog's logos (roundels, squares with a bar, diamonds, drawn by the same code, in the same
  font) with another word, or the mark alone, printed the same ways (light on a dark product too);
  must stay quiet.

An image is named by a ref ``print|<object kind>|<mark>|<seed>`` (see ``images.py``), where mark is
``logo:<brand id>``, ``text:<brand id>:<stamp no>`` or ``shapes:<word>:<mark only 0/1>``. The title
never names the brand. Everything is drawn from the ref, so a listing's photos are the same for the
same seed.
"""

from __future__ import annotations

import math
import random
import unicodedata
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

import numpy as np
from PIL import Image, ImageDraw

from brandsweep.marketplace_fixtures.catalog import Brand, Catalog
from brandsweep.marketplace_fixtures.drawing import font, logo

PHOTO_LEAD = ("photo_logo", "photo_text")
PHOTO_LAWFUL = ("photo_shapes",)
MIN_CONTRAST = 90  # grey levels between a mark printed straight on the product and the product under it
# counterfeit stamps written under the brand word (Latin only: the bundled font has no Chinese glyphs)
STAMPS = ("", "AAA 1:1", "1:1 REPLICA", "TOP 1:1 QUALITY", "AAA+ MIRROR")
# lawful words on look-alike marks: none is a catalog brand or alias
LAWFUL_WORDS = ("GARDEN", "HOMELY", "RIVETS", "SUNDAY", "PLANTS", "COTTON", "KITCHEN", "TRAVEL", "MAPLE",
                "HARBOR", "LINNET", "OSPREY", "CANDLE", "MEADOW")
# titles without any brand (English, Chinese) per drawn object kind
TITLES = MappingProxyType({
    "handbag": ("Women's leather handbag premium quality", "女士真皮手提包 高品质"),
    "shoe": ("Men's running shoes breathable sneakers", "男士跑步鞋 透气运动鞋"),
    "perfume": ("Eau de parfum 100ml long lasting", "香水 100ml 持久留香"),
    "watch": ("Men's automatic watch stainless steel", "男士机械手表 不锈钢"),
    "hoodie": ("Unisex cotton hoodie streetwear", "男女同款 纯棉连帽卫衣"),
    "phone": ("Smartphone 256GB dual SIM unlocked", "智能手机 256GB 双卡"),
    "earbuds": ("Wireless earbuds noise cancelling", "无线蓝牙耳机 降噪"),
    "liquor": ("Premium baijiu gift bottle 500ml", "白酒 礼盒装 500ml"),
    "dropper": ("Face serum 30ml hydrating", "精华液 30ml 补水"),
    "pump": ("Body wash 500ml moisturising", "沐浴露 500ml 滋润"),
    "box": ("Gift box with ribbon", "礼品盒"),
    "tote": ("Canvas tote bag large capacity", "帆布托特包 大容量"),
    "mug": ("Ceramic coffee mug 350ml", "陶瓷马克杯 350ml"),
})


def brand_logo_path(catalog: Catalog, brand: Brand) -> Path | None:
    return catalog.logos.get(brand.id)


def choose_family(rng: random.Random, brand: Brand, catalog: Catalog) -> str:
    """photo_logo when the brand has a logo image (60 %), else photo_text."""
    return "photo_logo" if brand.id in catalog.logos and rng.random() < 0.6 else "photo_text"


def mark_ref(family: str, brand: Brand | None, rng: random.Random) -> str:
    if family == "photo_logo" and brand is not None:
        return f"logo:{brand.id}"
    if family == "photo_text" and brand is not None:
        return f"text:{brand.id}:{rng.choice((0, 0, 1, 2, 3, 4))}"
    return f"shapes:{rng.choice(LAWFUL_WORDS)}:{int(rng.random() < 0.25)}"


def title(drawn: str, zh: bool) -> str:
    en, zh_t = TITLES.get(drawn, TITLES["box"])
    return zh_t if zh else en


def _plain_upper(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).upper()


def _text_art(word: str, stamp: str, rng: random.Random) -> Image.Image:
    """The brand word (and a stamp line) in dark ink on a light label, RGBA."""
    size = rng.randint(30, 44)
    f, fs = font(size), font(max(16, int(size * 0.6)))
    probe = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    w1 = probe.textbbox((0, 0), word, font=f)[2]
    w2 = probe.textbbox((0, 0), stamp, font=fs)[2] if stamp else 0
    pad = size // 3
    h = size + pad * 2 + (int(size * 0.8) if stamp else 0)
    img = Image.new("RGBA", (max(w1, w2) + 2 * pad, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, img.width - 1, h - 1), fill=(238, 234, 226, 235))
    ink = (rng.randint(10, 50), rng.randint(10, 50), rng.randint(10, 60), 255)
    d.text((pad, pad), word, font=f, fill=ink)
    if stamp:
        d.text((pad, pad + size + 2), stamp, font=fs, fill=(170, 20, 30, 255))
    return img


def _perspective(art: Image.Image, photo: Image.Image, width: float, angle: float, tilt: float,
                 centre: tuple[float, float]) -> Image.Image:
    """``art`` pasted on ``photo`` at ``width`` share of its width, rotated and seen in perspective."""
    w, h = art.size
    pw, ph = photo.size
    s = width * pw / w
    a = math.radians(angle)
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float64) - [w / 2, h / 2]
    corners[1, 1] += tilt * h / 2
    corners[2, 1] -= tilt * h / 2
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    dst = (corners * s) @ rot.T + [centre[0] * pw, centre[1] * ph]
    # PIL's perspective transform maps output pixels to input pixels: solve dst -> src
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float64)
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    coeffs = np.linalg.solve(np.array(rows), np.array(rhs))
    layer = art.convert("RGBA").transform(photo.size, Image.Transform.PERSPECTIVE, tuple(float(c) for c in coeffs),
                                          Image.Resampling.BICUBIC)
    out = photo.convert("RGBA")
    return Image.alpha_composite(out, layer).convert("RGB")


class Layout(NamedTuple):
    art: Image.Image  # the mark as printed (RGBA): on its tag, in light ink, or as drawn
    width: float
    angle: float
    tilt: float
    centre: tuple[float, float]
    style: str  # "tag" (on a light tag or card), "light" (light ink on a dark product), "direct"


def layout(photo: Image.Image, mark: str, catalog: Catalog, seed: str) -> Layout:
    """How the mark is printed on the product shot (see the module docstring for ``mark``)."""
    rng = random.Random(f"print:{mark}:{seed}")
    kind, name, extra, *_ = [*mark.split(":"), "", ""]
    if kind == "logo":
        path = catalog.logos[name]
        with Image.open(path) as im:
            art = im.convert("RGBA")
        width = rng.uniform(0.3, 0.55)
    elif kind == "text":
        brand = catalog.brand(name)
        art = _text_art(_plain_upper(brand.name), STAMPS[int(extra or 0) % len(STAMPS)], rng)
        width = min(0.85, rng.uniform(0.45, 0.75))
    elif kind == "shapes":
        art = logo(name, f"lawful:{seed}")  # the catalog logos' own drawing code and font, another word
        if extra == "1":  # the mark alone
            art = art.crop((0, 0, art.height, art.height))
        width = rng.uniform(0.22, 0.5) * (0.5 if extra == "1" else 1.0)
    else:
        raise KeyError(mark)
    style = "tag" if rng.random() < 0.5 else "direct"
    angle = 180.0 if rng.random() < 0.1 else rng.uniform(-30, 30)
    tilt = rng.uniform(0.0, 0.25)
    centre = (rng.uniform(0.38, 0.62), rng.uniform(0.38, 0.62))
    if style == "direct" and _contrast(art, photo, width, centre) < MIN_CONTRAST:
        # a dark mark straight on a dark or busy product would be illegible: printed light on it
        # (a white logo on a black shoe) when the product is dark enough, else on a light tag
        light = _negative(art)
        if kind != "text" and _contrast(light, photo, width, centre, light=True) >= MIN_CONTRAST \
                and rng.random() >= 0.3:
            art, style = light, "light"
        else:
            style = "tag"
    if style == "tag":
        card = Image.new("RGBA", art.size, (250, 248, 242, 255))
        art = Image.alpha_composite(card, art)
    return Layout(art, width, angle, tilt, centre, style)


def print_mark(photo: Image.Image, mark: str, catalog: Catalog, seed: str) -> Image.Image:
    """The product shot with the mark printed on it (see the module docstring for ``mark``)."""
    art, width, angle, tilt, centre, _style = layout(photo, mark, catalog, seed)
    return _perspective(art, photo, width, angle, tilt, centre)


def _negative(art: Image.Image) -> Image.Image:
    """The mark in light ink: each ink colour's grey level turned over, its alpha kept."""
    rgba = np.asarray(art.convert("RGBA")).copy()
    rgba[..., :3] = 255 - rgba[..., :3]
    return Image.fromarray(rgba, "RGBA")


def _contrast(art: Image.Image, photo: Image.Image, width: float, centre: tuple[float, float],
              light: bool = False) -> float:
    """Grey-level gap between the mark's ink and the darkest quarter of the photo under it (for a
    ``light`` mark: between the lightest quarter under it and the ink)."""
    rgba = np.asarray(art.convert("RGBA"), np.float32)
    ink = rgba[..., 3] > 128
    if not ink.any():
        return 255.0
    ink_grey = float((rgba[..., :3][ink] @ [0.299, 0.587, 0.114]).mean())
    pw, ph = photo.size
    half_w, half_h = width * pw / 2, width * pw * art.height / art.width / 2
    box = (int(max(0, centre[0] * pw - half_w)), int(max(0, centre[1] * ph - half_h)),
           int(min(pw, centre[0] * pw + half_w)), int(min(ph, centre[1] * ph + half_h)))
    under = np.asarray(photo.convert("L").crop(box), np.float32)
    if light:
        return ink_grey - float(np.percentile(under, 75))
    return float(np.percentile(under, 25)) - ink_grey
