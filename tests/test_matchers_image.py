"""Image hashing: tolerance properties on pictures drawn here, refusals, the hash text format."""

from __future__ import annotations

import io
import random
import struct
import zlib

import imagehash
import pytest
from PIL import Image, ImageDraw, ImageOps

from brandsweep.matchers import ImageRefused, hash_image
from brandsweep.matchers.image import HASH_CHUNKS, MIRROR_MASK, ImageIndex, hash_is_current, split_hash


def scene(seed: int, size: tuple[int, int] = (480, 360)) -> Image.Image:
    """A product-photo-like picture: shapes on a light background, different for every seed."""
    rnd = random.Random(seed)
    img = Image.new("RGB", size, (245, 245, 245))
    draw = ImageDraw.Draw(img)
    w, h = size
    for _ in range(12):
        x0, y0 = rnd.randrange(w), rnd.randrange(h)
        x1, y1 = x0 + rnd.randrange(30, w // 2), y0 + rnd.randrange(30, h // 2)
        colour = (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))
        if rnd.random() < 0.5:
            draw.ellipse((x0, y0, x1, y1), fill=colour)
        else:
            draw.rectangle((x0, y0, x1, y1), fill=colour)
    return img


def jpeg(img: Image.Image, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def watermark(img: Image.Image) -> Image.Image:
    out = img.copy()
    draw = ImageDraw.Draw(out)
    for y in range(10, out.height, 60):
        draw.text((20, y), "shop 9921 watermark", fill=(255, 255, 255))
    return out


TRANSFORMS = {
    "resize_half": (lambda im: jpeg(im.resize((im.width // 2, im.height // 2))), 4),
    "resize_double": (lambda im: jpeg(im.resize((im.width * 2, im.height * 2))), 4),
    "jpeg_q30": (lambda im: jpeg(im, 30), 4),
    "png": (png, 2),
    "mirror": (lambda im: jpeg(ImageOps.mirror(im)), 4),
    "watermark": (lambda im: jpeg(watermark(im)), 8),
    "border": (lambda im: jpeg(ImageOps.expand(im, border=40, fill=(0, 0, 0))), 6),
    "crop10": (lambda im: jpeg(im.crop((im.width // 10, im.height // 10, im.width, im.height))), 10),
    "rotate3": (lambda im: jpeg(im.rotate(3, Image.Resampling.BICUBIC, fillcolor=(245, 245, 245))), 10),
}


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_transformed_copy_stays_near(seed: int, name: str) -> None:
    transform, max_bits = TRANSFORMS[name]
    original = scene(seed)
    index = ImageIndex([hash_image(jpeg(original))])
    hit = index.query(hash_image(transform(original)))
    assert hit is not None and hit.distance <= max_bits


@pytest.mark.parametrize("seed", [4, 5, 6, 7])
def test_transformed_copy_finds_its_original_among_others(seed: int) -> None:
    pictures = [scene(s) for s in range(10, 20)] + [scene(seed)]
    index = ImageIndex([hash_image(jpeg(p)) for p in pictures])
    hit = index.query(hash_image(jpeg(ImageOps.mirror(scene(seed)).resize((240, 180)), 60)))
    assert hit is not None and hit.index == len(pictures) - 1


def test_different_pictures_are_far_apart() -> None:
    hashes = [split_hash(hash_image(jpeg(scene(s))))[0] for s in range(30, 50)]
    distances = [bin(a ^ b).count("1") for i, a in enumerate(hashes) for b in hashes[i + 1:]]
    assert min(distances) > 10


def test_mirror_is_computable_from_the_hash() -> None:
    img = scene(8)
    plain = split_hash(hash_image(png(img)))[0]
    mirrored = split_hash(hash_image(png(ImageOps.mirror(img))))[0]
    assert bin((plain ^ MIRROR_MASK) ^ mirrored).count("1") <= 2


def test_hash_text_round_trips_through_imagehash() -> None:
    text = hash_image(jpeg(scene(9)))
    assert len(text) % 16 == 0 and len(text) >= 16
    for i in range(0, len(text), 16):
        chunk = text[i:i + 16]
        assert str(imagehash.hex_to_hash(chunk)) == chunk


def test_known_hash_value() -> None:
    # golden value: a change here means stored hashes drift (re-hash the catalog)
    img = Image.linear_gradient("L").resize((128, 96)).convert("RGB")
    ImageDraw.Draw(img).ellipse((20, 20, 70, 80), fill=(30, 90, 200))
    assert hash_image(png(img))[:16] == KNOWN


KNOWN = "728f80738e704f8c"


def test_same_decode_path_for_every_format() -> None:
    img = scene(11)
    as_png = split_hash(hash_image(png(img)))[0]
    as_jpeg = split_hash(hash_image(jpeg(img, 95)))[0]
    rgba = img.convert("RGBA")
    as_rgba = split_hash(hash_image(png(rgba)))[0]
    assert bin(as_png ^ as_jpeg).count("1") <= 3
    assert as_png == as_rgba


def _huge_png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(
        b"IEND", b"")


def _no_image_icon() -> Image.Image:
    """A 'no image' placeholder: a small camera glyph in the middle of an empty canvas."""
    img = Image.new("RGB", (400, 400), (250, 250, 250))
    draw = ImageDraw.Draw(img)
    draw.rectangle((185, 190, 215, 212), fill=(150, 150, 150))
    draw.ellipse((193, 194, 207, 208), fill=(250, 250, 250))
    return img


REFUSALS = {
    "empty": (b"", "not_an_image"),
    "html": (b"<!doctype html><html><body>404 not found</body></html>", "not_an_image"),
    "json": (b'{"error": "forbidden"}', "not_an_image"),
    "truncated_jpeg": (jpeg(scene(12))[:1500], "broken"),
    "solid_black": (png(Image.new("RGB", (300, 300), (0, 0, 0))), "blank"),
    "solid_white_jpeg": (jpeg(Image.new("RGB", (300, 300), (255, 255, 255))), "blank"),
    "near_solid_grey": (jpeg(Image.new("RGB", (300, 300), (128, 128, 128)).point(lambda v: v), 50), "blank"),
    "transparent": (png(Image.new("RGBA", (300, 300), (0, 0, 0, 0))), "blank"),
    "placeholder_icon": (png(_no_image_icon()), "placeholder"),
    "bomb": (_huge_png_header(100_000, 100_000), "too_many_pixels"),
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_refused_bodies(name: str) -> None:
    data, reason = REFUSALS[name]
    with pytest.raises(ImageRefused) as info:
        hash_image(data)
    assert info.value.reason == reason


def test_pixel_cap_is_configurable() -> None:
    data = png(scene(13, (800, 600)))
    with pytest.raises(ImageRefused, match="too_many_pixels"):
        hash_image(data, max_pixels=100_000)
    assert hash_image(data, max_pixels=1_000_000)


@pytest.mark.parametrize("text", ["", "xyz", "0123456789abcde", "0123456789abcdefg"])
def test_bad_hash_text_is_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        split_hash(text)


@pytest.mark.parametrize("name", ["resize_half", "jpeg_q30", "mirror", "crop10", "rotate3"])
def test_transformed_copy_agrees_on_most_chunks(name: str) -> None:
    transform, _ = TRANSFORMS[name]
    original = scene(21)
    index = ImageIndex([hash_image(jpeg(original)), hash_image(jpeg(scene(22)))])
    query = hash_image(transform(original))
    assert index.agreement(query, 0) >= 7
    assert index.agreement(query, 1) < index.agreement(query, 0)


def _cut(img: Image.Image, share: float) -> Image.Image:
    """``share`` of each side cut away."""
    w, h = img.size
    return img.crop((round(w * share), round(h * share), round(w * (1 - share)), round(h * (1 - share))))


def studio(seed: int, size: tuple[int, int] = (480, 480)) -> Image.Image:
    """A product on a plain light backdrop that reaches the edges on two sides (the product is cut
    by a 10% crop, and the crop changes what trimming finds)."""
    rnd = random.Random(seed)
    img = Image.new("RGB", size, (238, 238, 236))
    draw = ImageDraw.Draw(img)
    w, h = size
    draw.rectangle((0, h // 4, w, h - h // 4), fill=(rnd.randrange(40, 200), rnd.randrange(40, 200), 90))
    for _ in range(8):
        x0, y0 = rnd.randrange(w), rnd.randrange(h // 4, h - h // 4)
        draw.ellipse((x0, y0, x0 + rnd.randrange(20, w // 3), y0 + rnd.randrange(20, h // 4)),
                     fill=(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    return img


def brighten(img: Image.Image, gain: float) -> Image.Image:
    return img.point(lambda v: min(255, round(v * gain)))


ROBUST = {
    "crop10_all_sides": lambda im: jpeg(_cut(im, 0.10)),
    "crop10_all_sides_mirrored": lambda im: jpeg(ImageOps.mirror(_cut(im, 0.10))),
    "brighten_1.3": lambda im: jpeg(brighten(im, 1.3)),
    "brighten_1.5": lambda im: jpeg(brighten(im, 1.5)),
    "watermark": lambda im: jpeg(watermark(im)),
    "crop10_top_left": lambda im: jpeg(im.crop((im.width // 10, im.height // 10, im.width, im.height))),
    "crop10_bottom_right": lambda im: jpeg(im.crop((0, 0, im.width - im.width // 10, im.height - im.height // 10))),
    "rotate3_black_fill": lambda im: jpeg(im.rotate(-3, resample=Image.Resampling.BICUBIC)),
    "rotate3_black_fill_other_way": lambda im: jpeg(im.rotate(3, resample=Image.Resampling.BICUBIC)),
}


# Known limits, on the studio pictures only (a dark product band running off two edges): a black
# rotation wedge cannot be told from the band where they meet, and x1.5 brightening of the band
# lands 11-12 bits from its original for one picture in twelve (the real photos: bench/quality.py).
_STUDIO_LIMITS = {"rotate3_black_fill", "rotate3_black_fill_other_way", "brighten_1.5"}


@pytest.mark.parametrize(("maker", "name"), [
    pytest.param(maker, name, marks=[pytest.mark.xfail(strict=True, reason="known limit, see _STUDIO_LIMITS")]
                 if maker is studio and name in _STUDIO_LIMITS else [])
    for maker in (scene, studio) for name in sorted(ROBUST)
])
def test_cropped_brightened_watermarked_copy_is_found_among_others(maker, name: str) -> None:
    """The copy's nearest catalog photo is its original, within the matcher's default 10 bits."""
    pictures = [maker(s) for s in range(60, 72)]
    index = ImageIndex([hash_image(jpeg(p)) for p in pictures])
    found = 0
    for i, picture in enumerate(pictures):
        hit = index.query(hash_image(ROBUST[name](picture)))
        found += hit is not None and hit.index == i and hit.distance <= 10
    assert found == len(pictures)


def test_hash_has_the_current_number_of_chunks() -> None:
    text = hash_image(jpeg(scene(23)))
    assert len(split_hash(text)) == HASH_CHUNKS and hash_is_current(text)
    assert not hash_is_current(text[: 16 * 15])  # the 15-chunk format of earlier versions
    assert not hash_is_current(text[: 16 * 23])  # ... and the 23-chunk one (before the core chunk)


@pytest.mark.parametrize("chunks", [15, 23])
def test_older_format_catalog_still_finds_a_copy(chunks: int) -> None:
    """Hashes stored in an older format (a prefix of today's layout) still answer queries of the
    current format: the pairings whose catalog chunk they lack are skipped."""
    pictures = [studio(s) for s in range(80, 86)]
    index = ImageIndex([hash_image(jpeg(p))[: 16 * chunks] for p in pictures])
    for i, picture in enumerate(pictures):
        hit = index.query(hash_image(jpeg(picture, 60)))
        assert hit is not None and hit.index == i and hit.distance <= 10


@pytest.mark.parametrize("angle", [3.0, -3.0, 5.0])
def test_rotation_wedges_are_measured_and_turned_back(angle: float) -> None:
    from brandsweep.matchers.image import _decode, _straighten, _wedges

    a = _decode(jpeg(studio(90).rotate(angle, resample=Image.Resampling.BICUBIC)), 10**8)
    assert _wedges(a)[1] == pytest.approx(angle, abs=0.5)
    upright = _decode(jpeg(studio(90)), 10**8)
    assert _wedges(upright)[1] == 0.0 and _straighten(upright) is upright  # no wedges: left alone


def test_old_format_hash_still_queries() -> None:
    """A store not yet re-hashed still matches (its first 15 chunks have the same layout)."""
    original = scene(24)
    index = ImageIndex([hash_image(jpeg(scene(25)))[: 16 * 15], hash_image(jpeg(original))[: 16 * 15]])
    hit = index.query(hash_image(jpeg(original, 60)))
    assert hit is not None and hit.index == 1 and hit.distance <= 4


def _tied_hashes(seed: int, n: int, chunks: int) -> list[str]:
    """Hash texts whose chunks are drawn from few values, so that many lie at equal distances."""
    rnd = random.Random(seed)
    pool = [rnd.getrandbits(64) for _ in range(5)]
    return ["".join(f"{rnd.choice(pool) ^ (1 << rnd.randrange(3)):016x}" for _ in range(chunks)) for _ in range(n)]


def test_query_many_gives_the_hits_of_query() -> None:
    index = ImageIndex(_tied_hashes(1, 40, HASH_CHUNKS))
    queries = _tied_hashes(2, 30, HASH_CHUNKS) + _tied_hashes(3, 5, 15)
    assert index.query_many(queries) == [index.query(q) for q in queries]
    assert ImageIndex([]).query_many(queries[:2]) == [None, None]


@pytest.mark.parametrize("chunks", [HASH_CHUNKS, 15])
def test_faiss_index_gives_the_hits_of_the_numpy_scan(chunks: int) -> None:
    """Above ``faiss_min`` chunks a table is searched by faiss (when installed): the same hits,
    ties included (the lowest position wins, as numpy's argmin)."""
    import faiss  # noqa: F401  (in the dev extra: without it uses_faiss below is False and the test fails)

    hashes = _tied_hashes(4, 300, chunks)
    scan = ImageIndex(hashes, faiss_min=10**9)
    with_faiss = ImageIndex(hashes, faiss_min=1)
    assert with_faiss.uses_faiss and not scan.uses_faiss
    queries = [*_tied_hashes(5, 60, chunks), hashes[7], hashes[200]]
    expected = [scan.query(q) for q in queries]
    assert [with_faiss.query(q) for q in queries] == expected  # one photo at a time: the numpy scan
    assert with_faiss.query_many(queries) == expected  # a batch: faiss
    assert [with_faiss.agreement(q, 3) for q in queries] == [scan.agreement(q, 3) for q in queries]
