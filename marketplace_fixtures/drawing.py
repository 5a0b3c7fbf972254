"""Drawing primitives for the project's own product photos and logos (Pillow only).

Everything here is deterministic: the same arguments give the same pixels on the same Pillow
version.  Text uses Pillow's bundled default font (``ImageFont.load_default(size=...)``), so no
system font is needed.  Nothing here is copied from any real photo or logo: objects are built from
rectangles, ellipses and polygons.

Public entry points:

- :func:`product_photo` -- a product shot (object on a textured gradient background).
- :func:`logo` -- a simple emblem plus a word, PNG-friendly (RGBA).
- :data:`OBJECT_KINDS` -- the object kinds :func:`product_photo` knows how to draw.
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

RGB = tuple[int, int, int]
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Palette:
    """Colours for one object: main body, accent, detail."""

    main: RGB
    accent: RGB
    detail: RGB


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's bundled font at ``size`` pixels (no system font needed)."""
    return ImageFont.load_default(size=size)


def random_colour(rng: random.Random, *, light: bool | None = None) -> RGB:
    """A saturated-ish random colour; ``light`` picks the bright or dark half."""
    h = rng.random()
    s = rng.uniform(0.35, 0.95)
    if light is None:
        v = rng.uniform(0.25, 0.95)
    elif light:
        v = rng.uniform(0.75, 0.98)
        s = rng.uniform(0.05, 0.35)
    else:
        v = rng.uniform(0.12, 0.45)
    return hsv(h, s, v)


def hsv(h: float, s: float, v: float) -> RGB:
    """HSV (0..1 each) to an 8-bit RGB tuple."""
    i = int(h * 6) % 6
    f = h * 6 - int(h * 6)
    p, q, t = v * (1 - s), v * (1 - f * s), v * (1 - (1 - f) * s)
    r, g, b = [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)][i]
    return int(r * 255), int(g * 255), int(b * 255)


def shade(c: RGB, k: float) -> RGB:
    """Darken (k < 1) or lighten (k > 1) a colour."""
    if k <= 1:
        return tuple(int(x * k) for x in c)  # type: ignore[return-value]
    return tuple(int(x + (255 - x) * (k - 1)) for x in c)  # type: ignore[return-value]


