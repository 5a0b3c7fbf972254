"""Generated listing photos for the photo engines' tests and benchmark (Pillow + OpenCV warps).

Everything is drawn from a seed: textured backgrounds (noise, blur, stripes, blobs), brand text,
synthetic logos (a mark shape + a word), and the same logo rotated, scaled, cropped and seen in
perspective; lawful photos carry the same kinds of shapes with other words.
"""

from __future__ import annotations

import io
import math

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

_SHAPES = ("ring", "square", "triangle", "star", "bars", "circle")


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)  # Pillow's bundled FreeType font: no system fonts needed


def to_bytes(img: Image.Image, fmt: str = "JPEG", quality: int = 88) -> bytes:
    buf = io.BytesIO()
    if fmt == "JPEG":
        img.convert("RGB").save(buf, "JPEG", quality=quality)
    else:
        img.save(buf, fmt)
    return buf.getvalue()


def background(rng: np.random.Generator, w: int = 640, h: int = 480) -> Image.Image:
    """A textured background: coloured noise, soft stripes (fabric, wood) and blurred blobs."""
    base = rng.integers(60, 200, size=3)
    noise = rng.normal(0, 28, (h, w, 3))
    yy, xx = np.mgrid[0:h, 0:w]
    angle = rng.uniform(0, math.pi)
    period = rng.uniform(6, 30)
    stripes = 18 * np.sin((xx * math.cos(angle) + yy * math.sin(angle)) / period)[..., None]
    arr = np.clip(base[None, None, :] + noise + stripes, 0, 255).astype(np.uint8)
    img = Image.fromarray(arr).filter(ImageFilter.GaussianBlur(1.2))
    d = ImageDraw.Draw(img)
    for _ in range(int(rng.integers(3, 8))):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        r = int(rng.integers(20, 90))
        colour = tuple(int(c) for c in rng.integers(40, 220, size=3))
        d.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    return img.filter(ImageFilter.GaussianBlur(3))


def draw_shape(d: ImageDraw.ImageDraw, kind: str, box: tuple[int, int, int, int], colour: tuple[int, ...]) -> None:
    x0, y0, x1, y1 = box
    cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, min(x1 - x0, y1 - y0) / 2
    if kind == "ring":
        d.ellipse(box, outline=colour, width=max(3, int(r / 5)))
    elif kind == "circle":
        d.ellipse(box, fill=colour)
    elif kind == "square":
        d.rectangle((cx - r * 0.8, cy - r * 0.8, cx + r * 0.8, cy + r * 0.8), fill=colour)
    elif kind == "triangle":
        d.polygon([(cx, cy - r), (cx + r, cy + r * 0.8), (cx - r, cy + r * 0.8)], fill=colour)
    elif kind == "star":
        pts = []
        for k in range(10):
            rad = r if k % 2 == 0 else r * 0.45
            a = -math.pi / 2 + k * math.pi / 5
            pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
        d.polygon(pts, fill=colour)
    elif kind == "bars":
        for k in range(3):
            d.rectangle((x0 + k * (x1 - x0) / 3 + 3, y0, x0 + (k + 0.6) * (x1 - x0) / 3, y1), fill=colour)


