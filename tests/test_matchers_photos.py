"""The photo engines with the real OCR model (RapidOCR PP-OCRv4) and the real feature matcher
(OpenCV SIFT + RANSAC), on small generated images (tests/photo_images.py)."""

from __future__ import annotations

import os
import re
import zlib

import numpy as np
import pytest
from PIL import Image

from brandsweep.matchers.image import ImageRefused
from brandsweep.matchers.logos import LogoIndex
from brandsweep.matchers.photo_reader import PhotoReader, PhotoReading, PhotoSettings, read_photo
from brandsweep.matchers.photo_text import read_text
from tests import photo_images as pi

WORDS = ("VELTRO", "KORRAX", "MIZUNA", "TALBEN")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


@pytest.fixture(scope="module")
def logos() -> dict[str, Image.Image]:
    rng = np.random.default_rng(2024)
    return {w.lower(): pi.logo(w, rng, shapes=shapes) for w, shapes in zip(WORDS, _SHAPE_PAIRS, strict=True)}


_SHAPE_PAIRS = (("square", "bars"), ("star", "circle"), ("ring", "triangle"), ("triangle", "ring"))


@pytest.fixture(scope="module")
def index(logos: dict[str, Image.Image]) -> LogoIndex:
    return LogoIndex.build((brand, brand, pi.to_bytes(img, "PNG")) for brand, img in logos.items())


# -- OCR ------------------------------------------------------------------------------------------


def test_ocr_reads_stamp_text_on_a_textured_background() -> None:
    photo = pi.text_photo("AAA 1:1 LUXE", np.random.default_rng(1), size=40, angle=4)
    lines = read_text(pi.to_bytes(photo))
    assert "AAA1:1LUXE" in squash(" ".join(ln.text for ln in lines))
    assert all(0.5 <= ln.confidence <= 1.0 for ln in lines)


def test_ocr_reads_a_brand_word_and_maps_its_box_to_the_original_pixels() -> None:
    photo = pi.text_photo("KORRAX", np.random.default_rng(2), size=44)  # centred on a 640x480 photo
    lines = read_text(pi.to_bytes(photo), max_side=320)  # read at half size
    hit = [ln for ln in lines if "KORRAX" in squash(ln.text)]
    assert hit, lines
    xs = [x for x, _ in hit[0].box]
    ys = [y for _, y in hit[0].box]
    assert min(xs) < 320 < max(xs) and min(ys) < 240 < max(ys)  # around the centre of the original
    assert max(xs) - min(xs) > 120  # original-pixel width, not the half-size one


def test_ocr_finds_nothing_on_a_photo_without_text() -> None:
    assert read_text(pi.to_bytes(pi.background(np.random.default_rng(3)))) == []


def test_ocr_pixel_bound_applies() -> None:
    """The photo is reduced to max_side before reading: at 96 px small print is gone."""
    photo = pi.to_bytes(pi.text_photo("TALBEN LUXE", np.random.default_rng(4), size=22))
    assert "TALBEN" in squash(" ".join(ln.text for ln in read_text(photo)))
    assert "TALBEN" not in squash(" ".join(ln.text for ln in read_text(photo, max_side=96)))


def test_ocr_refuses_what_is_not_an_image_or_too_big() -> None:
    with pytest.raises(ImageRefused) as err:
        read_text(b"<html>not found</html>")
    assert err.value.reason == "not_an_image"
    photo = pi.to_bytes(pi.text_photo("AAA", np.random.default_rng(5)))
    with pytest.raises(ImageRefused) as err:
        read_text(photo, max_pixels=640 * 480 - 1)
    assert err.value.reason == "too_many_pixels"


# -- logos ----------------------------------------------------------------------------------------

VIEWS = {
    "large": {"width": 0.55},
    "small": {"width": 0.3},
    "rotated": {"width": 0.45, "angle": 35.0},
    "upside_down": {"width": 0.4, "angle": 180.0},
    "perspective": {"width": 0.5, "angle": -10.0, "tilt": 0.25},
    "cropped": {"width": 0.6, "centre": (0.8, 0.5)},  # right part of the logo off the photo
}


