"""The photo engines wired into a crawl (issue 15): a real crawl of a local marketplace whose listings
name their brand only in the photo, read by the real OCR model and the real logo matcher in worker
processes; stored readings reused by a second crawl and by rematch with no second reading; the
switches, bounds and weights of ``[matchers]`` reaching the code."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from brandsweep.matchers import MatchConfig
from brandsweep.matchers.logos import LogoHit
from brandsweep.matchers.photo_reader import PhotoReader, read_photo, settings_from
from brandsweep.matchers.types import ListingView
from brandsweep.rightsholder_catalog import build_matcher
from brandsweep.store import open_db
from tests import photo_images as pi
from tests.conftest import ROOT, SAMPLE_CATALOG, run_cli
from tests.shop_site import serve_routes, sitemap

LOGOS = ROOT / "rightsholder_catalog" / "sample" / "logos"

# listing id -> (title, photos); the brand is only in the photos of l0 (logo) and l1 (printed name)
LISTINGS = {
    "l0": "Running sneakers AAA 1:1 mirror quality top batch",
    "l1": "Shoulder bag replica 1:1 AAA grade",
    "l2": "Plain canvas tote bag",
}


@pytest.fixture(autouse=True)
def real_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """This module's commands run with the real defaults (photo engines on), not the suite's
    engines-off configuration (tests/conftest.py)."""
    monkeypatch.delenv("BRANDSWEEP_CONFIG", raising=False)


def _photos() -> dict[str, list[bytes]]:
    rng = np.random.default_rng(15)
    nike = Image.open(LOGOS / "nike.png")
    return {
        "l0": [pi.to_bytes(pi.place(pi.background(rng), nike, width=0.55, angle=8))],
        "l1": [pi.to_bytes(pi.text_photo("GUCCI", rng, size=56))],
        "l2": [pi.to_bytes(pi.lawful_photo(rng, "GARDEN")), pi.to_bytes(pi.background(rng))],
    }


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    photos = _photos()
    images = {f"/img/{lid}-{n}.jpg": body for lid, bodies in photos.items() for n, body in enumerate(bodies)}
    pages = {}
    for lid, title in LISTINGS.items():
        urls = [f"/img/{lid}-{n}.jpg" for n in range(len(photos[lid]))]
        ld = {"@type": "Product", "name": title, "sku": lid, "image": urls,
              "offers": {"@type": "Offer", "price": "45.00", "priceCurrency": "USD"}}
        pages[f"/p/{lid}"] = (f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script></head>'
                              "<body></body></html>")
    routes = {p: (body, "image/jpeg") for p, body in images.items()}
    routes |= {p: (html.encode(), "text/html; charset=utf-8") for p, html in pages.items()}
    routes["/sitemap.xml"] = (sitemap([f"/p/{lid}" for lid in LISTINGS]), "application/xml")
    with serve_routes(routes) as url:
        yield url


def _store(tmp_path: Path, name: str = "s") -> Path:
    db = tmp_path / f"{name}.db"
    r = run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db)
    assert r.returncode == 0, r.stderr
    return db


def _crawl(db: Path, url: str, tmp_path: Path, matchers: str = "") -> dict[str, object]:
    args = ["crawl", "--url", url]
    if matchers:
        cfg = tmp_path / f"cfg-{abs(hash(matchers))}.toml"
        cfg.write_text(f"[matchers]\n{matchers}\n", encoding="utf-8")
        args = ["--config", str(cfg), *args]
    r = run_cli(*args, db_path=db)
    assert r.returncode == 0, r.stderr
    store = open_db(db)
    try:
        return json.loads(store.execute("SELECT stats FROM crawl_runs ORDER BY id DESC").fetchone()[0])
    finally:
        store.close()


def _results(db: Path) -> tuple[dict[str, str], set[str], dict[str, int]]:
    """Each listing's reasons, the active leads, and each stored reading's ``reads`` count."""
    store = open_db(db)
    try:
        reasons = {r[0]: r[1] for r in store.execute("SELECT listing_id, reasons FROM matches")}
        leads = {r[0] for r in store.execute("SELECT listing_id FROM leads WHERE active = 1")}
        reads = {r[0]: int(r[1]) for r in store.execute("SELECT sha256, reads FROM image_readings")}
    finally:
        store.close()
    return reasons, leads, reads


def test_a_crawl_finds_brands_shown_only_in_photos_and_rematch_reuses_the_readings(tmp_path, site):
    db = _store(tmp_path)
    stats = _crawl(db, site, tmp_path)
    reasons, leads, reads = _results(db)
    assert "logo:nike@" in reasons["l0"], reasons
    assert "image_text:gucci" in reasons["l1"], reasons
    assert "logo:" not in reasons.get("l2", "") and "image_text:" not in reasons.get("l2", "")
    assert {"l0", "l1"} <= leads and "l2" not in leads
    # one reading per photo (4 photos; l2's second counts too: photo_max_images is 2), each read once
    assert stats["brandsweep/photos/read"] == len(reads) == 4 and set(reads.values()) == {1}
    assert stats["brandsweep/photos/logos_found"] >= 1 and stats["brandsweep/photos/text_found"] >= 1

    again = _crawl(db, site, tmp_path)  # a second crawl reuses the stored readings
    assert "brandsweep/photos/read" not in again and again["brandsweep/photos/reused"] == 4
    r = run_cli("--json", "rematch", db_path=db)
    assert r.returncode == 0, r.stderr
    after, leads_after, reads_after = _results(db)
    assert reads_after == reads, "rematch ran no engine: no reading was made again"
    assert after == reasons and leads_after == leads

    shown = run_cli("runs", "show", "1", db_path=db)
    assert "4 read" in shown.stdout and "timed out" in shown.stdout, shown.stdout


def _result(done: subprocess.CompletedProcess[str]) -> dict[str, object]:
    """The ``--json`` result line of a command (progress lines go to stderr)."""
    return next(json.loads(ln) for ln in reversed(done.stdout.splitlines()) if '"event": "result"' in ln)


def test_switches_off_read_nothing_and_give_no_photo_reasons(tmp_path, site):
    db = _store(tmp_path)
    stats = _crawl(db, site, tmp_path, "photo_ocr = false\nphoto_logos = false")
    reasons, leads, reads = _results(db)
    assert not any("logo:" in v or "image_text" in v for v in reasons.values()), reasons
    assert reads == {} and "brandsweep/photos/workers" not in stats and "brandsweep/photos/read" not in stats
    assert "l0" not in leads and "l1" not in leads
    # the engines on again (the defaults): rematch reads nothing unless asked, then the photos never read
    plain = run_cli("--json", "rematch", db_path=db)
    assert plain.returncode == 0 and _result(plain)["photos_read"] == 0, plain.stderr
    assert _results(db)[2] == {}
    r = run_cli("--json", "rematch", "--read-photos", db_path=db)
    assert r.returncode == 0, r.stderr
    assert _result(r)["photos_read"] == 4
    reasons, leads, reads = _results(db)
    assert "logo:nike@" in reasons["l0"] and "image_text:gucci" in reasons["l1"], reasons
    assert {"l0", "l1"} <= leads and "l2" not in leads and set(reads.values()) == {1}
    again = run_cli("--json", "rematch", "--read-photos", db_path=db)
    assert again.returncode == 0 and _result(again)["photos_read"] == 0, again.stderr


@pytest.mark.parametrize(("matchers", "present", "absent"), [
    ("photo_ocr = false", "logo:nike@", "image_text:"),
    ("photo_logos = false", "image_text:gucci", "logo:"),
])
def test_each_engine_switch_turns_off_its_own_reasons(tmp_path, site, matchers, present, absent):
    db = _store(tmp_path)
    _crawl(db, site, tmp_path, matchers)
    reasons, _, _ = _results(db)
    text = ";".join(reasons.values())
    assert present in text and absent not in text, reasons


def test_timeouts_workers_and_max_images_reach_the_crawl(tmp_path, site):
    db = _store(tmp_path)
    stats = _crawl(db, site, tmp_path, "photo_timeout = 0.001\nphoto_workers = 2\nphoto_max_images = 1")
    store = open_db(db)
    reads = {r[0]: r[1] for r in store.execute("SELECT sha256, status FROM image_readings")}
    store.close()
    assert stats["brandsweep/photos/workers"] == 2
    assert stats["brandsweep/photos/read"] == len(reads) == 3  # one photo per listing
    # 1 ms from the worker's start of an image: every reading runs over (a result that arrives before the
    # dispatcher looks is kept, so on a loaded machine one may get through)
    timed_out = stats["brandsweep/photos/timeout"]
    assert timed_out >= 1 and timed_out == sum(1 for r in reads.values() if r == "timeout")
    shown = run_cli("runs", "show", "1", db_path=db)
    assert f"{timed_out} timed out" in shown.stdout and "photo reading timed out" in shown.stdout, shown.stdout

    again = _crawl(db, site, tmp_path, "photo_max_images = 1")  # timed-out readings are read again
    assert again.get("brandsweep/photos/read", 0) == timed_out
    assert again.get("brandsweep/photos/reused", 0) == 3 - timed_out
    store = open_db(db)
    statuses = {r[0] for r in store.execute("SELECT status FROM image_readings")}
    store.close()
    assert "timeout" not in statuses


# -- the weights and bounds, on the real matcher over the sample catalog ------------------------------


@pytest.fixture(scope="module")
def catalog_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    path = _store(tmp_path_factory.mktemp("catalog"))
    db = open_db(path)
    yield db
    db.close()


def _match(db: object, view: ListingView, **cfg: object):
    return build_matcher(db, MatchConfig.from_mapping(cfg)).match(view)  # type: ignore[arg-type]


def _points(result: object, code: str) -> float:
    return sum(r.points for r in result.reasons if r.code == code)  # type: ignore[attr-defined]


def test_photo_weights_and_logo_inliers_change_the_score(catalog_db):
    view = ListingView("shop", "x", "Running sneakers AAA 1:1 mirror quality",
                       photo_logos=(LogoHit("nike", "nike.png", 14, ((0, 0), (9, 0), (9, 9), (0, 9))),))
    base = _match(catalog_db, view)
    assert _points(base, "logo") == pytest.approx(40 * (0.5 + 0.5 * 4 / 10))
    assert _points(_match(catalog_db, view, points_logo=20), "logo") == pytest.approx(_points(base, "logo") / 2)
    assert _points(_match(catalog_db, view, logo_min_inliers=7), "logo") == 40  # 14 = 2 x 7: full points
    assert _match(catalog_db, view, logo_min_inliers=15).brand_id is None  # 14 inliers are too few

    text = ListingView("shop", "y", "Shoulder bag", photo_text="GUCCI\nAAA")  # aaa: 35, under the 45 cap
    res = _match(catalog_db, text)
    assert _points(res, "image_text") == 30 and res.brand_id == "gucci"
    assert _points(_match(catalog_db, text, points_image_text=12), "image_text") == 12
    full = _points(_match(catalog_db, text, points_image_text_indicator_factor=1.0), "image_text_indicator")
    half = _points(res, "image_text_indicator")
    assert full > 0 and half == pytest.approx(full / 2)


def test_a_plain_title_prices_the_brand_against_its_product_of_that_category(catalog_db):
    """A "leather handbag" whose brand is only in its photo or its description is priced against the brand's
    bag (81,100 CNY), not against its cheapest product (a 1,650 CNY perfume): a fifteenth of the bag's price
    is far below it, three times the perfume's is not. A kind of goods none of the brand's product names
    says is priced against the products whose names say no kind."""
    plain = dict(title="Women's leather handbag premium quality", description="Great value. Bulk orders welcome.",
                 price=5109.0, currency="CNY")
    photo = _match(catalog_db, ListingView("shop", "p", photo_text="CHANEL", **plain))  # type: ignore[arg-type]
    assert photo.brand_id == "chanel" and photo.product_id == "chanel-classic-flap"
    assert [r.value for r in photo.reasons if r.code == "price_ratio"] == ["0.06"] and photo.is_lead
    described = dict(plain, description="Chanel classic style, great value.")
    res = _match(catalog_db, ListingView("shop", "d", **described))  # type: ignore[arg-type]
    assert res.product_id == "chanel-classic-flap"
    assert [r.value for r in res.reasons if r.code == "price_ratio"] == ["0.06"]
    # no Huawei product name says "phone": the Mate 60 Pro (6,999 CNY) is the one that may be it, the
    # FreeBuds (1,499) and the watch (1,488) are not; 123 USD is 0.13 of the Mate, 0.59 of the watch
    phone = ListingView("shop", "h", "Smartphone 256GB dual SIM unlocked", price=122.99, currency="USD",
                        photo_text="HUAWEI")
    res = _match(catalog_db, phone)
    assert res.product_id == "huawei-mate-60-pro" and res.is_lead
    assert [r.value for r in res.reasons if r.code == "price_ratio"] == ["0.13"]


@pytest.mark.parametrize(("read", "brand"), [
    ("LOUSVUTTON", "louis-vuitton"),  # what the OCR model read on a small slanted tag: both i's dropped
    ("AAA 1:1\nLOUSVUTTON-BAG", "louis-vuitton"),
    ("ESEELADER", None),  # t and u missing: the u is not thin
    ("LOUSVUTON", None),  # three thin letters missing: too far
    ("LOUSVITTON", None),  # a missing u is no thin stroke lost
])
def test_names_read_with_thin_letters_dropped_are_restored(catalog_db, read, brand):
    view = ListingView("shop", "t", "Women's leather handbag", price=900.0, currency="CNY", photo_text=read)
    res = _match(catalog_db, view)
    assert res.brand_id == brand
    assert any(r.code == "image_text" for r in res.reasons) == (brand is not None)


@pytest.mark.parametrize(("title", "read", "brand"), [
    ("Smartphone 256GB dual SIM unlocked", "APPLE", "apple"),
    ("Fresh fruit gift box 5kg", "APPLE", None),  # fruit: not the brand's kind of goods
    ("Men's automatic watch stainless steel", "XIAOMI", "xiaomi"),  # 小米 is also millet
    ("Men's running shoes breathable sneakers", "PUMA", "puma"),
    ("Wildlife poster print 50x70", "PUMA", None),
    ("Canvas tote bag large capacity", "COACH", "coach"),
    ("Gift box with ribbon", "COACH", None),
])
def test_a_word_brand_read_in_a_photo_has_the_listing_s_goods_as_context(catalog_db, title, read, brand):
    """Names that are ordinary words too need brand context; a photo's text has the title's kind of goods."""
    res = _match(catalog_db, ListingView("shop", "w", title, price=10.0, currency="USD", photo_text=read))
    assert res.brand_id == brand


def test_ocr_bounds_reach_the_engine():
    photo = pi.to_bytes(pi.text_photo("AAA 1:1 LUXE", np.random.default_rng(3), size=40))
    default = settings_from(MatchConfig())
    small = settings_from(MatchConfig.from_mapping({"ocr_max_side": 64}))
    picky = settings_from(MatchConfig.from_mapping({"ocr_min_confidence": 1.0}))
    assert read_photo(photo, default, None).text
    assert not read_photo(photo, small, None).text  # 40 px text at 1/10 of its size is unreadable
    assert not read_photo(photo, picky, None).text


def test_photo_workers_and_timeout_reach_the_pool():
    settings = settings_from(MatchConfig.from_mapping({"photo_workers": 2, "photo_timeout": 0.001,
                                                       "photo_logos": False}))
    with PhotoReader(settings) as reader:
        assert len({s.proc.pid for s in reader._slots}) == 2
        assert reader.read(pi.to_bytes(pi.background(np.random.default_rng(4)))).status == "timeout"


def test_rematch_matches_logos_again_only_when_the_catalogs_logos_changed(tmp_path):
    from brandsweep.matchers.photo_reader import PhotoReading, PhotoSettings
    from brandsweep.matchers.photo_text import OcrLine
    from brandsweep.store.listings import store_image
    from brandsweep.store.photos import logo_index_for, readings_of, refresh_logos, save_reading

    db = open_db(_store(tmp_path))
    try:
        photo = _photos()["l0"][0]  # the Nike logo on a textured background
        sha = store_image(db, photo, phash="0", refused=None, size=None, now="2026-01-01T00:00:00Z")
        db.blobs.write(photo)
        old = PhotoReading("ok", (OcrLine("SOLD OUT", 0.9, ((0, 0), (1, 0), (1, 1), (0, 1))),))
        with db.transaction():  # read against an older catalog, whose logo index found nothing
            save_reading(db, sha, old, settings=PhotoSettings(), logo_index="an-older-index")
        settings = settings_from(MatchConfig())
        assert refresh_logos(db, settings) == 1
        _, digest = logo_index_for(db)
        now = readings_of(db, [sha])[sha]
        assert now.logo_index == digest and now.reading.lines == old.lines  # the text is kept, not read again
        assert [h.brand for h in now.reading.logos] == ["nike"]
        assert refresh_logos(db, settings) == 0  # up to date: nothing to match
        assert db.scalar("SELECT reads FROM image_readings") == 2
    finally:
        db.close()