def gradient_background(size: tuple[int, int], top: RGB, bottom: RGB, *, angle: float = 90.0,
                        noise: float = 6.0, seed: int = 0) -> Image.Image:
    """A linear gradient at ``angle`` degrees with fine grain noise (never a flat colour)."""
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = math.radians(angle)
    t = (xx / max(w - 1, 1)) * math.cos(a) + (yy / max(h - 1, 1)) * math.sin(a)
    t = (t - t.min()) / max(float(t.max() - t.min()), 1e-6)
    c0 = np.array(top, dtype=np.float32)
    c1 = np.array(bottom, dtype=np.float32)
    arr = c0[None, None, :] * (1 - t[..., None]) + c1[None, None, :] * t[..., None]
    if noise:
        gen = np.random.default_rng(seed)
        arr += gen.normal(0.0, noise, size=(h, w, 1)).astype(np.float32)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def add_texture(img: Image.Image, kind: str, rng: random.Random, colour: RGB, *, alpha: int = 40) -> None:
    """Overlay a background texture: ``stripes``, ``dots``, ``grid``, ``waves`` or ``none``."""
    if kind == "none":
        return
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    w, h = img.size
    step = rng.randint(18, 44)
    col = (*colour, alpha)
    if kind == "stripes":
        for x in range(-h, w, step):
            d.line([(x, 0), (x + h, h)], fill=col, width=max(2, step // 4))
    elif kind == "dots":
        r = max(2, step // 6)
        for y in range(0, h, step):
            for x in range((y // step % 2) * step // 2, w, step):
                d.ellipse([x - r, y - r, x + r, y + r], fill=col)
    elif kind == "grid":
        for x in range(0, w, step):
            d.line([(x, 0), (x, h)], fill=col, width=1)
        for y in range(0, h, step):
            d.line([(0, y), (w, y)], fill=col, width=1)
    elif kind == "waves":
        amp = rng.randint(6, 20)
        for y0 in range(0, h + step, step):
            pts = [(x, y0 + amp * math.sin(x / 23.0 + y0)) for x in range(0, w + 8, 8)]
            d.line(pts, fill=col, width=3)
    img.paste(layer, (0, 0), layer)


def floor_shadow(img: Image.Image, box: Box, *, strength: int = 90) -> None:
    """A soft elliptical shadow under ``box``."""
    x0, y0, x1, y1 = box
    layer = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(layer)
    cy = y1 - (y1 - y0) * 0.02
    d.ellipse([x0 + (x1 - x0) * 0.05, cy - (y1 - y0) * 0.06, x1 - (x1 - x0) * 0.05, cy + (y1 - y0) * 0.06],
              fill=strength)
    layer = layer.filter(ImageFilter.GaussianBlur(radius=max(4, (x1 - x0) / 18)))
    img.paste((20, 20, 20), (0, 0), layer)


def _lerp(box: Box, fx: float, fy: float) -> tuple[float, float]:
    x0, y0, x1, y1 = box
    return x0 + (x1 - x0) * fx, y0 + (y1 - y0) * fy


def _poly(box: Box, pts: list[tuple[float, float]], mirror: bool = False) -> list[tuple[float, float]]:
    return [_lerp(box, 1 - fx if mirror else fx, fy) for fx, fy in pts]


def _rect(box: Box, fx0: float, fy0: float, fx1: float, fy1: float) -> list[float]:
    a = _lerp(box, fx0, fy0)
    b = _lerp(box, fx1, fy1)
    return [min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])]


# --- objects -------------------------------------------------------------------------------------
# Each drawer paints one object filling ``box`` (x0, y0, x1, y1).


def draw_shoe(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    m = rng.random() < 0.5
    high = rng.uniform(0.0, 0.25)
    upper = [(0.05, 0.62), (0.12, 0.35 - high), (0.32, 0.28 - high), (0.45, 0.42), (0.7, 0.5),
             (0.92, 0.58), (0.97, 0.72), (0.05, 0.75)]
    d.polygon(_poly(box, upper, m), fill=p.main, outline=shade(p.main, 0.6))
    d.polygon(_poly(box, [(0.03, 0.72), (0.98, 0.7), (0.97, 0.84), (0.05, 0.86)], m), fill=p.detail)
    d.line(_poly(box, [(0.2, 0.62), (0.5, 0.52), (0.8, 0.66)], m), fill=p.accent, width=7)
    for i in range(4):
        fx = 0.36 + i * 0.06
        d.line(_poly(box, [(fx, 0.36 + i * 0.03), (fx + 0.05, 0.45 + i * 0.03)], m), fill=p.detail, width=3)


def draw_hoodie(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    body = [(0.25, 0.15), (0.4, 0.1), (0.6, 0.1), (0.75, 0.15), (0.97, 0.55), (0.86, 0.62), (0.78, 0.42),
            (0.78, 0.95), (0.22, 0.95), (0.22, 0.42), (0.14, 0.62), (0.03, 0.55)]
    d.polygon(_poly(box, body), fill=p.main, outline=shade(p.main, 0.6))
    d.ellipse(_rect(box, 0.38, 0.02, 0.62, 0.24), fill=shade(p.main, 0.75))
    d.rectangle(_rect(box, 0.22, 0.88, 0.78, 0.95), fill=p.accent)
    d.rectangle(_rect(box, 0.33, 0.58, 0.67, 0.75), outline=p.detail, width=3)
    if rng.random() < 0.6:
        d.line(_poly(box, [(0.5, 0.2), (0.5, 0.88)]), fill=p.detail, width=3)


def draw_handbag(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    d.arc(_rect(box, 0.25, 0.02, 0.75, 0.55), 180, 360, fill=p.detail, width=9)
    d.rounded_rectangle(_rect(box, 0.08, 0.3, 0.92, 0.95), radius=22, fill=p.main, outline=shade(p.main, 0.6))
    if rng.random() < 0.5:  # quilting
        for i in range(1, 8):
            d.line(_poly(box, [(0.08 + i * 0.12, 0.3), (0.08 + i * 0.12 - 0.3, 0.95)]), fill=shade(p.main, 0.8))
            d.line(_poly(box, [(0.08 + i * 0.12 - 0.3, 0.3), (0.08 + i * 0.12, 0.95)]), fill=shade(p.main, 0.8))
    d.polygon(_poly(box, [(0.08, 0.3), (0.92, 0.3), (0.88, 0.6), (0.12, 0.6)]), fill=shade(p.main, 0.9))
    d.ellipse(_rect(box, 0.44, 0.52, 0.56, 0.66), fill=p.accent)


def draw_tote(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    d.arc(_rect(box, 0.18, 0.0, 0.42, 0.5), 180, 360, fill=p.accent, width=7)
    d.arc(_rect(box, 0.58, 0.0, 0.82, 0.5), 180, 360, fill=p.accent, width=7)
    d.polygon(_poly(box, [(0.1, 0.25), (0.9, 0.25), (0.98, 0.95), (0.02, 0.95)]), fill=p.main)
    step = rng.choice([0.08, 0.11, 0.14])
    y = 0.3
    while y < 0.92:  # monogram-like pattern of small marks
        x = 0.1 + (0.04 if int(y / step) % 2 else 0.0)
        while x < 0.92:
            cx, cy = _lerp(box, x, y)
            r = (box[2] - box[0]) * 0.015
            d.polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], fill=p.detail)
            x += step
        y += step
    d.rectangle(_rect(box, 0.02, 0.25, 0.98, 0.3), fill=p.accent)


def draw_duffel(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    d.arc(_rect(box, 0.3, 0.1, 0.7, 0.6), 180, 360, fill=p.accent, width=8)
    d.rounded_rectangle(_rect(box, 0.02, 0.35, 0.98, 0.9), radius=60, fill=p.main, outline=shade(p.main, 0.5))
    d.line(_poly(box, [(0.08, 0.42), (0.92, 0.42)]), fill=p.detail, width=5)
    for fx in (0.15, 0.85):
        d.rectangle(_rect(box, fx - 0.05, 0.35, fx + 0.05, 0.9), fill=p.accent)


def draw_perfume(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    d.rectangle(_rect(box, 0.4, 0.05, 0.6, 0.25), fill=p.detail)
    d.rectangle(_rect(box, 0.45, 0.23, 0.55, 0.32), fill=shade(p.detail, 0.7))
    if rng.random() < 0.5:
        d.rounded_rectangle(_rect(box, 0.2, 0.3, 0.8, 0.97), radius=12, fill=p.main, outline=shade(p.main, 0.6))
    else:
        d.ellipse(_rect(box, 0.12, 0.3, 0.88, 0.97), fill=p.main, outline=shade(p.main, 0.6))
    d.rectangle(_rect(box, 0.33, 0.55, 0.67, 0.72), fill=p.accent)


def draw_phone(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    d.rounded_rectangle(_rect(box, 0.22, 0.02, 0.78, 0.98), radius=28, fill=p.main, outline=p.detail, width=4)
    layout = rng.randrange(3)
    if layout == 0:
        d.rounded_rectangle(_rect(box, 0.28, 0.06, 0.52, 0.28), radius=14, fill=shade(p.main, 0.7))
        for fx, fy in ((0.34, 0.11), (0.45, 0.11), (0.34, 0.22)):
            d.ellipse(_rect(box, fx - 0.04, fy - 0.03, fx + 0.04, fy + 0.03), fill=p.detail)
    elif layout == 1:
        d.ellipse(_rect(box, 0.32, 0.08, 0.68, 0.3), fill=shade(p.main, 0.7), outline=p.accent, width=4)
        for fx in (0.42, 0.58):
            d.ellipse(_rect(box, fx - 0.05, 0.15, fx + 0.05, 0.23), fill=p.detail)
    else:  # screen side
        d.rounded_rectangle(_rect(box, 0.25, 0.05, 0.75, 0.95), radius=22, fill=p.accent)
        d.ellipse(_rect(box, 0.48, 0.07, 0.52, 0.09), fill=p.detail)
        for i in range(4):
            for j in range(4):
                d.rounded_rectangle(_rect(box, 0.29 + i * 0.11, 0.15 + j * 0.08, 0.36 + i * 0.11,
                                          0.2 + j * 0.08), radius=4, fill=shade(p.main, 1.3))


def draw_earbuds(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    d.rounded_rectangle(_rect(box, 0.1, 0.35, 0.9, 0.95), radius=50, fill=p.main, outline=shade(p.main, 0.7))
    d.line(_poly(box, [(0.1, 0.55), (0.9, 0.55)]), fill=shade(p.main, 0.7), width=3)
    d.ellipse(_rect(box, 0.47, 0.6, 0.53, 0.66), fill=p.accent)
    for fx in (0.3, 0.62):
        d.ellipse(_rect(box, fx, 0.02, fx + 0.14, 0.18), fill=p.detail)
        d.rectangle(_rect(box, fx + 0.04, 0.14, fx + 0.09, 0.32), fill=p.detail)


def draw_watch(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    d.rectangle(_rect(box, 0.36, 0.0, 0.64, 1.0), fill=p.accent)
    for fy in (0.08, 0.14, 0.86, 0.92):
        d.line(_poly(box, [(0.36, fy), (0.64, fy)]), fill=shade(p.accent, 0.7), width=2)
    if rng.random() < 0.5:
        d.rounded_rectangle(_rect(box, 0.22, 0.25, 0.78, 0.75), radius=30, fill=p.main, outline=p.detail, width=6)
    else:
        d.ellipse(_rect(box, 0.2, 0.22, 0.8, 0.78), fill=p.main, outline=p.detail, width=8)
    cx, cy = _lerp(box, 0.5, 0.5)
    r = (box[2] - box[0]) * 0.2
    d.line([(cx, cy), (cx + r * 0.6, cy - r * 0.5)], fill=p.detail, width=5)
    d.line([(cx, cy), (cx - r * 0.2, cy - r * 0.9)], fill=p.detail, width=3)


def draw_band(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    d.ellipse(_rect(box, 0.05, 0.2, 0.95, 0.8), outline=p.main, width=int((box[2] - box[0]) * 0.09))
    d.rounded_rectangle(_rect(box, 0.3, 0.12, 0.7, 0.36), radius=20, fill=p.detail, outline=p.accent, width=4)
    d.rectangle(_rect(box, 0.38, 0.2, 0.62, 0.28), fill=p.accent)


def draw_liquor(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    round_body = rng.random() < 0.5
    d.rectangle(_rect(box, 0.42, 0.0, 0.58, 0.12), fill=p.accent)
    d.polygon(_poly(box, [(0.42, 0.12), (0.58, 0.12), (0.7, 0.3), (0.3, 0.3)]), fill=p.main)
    if round_body:
        d.ellipse(_rect(box, 0.18, 0.25, 0.82, 0.98), fill=p.main, outline=shade(p.main, 0.7))
    else:
        d.rounded_rectangle(_rect(box, 0.28, 0.28, 0.72, 0.98), radius=16, fill=p.main, outline=shade(p.main, 0.7))
    d.rectangle(_rect(box, 0.3, 0.5, 0.7, 0.75), fill=p.accent)
    d.rectangle(_rect(box, 0.36, 0.55, 0.64, 0.7), outline=p.detail, width=3)
    d.line(_poly(box, [(0.3, 0.38), (0.7, 0.38)]), fill=p.detail, width=4)


def draw_dropper(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    d.ellipse(_rect(box, 0.4, 0.0, 0.6, 0.16), fill=p.detail)
    d.rectangle(_rect(box, 0.38, 0.12, 0.62, 0.3), fill=p.accent)
    d.rounded_rectangle(_rect(box, 0.25, 0.28, 0.75, 0.98), radius=26, fill=p.main, outline=shade(p.main, 0.6))
    d.rectangle(_rect(box, 0.3, 0.5, 0.7, 0.8), fill=shade(p.main, 1.4))
    d.line(_poly(box, [(0.34, 0.58), (0.66, 0.58)]), fill=p.detail, width=3)
    d.line(_poly(box, [(0.34, 0.66), (0.6, 0.66)]), fill=p.detail, width=2)


def draw_pump(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    d.rectangle(_rect(box, 0.45, 0.02, 0.7, 0.07), fill=p.detail)
    d.rectangle(_rect(box, 0.45, 0.05, 0.52, 0.2), fill=p.detail)
    d.rectangle(_rect(box, 0.38, 0.18, 0.6, 0.28), fill=p.accent)
    d.rounded_rectangle(_rect(box, 0.22, 0.26, 0.78, 0.98), radius=40, fill=p.main, outline=shade(p.main, 0.7))
    d.ellipse(_rect(box, 0.32, 0.5, 0.68, 0.78), fill=p.accent)


def draw_soap(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    for i in range(rng.choice([1, 2, 3])):
        off = i * 0.08
        d.rounded_rectangle(_rect(box, 0.05 + off, 0.3 + off, 0.85 + off * 0.5, 0.8 + off * 0.3), radius=50,
                            fill=shade(p.main, 1 - i * 0.12), outline=shade(p.main, 0.7))
    d.ellipse(_rect(box, 0.3, 0.45, 0.6, 0.65), outline=p.accent, width=5)


def draw_fruit(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    n = rng.randint(1, 5)
    for i in range(n):
        fx = 0.1 + (i % 3) * 0.28 + rng.uniform(-0.04, 0.04)
        fy = 0.15 + (i // 3) * 0.38 + rng.uniform(-0.04, 0.04)
        d.ellipse(_rect(box, fx, fy + 0.08, fx + 0.34, fy + 0.44), fill=shade(p.main, rng.uniform(0.8, 1.1)))
        d.line(_poly(box, [(fx + 0.17, fy + 0.1), (fx + 0.19, fy)]), fill=(90, 60, 30), width=4)
        d.ellipse(_rect(box, fx + 0.19, fy, fx + 0.29, fy + 0.06), fill=(60, 150, 60))


def draw_plush(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    d.ellipse(_rect(box, 0.2, 0.4, 0.8, 0.98), fill=p.main)
    d.ellipse(_rect(box, 0.25, 0.05, 0.75, 0.5), fill=p.main)
    for fx in (0.22, 0.68):
        d.ellipse(_rect(box, fx, 0.0, fx + 0.12, 0.14), fill=shade(p.main, 0.8))
    for fx in (0.38, 0.56):
        d.ellipse(_rect(box, fx, 0.2, fx + 0.06, 0.26), fill=(20, 20, 20))
    d.ellipse(_rect(box, 0.45, 0.3, 0.55, 0.38), fill=p.accent)


def draw_vehicle(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    d.rounded_rectangle(_rect(box, 0.02, 0.25, 0.98, 0.78), radius=18, fill=p.main)
    for i in range(6):
        d.rectangle(_rect(box, 0.06 + i * 0.15, 0.32, 0.17 + i * 0.15, 0.5), fill=shade(p.accent, 1.3))
    for fx in (0.2, 0.78):
        d.ellipse(_rect(box, fx - 0.09, 0.68, fx + 0.09, 0.9), fill=(30, 30, 30))
    d.rectangle(_rect(box, 0.02, 0.6, 0.98, 0.64), fill=p.detail)


def draw_mug(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    d.ellipse(_rect(box, 0.62, 0.35, 0.95, 0.75), outline=p.main, width=14)
    d.rounded_rectangle(_rect(box, 0.12, 0.2, 0.72, 0.95), radius=16, fill=p.main)
    d.ellipse(_rect(box, 0.12, 0.15, 0.72, 0.27), fill=shade(p.main, 0.6))
    d.rectangle(_rect(box, 0.2, 0.5, 0.64, 0.6), fill=p.accent)


def draw_box(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    d.polygon(_poly(box, [(0.1, 0.3), (0.6, 0.2), (0.95, 0.3), (0.45, 0.42)]), fill=shade(p.main, 1.2))
    d.polygon(_poly(box, [(0.1, 0.3), (0.45, 0.42), (0.45, 0.98), (0.1, 0.85)]), fill=p.main)
    d.polygon(_poly(box, [(0.45, 0.42), (0.95, 0.3), (0.95, 0.85), (0.45, 0.98)]), fill=shade(p.main, 0.75))
    d.line(_poly(box, [(0.27, 0.36), (0.78, 0.25)]), fill=p.accent, width=6)


def draw_case(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    d.rounded_rectangle(_rect(box, 0.2, 0.02, 0.8, 0.98), radius=36, fill=p.main, outline=shade(p.main, 0.6), width=6)
    d.rounded_rectangle(_rect(box, 0.26, 0.05, 0.5, 0.25), radius=12, fill=shade(p.main, 0.5))
    d.rectangle(_rect(box, 0.35, 0.55, 0.65, 0.6), fill=p.accent)
    if rng.random() < 0.5:
        d.line(_poly(box, [(0.2, 0.98), (0.02, 0.7), (0.05, 0.5)]), fill=p.detail, width=5)  # cable


def draw_book(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    d.rectangle(_rect(box, 0.2, 0.05, 0.85, 0.95), fill=p.main, outline=shade(p.main, 0.5))
    d.rectangle(_rect(box, 0.15, 0.05, 0.24, 0.95), fill=shade(p.main, 0.6))
    d.rectangle(_rect(box, 0.3, 0.2, 0.75, 0.3), fill=p.accent)
    d.rectangle(_rect(box, 0.3, 0.38, 0.65, 0.42), fill=p.detail)


def draw_chair(d: ImageDraw.ImageDraw, box: Box, p: Palette, rng: random.Random) -> None:
    d.rectangle(_rect(box, 0.25, 0.05, 0.75, 0.5), fill=p.main)
    d.rectangle(_rect(box, 0.2, 0.5, 0.8, 0.6), fill=shade(p.main, 0.8))
    for fx in (0.22, 0.74):
        d.rectangle(_rect(box, fx, 0.6, fx + 0.04, 0.98), fill=p.detail)


OBJECT_KINDS: dict[str, Callable[[ImageDraw.ImageDraw, Box, Palette, random.Random], None]] = MappingProxyType({
    "shoe": draw_shoe, "hoodie": draw_hoodie, "handbag": draw_handbag, "tote": draw_tote,
    "duffel": draw_duffel, "perfume": draw_perfume, "phone": draw_phone, "earbuds": draw_earbuds,
    "watch": draw_watch, "band": draw_band, "liquor": draw_liquor, "dropper": draw_dropper,
    "pump": draw_pump, "soap": draw_soap, "fruit": draw_fruit, "plush": draw_plush,
    "vehicle": draw_vehicle, "mug": draw_mug, "box": draw_box, "case": draw_case, "book": draw_book,
    "chair": draw_chair,
})

TEXTURES = ("none", "stripes", "dots", "grid", "waves")


def product_photo(kind: str, seed: int | str, *, size: tuple[int, int] = (480, 480),
                  palette: Palette | None = None, dark: bool | None = None) -> Image.Image:
    """Draw a product shot of ``kind``: textured gradient background, shadow, object, props.

    ``seed`` fixes colours, layout (position, scale), texture and props.  ``palette`` overrides the
    object colours (for a product whose colourway is part of its identity); ``dark`` forces a dark
    or light background.
    """
    rng = random.Random(f"photo:{kind}:{seed}")
    w, h = size
    dark_bg = rng.random() < 0.35 if dark is None else dark
    top = random_colour(rng, light=not dark_bg)
    bottom = shade(top, rng.uniform(0.55, 0.85)) if not dark_bg else shade(top, rng.uniform(1.3, 1.8))
    img = gradient_background(size, top, bottom, angle=rng.choice([90, 90, 45, 135, 0, 180, 270]),
                              noise=rng.uniform(3, 9), seed=rng.randrange(2**31))
    add_texture(img, rng.choice(TEXTURES), rng, shade(top, 0.6 if not dark_bg else 1.6),
                alpha=rng.randint(20, 55))
    if rng.random() < 0.5:  # a table edge / floor line
        fy = rng.uniform(0.68, 0.85) * h
        ImageDraw.Draw(img).rectangle([0, fy, w, h], fill=shade(bottom, rng.uniform(0.75, 0.95)))
    scale = rng.uniform(0.5, 0.78)
    bw, bh = w * scale, h * scale
    cx = w * rng.uniform(0.3, 0.7)
    cy = h * rng.uniform(0.38, 0.62)
    obj_box = (cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2)
    floor_shadow(img, obj_box, strength=rng.randint(60, 130))
    pal = palette or Palette(random_colour(rng), random_colour(rng), random_colour(rng))
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    OBJECT_KINDS[kind](ImageDraw.Draw(layer), obj_box, pal, rng)
    if rng.random() < 0.5:  # slight tilt of the object only
        layer = layer.rotate(rng.uniform(-12, 12), resample=Image.Resampling.BICUBIC, center=(cx, cy))
    img.paste(layer, (0, 0), layer)
    d = ImageDraw.Draw(img)
    for _ in range(rng.randint(0, 3)):  # small props: pebbles, tags
        px, py = rng.uniform(0.05, 0.95) * w, rng.uniform(0.75, 0.97) * h
        r = rng.uniform(6, 18)
        d.ellipse([px - r, py - r * 0.6, px + r, py + r * 0.6], fill=random_colour(rng))
    # soft highlight to look photographed
    hl = Image.new("L", size, 0)
    ImageDraw.Draw(hl).ellipse([w * 0.05, -h * 0.3, w * 0.7, h * 0.4], fill=rng.randint(15, 40))
    img.paste((255, 255, 255), (0, 0), hl.filter(ImageFilter.GaussianBlur(40)))
    return img


def logo(word: str, seed: int | str, *, size: tuple[int, int] = (320, 160)) -> Image.Image:
    """A made-up logo: an abstract emblem and ``word`` in the bundled font on transparent ground."""
    rng = random.Random(f"logo:{word}:{seed}")
    w, h = size
    img = Image.new("RGBA", size, (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    fg = random_colour(rng, light=False)
    acc = random_colour(rng)
    shape = rng.randrange(4)
    e = (12, h * 0.2, 12 + h * 0.6, h * 0.8)
    if shape == 0:
        d.ellipse(e, fill=fg)
        d.ellipse((e[0] + 14, e[1] + 14, e[2] - 14, e[3] - 14), fill=acc)
    elif shape == 1:
        cx, cy = (e[0] + e[2]) / 2, (e[1] + e[3]) / 2
        d.polygon([(cx, e[1]), (e[2], cy), (cx, e[3]), (e[0], cy)], fill=fg)
    elif shape == 2:
        d.pieslice((e[0], e[1], e[2] + 30, e[3] + 30), 180, 270, fill=fg)
        d.arc(e, 0, 300, fill=acc, width=8)
    else:
        d.rounded_rectangle(e, radius=12, fill=fg)
        d.line([(e[0] + 8, e[3] - 8), (e[2] - 8, e[1] + 8)], fill=acc, width=8)
    # the bundled font has no accented capitals: draw "LANCÔME" as "LANCOME"
    folded = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    text = folded.upper() if rng.random() < 0.6 else folded
    size_px = 48
    f = font(size_px)
    while f.getbbox(text)[2] > w - h * 0.75 - 16 and size_px > 12:
        size_px -= 2
        f = font(size_px)
    bbox = f.getbbox(text)
    d.text((h * 0.75 + 10, (h - (bbox[3] - bbox[1])) / 2 - bbox[1]), text, font=f, fill=fg)
    return img