@pytest.mark.parametrize("view", sorted(VIEWS))
@pytest.mark.parametrize("brand", ["korrax", "mizuna", "talben"])
def test_logo_found_scaled_rotated_cropped_in_perspective(
    index: LogoIndex, logos: dict[str, Image.Image], brand: str, view: str
) -> None:
    rng = np.random.default_rng(zlib.crc32(f"{brand}/{view}".encode()))
    photo = pi.place(pi.background(rng), logos[brand], **VIEWS[view])
    hits = index.match(pi.to_bytes(photo))
    assert [h.brand for h in hits] == [brand]
    assert hits[0].inliers >= 10


@pytest.mark.parametrize("seed", range(8))
def test_lawful_photos_with_similar_shapes_have_no_logo(index: LogoIndex, seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    photo = pi.lawful_photo(rng, ["GARDEN", "HOMELY", "RIVETS", "SUNDAY"][seed % 4])
    assert index.match(pi.to_bytes(photo)) == []


def test_same_mark_other_word_is_not_the_logo(index: LogoIndex, logos: dict[str, Image.Image]) -> None:
    """A lawful product with KORRAX's exact mark (star in circle) but another word."""
    rng = np.random.default_rng(7)
    twin = pi.logo("GARDEN", np.random.default_rng(2024), shapes=("star", "circle"))
    photo = pi.place(pi.background(rng), twin, width=0.5, angle=10)
    assert index.match(pi.to_bytes(photo)) == []
    genuine = pi.place(pi.background(np.random.default_rng(7)), logos["korrax"], width=0.5, angle=10)
    assert [h.brand for h in index.match(pi.to_bytes(genuine))] == ["korrax"]


def test_small_prints_are_found_on_the_enlarged_photo(index: LogoIndex, logos: dict[str, Image.Image]) -> None:
    """A logo 20 % of a 640 px photo's width: found once the photo is enlarged to 1024 px and the
    ratio test is 0.8; the settings of the first session (no enlarging, 0.75) lose most of them."""
    photos = [
        (brand, pi.to_bytes(pi.place(pi.background(np.random.default_rng(seed)), logos[brand], width=0.2, angle=10)))
        for seed in range(4)
        for brand in ("korrax", "mizuna", "talben")
    ]
    assert all([h.brand for h in index.match(photo)] == [brand] for brand, photo in photos)
    old = sum(brand in [h.brand for h in index.match(photo, ratio=0.75, upscale_to=0)] for brand, photo in photos)
    assert old <= len(photos) // 2, old


def _negative(art: Image.Image) -> Image.Image:
    rgba = np.asarray(art.convert("RGBA")).copy()
    rgba[..., :3] = 255 - rgba[..., :3]
    return Image.fromarray(rgba, "RGBA")


def _dark(seed: int) -> Image.Image:
    return Image.fromarray((np.asarray(pi.background(np.random.default_rng(seed)), np.float32) * 0.3).astype(np.uint8))


def test_a_light_logo_on_a_dark_product_is_found(index: LogoIndex, logos: dict[str, Image.Image]) -> None:
    """A white mark on a black shoe: every gradient reversed. The index holds each logo's negative
    features too; without them (the first index) none of these is found."""
    photos = [(brand, pi.to_bytes(pi.place(_dark(seed), _negative(logos[brand]), width=0.45, angle=-15 + 10 * seed,
                                           tilt=0.1)))
              for seed in range(3) for brand in ("veltro", "mizuna")]
    assert all([h.brand for h in index.match(photo)] == [brand] for brand, photo in photos)
    lawful = [pi.to_bytes(Image.fromarray(255 - np.asarray(pi.lawful_photo(np.random.default_rng(40 + k), word))))
              for k, word in enumerate(("GARDEN", "HOMELY", "RIVETS", "SUNDAY"))]
    assert not any(index.match(photo) for photo in lawful)


def test_min_inliers_is_obeyed(index: LogoIndex, logos: dict[str, Image.Image]) -> None:
    photo = pi.to_bytes(pi.place(pi.background(np.random.default_rng(8)), logos["talben"], width=0.4))
    (hit,) = index.match(photo)
    assert index.match(photo, min_inliers=hit.inliers) == [hit]
    assert index.match(photo, min_inliers=hit.inliers + 1) == []


def test_index_round_trips_through_bytes(index: LogoIndex, logos: dict[str, Image.Image]) -> None:
    photo = pi.to_bytes(pi.place(pi.background(np.random.default_rng(9)), logos["mizuna"], width=0.4, angle=20))
    stored = index.to_bytes()
    again = LogoIndex.from_bytes(stored)
    assert again.brands == index.brands == sorted(logos)
    assert again.match(photo) == index.match(photo) != []
    with pytest.raises(ValueError, match="not a logo index"):
        LogoIndex.from_bytes(stored[: len(stored) // 2])


def test_ratio_pairs_are_the_brute_force_matchers(index: LogoIndex, logos: dict[str, Image.Image]) -> None:
    """The ratio test runs as matrix products; its pairs are exactly OpenCV's ``BFMatcher`` kNN ones,
    on a photo with a logo (hundreds of pairs) and one without, also with a block smaller than the
    logo keypoints (several products)."""
    import cv2

    from brandsweep.matchers import logos as logo_mod

    for seed, logo in ((11, logos["veltro"]), (12, None)):
        scene = pi.background(np.random.default_rng(seed))
        photo = pi.place(scene, logo, width=0.4, angle=25, tilt=0.2) if logo is not None else scene
        grey = np.asarray(photo.convert("L"))
        _pts, desc = logo_mod._features(grey, "sift", 3000)
        knn = cv2.BFMatcher(cv2.NORM_L2).knnMatch(index._stacked, desc, k=2)
        expected = sorted((m[0].queryIdx, m[0].trainIdx) for m in knn if m[0].distance < 0.8 * m[1].distance)
        assert len(expected) > (200 if logo is not None else 0)
        assert sorted(map(tuple, index._ratio_pairs(desc, 0.8).tolist())) == expected
        small = logo_mod._ratio_pairs_l2(index._stacked, index._stacked_sq, desc, 0.8, block=97)
        assert sorted(map(tuple, small.tolist())) == expected


def test_orb_fallback_finds_a_logo(logos: dict[str, Image.Image]) -> None:
    orb = LogoIndex.build([("korrax", "korrax", pi.to_bytes(logos["korrax"], "PNG"))], algorithm="orb")
    assert orb.algorithm == "orb"
    photo = pi.to_bytes(pi.place(pi.background(np.random.default_rng(10)), logos["korrax"], width=0.6, angle=15))
    assert [h.brand for h in orb.match(photo)] == ["korrax"]


def test_a_logo_without_features_is_refused_with_its_name() -> None:
    blank = pi.to_bytes(Image.new("RGB", (200, 100), "white"), "PNG")
    with pytest.raises(ValueError, match="acme/plain"):
        LogoIndex.build([("acme", "plain", blank)])


# -- the worker pool ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def photos(logos: dict[str, Image.Image]) -> dict[str, bytes]:
    rng = np.random.default_rng(11)
    return {
        "text": pi.to_bytes(pi.text_photo("AAA 1:1 LUXE", rng)),
        "logo": pi.to_bytes(pi.place(pi.background(rng), logos["talben"], width=0.45, angle=-20)),
        "plain": pi.to_bytes(pi.background(rng)),
    }


@pytest.fixture(scope="module")
def reader(index: LogoIndex):
    with PhotoReader(PhotoSettings(workers=2), index) as r:
        yield r


def test_reader_reads_text_and_logos_in_worker_processes(reader: PhotoReader, photos: dict[str, bytes]) -> None:
    text, logo, plain = reader.read_many([photos["text"], photos["logo"], photos["plain"]])
    assert "AAA1:1LUXE" in squash(text.text) and text.logos == ()
    assert [h.brand for h in logo.logos] == ["talben"]
    assert plain.status == "ok" and plain.lines == () and plain.logos == ()
    assert {text.worker, logo.worker, plain.worker} - {0, os.getpid()} == {text.worker, logo.worker, plain.worker}


def test_reader_reports_refused_images(reader: PhotoReader, photos: dict[str, bytes]) -> None:
    bad = reader.read(photos["text"][:300])  # a JPEG cut short
    assert (bad.status, bad.detail) == ("refused", "broken")


def test_reader_timeout_kills_and_replaces_the_worker(index: LogoIndex, photos: dict[str, bytes]) -> None:
    with PhotoReader(PhotoSettings(workers=1, timeout=60.0), index) as r:
        first = r.read(photos["logo"])
        late = r.read(photos["logo"], timeout=0.001)
        after = r.read(photos["logo"])
    assert first.status == "ok"
    assert late.status == "timeout" and late.logos == ()
    assert r.restarts == 1
    assert after.status == "ok" and after.logos == first.logos and after.worker != first.worker


def test_switches_turn_each_engine_off(index: LogoIndex, photos: dict[str, bytes]) -> None:
    both = read_photo(photos["logo"], PhotoSettings(), index)
    assert both.logos
    assert read_photo(photos["logo"], PhotoSettings(logos=False), index).logos == ()
    text = read_photo(photos["text"], PhotoSettings(ocr=False), index)
    assert text.status == "ok" and text.lines == ()
    with PhotoReader(PhotoSettings(ocr=False, logos=False), index) as off:
        assert not off.enabled
        assert off.read(photos["logo"]) == PhotoReading("off")
    with PhotoReader(PhotoSettings(ocr=False), None) as no_index:  # logos on but nothing indexed
        assert not no_index.enabled


def test_settings_reach_the_engines(index: LogoIndex, photos: dict[str, bytes]) -> None:
    base = read_photo(photos["logo"], PhotoSettings(ocr=False), index)
    (hit,) = base.logos
    strict = read_photo(photos["logo"], PhotoSettings(ocr=False, logo_min_inliers=hit.inliers + 1), index)
    assert strict.logos == ()
    tiny = read_photo(photos["logo"], PhotoSettings(ocr=False, logo_max_side=64), index)
    assert tiny.logos == ()
    small_print = pi.to_bytes(pi.text_photo("TALBEN LUXE", np.random.default_rng(4), size=22))
    assert read_photo(small_print, PhotoSettings(logos=False), index).lines != ()
    assert read_photo(small_print, PhotoSettings(logos=False, ocr_max_side=96), index).lines == ()
    assert read_photo(photos["text"], PhotoSettings(logos=False, ocr_min_confidence=1.0), index).lines == ()
    small = read_photo(photos["text"], PhotoSettings(logos=False, max_pixels=1000), index)
    assert (small.status, small.detail) == ("refused", "too_many_pixels")


def test_reading_round_trips_through_json(reader: PhotoReader, photos: dict[str, bytes]) -> None:
    text, logo = reader.read_many([photos["text"], photos["logo"]])
    for reading in (text, logo):
        again = PhotoReading.from_json(reading.to_json())
        assert (again.status, again.lines, again.logos) == (reading.status, reading.lines, reading.logos)


# -- the generated marketplace's photo listings (issue 15) -----------------------------------------


def test_generated_photo_listings_are_read_by_the_engines() -> None:
    """A catalog logo printed on a generated listing's photo is found, its brand name is read, and a
    lawful look-alike mark (same drawing code and font, another word) stays quiet."""
    from brandsweep.marketplace_fixtures import generate
    from brandsweep.marketplace_fixtures.images import ImageMaker

    g = generate(None, 1000, 11)
    maker = ImageMaker(g.catalog)
    catalog_index = LogoIndex.build((b, p.name, p.read_bytes()) for b, p in sorted(g.catalog.logos.items()))
    fams: dict[str, list] = {"photo_logo": [], "photo_text": [], "photo_shapes": []}
    for x in g.listings():
        fams.get(x["label"]["family"], []).append(x)
    logo_found = [x["label"]["expected_brand"] in {h.brand for h in catalog_index.match(maker.render(x["images"][0]))}
                  for x in fams["photo_logo"][:3]]
    assert sum(logo_found) >= 2, logo_found
    text = fams["photo_text"][0]
    name = g.catalog.brand(text["label"]["expected_brand"]).name.upper()
    assert squash(name) in squash(" ".join(ln.text for ln in read_text(maker.render(text["images"][0]))))
    for x in fams["photo_shapes"][:3]:
        assert catalog_index.match(maker.render(x["images"][0])) == [], x["images"]