def logo(word: str, rng: np.random.Generator, shapes: tuple[str, ...] | None = None) -> Image.Image:
    """A synthetic brand logo (RGBA, transparent): one or two mark shapes and the word."""
    img = Image.new("RGBA", (320, 160), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    colour = (*(int(c) for c in rng.integers(0, 60, size=3)), 255)  # dark ink: the mark stands out
    accent = (*(int(c) for c in rng.integers(80, 200, size=3)), 255)
    kinds = shapes or tuple(rng.choice(_SHAPES, size=2, replace=False))
    draw_shape(d, kinds[0], (14, 30, 114, 130), colour)
    if len(kinds) > 1:
        draw_shape(d, kinds[1], (40, 56, 88, 104), accent)
    size = 44 if len(word) <= 6 else 34
    d.text((126, 80), word, fill=colour, font=font(size), anchor="lm")
    return img


def place(
    photo: Image.Image,
    art: Image.Image,
    *,
    width: float,
    angle: float = 0.0,
    tilt: float = 0.0,
    centre: tuple[float, float] = (0.5, 0.5),
    on_card: bool = False,
) -> Image.Image:
    """``art`` (RGBA) pasted on ``photo``: ``width`` share of the photo's width, rotated by
    ``angle`` degrees and seen in perspective (``tilt`` in [0, 0.4]: one side shorter than the
    other), centred at ``centre`` (shares; off the edge crops it). ``on_card`` backs it with white."""
    rgba = art.convert("RGBA")
    if on_card:
        card = Image.new("RGBA", rgba.size, (250, 250, 246, 255))
        rgba = Image.alpha_composite(card, rgba)
    src = np.asarray(rgba)
    h, w = src.shape[:2]
    pw, ph = photo.size
    s = width * pw / w
    a = math.radians(angle)
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float64) - [w / 2, h / 2]
    corners[1, 1] += tilt * h / 2  # the right side shrinks: a flat mark seen from the left
    corners[2, 1] -= tilt * h / 2
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    dst = (corners * s) @ rot.T + [centre[0] * pw, centre[1] * ph]
    hom = cv2.getPerspectiveTransform(
        np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32), dst.astype(np.float32)
    )
    warped = cv2.warpPerspective(src, hom, (pw, ph), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0, 0))
    out = photo.convert("RGBA")
    return Image.alpha_composite(out, Image.fromarray(warped, "RGBA")).convert("RGB")


def text_photo(text: str, rng: np.random.Generator, *, size: int = 40, angle: float = 0.0) -> Image.Image:
    """Brand or stamp text printed on a textured background (a dark word on a light band)."""
    bg = background(rng)
    layer = Image.new("RGBA", (560, size * 2), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    f = font(size)
    left, top, right, bottom = d.textbbox((0, 0), text, font=f)
    pad = size // 3
    band = (235, 232, 225, 230)
    d.rectangle((0, 0, right - left + 2 * pad, bottom - top + 2 * pad), fill=band)
    d.text((pad - left, pad - top), text, fill=(25, 25, 30, 255), font=f)
    layer = layer.crop((0, 0, right - left + 2 * pad, bottom - top + 2 * pad))
    return place(bg, layer, width=min(0.85, layer.size[0] / bg.size[0]), angle=angle)


def lawful_art(word: str, rng: np.random.Generator) -> Image.Image:
    """Lawful branding: the same kinds of shapes as the logos (ring, star, square ...) and a word,
    in a layout of its own (shape sizes and places, word size)."""
    img = Image.new("RGBA", (320, 160), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    colour = (*(int(c) for c in rng.integers(0, 60, size=3)), 255)
    side = int(rng.integers(60, 120))
    x0, y0 = int(rng.integers(0, 30)), int(rng.integers(0, 160 - side))
    kinds = tuple(rng.choice(_SHAPES, size=2, replace=False))
    draw_shape(d, kinds[0], (x0, y0, x0 + side, y0 + side), colour)
    inner = side // 2
    draw_shape(
        d,
        kinds[1],
        (x0 + inner // 2, y0 + inner // 2, x0 + inner // 2 + inner, y0 + inner // 2 + inner),
        (*(int(c) for c in rng.integers(80, 200, size=3)), 255),
    )
    d.text((x0 + side + 10, 80), word, fill=colour, font=font(int(rng.integers(28, 48))), anchor="lm")
    return img


def lawful_photo(rng: np.random.Generator, word: str) -> Image.Image:
    """A lawful product photo with logo-like shapes and an unrelated word."""
    bg = background(rng)
    art = lawful_art(word, rng)
    return place(bg, art, width=float(rng.uniform(0.35, 0.7)), angle=float(rng.uniform(-20, 20)), on_card=True)
