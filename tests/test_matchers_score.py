"""Scoring with catalog photos: a re-used photo links a listing to a brand even without its name."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageOps
from test_matchers_image import jpeg, scene

from brandsweep.matchers import MatchConfig, Matcher, hash_image
from brandsweep.matchers.types import AuthorizedSeller, Brand, CatalogImage, ListingView, Mark, Product

BRAND = Brand(
    "swoosh", "Swoosh", "Example Co", aliases=("斯沃什",),
    marks=(Mark("CN-1", "SWOOSH", nice_classes=(25,)),),
    products=(Product("runner", "Swoosh Runner 1 running shoe", 899.0, "CNY"),),
    authorized_sellers=(AuthorizedSeller("shopfront", "swoosh-official", "Swoosh Official Store"),),
)
PHOTO = scene(101)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    catalog = [CatalogImage("swoosh/products/runner.jpg", "swoosh", hash_image(jpeg(PHOTO)), "runner", None)]
    return Matcher([BRAND], catalog, MatchConfig())


def listing(title: str, photo: Image.Image, price: float | None, seller: str = "s-1") -> ListingView:
    return ListingView("shopfront", "1", title, price=price, currency="CNY", seller_id=seller,
                       image_hashes=(hash_image(jpeg(photo, 60)),))


def _half(img: Image.Image) -> Image.Image:
    return img.resize((img.width // 2, img.height // 2))


@pytest.mark.parametrize(
    ("title", "photo", "price", "seller", "lead", "codes"),
    [
        # the catalog photo, mirrored, no brand word, low price: the photo is the link
        ("Running shoes breathable mesh", ImageOps.mirror(PHOTO), 99.0, "s-1", True,
         {"image_phash", "image_reuse", "price_ratio"}),
        ("Running shoes breathable mesh", _half(PHOTO), 99.0, "swoosh-official", False, {"seller_authorized"}),
        # another picture: nothing links it to the brand
        ("Running shoes breathable mesh", scene(102), 99.0, "s-1", False, set()),
        # the brand's name and its photo by an unauthorized seller
        ("Swoosh Runner 1 running shoe", PHOTO, 880.0, "s-1", True, {"brand_exact", "image_reuse"}),
    ],
)
def test_photo_links(matcher: Matcher, title: str, photo: Image.Image, price: float, seller: str, lead: bool,
                     codes: set[str]) -> None:
    res = matcher.match(listing(title, photo, price, seller))
    assert res.is_lead is lead
    assert codes <= {r.code for r in res.reasons}
    if codes:
        assert res.brand_id == "swoosh"
        assert res.mark_reg_no == "CN-1"
    if "image_phash" in codes:
        assert res.image_ref == "swoosh/products/runner.jpg" and res.image_distance is not None
        assert res.product_id == "runner"


def test_score_is_bounded_and_reasons_add_up(matcher: Matcher) -> None:
    res = matcher.match(listing("Swoosh Runner 1 高仿 1:1 replica", PHOTO, 50.0))
    assert 0 <= res.score <= 100 and res.is_lead
    assert sum(r.points for r in res.reasons) >= res.score


def test_undecodable_listing_hash_is_ignored(matcher: Matcher) -> None:
    view = ListingView("shopfront", "1", "Running shoes", price=99.0, currency="CNY", image_hashes=("zz",))
    assert matcher.match(view).brand_id is None


def test_match_many_matches_each(matcher: Matcher) -> None:
    views = [listing("Swoosh Runner 1 replica", PHOTO, 99.0), listing("Plain socks", scene(103), 5.0)]
    assert [r.is_lead for r in matcher.match_many(views)] == [True, False]


def test_image_module_reads_bytes_not_paths() -> None:
    buf = io.BytesIO()
    PHOTO.save(buf, "PNG")
    assert hash_image(buf.getvalue()) == hash_image(buf.getvalue())
